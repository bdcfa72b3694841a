// Errors shaped as Node's: the class Node uses for each code, `err.code` as an
// own property, and Node's "Name [CODE]: message" first stack line.

/** The class Node gives its internal `ERR_*` errors; every other code is a plain Error. */
const ERROR_CLASS = {
  ERR_INVALID_ARG_TYPE: TypeError,
  ERR_INVALID_ARG_VALUE: TypeError,
  ERR_MISSING_ARGS: TypeError,
  ERR_TLS_INVALID_PROTOCOL_VERSION: TypeError,
  ERR_TLS_PROTOCOL_VERSION_CONFLICT: TypeError,
  ERR_TLS_INVALID_CONTEXT: TypeError,
  ERR_TLS_INVALID_PROTOCOL_METHOD: TypeError,
  ERR_INVALID_IP_ADDRESS: TypeError,
  ERR_INVALID_HANDLE_TYPE: TypeError,
  ERR_FEATURE_UNAVAILABLE_ON_PLATFORM: TypeError,
  ERR_OUT_OF_RANGE: RangeError,
  ERR_SOCKET_BAD_PORT: RangeError,
  ERR_TLS_CERT_ALTNAME_FORMAT: SyntaxError,
};

/** OpenSSL's "error:0A0000B9:SSL routines::no cipher match" carries a library and a reason. */
const OPENSSL_MESSAGE = /^error:[0-9A-F]{8}:([^:]*):[^:]*:(.*)$/;

/** An error with Node's class, `code` and stack header for `code`. */
export function nodeError(code, message) {
  const Class = ERROR_CLASS[code] ?? Error;
  const error = new Class(message);
  if (Class !== Error) {
    // V8 formats the stack's first line when it is first read: Node reads it
    // with the code in the name, then restores the plain name.
    error.name = `${Class.name} [${code}]`;
    void error.stack;
    delete error.name;
  }
  error.code = code;
  return error;
}

/**
 * The Error for a component `tls-error` record (or a jco ComponentError carrying
 * one): Node's class and code, plus `library`/`reason` for OpenSSL-style codes and
 * `reason`/`host` for a host name mismatch.
 */
export function fromComponent(failure) {
  const payload = failure && typeof failure === 'object' && 'payload' in failure ? failure.payload : failure;
  if (!payload || typeof payload.code !== 'string') return failure;
  // An empty code stands for OpenSSL errors Node throws bare: no code, no library, no reason.
  if (payload.code === '') return new Error(payload.message);
  const error = nodeError(payload.code, payload.message);
  const openssl = OPENSSL_MESSAGE.exec(payload.message);
  if (openssl) {
    // Node's own key order for these: library, reason, code.
    delete error.code;
    error.library = openssl[1];
    error.reason = openssl[2];
    error.code = payload.code;
  }
  if (payload.reason !== undefined) error.reason = payload.reason;
  if (payload.host !== undefined) error.host = payload.host;
  return error;
}

/** Runs a component call, turning a failure it reports into Node's Error. */
export function call(operation) {
  try {
    return operation();
  } catch (failure) {
    throw fromComponent(failure);
  }
}

/** How Node's messages describe a received value: "Received type number (5)". */
export function describeReceived(value) {
  if (value === null || value === undefined) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name}`;
  if (typeof value === 'object') {
    const name = value.constructor?.name;
    return name ? ` Received an instance of ${name}` : ' Received [Object: null prototype] {}';
  }
  let shown = typeof value === 'string' ? `'${value}'` : String(value);
  if (typeof value === 'bigint') shown += 'n';
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

/** Node's ERR_INVALID_ARG_TYPE for a property or argument: `name` as Node quotes it. */
export function invalidArgType(name, expected, value) {
  const kind = name.includes('.') ? 'property' : 'argument';
  return nodeError(
    'ERR_INVALID_ARG_TYPE',
    `The "${name}" ${kind} must be ${expected}.${describeReceived(value)}`,
  );
}

/** A Node feature this engine does not offer (yet): always said, never silently ignored. */
export function unavailable(what) {
  return nodeError('ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', `${what} is not available in tls-connect`);
}
