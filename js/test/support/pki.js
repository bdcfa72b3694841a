// Test certificates, made fresh by the `openssl` command line for each test
// process: a root CA, server leaves for localhost and 127.0.0.1, a client
// identity, and the untrusted variants the verification tests need.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'tls-connect-pki-'));
let serial = 1;

function openssl(...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function read(name) {
  return readFileSync(join(dir, name), 'utf8');
}

/** A fresh P-256 key and a request for `cn`; returns the key's file name. */
function request(name, cn) {
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=tls-connect tests/CN=${cn}`);
}

/** A self-signed root CA. */
function root(name, cn) {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/O=tls-connect tests/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  return { name, cert: read(`${name}.pem`), key: read(`${name}.key`) };
}

/** A certificate for `cn` with `extensions` (config lines), signed by `issuer`. */
function issue(issuer, name, cn, extensions) {
  request(name, cn);
  writeFileSync(join(dir, `${name}.ext`), extensions.join('\n') + '\n');
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer.name}.pem`, '-CAkey', `${issuer.name}.key`,
    '-set_serial', String(serial++), '-days', '30', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  return { name, cert: read(`${name}.pem`), key: read(`${name}.key`) };
}

const SERVER = ['basicConstraints=CA:FALSE', 'extendedKeyUsage=serverAuth'];

/** A server leaf for `names` (DNS names and IP addresses), issued by `issuer`. */
function serverLeaf(issuer, name, names) {
  const alt = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  return issue(issuer, name, names[0], [...SERVER, `subjectAltName=${alt}`]);
}

const trustedRoot = root('root', 'tls-connect test root');
const strangerRoot = root('stranger', 'unknown test root');
const clientRoot = root('client-root', 'tls-connect client root');

/** Every identity the tests use, PEM text. */
export const pki = {
  /** The root the client trusts through `ca`. */
  ca: trustedRoot.cert,
  /** A leaf for localhost and 127.0.0.1 from the trusted root. */
  server: serverLeaf(trustedRoot, 'server', ['localhost', '127.0.0.1']),
  /** A leaf for another name only, from the trusted root. */
  otherName: serverLeaf(trustedRoot, 'other', ['other.test']),
  /** A leaf for localhost from a root nobody trusts. */
  unknownIssuer: serverLeaf(strangerRoot, 'unknown', ['localhost', '127.0.0.1']),
  /** The root the server trusts for client certificates. */
  clientCa: clientRoot.cert,
  /** A client identity from the client root. */
  client: issue(clientRoot, 'client', 'tls-connect test client', ['basicConstraints=CA:FALSE', 'extendedKeyUsage=clientAuth']),
};

/**
 * A CRL from `issuer` revoking `revoked` (certificates issued by it), made by
 * `openssl ca` over a throwaway database.
 */
function crl(issuer, revoked) {
  const db = `${issuer.name}-crl`;
  writeFileSync(join(dir, `${db}.index`), '');
  writeFileSync(join(dir, `${db}.number`), '01\n');
  writeFileSync(
    join(dir, `${db}.cnf`),
    `[ca]\ndefault_ca = d\n[d]\ndatabase = ${db}.index\ncrlnumber = ${db}.number\ndefault_md = sha256\ndefault_crl_days = 30\n`,
  );
  const signer = ['-config', `${db}.cnf`, '-keyfile', `${issuer.name}.key`, '-cert', `${issuer.name}.pem`];
  for (const cert of revoked) openssl('ca', ...signer, '-revoke', `${cert.name}.pem`);
  openssl('ca', ...signer, '-gencrl', '-out', `${db}.pem`);
  return read(`${db}.pem`);
}

/** A leaf for localhost that the trusted root revoked, and the root's CRLs. */
pki.revoked = serverLeaf(trustedRoot, 'revoked', ['localhost', '127.0.0.1']);
/** The trusted root's CRL listing `pki.revoked`. */
pki.crlRevoking = crl(trustedRoot, [pki.revoked]);

/** A self-signed leaf for localhost (CA:FALSE, so it can only be trusted as itself). */
pki.selfSigned = (() => {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'self.key', '-out', 'self.pem', '-days', '30', '-subj', '/CN=localhost',
    '-addext', 'basicConstraints=CA:FALSE', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  return { cert: read('self.pem'), key: read('self.key') };
})();

rmSync(dir, { recursive: true, force: true });

/** A server's options that require and check a client certificate from the client root. */
export const mutualTlsServer = {
  key: pki.server.key,
  cert: pki.server.cert,
  ca: pki.clientCa,
  requestCert: true,
  rejectUnauthorized: true,
};

/** A client's options: trust the test root, present the client identity. */
export const clientIdentity = { ca: pki.ca, cert: pki.client.cert, key: pki.client.key };
