// The servers the differential scenarios connect to: Node's own
// `tls.createServer`, in this process (the runner runs only under Node 20), so
// a scenario can give it functions (OCSP stapling, PSK) and read what it saw of
// each connection. Each client run gets a fresh server from the same config, so
// neither client inherits the other's session cache or tickets. Loopback only.

import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

/** How long closing a server may wait for its connections to finish. */
const CLOSE_WAIT_MS = 2_000;
/** The label and length of the keying material the server exports for comparison. */
export const EKM = { length: 32, label: 'EXPERIMENTAL-differential', context: Buffer.from('differential') };

/**
 * What the server saw of one secure connection: the SNI, ALPN, version, suite,
 * resumption, the client certificate, and (on request) the client's shared
 * signature algorithms, exported keying material and key-log lines.
 */
function sawSecure(socket, config) {
  const peer = socket.getPeerCertificate();
  const seen = {
    servername: socket.servername || false,
    alpn: socket.alpnProtocol,
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.name,
    reused: socket.isSessionReused(),
    authorized: socket.authorized,
    clientCert: peer?.subject?.CN ?? null,
  };
  if (config.record?.includes('sigalgs')) seen.sharedSigalgs = socket.getSharedSigalgs();
  return seen;
}

/** A close that resolves after every connection is gone, destroying laggards after a bound. */
function closer(server, sockets, cleanup) {
  return () =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, CLOSE_WAIT_MS);
      server.close(() => {
        clearTimeout(timer);
        cleanup?.();
        resolve();
      });
      // Idle keep-alive connections would hold close() open: end them now.
      for (const socket of sockets) socket.end();
    });
}

/** Listens on 127.0.0.1 (or a fresh Unix socket path when `unix`); resolves to the address fields. */
function listen(server, unix) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    if (unix) {
      const dir = mkdtempSync(join(tmpdir(), 'tls-connect-diff-sock-'));
      const path = join(dir, 'server.sock');
      server.listen(path, () => resolve({ path, cleanup: () => rmSync(dir, { recursive: true, force: true }) }));
    } else {
      server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port }));
    }
  });
}

/**
 * A plain TCP server for the transport scenarios: `silent` accepts and never
 * answers (timeouts), `http` answers the ClientHello as an HTTP server would
 * (a non-TLS peer), `hangup` ends the connection once the ClientHello is read,
 * `refuse` is a port that was just closed (nothing listens).
 */
async function startPlain(config) {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (config.mode === 'http') socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    if (config.mode === 'hangup') socket.once('data', () => socket.end());
  });
  const address = await listen(server, false);
  const close = closer(server, sockets);
  if (config.mode === 'refuse') {
    await close();
    return { ...address, connections: [], clientErrors: [], close: async () => {} };
  }
  return { ...address, connections: [], clientErrors: [], close };
}

/**
 * Starts a Node TLS server from `config`: tls.createServer options plus
 * `mode` ('echo', the default; 'endFirst': send 'bye' and end at once;
 * 'silent', 'http', 'hangup', 'refuse': plain TCP, see startPlain), `unix` (listen on a Unix socket),
 * `ocsp` (the bytes to staple, or null for none), `record` (extra fields to
 * report: 'sigalgs'; and, kept under `secrets` for probes, 'ekm', 'keylog' and
 * 'wire': the bytes the server had written to the TCP socket by 'secureConnection').
 * Resolves to `{port | path, connections, clientErrors, close()}`;
 * `connections` fills in as connections complete.
 */
export async function startServer(config) {
  if (['silent', 'http', 'hangup', 'refuse'].includes(config.mode)) return startPlain(config);
  const { mode = 'echo', unix, ocsp, record, ...options } = config;
  const sockets = new Set();
  const connections = [];
  const clientErrors = [];
  // The client's order would otherwise decide the suite, and our engine puts
  // ChaCha20 first: the server's order keeps that one difference in its own scenario.
  const server = tls.createServer({ honorCipherOrder: true, ...options });
  const keylog = new Map();
  if (record?.includes('keylog')) {
    server.on('keylog', (line, socket) => keylog.set(socket, [...(keylog.get(socket) ?? []), String(line)]));
  }
  if (ocsp !== undefined) server.on('OCSPRequest', (cert, issuer, callback) => callback(null, ocsp));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', (error) => clientErrors.push(error.code ?? error.message));
  server.on('secureConnection', (socket) => {
    const seen = sawSecure(socket, config);
    // Per-connection secrets, for probes to compare with the client's; never compared themselves.
    seen.secrets = {};
    // The TCP socket under the TLS one: its count is of the handshake's bytes on the wire.
    if (record?.includes('wire')) seen.secrets.wireBytes = socket._parent?.bytesWritten;
    if (record?.includes('ekm')) {
      seen.secrets.ekm = socket.exportKeyingMaterial(EKM.length, EKM.label).toString('hex');
      seen.secrets.ekmWithContext = socket.exportKeyingMaterial(EKM.length, EKM.label, EKM.context).toString('hex');
    }
    seen.received = 0;
    seen.closed = new Promise((resolve) => socket.once('close', resolve));
    connections.push(seen);
    socket.on('error', () => {});
    socket.on('data', (chunk) => (seen.received += chunk.length));
    if (record?.includes('keylog')) socket.once('close', () => (seen.secrets.keylog = keylog.get(socket) ?? []));
    if (mode === 'endFirst') {
      socket.on('data', () => {});
      socket.end('bye');
    } else {
      socket.pipe(socket);
    }
  });
  const address = await listen(server, unix);
  return { ...address, connections, clientErrors, close: closer(server, sockets, address.cleanup) };
}
