// Node's connect arguments and options, turned into the component's
// `connect-options` record. Only what the component cannot see is checked here
// (JavaScript types, functions, Buffers); every TLS rule (versions, ciphers,
// keys, defaults) is the component's, so all hosts answer alike.

import { Buffer } from 'node:buffer';
import { describeReceived, invalidArgType, nodeError, unavailable } from './errors.js';

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
  if (value.every((item) => typeof item === 'string')) return { tag: 'names', val: [...value] };
  return {
    tag: 'buffers',
    val: value.map((item) => {
      if (typeof item === 'string') return bytesOf(Buffer.from(item));
      if (ArrayBuffer.isView(item)) return bytesOf(item);
      throw invalidArgType('string', 'of type string or an instance of Buffer or ArrayBuffer', item);
    }),
  };
}

function bytesOf(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Options Node has and this engine lacks: refused loudly rather than ignored (issue 4 adds them). */
const UNAVAILABLE = [
  ['pfx', (v) => Boolean(v), 'options.pfx (PKCS#12)'],
  ['pskCallback', (v) => v !== undefined, 'options.pskCallback (external PSK)'],
  ['secureProtocol', (v) => v !== undefined, 'options.secureProtocol'],
  ['sigalgs', (v) => v !== undefined, 'options.sigalgs'],
  ['ecdhCurve', (v) => v !== undefined && v !== 'auto', 'options.ecdhCurve other than "auto"'],
  ['secureOptions', (v) => Boolean(v), 'options.secureOptions'],
  ['allowPartialTrustChain', (v) => Boolean(v), 'options.allowPartialTrustChain'],
  ['requestOCSP', (v) => Boolean(v), 'options.requestOCSP'],
  ['enableTrace', (v) => Boolean(v), 'options.enableTrace'],
];

function refuseUnavailable(options) {
  for (const [key, used, what] of UNAVAILABLE) {
    if (used(options[key])) throw unavailable(what);
  }
}

/** The secure-context part of the options, as `createSecureContext` keeps it. */
export function contextFields(options, defaults) {
  refuseUnavailable(options);
  if (options.ciphers !== undefined && typeof options.ciphers !== 'string') {
    throw invalidArgType('options.ciphers', 'of type string', options.ciphers);
  }
  return {
    ca: pemList('ca', options.ca),
    crl: crlList(options.crl),
    cert: pemList('cert', options.cert),
    key: keyList(options.key),
    passphrase: typeof options.passphrase === 'string' ? options.passphrase : undefined,
    ciphers: options.ciphers ?? defaults.DEFAULT_CIPHERS,
    minVersion: versionName(options.minVersion ?? defaults.DEFAULT_MIN_VERSION, 'minimum'),
    maxVersion: versionName(options.maxVersion ?? defaults.DEFAULT_MAX_VERSION, 'maximum'),
  };
}

/** The component's `connect-options` for a sans-IO start: the context plus the connection's own fields. */
export function witOptions(options, context) {
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
  };
}

/** `session` is accepted as Node accepts it; bytes this engine never made are ignored, as Node ignores junk. */
export function checkSession(session) {
  if (session !== undefined && !ArrayBuffer.isView(session)) {
    throw nodeError('ERR_INVALID_ARG_TYPE', 'Session must be a buffer');
  }
}
