// Node's connect arguments and options, turned into the component's
// `connect-options` record. Only what the component cannot see is checked here
// (JavaScript types, functions, Buffers, and the few checks Node itself makes in
// JavaScript before its checks reach OpenSSL); every TLS rule (versions,
// ciphers, keys, groups, defaults) is the component's, so all hosts answer alike.

import { Buffer } from 'node:buffer';
import { defaultCA } from './ca-store.js';
import { describeReceived, invalidArgType, nodeError, unavailable } from './errors.js';
import { inspectReceived } from './inspect.js';

const PEM_TYPES = 'of type string or an instance of Buffer, TypedArray, or DataView';

/** net's rule: a string that is not a non-negative number is a pipe path. */
function isPipeName(value) {
  return typeof value === 'string' && !(Number(value) >= 0);
}

/**
 * The three call forms of `tls.connect`, as Node's `normalizeConnectArgs`:
 * `(options[, cb])`, `(path[, options][, cb])`, `(port[, host][, options][, cb])`.
 * Options given as an object win over positional host, port and path.
 */
export function normalizeConnectArgs(args) {
  let options = {};
  const first = args[0];
  if (typeof first === 'object' && first !== null) {
    options = first;
  } else if (isPipeName(first)) {
    options.path = first;
  } else if (args.length > 0) {
    options.port = first;
    if (args.length > 1 && typeof args[1] === 'string') options.host = args[1];
  }
  if (args[1] !== null && typeof args[1] === 'object') Object.assign(options, args[1]);
  else if (args[2] !== null && typeof args[2] === 'object') Object.assign(options, args[2]);
  const last = args[args.length - 1];
  return [options, typeof last === 'function' ? last : undefined];
}

/**
 * Where net would connect, checked as net checks it before opening anything,
 * so every runtime (Deno's net words these differently) throws Node's errors.
 */
export function checkTarget(options) {
  if (options.path !== undefined && options.path !== null) return;
  const { port } = options;
  if (port === undefined) {
    throw nodeError('ERR_MISSING_ARGS', 'The "options" or "port" or "path" argument must be specified');
  }
  if (typeof port !== 'number' && typeof port !== 'string') {
    throw invalidArgType('options.port', 'one of type number or string', port);
  }
  if ((typeof port === 'string' && port.trim() === '') || +port !== +port >>> 0 || port > 0xffff) {
    throw nodeError('ERR_SOCKET_BAD_PORT', `Port should be >= 0 and < 65536.${describeReceived(port)}.`);
  }
}

/** One PEM item for the component: text stays text, any binary view becomes bytes. */
function pemItem(name, value) {
  if (typeof value === 'string') return { tag: 'text', val: value };
  if (ArrayBuffer.isView(value)) {
    return { tag: 'bytes', val: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  }
  throw invalidArgType(`options.${name}`, PEM_TYPES, value);
}

/** `ca` or `cert`: one item or an array of them; a falsy value means "not given", as in Node. */
function pemList(name, value) {
  if (!value) return undefined;
  return (Array.isArray(value) ? value : [value]).map((item) => pemItem(name, item));
}

/** `crl`: like `ca`, but only null and undefined mean "not given"; Node parses even ''. */
function crlList(value) {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map((item) => pemItem('crl', item));
}

/** `key`: items may be `{pem, passphrase}` objects, each with its own passphrase. */
function keyList(value) {
  if (!value) return undefined;
  return (Array.isArray(value) ? value : [value]).map((item) => {
    if (item !== null && typeof item === 'object' && !ArrayBuffer.isView(item)) {
      const passphrase = typeof item.passphrase === 'string' ? item.passphrase : undefined;
      return { pem: pemItem('key', item.pem), passphrase };
    }
    return { pem: pemItem('key', item), passphrase: undefined };
  });
}

/** `minVersion`/`maxVersion`: strings are the component's to judge; anything else Node refuses here. */
function versionName(value, which) {
  if (value === undefined || typeof value === 'string') return value;
  throw nodeError(
    'ERR_TLS_INVALID_PROTOCOL_VERSION',
    `${String(value)} is not a valid ${which} TLS protocol version`,
  );
}

/** `ALPNProtocols` in Node's three forms: names, Buffers, or one wire-format Buffer. */
function alpnProtocols(value) {
  if (value === undefined || value === null) return undefined;
  if (ArrayBuffer.isView(value)) return { tag: 'wire', val: bytesOf(value) };
  if (!Array.isArray(value)) throw new TypeError('Must give a Buffer as first argument');
  // Node 20 and 26 document Buffer items but write every item as a string,
  // so anything else in the array fails there with this error: we match it.
  if (!value.every((item) => typeof item === 'string')) {
    throw nodeError('ERR_INVALID_ARG_TYPE', 'argument must be a string');
  }
  return { tag: 'names', val: [...value] };
}

/** The bytes of any ArrayBuffer view (Buffer, TypedArray, DataView), shared, not copied. */
export function bytesOf(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Node's `%j`: how its messages quote a value (ERR_TLS_PROTOCOL_VERSION_CONFLICT). */
function quoted(value) {
  return JSON.stringify(value) ?? String(value);
}

/** A number as Node's range errors print it: integers past 2^32 grouped by `_`. */
function printedNumber(value) {
  if (!Number.isInteger(value) || Math.abs(value) <= 2 ** 32) return String(value);
  const digits = String(Math.abs(value));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, '_');
  return value < 0 ? `-${grouped}` : grouped;
}

/** Node's ERR_OUT_OF_RANGE for `name`. */
function outOfRange(name, range, value) {
  return nodeError('ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${printedNumber(value)}`);
}

/** Node's `validateInteger(value, name)` within the safe integers; returns the number. */
export function checkInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
  return value;
}

/** `secureOptions`: Node checks it only when truthy, as a safe integer. */
function secureOptionsBits(value) {
  if (!value) return undefined;
  return checkInteger(value, 'secureOptions');
}

/** `sigalgs`: a non-empty string when given (Node's own JavaScript checks). */
function sigalgsList(value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidArgType('options.sigalgs', 'of type string', value);
  if (value === '') throw nodeError('ERR_INVALID_ARG_VALUE', "The property 'options.sigalgs' is invalid. Received ''");
  return value;
}

/** The algorithms `certificateCompression` may name, in Node 26's order. */
const CERTIFICATE_COMPRESSION = ['zlib', 'brotli', 'zstd'];

/**
 * `certificateCompression` as Node 26's JavaScript checks it: an array of at
 * most three known names when given (null or undefined: none). The component
 * then checks what OpenSSL would: a range reaching TLS 1.3, no name twice.
 */
function certificateCompressionList(value) {
  if (value === undefined || value === null) return undefined;
  const name = 'options.certificateCompression';
  if (!Array.isArray(value)) throw invalidArgType(name, 'an instance of Array', value);
  if (value.length === 0) return undefined;
  if (value.length > CERTIFICATE_COMPRESSION.length) {
    throw nodeError('ERR_INVALID_ARG_VALUE', `The property '${name}' can specify at most 3 algorithms. Received ${inspectReceived(value)}`);
  }
  for (let i = 0; i < value.length; i++) {
    if (!CERTIFICATE_COMPRESSION.includes(value[i])) {
      throw nodeError(
        'ERR_INVALID_ARG_VALUE',
        `The property '${name}[${i}]' must be 'zlib', 'brotli', or 'zstd'. Received ${inspectReceived(value[i])}`,
      );
    }
  }
  return [...value];
}

/** `ecdhCurve`: Node's default when undefined; anything but a string is refused, null included. */
function ecdhCurveName(value, defaults) {
  const curve = value === undefined ? defaults.DEFAULT_ECDH_CURVE : value;
  if (typeof curve !== 'string') throw invalidArgType('options.ecdhCurve', 'of type string', curve);
  return curve;
}

/** A PKCS#12 passphrase as Node's `toBuf` takes it: a string, or bytes read as UTF-8. */
function pfxPassphrase(value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (ArrayBuffer.isView(value)) return Buffer.from(bytesOf(value)).toString('utf8');
  throw nodeError('ERR_INVALID_ARG_TYPE', 'Pass phrase must be a buffer');
}

/** One PKCS#12 bundle's bytes: strings are UTF-8 (Node's `toBuf`); other non-views cannot be loaded. */
function pfxBytes(value) {
  if (typeof value === 'string') return bytesOf(Buffer.from(value, 'utf8'));
  if (ArrayBuffer.isView(value)) return bytesOf(value);
  throw nodeError('ERR_CRYPTO_OPERATION_FAILED', 'Unable to load PFX certificate');
}

/**
 * `pfx` as Node reads it: one bundle (with `passphrase` only when truthy) or
 * an array of bundles or `{buf, passphrase}` objects (falling back to `passphrase`).
 * Each entry carries its own effective passphrase, so no other fallback applies.
 */
function pfxList(value, passphrase) {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    return [{ buf: pfxBytes(value), passphrase: passphrase ? pfxPassphrase(passphrase) : undefined }];
  }
  // `val.buf` on a null item throws V8's own TypeError, as Node's loop does.
  return value.map((val) => ({ buf: pfxBytes(val.buf || val), passphrase: pfxPassphrase(val.passphrase || passphrase) }));
}

/**
 * `secureProtocol` with `minVersion`/`maxVersion`, as Node's SecureContext
 * takes them: a method name excludes explicit versions, and the versions are
 * then left to the method (the component's defaults would conflict with it).
 */
function protocolFields(options, defaults) {
  const method = options.secureProtocol;
  if (method) {
    for (const version of [options.minVersion, options.maxVersion]) {
      if (version !== undefined && version !== null) {
        throw nodeError(
          'ERR_TLS_PROTOCOL_VERSION_CONFLICT',
          `TLS protocol version ${quoted(version)} conflicts with secureProtocol ${quoted(method)}`,
        );
      }
    }
  }
  // A non-string method means nothing to OpenSSL's lookup, and Node lets it pass.
  const secureProtocol = typeof method === 'string' ? method : undefined;
  if (secureProtocol) return { secureProtocol, minVersion: undefined, maxVersion: undefined };
  return {
    secureProtocol,
    minVersion: versionName(options.minVersion ?? defaults.DEFAULT_MIN_VERSION, 'minimum'),
    maxVersion: versionName(options.maxVersion ?? defaults.DEFAULT_MAX_VERSION, 'maximum'),
  };
}

/** The secure-context part of the options, as `createSecureContext` keeps it. */
export function contextFields(options, defaults) {
  if (options.ciphers !== undefined && options.ciphers !== null && typeof options.ciphers !== 'string') {
    throw invalidArgType('options.ciphers', 'of type string', options.ciphers);
  }
  return {
    // Without `ca`, the default store (ca-store.js): the component's roots, or as changed.
    ca: pemList('ca', options.ca ?? defaultCA()),
    crl: crlList(options.crl),
    cert: pemList('cert', options.cert),
    key: keyList(options.key),
    passphrase: typeof options.passphrase === 'string' ? options.passphrase : undefined,
    pfx: pfxList(options.pfx, options.passphrase),
    ciphers: options.ciphers ?? defaults.DEFAULT_CIPHERS,
    ...protocolFields(options, defaults),
    // Node checks it after the credentials and before sigalgs and ecdhCurve.
    certificateCompression: certificateCompressionList(options.certificateCompression),
    ecdhCurve: ecdhCurveName(options.ecdhCurve, defaults),
    sigalgs: sigalgsList(options.sigalgs),
    secureOptions: secureOptionsBits(options.secureOptions),
    allowPartialTrustChain: Boolean(options.allowPartialTrustChain),
  };
}

/**
 * The checks Node's TLSSocket makes of the connection's own options, in its
 * order: `enableTrace`, `session`, `pskCallback`. External PSK has no
 * counterpart in rustls (its issue 174), so a callback is refused, not ignored.
 */
export function checkConnectionOptions(options) {
  const { enableTrace, pskCallback } = options;
  if (enableTrace !== undefined && enableTrace !== null && typeof enableTrace !== 'boolean') {
    throw invalidArgType('options.enableTrace', 'of type boolean', enableTrace);
  }
  checkSession(options.session);
  if (pskCallback) {
    if (typeof pskCallback !== 'function') throw invalidArgType('pskCallback', 'of type function', pskCallback);
    throw unavailable('options.pskCallback (external PSK: rustls has none)');
  }
}

/**
 * Node 20 asserts (ERR_INTERNAL_ASSERTION) where current Node validates these
 * two; current Node's errors are the ones given here.
 */
export function checkConnectDefaults(options) {
  if (typeof options.checkServerIdentity !== 'function') {
    throw invalidArgType('options.checkServerIdentity', 'of type function', options.checkServerIdentity);
  }
  if (typeof options.minDHSize !== 'number') {
    throw invalidArgType('options.minDHSize', 'of type number', options.minDHSize);
  }
}

/** `family` as net reads it (`'IPv4'` is 4); other non-numbers are left to net's own check. */
function netFamily(family) {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return typeof family === 'number' ? family : undefined;
}

/**
 * net's options for the component to check as Node checks them, before
 * net.connect runs: only for a connection `connect()` opens itself. `timeout`
 * counts only when truthy (Node's `if (options.timeout)`); address options
 * only for TCP with Node's own lookup. Values the record cannot carry are left
 * to net.connect, which words those errors itself.
 */
export function netOptions(options) {
  if (options.socket) return undefined;
  const { timeout } = options;
  if (timeout && typeof timeout !== 'number') throw invalidArgType('msecs', 'of type number', timeout);
  const net = {
    timeout: timeout || undefined,
    noDelay: options.noDelay === undefined ? undefined : Boolean(options.noDelay),
    keepAlive: options.keepAlive === undefined ? undefined : Boolean(options.keepAlive),
    keepAliveInitialDelay: typeof options.keepAliveInitialDelay === 'number' ? options.keepAliveInitialDelay : undefined,
  };
  const tcp = options.path === undefined || options.path === null;
  if (tcp) {
    const { localAddress, localPort } = options;
    if (typeof options.lookup !== 'function') net.family = netFamily(options.family);
    if (typeof localAddress === 'string' && localAddress !== '') net.localAddress = localAddress;
    if (Number.isInteger(localPort) && localPort >= 0 && localPort <= 0xffffffff) net.localPort = localPort;
  }
  return net;
}

/**
 * The component's `connect-options` for a sans-IO start: the context plus the
 * connection's own fields. `identityCheck` is 'caller' when the caller's own
 * checkServerIdentity runs (the socket asks for it and settles the verdict).
 */
export function witOptions(options, context, identityCheck = 'builtin') {
  for (const key of ['host', 'servername']) {
    const value = options[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw invalidArgType(key === 'host' ? 'hostname' : 'name', 'of type string', value);
    }
  }
  return {
    ...context,
    host: options.host ?? undefined,
    port: undefined,
    path: undefined,
    socket: undefined,
    servername: options.servername ?? undefined,
    rejectUnauthorized: options.rejectUnauthorized !== false,
    alpnProtocols: alpnProtocols(options.ALPNProtocols),
    // Half-open is the JavaScript stream's own rule (Duplex allowHalfOpen), so
    // the guest never ends the transport by itself.
    allowHalfOpen: true,
    requestOcsp: Boolean(options.requestOCSP),
    enableTrace: options.enableTrace ?? undefined,
    minDhSize: options.minDHSize,
    session: options.session ? sessionBytes(options.session) : undefined,
    identityCheck,
    net: netOptions(options),
  };
}

/**
 * `session` is accepted as Node 26 accepts it: bytes, or a string read as
 * latin1 (as setSession reads one); Node 20 threw for a string. Bytes this
 * engine never made are ignored, as Node ignores junk.
 */
export function checkSession(session) {
  // Node sets a session only when the option is truthy.
  if (session && typeof session !== 'string' && !ArrayBuffer.isView(session)) {
    throw nodeError('ERR_INVALID_ARG_TYPE', 'Session must be a buffer');
  }
}

/** A session's bytes: a string is read as latin1, as Node reads one. */
export function sessionBytes(session) {
  return typeof session === 'string' ? bytesOf(Buffer.from(session, 'latin1')) : bytesOf(session);
}
