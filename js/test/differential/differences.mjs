// The one list of known differences from Node: what ours answers where rustls
// cannot do what OpenSSL does. Each entry names its scenarios (scenarios.mjs),
// the observed field (a dotted path into the observation), Node's value and
// ours exactly as observed, and the reason. The runner fails a scenario whose
// difference is not listed here, and an entry whose values no longer hold.
// `decidesOutcome`: one side connects and the other fails, so the fields that
// follow (events, server, snapshots) are not compared. The README's table
// "Differences from Node" is generated from this list (scripts/differences-table.mjs).

const HANDSHAKE_FAILURE = {
  class: 'Error',
  code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  message: 'error:0A000410:SSL routines::sslv3 alert handshake failure',
};

/** @type {{scenarios: string[], field: string, node: unknown, ours: unknown, reason: string, decidesOutcome?: boolean}[]} */
export const differences = [
  {
    scenarios: ['cannot.dhe-server'],
    field: 'error',
    node: undefined,
    ours: HANDSHAKE_FAILURE,
    decidesOutcome: true,
    reason: 'rustls has no finite-field DHE: Node connects with DHE-RSA-AES128-GCM-SHA256, ours offers only ECDHE and the server refuses',
  },
  {
    scenarios: ['cannot.min-dh-size'],
    field: 'error',
    node: { class: 'Error', code: 'ERR_TLS_DH_PARAM_SIZE', message: 'DH parameter size 2048 is less than 2048' },
    ours: HANDSHAKE_FAILURE,
    decidesOutcome: true,
    reason: 'rustls has no finite-field DHE, so `minDHSize` is validated and never applies: the DHE-only server refuses the handshake before any DH size is seen',
  },
  {
    scenarios: ['cannot.psk'],
    field: 'thrown',
    node: undefined,
    ours: {
      class: 'TypeError',
      code: 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
      message: 'options.pskCallback (external PSK: rustls has none) is not available in tls-connect',
    },
    decidesOutcome: true,
    reason: 'rustls has no external PSK (rustls issue 174): `pskCallback` is refused when connecting',
  },
  {
    scenarios: ['cannot.renegotiate-tls12'],
    field: 'atSecure',
    node: { returned: true, callback: null },
    ours: {
      returned: false,
      callback: { class: 'Error', code: 'ERR_TLS_RENEGOTIATE', message: 'Attempt to renegotiate TLS session failed' },
    },
    reason: 'rustls never renegotiates: `renegotiate()` answers on TLS 1.2 as Node does on TLS 1.3',
  },
  {
    scenarios: ['cannot.renegotiate-tls12'],
    field: 'events',
    node: ['secureConnect×2', 'data', 'end', 'close'],
    ours: ['secureConnect', 'data', 'end', 'close'],
    reason: "rustls never renegotiates, so no second handshake emits a second 'secureConnect'",
  },
  {
    scenarios: ['cannot.cbc-suite'],
    field: 'thrown',
    node: undefined,
    ours: { class: 'Error', code: 'ERR_SSL_NO_CIPHER_MATCH', message: 'error:0A0000B9:SSL routines::no cipher match' },
    decidesOutcome: true,
    reason: 'rustls implements only AEAD suites (AES-GCM, ChaCha20-Poly1305): a list naming only CBC suites matches nothing, as OpenSSL answers a list it cannot use',
  },
  {
    scenarios: ['cannot.x448'],
    field: 'thrown',
    node: undefined,
    ours: { class: 'Error', code: 'ERR_CRYPTO_OPERATION_FAILED', message: 'Failed to set ECDH curve' },
    decidesOutcome: true,
    reason: "rustls's ring provider has X25519, P-256 and P-384 only: X448 is refused as OpenSSL refuses a curve it does not know",
  },
  {
    scenarios: ['socket.finished'],
    field: 'atSecure',
    node: { own: { type: 'Buffer', empty: false, length: 48 }, peer: { type: 'Buffer', empty: false, length: 48 } },
    ours: { own: { type: 'undefined' }, peer: { type: 'undefined' } },
    reason: '`getFinished()`/`getPeerFinished()`: rustls does not expose the Finished messages, so both stay undefined as before the handshake',
  },
  {
    scenarios: ['verification.rsa-1024'],
    field: 'error',
    node: undefined,
    ours: { class: 'Error', code: 'UNSPECIFIED', message: 'EE certificate key too weak' },
    decidesOutcome: true,
    reason: "ring verifies no RSA signature from a key under 2048 bits, so the server's handshake signature cannot be checked; Node 20 accepts 1024 bits at OpenSSL's default security level and gives this answer at level 2",
  },
  {
    scenarios: ['cannot.tls1-server'],
    field: 'error',
    node: undefined,
    ours: {
      class: 'Error',
      code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
      message: 'error:0A00042E:SSL routines::tlsv1 alert protocol version',
    },
    decidesOutcome: true,
    reason: 'rustls has no TLS 1.0 or 1.1: `minVersion: \'TLSv1\'` still offers TLS 1.2 and 1.3, and a server that speaks only TLS 1.0 refuses them',
  },
  {
    scenarios: ['cannot.max-version-tls11', 'cannot.secure-protocol-tls1'],
    field: 'error',
    node: undefined,
    ours: { class: 'Error', code: 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', message: 'error:0A0000BF:SSL routines::no protocols available' },
    decidesOutcome: true,
    reason: "rustls has no TLS 1.0 or 1.1: a range holding only them leaves no version, and the socket fails as Node's does when no version is left ('error', then 'close')",
  },
  {
    scenarios: ['connect.default-suite-client-order'],
    field: 'secure.cipher',
    node: { name: 'TLS_AES_256_GCM_SHA384', standardName: 'TLS_AES_256_GCM_SHA384', version: 'TLSv1.3' },
    ours: { name: 'TLS_CHACHA20_POLY1305_SHA256', standardName: 'TLS_CHACHA20_POLY1305_SHA256', version: 'TLSv1.3' },
    reason: "a choice, not a limit: ChaCha20-Poly1305 leads `DEFAULT_CIPHERS` because in wasm it runs about four times faster than AES-GCM (ARCHITECTURE.md), so a server that follows the client's order picks it",
  },
  {
    scenarios: ['connect.default-suite-client-order'],
    field: 'server.0.cipher',
    node: 'TLS_AES_256_GCM_SHA384',
    ours: 'TLS_CHACHA20_POLY1305_SHA256',
    reason: 'the same choice, as the server saw it',
  },
  {
    scenarios: ['options.servername-ip'],
    field: 'server.0.servername',
    node: '127.0.0.1',
    ours: false,
    reason: 'rustls never sends an IP address as SNI (RFC 6066 forbids it); Node 20 sends it with a deprecation warning',
  },
];

/** A value for a table cell: an error as its code and message, anything else as JSON; `|` escaped. */
function cell(value) {
  let text;
  if (value === undefined) text = '—';
  else if (value && typeof value === 'object' && 'code' in value && 'message' in value) {
    text = `\`${value.code ?? value.class}\` "${value.message}"`;
  } else text = `\`${JSON.stringify(value)}\``;
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The markdown table of `entries`: scenarios, field, Node, ours, why. */
export function markdownTable(entries = differences) {
  const rows = entries.map((entry) =>
    `| ${entry.scenarios.map((id) => `\`${id}\``).join(', ')} | \`${entry.field}\` | ${cell(entry.node)} | ${cell(entry.ours)} | ${entry.reason} |`,
  );
  return ['| scenarios | field | Node | ours | why |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
