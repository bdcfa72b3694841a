// x509-limbo cases where ours answers otherwise than Node 26, each with why.
// limbo.test.mjs fails on a difference not listed here, and on a listed one
// that no longer holds. None may be a chain ours authorizes and Node refuses:
// every one below is ours refusing, or refusing under another name.

const webpkiNameConstraints =
  'name constraints are applied by webpki, which is stricter than OpenSSL here; ours refuses a chain Node accepts';

/** Case id → { node: Node 26's outcome, ours: our outcome, reason }. */
export const differences = {
  'cve::cve-2025-61727': {
    node: 'authorized',
    ours: 'UNSPECIFIED',
    reason: `a wildcard SAN under a permitted subtree: ${webpkiNameConstraints}`,
  },
  'rfc5280::nc::permitted-dn-match': {
    node: 'authorized',
    ours: 'UNSPECIFIED',
    reason: `a directoryName constraint the subject matches: ${webpkiNameConstraints}`,
  },
  'rfc5280::nc::nc-forbids-dnsname-wildcard-san': {
    node: 'authorized',
    ours: 'UNSPECIFIED',
    reason: `a wildcard SAN against an excluded subtree: ${webpkiNameConstraints}`,
  },
  'rfc5280::nc::nc-permits-invalid-dns-san': {
    node: 'authorized',
    ours: 'UNSPECIFIED',
    reason: `a malformed DNS SAN under a permitted subtree, which OpenSSL lets pass: ${webpkiNameConstraints}`,
  },
  'rfc5280::nc::permitted-self-issued': {
    node: 'authorized',
    ours: 'CERT_UNTRUSTED',
    reason: `a self-issued intermediate under name constraints: ${webpkiNameConstraints}`,
  },
  'pathological::nc-dos-1': {
    node: 'UNSPECIFIED',
    ours: 'ERR_SSL_EXCESSIVE_MESSAGE_SIZE',
    reason:
      'the Certificate message is over 64 KiB: rustls caps every handshake message at 65,535 bytes where OpenSSL allows 102,400 (both refuse the chain)',
  },
  'invalid::invalid-issuer-key': {
    node: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ours: 'CERT_SIGNATURE_FAILURE',
    reason:
      'the issuer\'s key does not decode: OpenSSL then does not take it as the issuer, the model takes it and its signature fails (both refuse)',
  },
  'webpki::forbidden-dsa-root': {
    node: 'authorized',
    ours: 'CERT_SIGNATURE_FAILURE',
    reason: 'ring verifies no DSA signature, which OpenSSL does: ours refuses a DSA root Node accepts',
  },
};
