// The differential scenarios: each runs once with Node's `tls.connect` and once
// with ours, against a fresh Node server of the same config (servers.mjs), and
// what the caller observes is compared (observe.mjs). A scenario is data:
//
//   id, bullet (the list it serves), title
//   kind        'connect' (default), 'throws' (only what connect throws),
//               'context' (what createSecureContext throws)
//   server      startServer's config (default: the root's localhost leaf)
//   client      (ctx) => connect options, or an argument list; ctx.base is
//               {host: 'localhost', port, ca: the root}; `connections` lists
//               several, each later one seeing ctx.prev (earlier sessions)
//   listen      extra events to record ('session', 'keylog'): Node turns
//               these on by listening, so only their own scenarios listen
//   action      after 'secureConnect': 'echo' (default: end with 'hello'),
//               'destroy', 'wait', or a function
//   probe       {created, secure, closed}: (socket, ctx) => values to compare
//   oracle      'current': Node 26 is the oracle (where Node 20 asserts)
//   isolate     run each side in its own process (stderr, process warnings)
//   note        why a field is compared by shape rather than by value
//
// Values that differ per run by nature (session bytes, exported keys,
// key-log secrets, local ports) are compared by shape, or against what the
// server saw of the same connection, and the scenario says so.

import { Buffer } from 'node:buffer';
import { constants, createDiffieHellmanGroup } from 'node:crypto';
import net from 'node:net';
import { attempt, certificate, certificateSummary, shapeOf, sizedShape } from './observe.mjs';
import { pki } from './pki.mjs';
import { EKM } from './servers.mjs';

// --- building blocks -----------------------------------------------------------

/**
 * A server config presenting `identity`: `send` is 'issuers' (the leaf and its
 * intermediates, the default), 'leaf' (the leaf alone) or 'full' (with the root).
 */
function serve(identity, extra = {}, send = 'issuers') {
  const { chain } = identity;
  let certs = chain;
  if (send === 'leaf') certs = chain.slice(0, 1);
  else if (send === 'issuers' && chain.length > 1) certs = chain.slice(0, -1);
  return { key: identity.key, cert: certs.join(''), ...extra };
}

/** Connect options: the base (localhost, the server's port, the root trusted) plus `extra`. */
const withBase = (extra = {}) => (ctx) => ({ ...ctx.base, ...extra });
/** Connect options trusting the default (Mozilla) roots only. */
const defaultRoots = (extra = {}) => (ctx) => ({ host: 'localhost', port: ctx.port, ...extra });

const LEAF = serve(pki.leaf);
const TLS12 = { maxVersion: 'TLSv1.2' };
/** A server that asks for and requires a client certificate from the client root. */
const REQUIRE_CLIENT = serve(pki.leaf, { requestCert: true, rejectUnauthorized: true, ca: pki.clientRoot.cert });
/** A server for TLS 1.0 and 1.1: OpenSSL 3 allows them only at security level 0. */
const OLD_VERSIONS = serve(pki.leaf, { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
/** A TLS 1.2 server offering only finite-field DHE with 2048-bit parameters (RSA certificate). */
const DHE_ONLY = serve(pki.rsa, { ciphers: 'DHE-RSA-AES128-GCM-SHA256', dhparam: 'auto', maxVersion: 'TLSv1.2' });
/** A DER length. */
const derLength = (n) => Buffer.from(n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);
/** A DER INTEGER of the unsigned big-endian `bytes`. */
const derInteger = (bytes) => {
  const body = bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
};
/**
 * DH parameters of the server's own (PKCS #3 PEM): RFC 3526's 2048-bit prime
 * with generator 5, a group no table names.
 */
const OWN_DH_PARAMS = (() => {
  const body = Buffer.concat([derInteger(createDiffieHellmanGroup('modp14').getPrime()), derInteger(Buffer.from([5]))]);
  const der = Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  const lines = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN DH PARAMETERS-----\n${lines}\n-----END DH PARAMETERS-----\n`;
})();
const PSK_KEY = Buffer.alloc(16, 7);

/** The last 'session' of the connection before: the one to resume with. */
const lastSession = (ctx) => ctx.prev.at(-1)?.sessions.at(-1);
/** Echoes, and keeps getSession() once the echo came back (after TLS 1.3's tickets). */
function echoKeepingSession(socket, ctx) {
  socket.once('end', () => (ctx.stash.session = socket.getSession()));
  socket.end('hello');
}

const ephemeral = (socket) => attempt(() => socket.getEphemeralKeyInfo());
const protocol = (socket) => attempt(() => socket.getProtocol());
const cipher = (socket) => attempt(() => socket.getCipher());
const keyAndCipher = (socket) => ({ ephemeral: ephemeral(socket), cipher: cipher(socket) });

/** A checkServerIdentity that records its calls (host, the certificate's CN) in ctx.stash and answers `verdict()`. */
function recordingIdentity(ctx, verdict = () => undefined) {
  ctx.stash.identityCalls ??= [];
  return (host, cert) => {
    ctx.stash.identityCalls.push({ host, subjectCN: cert?.subject?.CN ?? null });
    return verdict();
  };
}
/** The calls so far, over all the scenario's connections: a resumed second connection adds none. */
const identityCalls = (socket, ctx) => ctx.stash.identityCalls ?? [];

/** An Error as a caller's checkServerIdentity returns one: a message and (optionally) a code. */
function callerError(message, code) {
  const error = new Error(message);
  if (code) error.code = code;
  return error;
}

/** Each session's shape (bytes vary per run; Node's are DER, ours a handle), and how many arrived. */
const sessionShapes = (socket, ctx) => ctx.raw.sessions.map(shapeOf);

/** The keying material this side exported, kept to compare with the server's after close. */
function exportKeying(socket, ctx) {
  const plain = socket.exportKeyingMaterial(EKM.length, EKM.label);
  const withContext = socket.exportKeyingMaterial(EKM.length, EKM.label, EKM.context);
  ctx.stash.ekm = { plain: plain.toString('hex'), withContext: withContext.toString('hex') };
  return { plain: sizedShape(plain), withContext: sizedShape(withContext) };
}
/** Whether the exported keying material equals the server's for the same connection. */
function keyingMatchesServer(socket, ctx) {
  const seen = ctx.live.connections.at(-1);
  return {
    plain: ctx.stash.ekm?.plain === seen?.secrets.ekm,
    withContext: ctx.stash.ekm?.withContext === seen?.secrets.ekmWithContext,
    differentWithContext: ctx.stash.ekm?.plain !== ctx.stash.ekm?.withContext,
  };
}

/**
 * The key-log lines' labels, and whether the lines equal the server's own for
 * that connection. The labels are sorted: the order within one flight is each
 * library's key schedule's, and a key-log file is read by label.
 */
function keylogAgainstServer(socket, ctx) {
  const lines = ctx.raw.keylog;
  const server = ctx.live.connections.at(-1)?.secrets.keylog ?? [];
  return {
    labels: lines.map((line) => line.split(' ')[0]).sort(),
    newlineTerminated: lines.every((line) => line.endsWith('\n')),
    sameAsServer: [...lines].sort().join('') === [...server].sort().join(''),
  };
}

const FRAGMENT_SIZES = [512, 16384, 511, 16385, 4096];
/** setMaxSendFragment's answers for sizes in and out of 512..16384, and for bad types. */
function maxSendFragment(socket) {
  return {
    sizes: FRAGMENT_SIZES.map((size) => attempt(() => socket.setMaxSendFragment(size))),
    string: attempt(() => socket.setMaxSendFragment('x')),
    fraction: attempt(() => socket.setMaxSendFragment(1000.5)),
  };
}

/** exportKeyingMaterial's argument checks, each as what it throws. */
function keyingValidation(socket) {
  return {
    plain: attempt(() => socket.exportKeyingMaterial(8, 'label'), sizedShape),
    zero: attempt(() => socket.exportKeyingMaterial(0, 'label')),
    lengthString: attempt(() => socket.exportKeyingMaterial('x', 'label')),
    labelNumber: attempt(() => socket.exportKeyingMaterial(8, 1)),
    contextString: attempt(() => socket.exportKeyingMaterial(8, 'label', 'ctx')),
  };
}

/** renegotiate()'s return value and what its callback got (bounded). */
function renegotiation(socket) {
  return new Promise((resolve) => {
    let returned;
    const timer = setTimeout(() => resolve({ returned, callback: 'not called within 3 s' }), 3_000);
    try {
      returned = socket.renegotiate({}, (error) => {
        clearTimeout(timer);
        // Node calls back on a later tick, after `returned` is set.
        setImmediate(() => resolve({ returned, callback: error ? attempt(() => { throw error; }).thrown : null }));
      });
    } catch (error) {
      clearTimeout(timer);
      resolve({ returned: attempt(() => { throw error; }) });
    }
  });
}

/** The TLSSocket's own fields, as a caller reads them at some moment. */
function fields(socket) {
  return {
    encrypted: socket.encrypted,
    secureConnecting: socket.secureConnecting,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError,
    alpnProtocol: socket.alpnProtocol,
    servername: socket.servername,
  };
}

// --- connect and its call forms -----------------------------------------------

const connectScenarios = [
  { id: 'connect.echo', title: 'a good chain by name: authorized, TLS 1.3, echo', client: withBase() },
  { id: 'connect.by-ip', title: 'host 127.0.0.1 matches an IP SAN', client: withBase({ host: '127.0.0.1' }) },
  {
    id: 'connect.servername',
    title: 'servername is sent as SNI and is the name verified',
    client: withBase({ host: '127.0.0.1', servername: 'localhost' }),
  },
  {
    id: 'connect.default-host',
    title: "no host: 'localhost' is connected to and verified, and no SNI is sent",
    client: (ctx) => ({ port: ctx.port, ca: pki.root.cert }),
  },
  {
    id: 'connect.positional',
    title: 'connect(port, host, options, callback): the callback is a once-listener for secureConnect',
    client: (ctx) => [ctx.port, 'localhost', { ca: pki.root.cert }, () => (ctx.stash.callbacks = (ctx.stash.callbacks ?? 0) + 1)],
    probe: { closed: (socket, ctx) => ({ callbacks: ctx.stash.callbacks ?? 0 }) },
  },
  {
    id: 'connect.options-win',
    title: 'options.port and options.host win over positional ones',
    client: (ctx) => [1, 'nowhere.invalid', { port: ctx.port, host: 'localhost', ca: pki.root.cert }],
  },
  {
    id: 'connect.alpn-server-preference',
    title: "ALPN: the server's preference wins",
    server: serve(pki.leaf, { ALPNProtocols: ['h2', 'http/1.1'] }),
    client: withBase({ ALPNProtocols: ['http/1.1', 'h2'] }),
  },
  {
    id: 'connect.alpn-wire-buffer',
    title: 'ALPN given as one wire-format Buffer',
    server: serve(pki.leaf, { ALPNProtocols: ['http/1.1'] }),
    client: withBase({ ALPNProtocols: Buffer.from('\x02h2\x08http/1.1') }),
  },
  {
    id: 'connect.alpn-buffers',
    title: 'ALPN given as an array of Buffers',
    server: serve(pki.leaf, { ALPNProtocols: ['h2'] }),
    client: withBase({ ALPNProtocols: [Buffer.from('h2')] }),
  },
  {
    id: 'connect.alpn-not-offered',
    title: 'no ALPN offered: alpnProtocol is false',
    server: serve(pki.leaf, { ALPNProtocols: ['h2'] }),
    client: withBase(),
  },
  {
    id: 'connect.alpn-no-overlap',
    title: "ALPN with nothing in common: the server's no_application_protocol alert",
    server: serve(pki.leaf, { ALPNProtocols: ['h2'] }),
    client: withBase({ ALPNProtocols: ['spdy/1'] }),
  },
  {
    id: 'connect.refused',
    title: 'nothing listening: ECONNREFUSED',
    server: { mode: 'refuse' },
    client: withBase({ host: '127.0.0.1' }),
  },
  {
    id: 'connect.non-tls-peer',
    title: 'an HTTP server answers the ClientHello',
    server: { mode: 'http' },
    client: withBase(),
  },
  {
    id: 'connect.hang-up',
    title: 'the server closes before the handshake: ECONNRESET with the target fields',
    server: { mode: 'hangup' },
    client: withBase(),
  },
  {
    id: 'connect.client-cert-required',
    title: 'a server requiring a client certificate, none given: the TLS 1.3 certificate_required alert after secureConnect',
    server: REQUIRE_CLIENT,
    client: withBase(),
  },
  {
    id: 'connect.server-ends-first',
    title: 'the server ends first: data, end, close, and our side ends too (allowHalfOpen false)',
    server: serve(pki.leaf, { mode: 'endFirst' }),
    client: withBase(),
    action: 'wait',
  },
  {
    id: 'connect.half-open',
    title: 'allowHalfOpen: still writable after the server ended',
    server: serve(pki.leaf, { mode: 'endFirst' }),
    client: withBase({ allowHalfOpen: true }),
    action: (socket) => socket.once('end', () => socket.end('late')),
  },
  {
    id: 'connect.destroy-after-secure',
    title: "destroy() right after 'secureConnect'",
    client: withBase(),
    action: 'destroy',
  },
  {
    id: 'connect.default-suite-client-order',
    title: "default ciphers against a server that follows the client's order: the suite chosen",
    server: serve(pki.leaf, { honorCipherOrder: false }),
    client: withBase(),
  },
];

// --- synchronous validation (one per option Node checks synchronously) ----------

/** A scenario that compares only what connect throws: class, code and message. */
function throws(id, title, client, extra = {}) {
  return { id: `validation.${id}`, bullet: 'validation', kind: 'throws', title, client, ...extra };
}
/** Options whose name lookup never answers: Node 20 throws some errors after it began connecting. */
const neverConnecting = (extra) => (ctx) => ({ ...ctx.base, lookup: () => {}, ...extra });

const validationScenarios = [
  throws('no-arguments', 'connect() without options, port or path', () => []),
  throws('port-abc', "port 'abc'", withBase({ port: 'abc' })),
  throws('port-70000', 'port 70000 (positional)', () => [70000]),
  throws('family-5', 'family 5', withBase({ family: 5 })),
  throws('local-address', "localAddress 'nope'", withBase({ localAddress: 'nope' })),
  throws('timeout-string', "timeout 'x'", withBase({ timeout: 'x' })),
  throws('lookup-number', 'lookup 1', withBase({ lookup: 1 })),
  throws('socket-object', 'socket {} (not a stream)', withBase({ socket: {} })),
  throws('servername-number', 'servername 1', neverConnecting({ servername: 1 })),
  throws('session-string', "session 'x'", withBase({ session: 'x' })),
  throws('alpn-too-long', 'an ALPN name of 256 bytes', withBase({ ALPNProtocols: ['a'.repeat(256)] })),
  throws('alpn-string', "ALPNProtocols 'h2' (a string)", withBase({ ALPNProtocols: 'h2' })),
  throws('enable-trace-string', "enableTrace 'yes'", withBase({ enableTrace: 'yes' })),
  throws('psk-callback-number', 'pskCallback 1', withBase({ pskCallback: 1 })),
  throws('secure-context-object', 'secureContext {}', withBase({ secureContext: {} })),
  throws('ca-number', 'ca 123', withBase({ ca: 123 })),
  throws('key-garbage', "key 'garbage'", withBase({ key: 'garbage', cert: pki.client.cert })),
  throws('key-encrypted-no-passphrase', 'an encrypted PKCS#8 key without a passphrase',
    withBase({ key: pki.clientKeyPkcs8, cert: pki.client.cert })),
  throws('key-wrong-passphrase', 'an encrypted PKCS#8 key with the wrong passphrase',
    withBase({ key: pki.clientKeyPkcs8, passphrase: 'wrong', cert: pki.client.cert })),
  throws('legacy-key-wrong-passphrase', 'a legacy encrypted PEM key with the wrong passphrase',
    withBase({ key: pki.clientKeyLegacy, passphrase: 'wrong', cert: pki.client.cert })),
  throws('passphrase-number', 'passphrase 1 (Node 20 and 26 accept it)', withBase({ passphrase: 1 })),
  throws('pfx-wrong-passphrase', 'pfx with the wrong passphrase', withBase({ pfx: pki.clientPfx, passphrase: 'wrong' })),
  throws('pfx-junk', 'pfx that is not PKCS#12', withBase({ pfx: Buffer.from('junk') })),
  throws('crl-garbage', "crl 'garbage'", withBase({ crl: 'garbage' })),
  throws('ciphers-number', 'ciphers 1', withBase({ ciphers: 1 })),
  throws('ciphers-bogus', "ciphers 'BOGUS'", withBase({ ciphers: 'BOGUS' })),
  throws('ciphers-empty', "ciphers '' (Node 20 and 26 accept it)", withBase({ ciphers: '' })),
  throws('ecdh-curve-bogus', "ecdhCurve 'nope'", withBase({ ecdhCurve: 'nope' })),
  throws('sigalgs-empty', "sigalgs ''", withBase({ sigalgs: '' })),
  throws('sigalgs-bogus', "sigalgs 'bogus'", withBase({ sigalgs: 'bogus' })),
  throws('min-version-bogus', "minVersion 'TLSv9'", withBase({ minVersion: 'TLSv9' })),
  throws('max-version-bogus', "maxVersion 'TLSv9'", withBase({ maxVersion: 'TLSv9' })),
  throws('secure-protocol-bogus', "secureProtocol 'bogus'", withBase({ secureProtocol: 'bogus' })),
  throws('secure-protocol-conflict', 'secureProtocol with minVersion',
    withBase({ secureProtocol: 'TLSv1_2_method', minVersion: 'TLSv1.2' })),
  throws('secure-options-string', "secureOptions 'x'", withBase({ secureOptions: 'x' })),
  throws('min-dh-size-zero', 'minDHSize 0 (Node 20 fails an internal assertion; current Node validates)',
    () => ({ port: 1, minDHSize: 0 }), { oracle: 'current' }),
  throws('min-dh-size-string', "minDHSize 'x' (current Node is the oracle)", () => ({ port: 1, minDHSize: 'x' }), { oracle: 'current' }),
  throws('check-server-identity-number', 'checkServerIdentity 1 (current Node is the oracle)',
    () => ({ port: 1, checkServerIdentity: 1 }), { oracle: 'current' }),
  {
    id: 'validation.context-ciphers-bogus',
    bullet: 'validation',
    kind: 'context',
    title: "createSecureContext({ciphers: 'BOGUS'})",
    options: () => ({ ciphers: 'BOGUS' }),
  },
  {
    id: 'validation.context-key-garbage',
    bullet: 'validation',
    kind: 'context',
    title: "createSecureContext({key: 'garbage'})",
    options: () => ({ key: 'garbage', cert: pki.client.cert }),
  },
];

// --- options in use ---------------------------------------------------------------

/** A server requiring the client root's certificates: the client identity scenarios. */
const clientIdentity = (id, title, extra) => ({ id: `options.${id}`, title, server: REQUIRE_CLIENT, client: withBase(extra) });

const optionScenarios = [
  {
    id: 'options.secure-context',
    title: 'secureContext from createSecureContext',
    client: (ctx) => ({ host: 'localhost', port: ctx.port, secureContext: ctx.tls.createSecureContext({ ca: pki.root.cert }) }),
  },
  {
    id: 'options.secure-context-reused',
    title: 'one secureContext for two connections',
    connections: [0, 1].map(() => (ctx) => {
      ctx.stash.context ??= ctx.tls.createSecureContext({ ca: pki.root.cert });
      return { host: 'localhost', port: ctx.port, secureContext: ctx.stash.context };
    }),
  },
  {
    id: 'options.secure-context-wins',
    title: "with secureContext, the context options beside it are ignored (ca, ciphers: 'BOGUS')",
    client: (ctx) => ({
      host: 'localhost', port: ctx.port, ca: pki.stranger.cert, ciphers: 'BOGUS',
      secureContext: ctx.tls.createSecureContext({ ca: pki.root.cert }),
    }),
  },
  { id: 'options.ca-array', title: 'ca as an array (the right root second)', client: withBase({ ca: [pki.stranger.cert, pki.root.cert] }) },
  { id: 'options.ca-concatenated', title: 'ca as one text of two PEMs', client: withBase({ ca: pki.stranger.cert + pki.root.cert }) },
  { id: 'options.ca-buffer', title: 'ca as a Buffer', client: withBase({ ca: Buffer.from(pki.root.cert) }) },
  { id: 'options.ca-garbage', title: "ca 'garbage': no PEM, so nothing is trusted", client: withBase({ ca: 'garbage' }) },
  { id: 'options.ca-empty', title: "ca '' is falsy: the default roots", client: withBase({ ca: '' }) },
  clientIdentity('cert-chain', 'cert as leaf + intermediate text, the server verifies it', { cert: pki.client.chain.slice(0, 2).join(''), key: pki.client.key }),
  clientIdentity('cert-array', 'cert as an array [leaf, intermediate]', { cert: pki.client.chain.slice(0, 2), key: pki.client.key }),
  clientIdentity('key-object-passphrase', 'key as [{pem, passphrase}] (encrypted PKCS#8)', {
    cert: pki.client.chain.slice(0, 2).join(''), key: [{ pem: pki.clientKeyPkcs8, passphrase: 'secret' }],
  }),
  clientIdentity('key-pkcs8-encrypted', 'an encrypted PKCS#8 key with options.passphrase', {
    cert: pki.client.chain.slice(0, 2).join(''), key: pki.clientKeyPkcs8, passphrase: 'secret',
  }),
  clientIdentity('key-legacy-encrypted', "a legacy encrypted PEM key ('Proc-Type: 4,ENCRYPTED') with passphrase", {
    cert: pki.client.chain.slice(0, 2).join(''), key: pki.clientKeyLegacy, passphrase: 'secret',
  }),
  clientIdentity('pfx', 'pfx (PKCS#12: key, leaf, intermediate) with passphrase', { pfx: pki.clientPfx, passphrase: 'secret' }),
  clientIdentity('pfx-object', 'pfx as [{buf, passphrase}]', { pfx: [{ buf: pki.clientPfx, passphrase: 'secret' }] }),
  {
    id: 'options.crl-good',
    title: 'crl from the root, the leaf not revoked: authorized',
    client: withBase({ crl: pki.crlRoot }),
  },
  {
    id: 'options.crl-every-issuer',
    title: 'crl from the root and the intermediate (an array): authorized',
    server: serve(pki.viaInter),
    client: withBase({ crl: [pki.crlRoot, pki.crlInter] }),
  },
  {
    id: 'options.ciphers-tls12-name',
    title: "ciphers 'ECDHE-ECDSA-AES128-GCM-SHA256' with maxVersion TLSv1.2",
    client: withBase({ ...TLS12, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }),
  },
  {
    id: 'options.ciphers-tls12-list',
    title: 'an OpenSSL cipher list (ChaCha20 then AES-256) on TLS 1.2',
    client: withBase({ ...TLS12, ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384' }),
  },
  {
    id: 'options.ciphers-tls12-name-keeps-tls13',
    title: 'a TLS 1.2 name alone leaves the TLS 1.3 suites at their defaults',
    client: withBase({ ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }),
  },
  {
    id: 'options.ciphers-tls13-aes128',
    title: "ciphers 'TLS_AES_128_GCM_SHA256'",
    client: withBase({ ciphers: 'TLS_AES_128_GCM_SHA256' }),
  },
  {
    id: 'options.ciphers-tls13-chacha',
    title: "ciphers 'TLS_CHACHA20_POLY1305_SHA256'",
    client: withBase({ ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }),
  },
  {
    id: 'options.ciphers-security-level',
    title: "ciphers 'DEFAULT@SECLEVEL=0' (OpenSSL's security-level suffix)",
    client: withBase({ ciphers: 'DEFAULT@SECLEVEL=0' }),
  },
  {
    id: 'options.ciphers-no-common-suite',
    title: 'no suite in common with the server (TLS 1.2): its handshake_failure alert',
    server: serve(pki.leaf, { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256', maxVersion: 'TLSv1.2' }),
    client: withBase({ ...TLS12, ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' }),
  },
  {
    id: 'options.ecdh-curve-p256',
    title: "ecdhCurve 'P-256': the key exchange group",
    client: withBase({ ecdhCurve: 'P-256' }),
    probe: { secure: ephemeral },
  },
  {
    id: 'options.ecdh-curve-secp384r1',
    title: "ecdhCurve 'secp384r1'",
    client: withBase({ ecdhCurve: 'secp384r1' }),
    probe: { secure: ephemeral },
  },
  {
    id: 'options.ecdh-curve-list',
    title: "ecdhCurve 'P-384:X25519' (a colon list, first preferred)",
    client: withBase({ ecdhCurve: 'P-384:X25519' }),
    probe: { secure: ephemeral },
  },
  {
    id: 'options.ecdh-curve-auto',
    title: "ecdhCurve 'auto'",
    client: withBase({ ecdhCurve: 'auto' }),
    probe: { secure: ephemeral },
  },
  {
    id: 'options.key-exchange-default',
    title: "no ecdhCurve: Node 26's default, the hybrid X25519MLKEM768",
    client: withBase(),
    probe: { secure: ephemeral },
  },
  {
    id: 'options.key-exchange-x25519-fallback',
    title: "default groups against an X25519-only server: X25519's own share, no retry",
    server: serve(pki.leaf, { ecdhCurve: 'X25519' }),
    client: withBase(),
    probe: { secure: ephemeral },
  },
  ...['SecP256r1MLKEM768', 'SecP384r1MLKEM1024', 'MLKEM768', 'MLKEM1024', 'x25519mlkem768'].map((group) => ({
    id: `options.key-exchange-${group.toLowerCase()}`,
    title: `ecdhCurve '${group}' on both sides: a post-quantum group`,
    server: serve(pki.leaf, { ecdhCurve: group }),
    client: withBase({ ecdhCurve: group }),
    probe: { secure: ephemeral },
  })),
  {
    id: 'options.ecdh-curve-x448',
    title: "ecdhCurve 'X448' against Node's default groups",
    client: withBase({ ecdhCurve: 'X448' }),
    probe: { secure: ephemeral },
  },
  {
    id: 'options.key-exchange-x448-server',
    title: 'default groups against an X448-only server: a retry to X448 (TLS 1.3)',
    server: serve(pki.leaf, { ecdhCurve: 'X448' }),
    client: withBase(),
    probe: { secure: keyAndCipher },
  },
  {
    id: 'options.key-exchange-x448-tls12',
    title: 'default groups against an X448-only TLS 1.2 server: ECDHE over X448',
    server: serve(pki.leaf, { ecdhCurve: 'X448', ...TLS12 }),
    client: withBase(),
    probe: { secure: keyAndCipher },
  },
  ...['ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'].map((group) => ({
    id: `options.key-exchange-${group}`,
    title: `ecdhCurve '${group}' on both sides: finite-field DHE in TLS 1.3 ('DH', no name)`,
    server: serve(pki.leaf, { ecdhCurve: group }),
    client: withBase({ ecdhCurve: group }),
    probe: { secure: ephemeral },
  })),
  {
    id: 'options.key-exchange-ffdhe-default',
    title: 'default groups against an ffdhe2048-only server: a retry to ffdhe2048',
    server: serve(pki.leaf, { ecdhCurve: 'ffdhe2048' }),
    client: withBase(),
    probe: { secure: ephemeral },
  },
  {
    id: 'options.key-exchange-ffdhe-not-default',
    title: 'default groups against an ffdhe4096-only server: not among them, handshake_failure',
    server: serve(pki.leaf, { ecdhCurve: 'ffdhe4096' }),
    client: withBase(),
  },
  {
    id: 'options.dhe-server',
    title: "a TLS 1.2 server offering only DHE-RSA-AES128-GCM-SHA256 (dhparam 'auto': RFC 3526's 2048-bit prime)",
    server: DHE_ONLY,
    client: withBase(),
    probe: { secure: keyAndCipher },
  },
  ...['DHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-CHACHA20-POLY1305'].map((suite) => ({
    id: `options.dhe-suite-${suite.toLowerCase()}`,
    title: `a TLS 1.2 server offering only ${suite}`,
    server: serve(pki.rsa, { ciphers: suite, dhparam: 'auto', ...TLS12 }),
    client: withBase(),
    probe: { secure: keyAndCipher },
  })),
  {
    id: 'options.dhe-server-client-ecdh-curve',
    title: "ecdhCurve 'X25519' against a DHE-only server: the server's parameters are taken all the same",
    server: DHE_ONLY,
    client: withBase({ ecdhCurve: 'X25519' }),
    probe: { secure: keyAndCipher },
  },
  {
    id: 'options.dhe-server-ecdhe-only-client',
    title: "ciphers 'ECDHE-RSA-AES128-GCM-SHA256' against a DHE-only server: no suite in common",
    server: DHE_ONLY,
    client: withBase({ ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
  },
  {
    id: 'options.min-dh-size',
    title: 'minDHSize 4096 against 2048-bit TLS 1.2 DHE: an error after the handshake',
    server: DHE_ONLY,
    client: withBase({ minDHSize: 4096 }),
  },
  {
    id: 'options.min-dh-size-tls13',
    title: 'minDHSize 3000 against ffdhe2048 in TLS 1.3',
    server: serve(pki.leaf, { ecdhCurve: 'ffdhe2048' }),
    client: withBase({ ecdhCurve: 'ffdhe2048', minDHSize: 3000 }),
  },
  {
    id: 'options.min-dh-size-before-certificate',
    title: 'minDHSize is judged before the certificate: an untrusted server with too small a group',
    server: serve(pki.leaf, { ecdhCurve: 'ffdhe2048' }),
    client: defaultRoots({ ecdhCurve: 'ffdhe2048', minDHSize: 4096 }),
  },
  {
    id: 'options.min-dh-size-exact',
    title: 'minDHSize 2048 against ffdhe2048: the size itself passes',
    server: serve(pki.leaf, { ecdhCurve: 'ffdhe2048' }),
    client: withBase({ ecdhCurve: 'ffdhe2048', minDHSize: 2048 }),
    probe: { secure: ephemeral },
  },
  {
    id: 'options.min-dh-size-ecdhe',
    title: 'minDHSize 2048 with an ECDHE server: validated, no effect',
    client: withBase({ minDHSize: 2048 }),
  },
  {
    id: 'options.ecdh-curve-openssl-list',
    title: "ecdhCurve 'DEFAULT:-X25519MLKEM768': OpenSSL 3.5's list syntax",
    client: withBase({ ecdhCurve: 'DEFAULT:-X25519MLKEM768' }),
    probe: { secure: ephemeral },
  },
  {
    id: 'options.ecdh-curve-none-left',
    title: "ecdhCurve '?unknown': a valid list naming no group fails when connecting",
    client: withBase({ ecdhCurve: '?unknown' }),
  },
  {
    id: 'options.ecdh-curve-no-common',
    title: 'ecdhCurve P-384 against a P-256-only server: handshake_failure',
    server: serve(pki.leaf, { ecdhCurve: 'P-256' }),
    client: withBase({ ecdhCurve: 'P-384' }),
  },
  {
    id: 'options.sigalgs-one',
    title: "sigalgs 'ecdsa_secp256r1_sha256': what the server shares",
    server: serve(pki.leaf, { record: ['sigalgs'] }),
    client: withBase({ sigalgs: 'ecdsa_secp256r1_sha256' }),
  },
  {
    id: 'options.sigalgs-openssl-syntax',
    title: "sigalgs 'RSA-PSS+SHA256:ECDSA+SHA384' against an RSA server",
    server: serve(pki.rsa, { record: ['sigalgs'] }),
    client: withBase({ sigalgs: 'RSA-PSS+SHA256:ECDSA+SHA384' }),
  },
  {
    id: 'options.sigalgs-no-common',
    title: 'sigalgs offering only RSA-PSS to an ECDSA server: handshake_failure',
    client: withBase({ sigalgs: 'rsa_pss_rsae_sha256' }),
  },
  { id: 'options.max-version-tls12', title: 'maxVersion TLSv1.2', client: withBase(TLS12) },
  {
    id: 'options.min-version-tls13-server-tls12',
    title: 'minVersion TLSv1.3 against a TLS 1.2 server: protocol_version alert',
    server: serve(pki.leaf, TLS12),
    client: withBase({ minVersion: 'TLSv1.3' }),
  },
  {
    id: 'options.min-above-max',
    title: 'minVersion TLSv1.3 with maxVersion TLSv1.2: no protocols available',
    client: withBase({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' }),
  },
  { id: 'options.min-version-tls1', title: "minVersion 'TLSv1' still connects at TLS 1.3", client: withBase({ minVersion: 'TLSv1' }) },
  { id: 'options.secure-protocol-tls12', title: "secureProtocol 'TLSv1_2_method'", client: withBase({ secureProtocol: 'TLSv1_2_method' }) },
  { id: 'options.secure-protocol-any', title: "secureProtocol 'TLS_method'", client: withBase({ secureProtocol: 'TLS_method' }) },
  {
    id: 'options.secure-options-no-tls13',
    title: 'secureOptions SSL_OP_NO_TLSv1_3: TLS 1.2',
    client: withBase({ secureOptions: constants.SSL_OP_NO_TLSv1_3 }),
  },
  {
    id: 'options.secure-options-no-tls12',
    title: 'secureOptions SSL_OP_NO_TLSv1_2 against a TLS 1.2 server',
    server: serve(pki.leaf, TLS12),
    client: withBase({ secureOptions: constants.SSL_OP_NO_TLSv1_2 }),
  },
  {
    id: 'options.secure-options-no-ticket-tls12',
    title: 'secureOptions SSL_OP_NO_TICKET on TLS 1.2: sessions by ID, and resumption',
    listen: ['session'],
    connections: [
      withBase({ ...TLS12, secureOptions: constants.SSL_OP_NO_TICKET }),
      (ctx) => ({ ...ctx.base, ...TLS12, secureOptions: constants.SSL_OP_NO_TICKET, session: lastSession(ctx) }),
    ],
    probe: { closed: sessionShapes },
    note: 'session bytes by shape',
  },
  {
    id: 'options.secure-options-no-ticket-tls13',
    title: 'secureOptions SSL_OP_NO_TICKET on TLS 1.3: the sessions that still arrive',
    listen: ['session'],
    client: withBase({ secureOptions: constants.SSL_OP_NO_TICKET }),
    probe: { closed: sessionShapes },
    note: 'session bytes by shape',
  },
  {
    id: 'options.partial-trust-chain',
    title: 'allowPartialTrustChain with the intermediate as the only ca: authorized',
    server: serve(pki.viaInter),
    client: withBase({ ca: pki.inter.cert, allowPartialTrustChain: true }),
  },
  {
    id: 'options.partial-trust-chain-leaf-only',
    title: 'allowPartialTrustChain, the server sends the leaf alone',
    server: serve(pki.viaInter, {}, 'leaf'),
    client: withBase({ ca: pki.inter.cert, allowPartialTrustChain: true }),
  },
  {
    id: 'options.request-ocsp-stapled',
    title: "requestOCSP: the server's staple arrives as 'OCSPResponse'",
    server: serve(pki.leaf, { ocsp: Buffer.from('differential OCSP staple') }),
    client: withBase({ requestOCSP: true }),
  },
  {
    id: 'options.request-ocsp-none',
    title: "requestOCSP, no staple: 'OCSPResponse' with null",
    client: withBase({ requestOCSP: true }),
  },
  {
    id: 'options.request-ocsp-tls12',
    title: 'requestOCSP on TLS 1.2',
    server: serve(pki.leaf, { ocsp: Buffer.from('differential OCSP staple') }),
    client: withBase({ ...TLS12, requestOCSP: true }),
  },
  {
    id: 'options.ocsp-not-requested',
    title: "a stapling server, requestOCSP unset: no 'OCSPResponse'",
    server: serve(pki.leaf, { ocsp: Buffer.from('differential OCSP staple') }),
    client: withBase(),
  },
  {
    id: 'options.enable-trace',
    title: 'enableTrace: the handshake is traced on standard error',
    client: withBase({ enableTrace: true }),
    isolate: true,
    note: 'the trace text is each library\'s own; only that standard error was written is compared',
  },
  {
    id: 'options.servername-ip',
    title: "servername '127.0.0.1': Node 26 refuses an IP address (Node 20 warned, DEP0123)",
    client: withBase({ host: '127.0.0.1', servername: '127.0.0.1' }),
    isolate: true,
  },
  {
    id: 'options.timeout',
    title: "timeout 300 against a silent server: 'timeout', then the caller destroys",
    server: { mode: 'silent' },
    client: withBase({ timeout: 300 }),
  },
  {
    id: 'options.family-4',
    title: 'family 4 with host localhost',
    client: withBase({ family: 4 }),
    probe: { secure: (socket) => ({ remoteFamily: socket.remoteFamily, remoteAddress: socket.remoteAddress }) },
  },
  {
    id: 'options.local-address',
    title: "localAddress '127.0.0.1'",
    client: withBase({ host: '127.0.0.1', localAddress: '127.0.0.1' }),
    probe: { secure: (socket) => ({ localAddress: socket.localAddress }) },
  },
  {
    id: 'options.local-port',
    title: 'localPort: the connection leaves from that port',
    client: async (ctx) => {
      ctx.stash.localPort = await freePort();
      return { ...ctx.base, host: '127.0.0.1', localAddress: '127.0.0.1', localPort: ctx.stash.localPort };
    },
    probe: { secure: (socket, ctx) => ({ fromRequestedPort: socket.localPort === ctx.stash.localPort }) },
    note: 'the port is free-picked per run; compared as whether it was used',
  },
  {
    id: 'options.no-delay-keep-alive',
    title: 'noDelay, keepAlive, keepAliveInitialDelay',
    client: withBase({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 1000 }),
  },
  {
    id: 'options.path',
    title: 'path: a Unix socket; the name verified is localhost',
    server: serve(pki.leaf, { unix: true }),
    client: (ctx) => ({ path: ctx.path, ca: pki.root.cert }),
  },
  {
    id: 'options.socket',
    title: "socket: a connected net.Socket the caller owns; host names the certificate's name",
    client: (ctx) => ({ socket: net.connect(ctx.port, '127.0.0.1'), host: 'localhost', ca: pki.root.cert }),
  },
  {
    id: 'options.lookup',
    title: 'lookup: a custom resolver is asked for the host',
    client: (ctx) => ({
      ...ctx.base,
      host: 'differential.invalid',
      servername: 'localhost',
      family: 4,
      lookup: (host, options, callback) => {
        (ctx.stash.looked ??= []).push(host);
        if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      },
    }),
    probe: { closed: (socket, ctx) => ({ looked: ctx.stash.looked ?? [] }) },
  },
];

/** A port free now on 127.0.0.1: bound by a throwaway listener, read, released. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// --- verification (each case, refused and allowed) -----------

const verificationRows = [
  { id: 'self-signed-leaf', title: 'a self-signed leaf, default roots', server: serve(pki.selfSigned), client: defaultRoots },
  { id: 'missing-intermediate', title: 'the leaf alone, its intermediate missing, the root in ca', server: serve(pki.viaInter, {}, 'leaf'), client: withBase },
  { id: 'unknown-issuer', title: 'a leaf alone from an unknown issuer, default roots', server: serve(pki.strangerLeaf), client: defaultRoots },
  { id: 'unknown-root', title: 'leaf + intermediate of an unknown root, default roots', server: serve(pki.strangerViaInter), client: defaultRoots },
  { id: 'self-signed-in-chain', title: 'leaf + intermediate + a self-signed root, default roots', server: serve(pki.strangerViaInter, {}, 'full'), client: defaultRoots },
  { id: 'expired', title: 'an expired leaf', server: serve(pki.expired), client: withBase },
  { id: 'not-yet-valid', title: 'a leaf not yet valid', server: serve(pki.notYetValid), client: withBase },
  { id: 'revoked', title: "a leaf revoked in the root's crl", server: serve(pki.revoked), client: (extra) => withBase({ crl: pki.crlRoot, ...extra }) },
  { id: 'missing-crl', title: "crl from the root only, the leaf's issuer (an intermediate) has none", server: serve(pki.viaInter), client: (extra) => withBase({ crl: pki.crlRoot, ...extra }) },
  { id: 'intermediate-as-ca', title: 'the intermediate as ca, allowPartialTrustChain unset', server: serve(pki.viaInter), client: (extra) => withBase({ ca: pki.inter.cert, ...extra }) },
  { id: 'name-mismatch', title: 'a good chain for another name', server: serve(pki.otherName), client: withBase },
];

const verificationScenarios = verificationRows.flatMap((row) => [
  { id: `verification.${row.id}`, title: `${row.title}: refused`, server: row.server, client: row.client({}) },
  {
    id: `verification.${row.id}.allowed`,
    title: `${row.title}, rejectUnauthorized false: connected, unauthorized`,
    server: row.server,
    client: row.client({ rejectUnauthorized: false }),
  },
]);

verificationScenarios.push(
  ...['X509 CERTIFICATE', 'TRUSTED CERTIFICATE'].map((label) => ({
    id: `verification.ca-label-${label.split(' ')[0].toLowerCase()}`,
    title: `ca given under the PEM label '${label}', which OpenSSL reads as a certificate`,
    client: withBase({ ca: pki.root.cert.replaceAll('CERTIFICATE-----', `${label}-----`) }),
  })),
  { id: 'verification.v1-leaf', title: 'an X.509 v1 leaf (no extensions) from the root, named by its CN', server: serve(pki.v1), client: withBase() },
  { id: 'verification.v1-leaf-by-ip', title: 'an X.509 v1 leaf reached by IP: no SAN, so no match', server: serve(pki.v1), client: withBase({ host: '127.0.0.1' }) },
  { id: 'verification.self-signed-via-ca', title: 'a self-signed leaf (CA:FALSE) trusted through ca', server: serve(pki.selfSigned), client: withBase({ ca: pki.selfSigned.cert }) },
  { id: 'verification.self-signed-ca-via-ca', title: 'a self-signed CA certificate as the server\'s, trusted through ca', server: serve(pki.selfSignedCa), client: withBase({ ca: pki.selfSignedCa.cert }) },
  {
    id: 'verification.identity-accept',
    title: 'a custom checkServerIdentity accepts a certificate for another name',
    server: serve(pki.otherName),
    client: (ctx) => ({ ...ctx.base, checkServerIdentity: recordingIdentity(ctx) }),
    probe: { closed: identityCalls },
  },
  {
    id: 'verification.identity-reject',
    title: 'a custom checkServerIdentity returns an Error with a code: the socket fails with it',
    client: (ctx) => ({ ...ctx.base, checkServerIdentity: recordingIdentity(ctx, () => callerError('not this one', 'ECUSTOM')) }),
    probe: { closed: identityCalls },
  },
  {
    id: 'verification.identity-reject-allowed',
    title: 'a custom rejection with rejectUnauthorized false: authorizationError is its code',
    client: (ctx) => ({
      ...ctx.base, rejectUnauthorized: false, checkServerIdentity: recordingIdentity(ctx, () => callerError('not this one', 'ECUSTOM')),
    }),
    probe: { closed: identityCalls },
  },
  {
    id: 'verification.identity-reject-no-code',
    title: 'a custom rejection without a code, rejectUnauthorized false: authorizationError is its message',
    client: (ctx) => ({ ...ctx.base, rejectUnauthorized: false, checkServerIdentity: recordingIdentity(ctx, () => callerError('not this one')) }),
    probe: { closed: identityCalls },
  },
  {
    id: 'verification.identity-servername',
    title: 'the custom check is asked about servername, not host',
    client: (ctx) => ({ ...ctx.base, host: '127.0.0.1', servername: 'localhost', checkServerIdentity: recordingIdentity(ctx) }),
    probe: { closed: identityCalls },
  },
  {
    id: 'verification.identity-not-on-bad-chain',
    title: 'an unverified chain with rejectUnauthorized false: the custom check is not called',
    server: serve(pki.strangerLeaf),
    client: (ctx) => ({ host: 'localhost', port: ctx.port, rejectUnauthorized: false, checkServerIdentity: recordingIdentity(ctx) }),
    probe: { closed: identityCalls },
  },
  {
    id: 'verification.resumed-skips-identity',
    title: 'a resumed session skips checkServerIdentity',
    listen: ['session'],
    connections: [
      (ctx) => ({ ...ctx.base, checkServerIdentity: recordingIdentity(ctx) }),
      (ctx) => ({ ...ctx.base, session: lastSession(ctx), checkServerIdentity: recordingIdentity(ctx) }),
    ],
    probe: { closed: identityCalls },
  },
  {
    id: 'verification.resumed-keeps-result',
    title: 'a resumed session keeps the original verification result (unknown issuer, rejectUnauthorized false)',
    server: serve(pki.strangerLeaf),
    listen: ['session'],
    connections: [
      defaultRoots({ rejectUnauthorized: false }),
      (ctx) => ({ host: 'localhost', port: ctx.port, rejectUnauthorized: false, session: lastSession(ctx) }),
    ],
  },
  {
    id: 'verification.rsa-1024',
    title: 'an RSA-1024 leaf from a trusted root',
    // Node 26's server refuses an RSA-1024 key at its default security level.
    server: serve(pki.rsa1024, { ciphers: 'DEFAULT@SECLEVEL=0' }),
    client: withBase(),
  },
);

// --- sessions -----------------------------------------------------------------

const sessionScenarios = [
  {
    id: 'sessions.event-tls13',
    title: "'session' on TLS 1.3: after 'secureConnect', once per ticket",
    listen: ['session'],
    client: withBase(),
    probe: { closed: sessionShapes },
    note: 'session bytes by shape',
  },
  {
    id: 'sessions.event-tls12',
    title: "'session' on TLS 1.2: once",
    listen: ['session'],
    client: withBase(TLS12),
    probe: { closed: sessionShapes },
    note: 'session bytes by shape',
  },
  {
    id: 'sessions.get-session-tls13',
    title: 'getSession() at secureConnect and after the tickets (TLS 1.3)',
    client: withBase(),
    action: echoKeepingSession,
    probe: { secure: (socket) => attempt(() => socket.getSession(), shapeOf), closed: (socket, ctx) => shapeOf(ctx.stash.session) },
    note: 'session bytes by shape',
  },
  {
    id: 'sessions.get-session-tls12',
    title: 'getSession() on TLS 1.2',
    client: withBase(TLS12),
    action: echoKeepingSession,
    probe: { secure: (socket) => attempt(() => socket.getSession(), shapeOf), closed: (socket, ctx) => shapeOf(ctx.stash.session) },
    note: 'session bytes by shape',
  },
  {
    id: 'sessions.resume-tls13',
    title: "resuming with the last 'session' (TLS 1.3): isSessionReused, the server agrees",
    listen: ['session'],
    connections: [withBase(), (ctx) => ({ ...ctx.base, session: lastSession(ctx) })],
  },
  {
    id: 'sessions.resume-tls12',
    title: 'resuming on TLS 1.2 (ticket)',
    listen: ['session'],
    connections: [withBase(TLS12), (ctx) => ({ ...ctx.base, ...TLS12, session: lastSession(ctx) })],
  },
  {
    id: 'sessions.resume-get-session',
    title: 'resuming with getSession() taken after the echo (TLS 1.3)',
    action: echoKeepingSession,
    connections: [withBase(), (ctx) => ({ ...ctx.base, session: ctx.stash.session })],
  },
  {
    id: 'sessions.resume-peer-certificate',
    title: 'getPeerCertificate() and getProtocol() on a resumed connection',
    listen: ['session'],
    connections: [withBase(), (ctx) => ({ ...ctx.base, session: lastSession(ctx) })],
    probe: { secure: (socket) => ({ detailed: attempt(() => socket.getPeerCertificate(true), certificateSummary) }) },
  },
  {
    id: 'sessions.junk',
    title: 'session bytes that are junk are ignored: a full handshake',
    client: withBase({ session: Buffer.from('not a session at all') }),
  },
  {
    id: 'sessions.reuse-across-versions',
    title: 'a TLS 1.3 session offered with maxVersion TLSv1.2: not resumed',
    listen: ['session'],
    connections: [withBase(), (ctx) => ({ ...ctx.base, ...TLS12, session: lastSession(ctx) })],
  },
];

// --- TLSSocket ------------------------------------------------------------------

const socketScenarios = [
  {
    id: 'socket.peer-certificate-detailed-full',
    title: 'getPeerCertificate(true), the server sends leaf + intermediate + root: the nested chain to the self-reference',
    server: serve(pki.viaInter, {}, 'full'),
    client: withBase(),
    probe: { secure: (socket) => attempt(() => socket.getPeerCertificate(true), certificate) },
  },
  {
    id: 'socket.peer-certificate-detailed-issuers',
    title: 'getPeerCertificate(true), the server sends leaf + intermediate, the root comes from ca',
    server: serve(pki.viaInter),
    client: withBase(),
    probe: { secure: (socket) => attempt(() => socket.getPeerCertificate(true), certificate) },
  },
  {
    id: 'socket.peer-certificate',
    title: 'getPeerCertificate(): every field of an EC leaf (infoAccess, ext_key_usage, pubkey, raw)',
    client: withBase(),
    probe: { secure: (socket) => attempt(() => socket.getPeerCertificate(), certificate) },
  },
  {
    id: 'socket.peer-certificate-rsa',
    title: 'getPeerCertificate(): an RSA leaf (modulus, exponent, bits)',
    server: serve(pki.rsa),
    client: withBase(),
    probe: { secure: (socket) => attempt(() => socket.getPeerCertificate(true), certificate) },
  },
  {
    id: 'socket.peer-certificate-self-signed',
    title: 'getPeerCertificate(true) of a self-signed leaf: it is its own issuer',
    server: serve(pki.selfSigned),
    client: withBase({ ca: pki.selfSigned.cert }),
    probe: { secure: (socket) => attempt(() => socket.getPeerCertificate(true), certificate) },
  },
  {
    id: 'socket.peer-certificate-v1',
    title: 'getPeerCertificate() of an X.509 v1 leaf (no extensions)',
    server: serve(pki.v1),
    client: withBase(),
    probe: { secure: (socket) => attempt(() => socket.getPeerCertificate(), certificate) },
  },
  {
    id: 'socket.peer-certificate-lifecycle',
    title: 'getPeerCertificate(): {} before the handshake, null after destroy',
    client: withBase(),
    probe: {
      created: (socket) => attempt(() => socket.getPeerCertificate(true)),
      closed: (socket) => attempt(() => socket.getPeerCertificate(true)),
    },
  },
  {
    id: 'socket.cipher-lifecycle',
    title: 'getCipher() before, during and after',
    client: withBase(),
    probe: { created: cipher, secure: cipher, closed: cipher },
  },
  {
    id: 'socket.cipher-tls12',
    title: 'getCipher() on TLS 1.2 with an RSA server: OpenSSL and IANA names',
    server: serve(pki.rsa),
    client: withBase(TLS12),
  },
  {
    id: 'socket.protocol-lifecycle',
    title: 'getProtocol() before, during and after',
    client: withBase(),
    probe: { created: protocol, secure: protocol, closed: protocol },
  },
  {
    id: 'socket.ephemeral-key',
    title: 'getEphemeralKeyInfo() during and after (TLS 1.3)',
    client: withBase(),
    // Not before the handshake: there Node 26.10 reads a key not yet made and
    // crashes (a segmentation fault). test/validation.test.mjs checks ours ({}).
    probe: { secure: ephemeral, closed: ephemeral },
  },
  {
    id: 'socket.ephemeral-key-tls12',
    title: 'getEphemeralKeyInfo() on TLS 1.2',
    client: withBase(TLS12),
    probe: { secure: ephemeral },
  },
  {
    id: 'socket.export-keying-material',
    title: "exportKeyingMaterial(32, label[, context]) equals the server's for the same connection (TLS 1.3)",
    server: serve(pki.leaf, { record: ['ekm'] }),
    client: withBase(),
    probe: { secure: exportKeying, closed: keyingMatchesServer },
    note: 'the bytes differ per connection: compared by length and against the server',
  },
  {
    id: 'socket.export-keying-material-tls12',
    title: "exportKeyingMaterial on TLS 1.2 equals the server's",
    server: serve(pki.leaf, { record: ['ekm'] }),
    client: withBase(TLS12),
    probe: { secure: exportKeying, closed: keyingMatchesServer },
    note: 'the bytes differ per connection: compared by length and against the server',
  },
  {
    id: 'socket.export-keying-material-validation',
    title: 'exportKeyingMaterial before the handshake, then with bad arguments, then after close',
    client: withBase(),
    probe: { created: keyingValidation, secure: keyingValidation, closed: keyingValidation },
    note: 'the exported bytes by length',
  },
  {
    id: 'socket.keylog-tls13',
    title: "'keylog' on TLS 1.3: five NSS lines, the server's own secrets",
    server: serve(pki.leaf, { record: ['keylog'] }),
    listen: ['keylog'],
    client: withBase(),
    probe: { closed: keylogAgainstServer },
    note: 'the secrets differ per connection: compared by label (sorted) and against the server',
  },
  {
    id: 'socket.keylog-tls12',
    title: "'keylog' on TLS 1.2: one CLIENT_RANDOM line",
    server: serve(pki.leaf, { record: ['keylog'] }),
    listen: ['keylog'],
    client: withBase(TLS12),
    probe: { closed: keylogAgainstServer },
    note: 'the secrets differ per connection: compared by label and against the server',
  },
  {
    id: 'socket.max-send-fragment',
    title: 'setMaxSendFragment before, during and after the connection',
    client: withBase(),
    probe: { created: maxSendFragment, secure: maxSendFragment, closed: maxSendFragment },
  },
  {
    id: 'socket.max-send-fragment-echo',
    title: 'setMaxSendFragment(512), then a 4 KiB echo arrives whole',
    client: withBase(),
    action: (socket) => {
      socket.setMaxSendFragment(512);
      socket.end('x'.repeat(4096));
    },
  },
  {
    id: 'socket.finished',
    title: 'getFinished() and getPeerFinished() before and after the handshake',
    client: withBase(),
    probe: {
      created: (socket) => ({ own: attempt(() => socket.getFinished(), sizedShape), peer: attempt(() => socket.getPeerFinished(), sizedShape) }),
      secure: (socket) => ({ own: attempt(() => socket.getFinished(), sizedShape), peer: attempt(() => socket.getPeerFinished(), sizedShape) }),
    },
    note: 'the Finished bytes differ per connection: compared by length',
  },
  {
    id: 'socket.renegotiate-tls13',
    title: 'renegotiate() on TLS 1.3: false, and the callback gets an error',
    client: withBase(),
    probe: { secure: renegotiation },
  },
  {
    id: 'socket.bytes',
    title: 'bytesRead and bytesWritten after a 5-byte echo',
    client: withBase(),
    probe: {
      created: (socket) => ({ read: socket.bytesRead, written: socket.bytesWritten }),
      closed: (socket) => ({ read: socket.bytesRead, written: socket.bytesWritten }),
    },
  },
  {
    id: 'socket.addresses',
    title: "remote and local addresses, address()",
    client: withBase({ host: '127.0.0.1' }),
    probe: {
      secure: (socket) => ({
        remoteAddress: socket.remoteAddress,
        remotePort: socket.remotePort,
        remoteFamily: socket.remoteFamily,
        localAddress: socket.localAddress,
        localPort: typeof socket.localPort,
        address: Object.keys(socket.address()),
      }),
    },
    note: 'the local port by type: it differs per run',
  },
  {
    id: 'socket.fields',
    title: 'encrypted, secureConnecting, authorized, alpnProtocol, servername before and after the handshake',
    client: withBase(),
    probe: { created: fields, secure: fields, closed: fields },
  },
  {
    id: 'socket.session-reused-lifecycle',
    title: 'isSessionReused() and getSession() before and after',
    client: withBase(),
    probe: {
      created: (socket) => ({ reused: attempt(() => socket.isSessionReused()), session: attempt(() => socket.getSession(), shapeOf) }),
      closed: (socket) => ({ reused: attempt(() => socket.isSessionReused()), session: attempt(() => socket.getSession(), shapeOf) }),
    },
  },
  {
    id: 'socket.own-certificate',
    title: 'getCertificate(): our own certificate when we sent one',
    server: REQUIRE_CLIENT,
    client: withBase({ cert: pki.client.chain.slice(0, 2).join(''), key: pki.client.key }),
    probe: { secure: (socket) => attempt(() => socket.getCertificate(), certificateSummary) },
  },
  {
    id: 'socket.own-certificate-none',
    title: 'getCertificate() without a certificate of our own',
    client: withBase(),
    probe: { secure: (socket) => attempt(() => socket.getCertificate()) },
  },
];

// --- what rustls cannot do --------------------------------------------------------

const cannotScenarios = [
  {
    id: 'cannot.tls1-server',
    title: "minVersion 'TLSv1' against a TLS 1.0-only server",
    server: serve(pki.leaf, { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }),
    client: withBase({ minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }),
  },
  {
    id: 'cannot.max-version-tls11',
    title: "maxVersion 'TLSv1.1'",
    server: OLD_VERSIONS,
    client: withBase({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
  },
  {
    id: 'cannot.secure-protocol-tls1',
    title: "secureProtocol 'TLSv1_method'",
    server: OLD_VERSIONS,
    client: withBase({ secureProtocol: 'TLSv1_method', ciphers: 'DEFAULT@SECLEVEL=0' }),
  },
  {
    id: 'cannot.dhe-own-parameters',
    title: "a TLS 1.2 DHE server with DH parameters of its own (not RFC 7919's or RFC 3526's)",
    server: serve(pki.rsa, { ciphers: 'DHE-RSA-AES128-GCM-SHA256', dhparam: OWN_DH_PARAMS, ...TLS12 }),
    client: withBase(),
  },
  {
    id: 'cannot.psk',
    title: 'pskCallback against a PSK server (TLS 1.2, PSK-AES128-GCM-SHA256)',
    server: serve(pki.leaf, { pskCallback: () => PSK_KEY, ciphers: 'PSK-AES128-GCM-SHA256', ...TLS12 }),
    client: withBase({
      pskCallback: () => ({ psk: PSK_KEY, identity: 'differential' }),
      ciphers: 'PSK-AES128-GCM-SHA256',
      ...TLS12,
      checkServerIdentity: () => undefined,
    }),
  },
  {
    id: 'cannot.renegotiate-tls12',
    title: 'renegotiate() on TLS 1.2',
    client: withBase(TLS12),
    probe: { secure: renegotiation },
  },
  {
    id: 'cannot.cbc-suite',
    title: "ciphers naming only a CBC suite ('ECDHE-ECDSA-AES128-SHA') on TLS 1.2",
    client: withBase({ ...TLS12, ciphers: 'ECDHE-ECDSA-AES128-SHA' }),
  },
];

// --- certificate compression (RFC 8879, Node 26) ----------------------------------

/** A Node 26 server that compresses its chain (leaf and intermediate) with any of the three, and counts its bytes. */
const COMPRESSING = serve(pki.viaInter, { certificateCompression: ['zlib', 'brotli', 'zstd'], record: ['wire'] });

/**
 * After the second connection (the first offers no compression, the second
 * may): whether the server's handshake took clearly fewer bytes on the wire,
 * the sign that it sent its chain compressed and the client took it. The
 * chain compresses by some 300 bytes; an ECDSA signature's length alone moves
 * the count by a byte or two, hence the margin.
 */
function compressedOnTheWire(socket, ctx) {
  const [plain, compressed] = ctx.live.connections.map((seen) => seen.secrets.wireBytes);
  if (compressed === undefined) return { baseline: typeof plain };
  return { compressed: plain - compressed > 64 };
}

/** Two connections to the compressing server: without compression, then offering `offered`. */
const compressionPair = (id, title, offered, server = COMPRESSING) => ({
  id: `options.certificate-compression-${id}`,
  title,
  server,
  connections: [withBase(), withBase({ certificateCompression: offered })],
  probe: { secure: (socket) => certificateSummary(socket.getPeerCertificate()), closed: compressedOnTheWire },
  note: "the server's byte counts differ by library: compared only as smaller-or-not",
});

const compressionScenarios = [
  compressionPair('zlib', "certificateCompression ['zlib'] from a compressing Node server: authorized, fewer bytes", ['zlib']),
  compressionPair('brotli', "certificateCompression ['brotli']: authorized, fewer bytes", ['brotli']),
  compressionPair('zstd', "certificateCompression ['zstd']: authorized, fewer bytes", ['zstd']),
  compressionPair('all', 'certificateCompression, all three in order: the server picks one', ['zstd', 'brotli', 'zlib']),
  compressionPair('one-common', "certificateCompression ['zstd', 'zlib'] to a server with zlib alone",
    ['zstd', 'zlib'], serve(pki.viaInter, { certificateCompression: ['zlib'], record: ['wire'] })),
  {
    id: 'options.certificate-compression-server-none',
    title: "certificateCompression ['brotli'] to a server that does not compress: as without it",
    server: serve(pki.viaInter),
    client: withBase({ certificateCompression: ['brotli'] }),
  },
  {
    id: 'options.certificate-compression-tls12-server',
    title: 'certificateCompression against a TLS 1.2 server: no compression there, authorized',
    server: serve(pki.viaInter, TLS12),
    client: withBase({ certificateCompression: ['zlib', 'zstd'] }),
  },
  {
    id: 'options.certificate-compression-empty',
    title: 'certificateCompression [] to a compressing server: none offered, the chain uncompressed',
    server: COMPRESSING,
    connections: [withBase(), withBase({ certificateCompression: [] })],
    probe: { closed: compressedOnTheWire },
    note: "the server's byte counts differ by library: compared only as smaller-or-not",
  },
  throws('certificate-compression-string', "certificateCompression 'zlib'", withBase({ certificateCompression: 'zlib' })),
  throws('certificate-compression-unknown', "certificateCompression ['lz4']", withBase({ certificateCompression: ['lz4'] })),
  throws('certificate-compression-four', 'certificateCompression of four names',
    withBase({ certificateCompression: ['zlib', 'brotli', 'zstd', 'zlib'] })),
  throws('certificate-compression-twice', "certificateCompression ['zstd', 'zstd']", withBase({ certificateCompression: ['zstd', 'zstd'] })),
  throws('certificate-compression-tls12', 'certificateCompression with maxVersion TLSv1.2',
    withBase({ certificateCompression: ['zlib'], maxVersion: 'TLSv1.2' })),
  {
    id: 'validation.context-certificate-compression-twice',
    bullet: 'validation',
    kind: 'context',
    title: "createSecureContext({certificateCompression: ['brotli', 'brotli']})",
    options: () => ({ certificateCompression: ['brotli', 'brotli'] }),
  },
  {
    id: 'validation.context-certificate-compression-unknown',
    bullet: 'validation',
    kind: 'context',
    title: "createSecureContext({certificateCompression: [null]})",
    options: () => ({ certificateCompression: [null] }),
  },
];

// --- RSA-PSS keys (id-RSASSA-PSS), leaves and chains ------------------------------

/** Connect options trusting `root` only, plus `extra`. */
const trusting = (root, extra = {}) => (ctx) => ({ ...ctx.base, ca: root.cert, ...extra });

const pssScenarios = [
  {
    id: 'verification.pss-leaf-tls13',
    title: 'an RSA-PSS leaf (no key parameters) from an RSA root, TLS 1.3: rsa_pss_pss_sha256',
    server: serve(pki.pssLeaf),
    client: trusting(pki.rsaRoot),
  },
  {
    id: 'verification.pss-leaf-tls12',
    title: 'an RSA-PSS leaf from an RSA root, TLS 1.2',
    server: serve(pki.pssLeaf),
    client: trusting(pki.rsaRoot, TLS12),
  },
  {
    id: 'verification.pss-chain-tls13',
    title: 'an RSA-PSS root and leaf restricted to SHA-256, RSASSA-PSS signatures, TLS 1.3',
    server: serve(pki.pssViaPssRoot),
    client: trusting(pki.pssRoot),
  },
  {
    id: 'verification.pss-chain-tls12',
    title: 'an RSA-PSS root and leaf restricted to SHA-256, TLS 1.2',
    server: serve(pki.pssViaPssRoot),
    client: trusting(pki.pssRoot, TLS12),
  },
  {
    id: 'verification.pss-chain-no-parameters',
    title: 'an RSA-PSS root and leaf without key parameters, the salt as long as the hash, TLS 1.3',
    server: serve(pki.pssViaPlainRoot),
    client: trusting(pki.pssRootPlain),
  },
  {
    id: 'verification.pss-chain-longest-salt',
    title: "an RSA-PSS root signing with openssl's default salt (the longest), TLS 1.3",
    server: serve(pki.pssViaMaxSalt),
    client: trusting(pki.pssRootMaxSalt),
  },
  {
    id: 'verification.pss-sigalgs-pss-pss',
    title: "sigalgs 'rsa_pss_pss_sha256' against an RSA-PSS leaf: what the server shares",
    server: serve(pki.pssLeaf, { record: ['sigalgs'] }),
    client: trusting(pki.rsaRoot, { sigalgs: 'rsa_pss_pss_sha256' }),
  },
  {
    id: 'verification.pss-leaf-rsae-only',
    title: "sigalgs 'rsa_pss_rsae_sha256' against an RSA-PSS leaf: handshake_failure",
    server: serve(pki.pssLeaf),
    client: trusting(pki.rsaRoot, { sigalgs: 'rsa_pss_rsae_sha256' }),
  },
];

/** Every scenario, with its bullet; ids are unique. */
export const scenarios = [
  ...connectScenarios.map((s) => ({ bullet: 'connect', server: LEAF, ...s })),
  ...validationScenarios.map((s) => ({ server: LEAF, ...s })),
  ...optionScenarios.map((s) => ({ bullet: 'options', server: LEAF, ...s })),
  ...compressionScenarios.map((s) => ({ bullet: 'options', server: LEAF, ...s })),
  ...verificationScenarios.map((s) => ({ bullet: 'verification', server: LEAF, ...s })),
  ...pssScenarios.map((s) => ({ bullet: 'verification', ...s })),
  ...sessionScenarios.map((s) => ({ bullet: 'sessions', server: LEAF, ...s })),
  ...socketScenarios.map((s) => ({ bullet: 'TLSSocket', server: LEAF, ...s })),
  ...cannotScenarios.map((s) => ({ bullet: 'rustls cannot', server: LEAF, ...s })),
];

const ids = new Set();
for (const { id } of scenarios) {
  if (ids.has(id)) throw new Error(`duplicate scenario id ${id}`);
  ids.add(id);
}
