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
  code: 'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE',
  message: 'error:0A000410:SSL routines::ssl/tls alert handshake failure',
};

/** @type {{scenarios: string[], field: string, node: unknown, ours: unknown, reason: string, decidesOutcome?: boolean}[]} */
export const differences = [
  {
    scenarios: ['cannot.dhe-own-parameters'],
    field: 'error',
    node: undefined,
    ours: { class: 'Error', code: 'ERR_SSL_PROTOCOL_ERROR', message: 'TLS failure: peer misbehaved: SelectedUnofferedKxGroup' },
    decidesOutcome: true,
    reason: "rustls takes a TLS 1.2 server's DHE parameters only when they are a group its provider holds (RFC 7919's, and RFC 3526's primes, which `dhparam: 'auto'` sends): parameters of the server's own are refused with illegal_parameter",
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
    scenarios: ['socket.finished'],
    field: 'atSecure',
    node: { own: { type: 'Buffer', empty: false, length: 48 }, peer: { type: 'Buffer', empty: false, length: 48 } },
    ours: { own: { type: 'undefined' }, peer: { type: 'undefined' } },
    reason: '`getFinished()`/`getPeerFinished()`: rustls does not expose the Finished messages, so both stay undefined as before the handshake',
  },
  {
    scenarios: ['verification.rsa-1024'],
    field: 'final.authorizationError',
    node: 'UNSPECIFIED',
    ours: null,
    reason: "Node 26 refuses an RSA key under 2048 bits while judging the chain (`EE certificate key too weak`, OpenSSL's security level 2) and sets `authorizationError`; ours gives the same error from the handshake, where ring verifies no RSA signature from such a key, so `authorizationError` stays unset",
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
    scenarios: ['verification.pss-leaf-tls12', 'verification.pss-chain-tls12'],
    field: 'error',
    node: undefined,
    ours: { class: 'Error', code: 'ERR_SSL_WRONG_SIGNATURE_TYPE', message: 'error:0A000172:SSL routines::wrong signature type' },
    decidesOutcome: true,
    reason: "rustls refuses a TLS 1.2 ServerKeyExchange signed with rsa_pss_pss_* (the only schemes of an RSA-PSS key) before any verifier sees it, as a scheme it does not name; TLS 1.3 servers with RSA-PSS keys connect",
  },
  {
    scenarios: ['verification.pss-chain-longest-salt'],
    field: 'error',
    node: undefined,
    ours: { class: 'Error', code: 'CERT_SIGNATURE_FAILURE', message: 'certificate signature failure' },
    decidesOutcome: true,
    reason: "ring verifies RSASSA-PSS only with a salt as long as the hash; an RSA-PSS CA key without parameters signs with openssl's default, the longest salt (222 bytes for 2048 bits and SHA-256), so the chain's signature is not verified",
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
