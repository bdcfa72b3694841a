// The Node clients of the benchmark: Node's own `tls.connect` (OpenSSL) and this
// project's npm package (the jco-transpiled component), the same code for both.
//
//   node bench/node-client.mjs --impl node|jco --mode MODE [options]
//
// Modes (each prints one JSON line on stdout):
//   handshakes  --port P --ca FILE [--cipher NAME] [--ecdh-curve GROUPS] [--count N] [--resume]
//               sequential connections: TCP connect, handshake, one-byte echo, end
//   bulk        --port P --ca FILE [--cipher NAME] [--bytes N] [--chunk N]
//               one connection echoing --bytes in writes of --chunk
//   memory      --port P --ca FILE [--connections N]   (jco: guest linear memory)
//   import      the time to import the package (jco: loads and instantiates the component)
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
  },
});

const JCO_ENTRY = new URL('../js/src/index.js', import.meta.url);
const limitMs = Number(values.limit) * 1000;

/** The tls module under test, and how long importing it took. */
async function load(impl) {
  const t0 = performance.now();
  const tls = impl === 'jco' ? await import(JCO_ENTRY) : await import('node:tls');
  return { tls, importMs: performance.now() - t0 };
}

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

function baseOptions() {
  return {
    host: '127.0.0.1',
    port: Number(values.port),
    ca: fs.readFileSync(values.ca),
    ciphers: values.cipher,
    ...(values['ecdh-curve'] ? { ecdhCurve: values['ecdh-curve'] } : {}),
    // As the Rust clients and the server: no Nagle delays in anyone's figures.
    noDelay: true,
  };
}

async function handshakes(tls) {
  const count = Number(values.count);
  const options = baseOptions();
  let session;
  const keep = values.resume ? (s) => (session = s) : undefined;
  // One untimed connection: warms up, and brings the first ticket when resuming.
  (await connectAndEcho(tls, options, keep)).socket.end();
  const limit = deadline('handshakes');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let reused = 0;
  const run = (async () => {
    for (let i = 0; i < count; i += 1) {
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

async function bulk(tls) {
  const total = Number(values.bytes);
  const chunk = Number(values.chunk);
  const payload = Buffer.alloc(chunk, 'a');
  const { socket } = await connectAndEcho(tls, baseOptions());
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

async function memory(tls) {
  const { guestMemoryBytes } = await import(new URL('../js/src/component.js', import.meta.url));
  const connections = Number(values.connections);
  const options = baseOptions();
  const afterInstantiate = guestMemoryBytes();
  (await connectAndEcho(tls, options)).socket.end();
  const before = guestMemoryBytes();
  const limit = deadline('memory');
  const sockets = [];
  const run = (async () => {
    for (let i = 0; i < connections; i += 1) sockets.push((await connectAndEcho(tls, options)).socket);
  })();
  await Promise.race([run, limit.promise]);
  limit.clear();
  const after = guestMemoryBytes();
  for (const socket of sockets) socket.end();
  return { kind: 'memory', connections, afterInstantiate, before, after };
}

async function main() {
  if (values.impl !== 'node' && values.impl !== 'jco') fail('--impl must be node or jco');
  if (values.mode === 'memory' && values.impl !== 'jco') fail('memory: only the jco client has a guest memory');
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
