// tls-connect: the client side of Node's `tls` module, running rustls inside a
// WebAssembly component. `connect` is a drop-in for `require('tls').connect`.
// In Node and Deno, host/port and path open a net.Socket; anywhere, `socket`
// takes any Duplex (a WebSocket bridge in browsers: see websocket.js).

import net from 'node:net';
import { client } from './component.js';
import { identityRecord } from './certificate.js';
import { call, fromComponent, invalidArgType, nodeError, unavailable } from './errors.js';
import { checkSession, checkTarget, contextFields, normalizeConnectArgs, witOptions } from './options.js';
import { TLSSocket, kEngine } from './socket.js';

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
export const rootCertificates = Object.freeze(client.rootCertificates());

/** `tls.getCiphers()`: the suites this engine supports, lowercase. */
export function getCiphers() {
  return client.getCiphers();
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
export function createSecureContext(options = {}) {
  const fields = contextFields(options, tls);
  // The component is the judge of keys, certificates, suites and versions.
  call(() => client.start({ ...witOptions({}, fields) }).destroy());
  const context = Object.create(SecureContext.prototype);
  contexts.set(context, fields);
  return context;
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
    checkServerIdentity,
    minDHSize: 1024,
    ...given,
  };
  if (options.checkServerIdentity !== undefined && options.checkServerIdentity !== checkServerIdentity) {
    throw unavailable('a custom options.checkServerIdentity');
  }
  checkSession(options.session);
  let context;
  if (options.secureContext) {
    context = contexts.get(options.secureContext);
    if (!context) throw nodeError('ERR_TLS_INVALID_CONTEXT', 'context must be a SecureContext');
  } else {
    context = contextFields(options, tls);
  }
  if (options.socket !== undefined && options.socket !== null && !isDuplex(options.socket)) {
    throw new TypeError('The "socket" option must be a Duplex stream');
  }

  const engine = call(() => client.start(witOptions(options, context)));
  const ownsTransport = !options.socket;
  let transport = options.socket;
  if (ownsTransport) {
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
    allowHalfOpen: options.allowHalfOpen && !callerNetSocket,
    highWaterMark: options.highWaterMark,
    readableHighWaterMark: options.readableHighWaterMark,
    writableHighWaterMark: options.writableHighWaterMark,
    target: { host: options.host, port: options.port, path: options.path, localAddress: options.localAddress },
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
  rootCertificates,
  checkServerIdentity,
  createSecureContext,
  SecureContext,
  TLSSocket,
  connect,
};

export default tls;
