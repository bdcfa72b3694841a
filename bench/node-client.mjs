// The JavaScript clients of the benchmark: the runtime's own `tls.connect`
// (Node's OpenSSL, or Deno's and Bun's node:tls) and this project's npm package
// (the jco-transpiled component), the same code for all.
//
//   node bench/node-client.mjs --impl node|jco --mode MODE [options]
//   deno run -A bench/node-client.mjs --impl node --mode MODE [options]
//   bun bench/node-client.mjs --impl node --mode MODE [options]
//
// Modes (each prints one JSON line on stdout):
//   handshakes  --port P --ca FILE [--cipher NAME] [--ecdh-curve GROUPS] [--count N] [--resume]
//               sequential connections: TCP connect, handshake, one-byte echo, end
//   bulk        --port P --ca FILE [--cipher NAME] [--bytes N] [--chunk N]
//               one connection echoing --bytes in writes of --chunk
//   memory      --port P --ca FILE [--connections N]   (jco: guest linear memory)
//   import      the time to import the package (jco: loads and instantiates the
//               component), and for jco where that time went (see importSteps)
// --bridge URL connects through a WebSocket bridge (js/scripts/bridge.js) instead
// of TCP: tls.connect({socket}) over the package's webSocketDuplex, as a browser
// page must; the bridge decides the target, --port is then unused. Needs a
// global WebSocket (Node 22+).
// --limit SECONDS bounds each mode (default 120).
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    impl: { type: 'string' },
    mode: { type: 'string' },
    port: { type: 'string' },
    ca: { type: 'string' },
    cipher: { type: 'string', default: 'TLS_AES_128_GCM_SHA256' },
    'ecdh-curve': { type: 'string' },
    count: { type: 'string', default: '200' },
    resume: { type: 'boolean', default: false },
    bytes: { type: 'string', default: String(64 << 20) },
    chunk: { type: 'string', default: String(16 << 10) },
    connections: { type: 'string', default: '100' },
    limit: { type: 'string', default: '120' },
    bridge: { type: 'string' },
  },
});

const JCO_ENTRY = new URL('../js/src/index.js', import.meta.url);
/** What js/src/component.js imports before it instantiates: the jco glue and the host's imports. */
const JCO_GLUE = ['../js/gen/tls-connect.js', '../js/src/host-crypto.js', '../js/src/wasi.js'].map((p) => new URL(p, import.meta.url));
const JCO_GEN = new URL('../js/gen/', import.meta.url);
const limitMs = Number(values.limit) * 1000;

/** The tls module under test, and how long importing it took. */
async function load(impl) {
  const t0 = performance.now();
  const tls = impl === 'jco' ? await import(JCO_ENTRY) : await import('node:tls');
  return { tls, importMs: performance.now() - t0 };
}

/**
 * Wraps WebAssembly.compile and WebAssembly.instantiate so that the import of the
 * package can say how long each took. component.js reaches both through the
 * global at call time, so the wrappers see every call. The four core modules
 * compile concurrently, so compile time is the span from the first call to the
 * last resolution, not a sum; instantiations run one after the other.
 */
function watchWebAssembly() {
  const seen = { compileStart: Infinity, compileEnd: 0, compiledBytes: 0, compiles: 0, instantiateMs: 0 };
  const { compile, instantiate } = WebAssembly;
  WebAssembly.compile = async (bytes, ...rest) => {
    const t0 = performance.now();
    seen.compileStart = Math.min(seen.compileStart, t0);
    seen.compiledBytes += bytes.byteLength;
    seen.compiles += 1;
    try {
      return await compile.call(WebAssembly, bytes, ...rest);
    } finally {
      seen.compileEnd = Math.max(seen.compileEnd, performance.now());
    }
  };
  WebAssembly.instantiate = async (...args) => {
    const t0 = performance.now();
    try {
      return await instantiate.apply(WebAssembly, args);
    } finally {
      seen.instantiateMs += performance.now() - t0;
    }
  };
  return seen;
}

/**
 * The jco import, step by step, in this fresh process: first the glue modules
 * that component.js imports (timed on their own, so that what the import of the
 * package then spends is everything else), then the package itself with
 * WebAssembly watched. `beforeCompileMs` runs from the package's import to the
 * first WebAssembly.compile: loading the package's other modules and reading
 * the .wasm files; `readMs` is the reading alone, timed afterwards as core.js
 * reads (the files in the page cache, as they were for the import). `restMs` is
 * what is left: jco's set-up between and after the instantiations, and the
 * package's modules that run once the component is there.
 */
async function importSteps() {
  const t0 = performance.now();
  for (const url of JCO_GLUE) await import(url);
  const glueMs = performance.now() - t0;
  const seen = watchWebAssembly();
  const t1 = performance.now();
  const { importMs } = await load('jco');
  const { readdir, readFile } = await import('node:fs/promises');
  const t2 = performance.now();
  const names = (await readdir(JCO_GEN)).filter((name) => name.endsWith('.wasm'));
  await Promise.all(names.map((name) => readFile(new URL(name, JCO_GEN))));
  const readMs = performance.now() - t2;
  const compiled = seen.compiles > 0;
  const beforeCompileMs = compiled ? seen.compileStart - t1 : 0;
  const compileMs = compiled ? seen.compileEnd - seen.compileStart : 0;
  const totalMs = glueMs + importMs;
  return {
    kind: 'import',
    seconds: totalMs / 1000,
    steps: {
      glueMs,
      beforeCompileMs,
      readMs,
      compileMs,
      instantiateMs: seen.instantiateMs,
      restMs: totalMs - glueMs - beforeCompileMs - compileMs - seen.instantiateMs,
    },
    compiledBytes: seen.compiledBytes,
  };
}

/** Says why on stderr and exits 1: run.mjs shows the message in the row's notes. */
function fail(message) {
  process.stderr.write(`node-client: ${message}\n`);
  process.exit(1);
}

/** Rejects after the run's time limit. */
function deadline(what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: over ${values.limit} s`)), limitMs);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/** CPU seconds (user and system, all threads) this process used since `start`. */
function cpuSeconds(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * One connection: handshake, then a one-byte echo (so the server's session
 * tickets have arrived). Resolves with the socket, still open, and whether the
 * session was reused; `onSession` gets each ticket Node reports.
 */
function connectAndEcho(tls, options, onSession) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(options, () => socket.write('x'));
    if (onSession) socket.on('session', onSession);
    socket.once('error', reject);
    socket.once('data', () => {
      socket.off('error', reject);
      // Late errors (a reset after we end) are not the measurement's business.
      socket.on('error', () => {});
      const reused = typeof socket.isSessionReused === 'function' ? socket.isSessionReused() : false;
      resolve({ socket, reused });
    });
  });
}

/** The --ca file's bytes, once read. */
let caBytes;

/**
 * The options of one connection. Through a bridge each connection needs its own
 * WebSocket, so this is called per connection; `host` then only names the
 * certificate to expect (the bridge picks the target).
 */
async function connectOptions() {
  // Read once: a file read per connection would be timed with the handshakes.
  caBytes ??= fs.readFileSync(values.ca);
  const common = {
    ca: caBytes,
    ciphers: values.cipher,
    ...(values['ecdh-curve'] ? { ecdhCurve: values['ecdh-curve'] } : {}),
  };
  if (values.bridge) {
    const { webSocketDuplex } = await import(new URL('../js/src/websocket.js', import.meta.url));
    return { ...common, host: 'localhost', socket: webSocketDuplex(values.bridge) };
  }
  // As the Rust clients and the server: no Nagle delays in anyone's figures.
  return { ...common, host: '127.0.0.1', port: Number(values.port), noDelay: true };
}

/** `--count` sequential connections, full or (--resume) offering the newest session. */
async function handshakes(tls) {
  const count = Number(values.count);
  let session;
  const keep = values.resume ? (s) => (session = s) : undefined;
  // One untimed connection: warms up, and brings the first ticket when resuming.
  (await connectAndEcho(tls, await connectOptions(), keep)).socket.end();
  const limit = deadline('handshakes');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let reused = 0;
  const run = (async () => {
    for (let i = 0; i < count; i += 1) {
      const options = await connectOptions();
      const opts = values.resume ? { ...options, session } : options;
      const result = await connectAndEcho(tls, opts, keep);
      if (result.reused) reused += 1;
      result.socket.end();
    }
  })();
  await Promise.race([run, limit.promise]);
  limit.clear();
  return {
    kind: 'handshakes',
    resume: values.resume,
    cipher: values.cipher,
    count,
    reused,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: cpuSeconds(cpu0),
  };
}

/** One connection echoing `--bytes` in `--chunk` writes, timed after the handshake. */
async function bulk(tls) {
  const total = Number(values.bytes);
  const chunk = Number(values.chunk);
  const payload = Buffer.alloc(chunk, 'a');
  const { socket } = await connectAndEcho(tls, await connectOptions());
  const limit = deadline('bulk');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const echoed = new Promise((resolve, reject) => {
    let written = 0;
    let received = 0;
    socket.on('error', reject);
    socket.on('end', () => reject(new Error(`server ended after ${received} of ${total} bytes`)));
    socket.on('data', (data) => {
      received += data.length;
      if (received >= total) resolve();
    });
    const pump = () => {
      // Bounded by `total`: each turn writes one chunk; a full buffer waits for 'drain'.
      while (written < total) {
        const n = Math.min(chunk, total - written);
        written += n;
        if (!socket.write(n === chunk ? payload : payload.subarray(0, n))) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  await Promise.race([echoed, limit.promise]);
  limit.clear();
  const result = {
    kind: 'bulk',
    cipher: values.cipher,
    bytes: total,
    chunk,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: cpuSeconds(cpu0),
  };
  socket.end();
  return result;
}

/** The guest's linear memory before and after `--connections` idle connections (jco only). */
async function memory(tls) {
  const { guestMemoryBytes } = await import(new URL('../js/src/component.js', import.meta.url));
  const connections = Number(values.connections);
  const afterInstantiate = guestMemoryBytes();
  (await connectAndEcho(tls, await connectOptions())).socket.end();
  const before = guestMemoryBytes();
  const limit = deadline('memory');
  const sockets = [];
  const run = (async () => {
    for (let i = 0; i < connections; i += 1) sockets.push((await connectAndEcho(tls, await connectOptions())).socket);
  })();
  await Promise.race([run, limit.promise]);
  limit.clear();
  const after = guestMemoryBytes();
  for (const socket of sockets) socket.end();
  return { kind: 'memory', connections, afterInstantiate, before, after };
}

/** Runs the one mode asked for and prints its JSON line. */
async function main() {
  if (values.impl !== 'node' && values.impl !== 'jco') fail('--impl must be node or jco');
  if (values.mode === 'memory' && values.impl !== 'jco') fail('memory: only the jco client has a guest memory');
  if (values.mode === 'import' && values.impl === 'jco') {
    // Its own path: the glue must be imported before the package for the steps to be told apart.
    process.stdout.write(`${JSON.stringify({ client: values.impl, ...(await importSteps()) })}\n`);
    process.exit(0);
  }
  const { tls, importMs } = await load(values.impl);
  const modes = { handshakes, bulk, memory, import: async () => ({ kind: 'import', seconds: importMs / 1000 }) };
  const mode = modes[values.mode];
  if (!mode) fail(`unknown --mode ${values.mode}`);
  const result = await mode(tls);
  process.stdout.write(`${JSON.stringify({ client: values.impl, ...result })}\n`);
  // Sockets still closing must not hold the process.
  process.exit(0);
}

main().catch((err) => fail(err.stack || String(err)));
