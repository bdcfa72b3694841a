// The benchmark's browser page: loads the package's browser bundle (js/dist) as
// any page would, and offers `window.bulkEcho(options)` to bench/chromium.mjs:
// the bulk echo of bench/node-client.mjs, through the WebSocket bridge; and
// `window.rawEcho(options)`: the same bytes over the page's own WebSocket with
// no TLS, to a plain TCP echo server through the same bridge, which shows how
// fast Chromium's WebSocket path can go before any TLS is added.
// `window.__ready` says the bundle (and the component inside it) loaded;
// `window.__loadError` says why not.

const BUNDLE = '../../js/dist/browser/tls-connect.js';
const WEBSOCKET = '../../js/dist/browser/websocket.js';

/** A plain copy of an Error: page.evaluate can return only JSON-like values. */
function describe(error) {
  return { name: error?.name, code: error?.code, message: error?.message ?? String(error) };
}

/** Rejects after `ms`, so a stalled echo ends the measurement rather than the run. */
function deadline(ms, what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: over ${ms} ms`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * Connects through the bridge at `url` and, as node-client.mjs's handshake
 * does, echoes one byte first, so the timed part is the bulk echo alone.
 */
async function connectAndEcho({ url, ca, cipher }) {
  const { connect } = await import(BUNDLE);
  const { webSocketDuplex } = await import(WEBSOCKET);
  return new Promise((resolve, reject) => {
    const socket = connect({ socket: webSocketDuplex(url), host: 'localhost', ca, ciphers: cipher }, () => socket.write('x'));
    socket.once('error', reject);
    socket.once('data', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/**
 * Echoes `bytes` in writes of `chunk` over one connection and resolves with the
 * seconds from the first write to the last echoed byte (performance.now, which
 * a page may coarsen to 0.1 ms; runs last far longer).
 */
async function bulkEcho({ url, ca, cipher, bytes, chunk, limitMs }) {
  const socket = await connectAndEcho({ url, ca, cipher });
  const payload = new Uint8Array(chunk).fill(0x61);
  const limit = deadline(limitMs, 'bulk');
  const t0 = performance.now();
  const echoed = new Promise((resolve, reject) => {
    let written = 0;
    let received = 0;
    socket.on('error', reject);
    socket.on('end', () => reject(new Error(`server ended after ${received} of ${bytes} bytes`)));
    socket.on('data', (data) => {
      received += data.length;
      if (received >= bytes) resolve();
    });
    const pump = () => {
      // Bounded by `bytes`: each turn writes one chunk; a full buffer waits for 'drain'.
      while (written < bytes) {
        const n = Math.min(chunk, bytes - written);
        written += n;
        if (!socket.write(n === chunk ? payload : payload.subarray(0, n))) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  try {
    await Promise.race([echoed, limit.promise]);
  } finally {
    limit.clear();
    socket.destroy();
  }
  return { bytes, chunk, cipher, seconds: (performance.now() - t0) / 1000, userAgent: navigator.userAgent };
}

/** Bytes the page keeps queued in its WebSocket (bufferedAmount) before it waits for them to leave. */
const RAW_WINDOW = 4 << 20;

/** Opens a WebSocket to `url` for binary messages; rejects when it closes before opening. */
function openWebSocket(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      ws.onclose = null;
      resolve(ws);
    };
    // 'error' carries no detail in a browser; the 'close' that follows has the code and reason.
    ws.onclose = (event) => reject(new Error(`WebSocket closed before opening (${event.code} ${event.reason})`));
  });
}

/**
 * Sends `bytes` in binary messages of `message` bytes over a plain WebSocket
 * (through the bridge at `url`, which names the TCP echo server) and resolves
 * with the seconds from the first message to the last echoed byte. No TLS and
 * no package code: only Chromium's WebSocket, the bridge and the echo server.
 * The page keeps up to RAW_WINDOW queued: a browser WebSocket has no 'drain'
 * event, so it tops the queue up on every echoed message and, when nothing
 * arrives, on a 1 ms timer.
 */
async function rawEcho({ url, bytes, message, limitMs }) {
  const ws = await openWebSocket(url);
  const payload = new Uint8Array(message).fill(0x61);
  const limit = deadline(limitMs, 'WebSocket echo');
  let timer;
  const t0 = performance.now();
  const echoed = new Promise((resolve, reject) => {
    let sent = 0;
    let received = 0;
    const pump = () => {
      timer = undefined;
      while (sent < bytes && ws.bufferedAmount < RAW_WINDOW) {
        const n = Math.min(message, bytes - sent);
        ws.send(n === message ? payload : payload.subarray(0, n));
        sent += n;
      }
      if (sent < bytes && timer === undefined) timer = setTimeout(pump, 1);
    };
    ws.onmessage = (event) => {
      // The bridge's text message "end" (the server's half-close) carries no payload.
      if (typeof event.data === 'string') return;
      received += event.data.byteLength;
      if (received >= bytes) resolve();
      else if (sent < bytes && timer === undefined) pump();
    };
    ws.onclose = (event) => reject(new Error(`WebSocket closed (${event.code} ${event.reason}) after ${received} of ${bytes} bytes`));
    pump();
  });
  try {
    await Promise.race([echoed, limit.promise]);
  } finally {
    limit.clear();
    clearTimeout(timer);
    ws.onclose = null;
    ws.onmessage = null;
    ws.close();
  }
  return { bytes, message, seconds: (performance.now() - t0) / 1000, userAgent: navigator.userAgent };
}

window.rawEcho = (options) => rawEcho(options).catch((error) => ({ error: describe(error) }));
window.bulkEcho = (options) => bulkEcho(options).catch((error) => ({ error: describe(error) }));
// Loading the bundle instantiates the component (top-level await): ready means it worked.
import(BUNDLE).then(
  () => {
    window.__ready = true;
  },
  (error) => {
    window.__loadError = describe(error);
  },
);
