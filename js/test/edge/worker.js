// The Worker of the workerd tests (test/edge/workerd.test.mjs, package.test.mjs):
// Node code run unchanged in workerd, driven by HTTP requests from the test,
// each answering JSON. Every route takes a POST body of JSON with the peer's
// port and the PEM it needs, and connects to 127.0.0.1 only.
//
//   POST /echo         Node's documentation echo client (tls.connect with ca, cert, key)
//   POST /request      the README's Worker: connect, end(request), read the reply to its end
//   POST /fail         a connection that fails: the error's fields, and the events seen
//   POST /starttls     a cloudflare:sockets socket, a plaintext STARTTLS line, then tls.connect({ socket });
//                      with `plaintext: false`, the socket handed over at once; with
//                      `endAtOnce`, the message sent with end() (a half-close)
//   POST /handshake    one handshake, timed from tls.connect() to 'secureConnect'
//   POST /builtin      the same echo with workerd's own node:tls, for comparison
//
// Wrangler bundles it from a project whose node_modules holds tls-connect, with
// `tls-connect-host-crypto` aliased to that package's src/host-crypto.js, so the
// answers say whether workerd's node:crypto did the record and signature work.

import { connect as connectSocket } from 'cloudflare:sockets';
import workerdTls from 'node:tls';
import { hostCryptoCounts } from 'tls-connect-host-crypto';
import tls from 'tls-connect';
import { documentationEcho, errorFields, watchFailure } from './client.mjs';

/** The longest any route waits for its socket to finish. */
const WAIT_MS = 15_000;

/** Resolves when `socket` emits 'close' (with hadError), rejects after WAIT_MS. */
function closed(socket) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'close' within ${WAIT_MS} ms`)), WAIT_MS);
    socket.once('close', (hadError) => {
      clearTimeout(timer);
      resolve(hadError);
    });
  });
}

/** What the host's crypto did between two readings of its counters. */
function cryptoSince(before) {
  const after = hostCryptoCounts();
  return {
    keysTaken: after.keysTaken - before.keysTaken,
    signaturesVerified: after.signaturesVerified - before.signaturesVerified,
  };
}

/**
 * The echo client of Node's `tls.connect()` documentation (observe.mjs), `ca`
 * the test root, the server on 127.0.0.1 ('localhost' by name, as the example
 * connects), what it printed and what the socket said.
 */
async function echo({ port, ca, cert, key, message }) {
  const before = hostCryptoCounts();
  const { socket, stdin, printed } = documentationEcho(tls, port, { key, cert, ca: [ca] });
  const events = [];
  for (const event of ['connect', 'secureConnect', 'end', 'error']) socket.on(event, () => events.push(event));
  let fields;
  socket.once('secureConnect', () => {
    fields = {
      authorized: socket.authorized,
      protocol: socket.getProtocol(),
      cipher: socket.getCipher()?.standardName,
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort,
      peerCN: socket.getPeerCertificate().subject?.CN,
    };
    stdin.write(message);
    socket.once('data', () => stdin.end());
  });
  const hadError = await closed(socket);
  return { printed, hadError, events, ...fields, hostCrypto: cryptoSince(before) };
}

/**
 * The README's Worker: tls.connect({ host, port, ca, cert, key }), the request
 * sent with end() once connected, the answer read to its end.
 */
async function request({ port, ca, cert, key, message }) {
  const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, cert, key });
  const ended = closed(socket);
  const reply = await new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('secureConnect', () => socket.end(message));
    socket.on('data', (data) => (text += data));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  return { reply, authorized: socket.authorized, hadError: await ended };
}

/** A connection expected to fail: `error` as Node describes it, and what the socket said first. */
async function fail({ port, host, ca, servername }) {
  const socket = tls.connect({ port, host, ca, servername });
  const timeout = closed(socket);
  const failure = await watchFailure(socket);
  await timeout;
  return failure;
}

/** Reads from `reader` until a line ends; returns it without its CRLF. */
async function readLine(reader) {
  const decoder = new TextDecoder();
  let text = '';
  // Bounded: a line of the negotiation is short.
  for (let reads = 0; reads < 64 && !text.includes('\n'); reads += 1) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text.trimEnd();
}

/**
 * A Workers socket from cloudflare:sockets handed to tls.connect: at once
 * (`plaintext: false`), or as a protocol's upgrade, after a plaintext
 * "STARTTLS" answered by "OK".
 */
async function starttls({ port, ca, cert, key, message, plaintext = true, endAtOnce = false }) {
  const workersSocket = connectSocket({ hostname: '127.0.0.1', port });
  let answer;
  if (plaintext) {
    const writer = workersSocket.writable.getWriter();
    await writer.write(new TextEncoder().encode('STARTTLS\r\n'));
    writer.releaseLock();
    const reader = workersSocket.readable.getReader();
    answer = await readLine(reader);
    reader.releaseLock();
    if (answer !== 'OK') return { answer };
  }

  const socket = tls.connect({ socket: workersSocket, servername: 'localhost', ca, cert, key });
  const secured = new Promise((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  const ended = closed(socket);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (text) => (received += text));
  let error;
  try {
    await secured;
    if (endAtOnce) {
      // A request and our end at once (a TCP half-close); the answer still comes back.
      socket.end(message);
    } else {
      // As the echo client does: write, and end once the echo is back.
      socket.once('data', () => socket.end());
      socket.write(message);
    }
  } catch (caught) {
    error = errorFields(caught);
  }
  const hadError = await ended;
  return {
    answer,
    authorized: socket.authorized,
    protocol: socket.getProtocol?.() ?? null,
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    received,
    hadError,
    error,
  };
}

/** One handshake with a client certificate, timed inside the Worker; then the socket ends. */
async function handshake({ port, ca, cert, key }) {
  const started = performance.now();
  const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca, cert, key });
  const ended = closed(socket);
  const secured = await new Promise((resolve) => {
    socket.once('secureConnect', () => resolve(performance.now()));
    socket.once('error', () => resolve(undefined));
  });
  socket.end();
  await ended;
  return { ms: secured === undefined ? undefined : secured - started, authorized: socket.authorized };
}

/**
 * workerd's own node:tls, asked the same (ca, cert, key): it is built on the
 * runtime's startTls(), whose trust and identity are the platform's.
 */
async function builtin({ port, ca, cert, key }) {
  let socket;
  try {
    socket = workerdTls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca, cert, key });
  } catch (error) {
    return { thrownAtOnce: errorFields(error) };
  }
  const outcome = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ timeout: true }), WAIT_MS);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve({ secureConnect: true, authorized: socket.authorized });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve({ error: errorFields(error) });
    });
  });
  socket.destroy();
  return outcome;
}

const ROUTES = {
  '/echo': echo,
  '/request': request,
  '/fail': fail,
  '/starttls': starttls,
  '/handshake': handshake,
  '/builtin': builtin,
};

export default {
  async fetch(request) {
    const route = ROUTES[new URL(request.url).pathname];
    if (!route) return Response.json({ routes: Object.keys(ROUTES) });
    try {
      return Response.json(await route(await request.json()));
    } catch (error) {
      return Response.json({ thrown: errorFields(error), stack: String(error.stack) }, { status: 500 });
    }
  },
};
