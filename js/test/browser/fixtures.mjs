// What the WebSocket tests (websocket.test.mjs in Node, browser.test.mjs in
// Chromium) share on the Node side, on top of the suites' common support: the
// test PKI, Node's own TLS echo server, and a one-shot echo through a client.

export { echoOnce } from '../support/echo-once.js';

import { startPeer } from '../support/peer.js';
import { pki } from '../support/pki.js';

/**
 * The test root and the server identity from the shared test PKI: `ca` is the
 * root, `key`/`cert` a leaf for localhost and 127.0.0.1 that it signed.
 *
 * @returns {{ca: string, key: string, cert: string}} PEM text
 */
export function makeCertificates() {
  return { ca: pki.ca, key: pki.server.key, cert: pki.server.cert };
}

/**
 * Node's TLS echo server on 127.0.0.1 (the shared Node 20 peer, in its own
 * process, whichever runtime runs the test), offering ALPN http/1.1.
 *
 * @param {{key: string, cert: string}} identity
 * @returns {Promise<{port: number, close: () => Promise<void>}>}
 */
export function startEchoServer({ key, cert }) {
  return startPeer({ key, cert, ALPNProtocols: ['http/1.1'] });
}

/** Rejects with `what` timed out unless `promise` settles within `ms`. */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
