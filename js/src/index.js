// tls-connect: the client side of Node's `tls` module, running rustls inside a
// WebAssembly component. `connect` is a drop-in for `require('tls').connect`.
// In Node, Deno, Bun and workerd (nodejs_compat), host/port and path open a
// net.Socket; anywhere, `socket` takes any Duplex (a WebSocket bridge in
// browsers: see websocket.js) or a pair of web streams such as a Workers socket.

import net from 'node:net';
import { Duplex } from 'node:stream';
import { client } from './component.js';
import { bundledCertificates, getCACertificates, setDefaultCACertificates } from './ca-store.js';
import { identityRecord } from './certificate.js';
import { call, fromComponent, invalidArgType, nodeError, unavailable } from './errors.js';
import {
  checkConnectDefaults,
  checkConnectionOptions,
  checkTarget,
  contextFields,
  normalizeConnectArgs,
  witOptions,
} from './options.js';
import { TLSSocket, kEngine } from './socket.js';
import { isStreamsSocket, streamsDuplex } from './streams-socket.js';

export { TLSSocket };

const componentDefaults = client.defaults();

/** `tls.DEFAULT_CIPHERS`: this engine's default suites, ChaCha20-Poly1305 first (fastest in wasm). */
export const DEFAULT_CIPHERS = componentDefaults.ciphers;
/** `tls.DEFAULT_ECDH_CURVE`. */
export const DEFAULT_ECDH_CURVE = componentDefaults.ecdhCurve;
/** `tls.DEFAULT_MIN_VERSION`. */
export const DEFAULT_MIN_VERSION = componentDefaults.minVersion;
/** `tls.DEFAULT_MAX_VERSION`. */
export const DEFAULT_MAX_VERSION = componentDefaults.maxVersion;
/** `tls.CLIENT_RENEG_LIMIT`: Node's value; rustls never renegotiates. */
export const CLIENT_RENEG_LIMIT = 3;
/** `tls.CLIENT_RENEG_WINDOW`: Node's value; rustls never renegotiates. */
export const CLIENT_RENEG_WINDOW = 600;

/** `tls.rootCertificates`: the default trusted roots (Mozilla's), PEM, frozen as Node's. */
export const rootCertificates = bundledCertificates();

export { getCACertificates, setDefaultCACertificates };

/** `tls.getCiphers()`: the suites this engine supports, lowercase. */
export function getCiphers() {
  return client.getCiphers();
}

const certificateCompressionAlgorithms = client.getCertificateCompressionAlgorithms();

/** `tls.getCertificateCompressionAlgorithms()` (Node 26): a fresh copy each call, as Node gives. */
export function getCertificateCompressionAlgorithms() {
  return [...certificateCompressionAlgorithms];
}

/** What a SecureContext holds: the context options, normalized, kept out of reach. */
const contexts = new WeakMap();

/** `tls.SecureContext`: the reusable part of the options (trust, identity, suites, versions). */
export class SecureContext {
  constructor() {
    throw unavailable('new tls.SecureContext(); use tls.createSecureContext()');
  }
}

/** `tls.createSecureContext(options)`: validated now, so bad options throw here as in Node. */
export function createSecureContext(options) {
  // As Node: any falsy options mean none.
  const fields = contextFields(options || {}, tls);
  // The component judges keys, certificates, suites and versions, and builds
  // them once: connections made with this context reuse the component's copy.
  let resource;
  let deferred;
  try {
    resource = call(() => client.createSecureContext(witOptions({}, fields)));
  } catch (error) {
    // Node finds these only when a connection starts: connect() reports them.
    if (!HANDSHAKE_TIME_CODES.has(error.code)) throw error;
    deferred = error;
  }
  const context = Object.create(SecureContext.prototype);
  contexts.set(context, { fields, resource, deferred });
  return context;
}

/**
 * Errors of the options that OpenSSL raises only when the handshake starts (a
 * version range with no version left, a group list with no group left): Node's
 * connect() returns a socket that
 * emits them, and createSecureContext() does not throw them.
 */
const HANDSHAKE_TIME_CODES = new Set(['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_NO_SUITABLE_GROUPS']);

/** An engine for a socket that fails before its handshake: every call answers as a destroyed socket's. */
const FAILED_ENGINE = {
  authorized: () => false,
  authorizationError: () => undefined,
  alpnProtocol: () => undefined,
  servername: () => undefined,
  getProtocol: () => undefined,
  getCipher: () => undefined,
  getPeerCertificate: () => undefined,
  getCertificate: () => undefined,
  isSessionReused: () => false,
  getSession: () => undefined,
  getEphemeralKeyInfo: () => undefined,
  setMaxSendFragment: () => false,
  setKeylog() {},
  takeEvents: () => [],
  takeOutgoing: () => new Uint8Array(0),
  wantsWriteEnd: () => false,
  end() {},
  destroy() {},
};

/** Node's socket for options whose error shows when the handshake starts: `'error'`, then `'close'`. */
function failingSocket(error, callback) {
  const transport = new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() });
  const socket = new TLSSocket(transport, { [kEngine]: FAILED_ENGINE, ownsTransport: false });
  queueMicrotask(() => socket.destroy(error));
  if (callback) socket.once('secureConnect', callback);
  return socket;
}

/** `tls.checkServerIdentity(hostname, cert)`: undefined on a match, else the Error (not thrown). */
export function checkServerIdentity(hostname, cert) {
  if (typeof hostname !== 'string') throw invalidArgType('hostname', 'of type string', hostname);
  try {
    client.checkServerIdentity(hostname, identityRecord(cert));
    return undefined;
  } catch (failure) {
    const error = fromComponent(failure);
    if (error.code === 'ERR_TLS_CERT_ALTNAME_FORMAT') throw error;
    error.cert = cert;
    return error;
  }
}

let insecureWarned = false;

/** NODE_TLS_REJECT_UNAUTHORIZED=0 turns verification off by default, with Node's warning. */
function allowUnauthorized() {
  let setting;
  try {
    setting = globalThis.process?.env?.NODE_TLS_REJECT_UNAUTHORIZED;
  } catch {
    return false; // Deno without --allow-env: the variable cannot be read, so it is not set.
  }
  if (setting !== '0') return false;
  if (!insecureWarned) {
    insecureWarned = true;
    globalThis.process?.emitWarning?.(
      "Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' makes TLS " +
        'connections and HTTPS requests insecure by disabling certificate verification.',
    );
  }
  return true;
}

/** True for a stream that can carry TLS: something with Duplex's read and write sides. */
function isDuplex(value) {
  return typeof value?.on === 'function' && typeof value.write === 'function' && typeof value.end === 'function';
}

/** The name Node hands to checkServerIdentity: servername, host, the socket's own host, or 'localhost'. */
function verifiedName(options) {
  return options.servername || options.host || options.socket?._host || 'localhost';
}

/**
 * `tls.connect(options[, callback])`, `tls.connect(path[, options][, callback])`,
 * `tls.connect(port[, host][, options][, callback])`: Node's call forms, defaults,
 * validation and events. `callback` listens once for `'secureConnect'`.
 */
export function connect(...args) {
  const [given, callback] = normalizeConnectArgs(args);
  // Defaults are spread before the options, as Node does: an explicit undefined wins.
  const options = {
    rejectUnauthorized: !allowUnauthorized(),
    ciphers: tls.DEFAULT_CIPHERS,
    // Read from the module object, as Node does, so a reassigned tls.checkServerIdentity is used.
    checkServerIdentity: tls.checkServerIdentity,
    minDHSize: 1024,
    ...given,
  };
  checkConnectDefaults(options);
  let context;
  let resource;
  let deferred;
  if (options.secureContext) {
    const made = contexts.get(options.secureContext);
    if (!made) throw nodeError('ERR_TLS_INVALID_CONTEXT', 'context must be a SecureContext');
    ({ fields: context, resource, deferred } = made);
  } else {
    context = contextFields(options, tls);
  }
  checkConnectionOptions(options);
  const streamsSocket = !isDuplex(options.socket) && isStreamsSocket(options.socket);
  if (options.socket !== undefined && options.socket !== null && !isDuplex(options.socket) && !streamsSocket) {
    // Node reaches for the stream's methods and fails as JavaScript does.
    throw new TypeError('stream.pause is not a function');
  }

  // Only the default function runs inside the component; any other is the caller's to run.
  const identityCheck = options.checkServerIdentity === checkServerIdentity ? 'builtin' : 'caller';
  const start = (changes) =>
    call(() => {
      const record = witOptions({ ...options, ...changes }, context, identityCheck);
      return resource ? client.startWithContext(resource, record) : client.start(record);
    });
  if (deferred) return failingSocket(deferred, callback);
  let engine;
  try {
    engine = start({});
  } catch (error) {
    if (!HANDSHAKE_TIME_CODES.has(error.code)) throw error;
    return failingSocket(error, callback);
  }
  const ownsTransport = !options.socket;
  let transport = options.socket;
  if (streamsSocket) {
    try {
      // A Workers socket (cloudflare:sockets) or any {readable, writable} pair, read and written as a Duplex.
      transport = streamsDuplex(options.socket);
    } catch (error) {
      engine.destroy();
      throw error;
    }
  } else if (ownsTransport) {
    try {
      checkTarget(options);
      // Half-open is decided by the TLSSocket; the transport just carries bytes until told.
      transport = net.connect({ ...options, allowHalfOpen: true });
    } catch (error) {
      engine.destroy();
      throw error;
    }
  }
  // Node honours allowHalfOpen for a generic Duplex, not for a net.Socket the caller passes.
  const callerNetSocket = !ownsTransport && typeof net.Socket === 'function' && transport instanceof net.Socket;
  const socket = new TLSSocket(transport, {
    [kEngine]: engine,
    ownsTransport,
    netSocket: callerNetSocket,
    allowHalfOpen: options.allowHalfOpen && !callerNetSocket,
    highWaterMark: options.highWaterMark,
    readableHighWaterMark: options.readableHighWaterMark,
    writableHighWaterMark: options.writableHighWaterMark,
    target: { host: options.host, port: options.port, path: options.path, localAddress: options.localAddress },
    identity: identityCheck === 'caller' ? { check: options.checkServerIdentity, hostname: verifiedName(options) } : undefined,
    // A fresh engine with changed options, while nothing has been sent yet (setSession, enableTrace).
    restart: start,
  });
  if (callback) socket.once('secureConnect', callback);
  return socket;
}

/** The module as one object, as `require('tls')` gives it: its `DEFAULT_*` can be reassigned. */
const tls = {
  CLIENT_RENEG_LIMIT,
  CLIENT_RENEG_WINDOW,
  DEFAULT_CIPHERS,
  DEFAULT_ECDH_CURVE,
  DEFAULT_MIN_VERSION,
  DEFAULT_MAX_VERSION,
  getCiphers,
  getCertificateCompressionAlgorithms,
  rootCertificates,
  getCACertificates,
  setDefaultCACertificates,
  checkServerIdentity,
  createSecureContext,
  SecureContext,
  TLSSocket,
  connect,
};

export default tls;
