// A WebSocket as a byte-stream Duplex: the `socket` that carries TLS where no
// TCP socket exists (browsers, some sandboxes). Point it at a bridge that opens
// the TCP connection (scripts/bridge.js does, for loopback targets):
//
//   import { connect } from 'tls-connect';
//   import { webSocketDuplex } from 'tls-connect/websocket';
//   const socket = connect({ socket: webSocketDuplex('ws://127.0.0.1:PORT/'), host: 'localhost', ca });
//
// `host` is then only the name the certificate is checked against (and the SNI);
// the bridge decides where the bytes go. In Node 20, which has no global
// WebSocket, pass an instance of the `ws` package: `webSocketDuplex(new WebSocket(url))`.
//
// The wire protocol, which the bridge speaks too: binary messages carry the
// bytes; the text message "end" means its sender has no more bytes to send (a
// TCP half-close); the WebSocket's close is the end of both directions. A close
// whose reason reads "CODE: message" (what the bridge sends when its TCP
// connection fails) becomes an Error with that `code` and `message`.

import { Buffer } from 'node:buffer';
import { Duplex } from 'node:stream';

/** The text message that half-closes: its sender has no more bytes to send. */
export const END_MESSAGE = 'end';

/** WebSocket readyState values (the constants are not on every implementation's instances). */
const CONNECTING = 0;
const OPEN = 1;

/** A write waits while the WebSocket holds more than this many unsent bytes: browsers have no 'drain'. */
const SEND_HIGH_WATER = 1024 * 1024;
/** How often a waiting write looks at bufferedAmount again. */
const DRAIN_POLL_MS = 5;

/** Normal closure, and "closed without a status code" (what some peers send for a normal close). */
const CLEAN_CLOSE_CODES = new Set([1000, 1005]);
/** A bridge's close reason: an error code, then Node's message for it. */
const CODED_REASON = /^([A-Z][A-Z0-9_]*): (.+)$/s;

/** An Error with a Node-style `code`. */
function codedError(code, message, extra = {}) {
  return Object.assign(new Error(message), { code }, extra);
}

/** The error for a write after the WebSocket has closed, as net.Socket's EPIPE. */
function writeAfterClose(url) {
  return codedError('EPIPE', `write EPIPE: the WebSocket to ${url} has closed`);
}

/**
 * The Error for a WebSocket that closed abnormally. A bridge's "CODE: message"
 * reason keeps its code and message; otherwise the connection either never opened
 * (ECONNREFUSED: the bridge is not there, or turned us away) or broke (ECONNRESET).
 */
function closeError(url, { code, reason }, opened, detail) {
  const extra = { url, closeCode: code, closeReason: reason };
  const coded = CODED_REASON.exec(reason ?? '');
  if (coded) return codedError(coded[1], coded[2], extra);
  const why = [`close code ${code}`, reason, detail].filter(Boolean).join(', ');
  if (!opened) return codedError('ECONNREFUSED', `WebSocket connection to ${url} failed (${why})`, extra);
  return codedError('ECONNRESET', `WebSocket connection to ${url} closed abnormally (${why})`, extra);
}

/** Something with the WebSocket API (browsers, Node 22+, Deno, the `ws` package). */
function isWebSocket(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof value.send === 'function' &&
    typeof value.close === 'function' &&
    typeof value.addEventListener === 'function' &&
    typeof value.readyState === 'number'
  );
}

/** A stream.Duplex over a WebSocket; made by `webSocketDuplex`. */
class WebSocketDuplex extends Duplex {
  #ws;
  #url;
  #halfClose;
  #opened = false;
  #remoteEnded = false;
  /** The last WebSocket 'error' event's detail (browsers give none; `ws` gives a message). */
  #errorDetail = '';
  /** Writes and the final end, waiting for the WebSocket to open. */
  #untilOpen = [];

  constructor(ws, { halfClose = true, ...options } = {}) {
    // The TLS layer decides when each direction ends, so neither ends the other.
    super({ ...options, allowHalfOpen: true });
    this.#ws = ws;
    this.#url = ws.url;
    this.#halfClose = halfClose;
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', () => this.#open());
    ws.addEventListener('message', (event) => this.#message(event.data));
    ws.addEventListener('error', (event) => {
      this.#errorDetail = event?.message ?? event?.error?.message ?? '';
    });
    ws.addEventListener('close', (event) => this.#closed(event));
    if (ws.readyState === OPEN) queueMicrotask(() => this.#open());
    else if (ws.readyState !== CONNECTING) {
      queueMicrotask(() => this.destroy(codedError('ERR_SOCKET_CLOSED', `the WebSocket to ${this.#url} is already closed`)));
    }
  }

  /** True while the WebSocket is still opening, as net.Socket's `connecting`. */
  get connecting() {
    return !this.#opened && !this.destroyed;
  }

  /** True until the WebSocket has opened. */
  get pending() {
    return !this.#opened;
  }

  /** The WebSocket's URL. */
  get url() {
    return this.#url;
  }

  #open() {
    if (this.#opened || this.destroyed) return;
    this.#opened = true;
    // net.Socket's events, so code written for a TCP transport sees the same.
    this.emit('connect');
    this.emit('ready');
    for (const action of this.#untilOpen.splice(0)) action();
  }

  #message(data) {
    if (this.destroyed) return;
    if (typeof data === 'string') {
      if (data === END_MESSAGE && !this.#remoteEnded) {
        this.#remoteEnded = true;
        this.push(null);
        return;
      }
      this.destroy(codedError('ERR_WEBSOCKET_PROTOCOL', `unexpected text message from ${this.#url}: only "${END_MESSAGE}" is defined`));
      return;
    }
    if (this.#remoteEnded) {
      this.destroy(codedError('ERR_WEBSOCKET_PROTOCOL', `bytes from ${this.#url} after its "${END_MESSAGE}" message`));
      return;
    }
    let bytes;
    if (data instanceof ArrayBuffer) bytes = Buffer.from(data);
    else if (ArrayBuffer.isView(data)) bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    else {
      this.destroy(codedError('ERR_WEBSOCKET_PROTOCOL', `a message from ${this.#url} is not binary data (binaryType must stay 'arraybuffer')`));
      return;
    }
    // Browsers cannot stop a WebSocket from receiving; the `ws` package can.
    if (!this.push(bytes)) this.#ws.pause?.();
  }

  #closed(event) {
    if (this.destroyed) return;
    this.#untilOpen = [];
    if (!CLEAN_CLOSE_CODES.has(event.code) || !this.#opened) {
      this.destroy(closeError(this.#url, event, this.#opened, this.#errorDetail));
      return;
    }
    // A clean close ends both directions: what arrived stays readable, then the stream closes.
    if (!this.#remoteEnded) {
      this.#remoteEnded = true;
      this.push(null);
    }
    if (this.readableEnded) this.destroy();
    else {
      this.once('end', () => this.destroy());
      // As net.Socket at EOF: 'end' follows even when nobody reads.
      this.read(0);
    }
  }

  /** Runs `action` once the WebSocket is open; writes before that wait in order. */
  #whenOpen(action) {
    if (this.#opened) action();
    else this.#untilOpen.push(action);
  }

  _write(chunk, encoding, callback) {
    this.#whenOpen(() => {
      if (this.#ws.readyState !== OPEN) {
        callback(writeAfterClose(this.#url));
        return;
      }
      this.#ws.send(chunk);
      this.#afterSend(callback);
    });
  }

  /** Calls back once the WebSocket's send buffer is below the high-water mark again. */
  #afterSend(callback) {
    if (this.destroyed) return;
    const ws = this.#ws;
    if (ws.bufferedAmount <= SEND_HIGH_WATER) callback();
    else if (ws.readyState !== OPEN) callback(writeAfterClose(this.#url));
    else setTimeout(() => this.#afterSend(callback), DRAIN_POLL_MS);
  }

  _read() {
    this.#ws.resume?.();
  }

  _final(callback) {
    this.#whenOpen(() => {
      if (this.#ws.readyState === OPEN) {
        // Without half-close the only way to say "no more bytes" is to close both ways.
        if (this.#halfClose) this.#ws.send(END_MESSAGE);
        else this.#ws.close(1000);
      }
      callback();
    });
  }

  _destroy(error, callback) {
    this.#untilOpen = [];
    const state = this.#ws.readyState;
    if (state === CONNECTING || state === OPEN) {
      // Browsers let a page send 1000 or 3000-4999 only: 4000 tells the bridge to reset its TCP side.
      if (error) this.#ws.close(4000, 'aborted');
      else this.#ws.close(1000);
    }
    callback(error);
  }
}

/**
 * A stream.Duplex that carries bytes over a WebSocket, for `connect({ socket })`.
 *
 * @param {string | URL | WebSocket} target a ws:// or wss:// URL (opened with the
 *   global WebSocket, or `options.WebSocket`), or a WebSocket already constructed
 *   (browser, Node 22+, Deno, or the `ws` package), open or still connecting.
 * @param {object} [options] Duplex options, plus `WebSocket` (a constructor to use
 *   for a URL) and `halfClose` (default true: `end()` sends the "end" message;
 *   false: `end()` closes the WebSocket, for peers that do not know that message).
 * @returns {import('node:stream').Duplex} writes before the WebSocket opens are
 *   queued; a write calls back once the WebSocket holds at most 1 MiB unsent.
 */
export function webSocketDuplex(target, options = {}) {
  const { WebSocket: Constructor = globalThis.WebSocket, ...rest } = options;
  if (isWebSocket(target)) return new WebSocketDuplex(target, rest);
  if (typeof target !== 'string' && !(target instanceof URL)) {
    throw new TypeError('webSocketDuplex() takes a ws:// or wss:// URL or a WebSocket');
  }
  if (typeof Constructor !== 'function') {
    throw codedError(
      'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
      'This platform has no global WebSocket: pass options.WebSocket, or a WebSocket already constructed (for example from the `ws` package)',
    );
  }
  return new WebSocketDuplex(new Constructor(String(target)), rest);
}
