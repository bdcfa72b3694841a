// The certificates of the differential scenarios, made fresh per test process by
// the `openssl` command line: a root with an intermediate, leaves of every kind
// the verification table needs (expired, not yet valid, revoked, X.509 v1,
// self-signed, RSA, RSA-PSS keys and chains), untrusted chains, a client chain and its key in every
// encoding Node reads (encrypted PKCS#8, legacy encrypted PEM, PKCS#12), and
// CRLs. Every name is PEM text; `pfx` is a Buffer.

import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'tls-connect-differential-'));
let serial = 100;

function openssl(...args) {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`openssl ${args.join(' ')}: ${error.stderr}`);
  }
}

function read(file) {
  return readFileSync(join(dir, file), 'utf8');
}

/** A new private key in `<name>.key`: P-256 by default, or RSA of `bits`. */
function newKey(name, bits) {
  if (bits) openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', `${name}.key`);
  else openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
}

/**
 * A new 2048-bit RSA-PSS key (id-RSASSA-PSS) in `<name>.key`: without
 * parameters, or restricted to SHA-256 (MGF1 SHA-256, 32-byte salt) when `restricted`.
 */
function newPssKey(name, restricted) {
  const params = restricted
    ? ['rsa_pss_keygen_md:sha256', 'rsa_pss_keygen_mgf1_md:sha256', 'rsa_pss_keygen_saltlen:32']
    : [];
  openssl('genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048',
    ...params.flatMap((p) => ['-pkeyopt', p]), '-out', `${name}.key`);
}

/**
 * A root CA for an RSA-PSS key (see newPssKey) signing with RSASSA-PSS over
 * SHA-256; `saltlen` is openssl's `rsa_pss_saltlen` (`digest`, or its default
 * when absent: the longest salt for an unrestricted key).
 */
function pssRoot(name, subject, { restricted = false, saltlen } = {}) {
  newPssKey(name, restricted);
  const sigopt = saltlen ? ['-sigopt', `rsa_pss_saltlen:${saltlen}`] : [];
  openssl('req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', subject,
    '-sha256', ...sigopt, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  return { name, cert: read(`${name}.pem`), key: read(`${name}.key`), chain: [read(`${name}.pem`)], sigopt };
}

/** A self-signed certificate: a root CA unless `extensions` say otherwise. */
function selfSigned(name, subject, extensions = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']) {
  newKey(name);
  const ext = extensions.flatMap((line) => ['-addext', line]);
  openssl('req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', subject, ...ext);
  return { name, cert: read(`${name}.pem`), key: read(`${name}.key`), chain: [read(`${name}.pem`)] };
}

/** A self-signed root CA for a new RSA-2048 key. */
function selfSignedRsa(name, subject) {
  newKey(name, 2048);
  openssl('req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  return { name, cert: read(`${name}.pem`), key: read(`${name}.key`), chain: [read(`${name}.pem`)] };
}

/** A per-issuer `openssl ca` set-up, for explicit validity dates and for CRLs. */
function caConfig(issuer) {
  const base = `${issuer.name}-ca`;
  try {
    readFileSync(join(dir, `${base}.cnf`));
  } catch {
    writeFileSync(join(dir, `${base}.index`), '');
    writeFileSync(join(dir, `${base}.crlnumber`), '01\n');
    writeFileSync(join(dir, `${base}.serial`), `${(0x1000 + serial++).toString(16)}\n`);
    writeFileSync(
      join(dir, `${base}.cnf`),
      [
        '[ca]', 'default_ca = d', '[d]', `database = ${base}.index`, `crlnumber = ${base}.crlnumber`, `serial = ${base}.serial`,
        'new_certs_dir = .', 'default_md = sha256', 'default_crl_days = 30', 'policy = any',
        'unique_subject = no', 'copy_extensions = none', '[any]', 'commonName = supplied',
        'organizationName = optional', '',
      ].join('\n'),
    );
  }
  return ['-config', `${base}.cnf`, '-keyfile', `${issuer.name}.key`, '-cert', `${issuer.name}.pem`];
}

/**
 * A certificate signed by `issuer`: `cn` and `sans` (DNS names and IPs), a CA
 * when `ca`, X.509 v1 (no extensions) when `v1`, RSA when `rsaBits`, and fixed
 * validity dates (`start`/`end`, `YYYYMMDDHHMMSSZ`) when given. Its `chain` is
 * itself followed by the issuer's chain.
 */
function issue(issuer, name, { cn = 'localhost', sans = ['localhost', '127.0.0.1'], ca = false, v1 = false, rsaBits, pss, start, end, eku = 'serverAuth' } = {}) {
  // `pss`: an RSA-PSS key, `{restricted}` as newPssKey takes it.
  if (pss) newPssKey(name, pss.restricted);
  else newKey(name, rsaBits);
  const subject = `/O=tls-connect differential/CN=${cn}`;
  openssl('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  const lines = ca
    ? ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']
    : ['basicConstraints=CA:FALSE', `extendedKeyUsage=${eku}`];
  if (!ca && sans.length > 0) {
    lines.push(`subjectAltName=${sans.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}`);
  }
  if (!ca) lines.push('authorityInfoAccess=OCSP;URI:http://ocsp.differential.test');
  writeFileSync(join(dir, `${name}.ext`), lines.join('\n') + '\n');
  const serialArgs = ['-set_serial', String(serial++)];
  if (start || end) {
    // `openssl ca` is the command-line tool that sets arbitrary dates.
    openssl('ca', '-batch', ...caConfig(issuer), '-in', `${name}.csr`, '-out', `${name}.pem`, '-notext',
      '-startdate', start, '-enddate', end, '-extfile', `${name}.ext`, '-preserveDN');
  } else if (v1) {
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer.name}.pem`, '-CAkey', `${issuer.name}.key`,
      ...serialArgs, '-days', '30', '-out', `${name}.pem`);
  } else {
    // An RSA-PSS issuer signs with RSASSA-PSS; `sigopt` its salt length, if set.
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer.name}.pem`, '-CAkey', `${issuer.name}.key`,
      ...serialArgs, '-days', '30', '-extfile', `${name}.ext`, ...(issuer.sigopt ?? []), '-out', `${name}.pem`);
  }
  const cert = read(`${name}.pem`);
  return { name, cert, key: read(`${name}.key`), chain: [cert, ...issuer.chain] };
}

/** A CRL from `issuer` revoking `revoked` (certificates it issued through `openssl ca`'s database). */
function crl(issuer, revoked = []) {
  const signer = caConfig(issuer);
  for (const cert of revoked) openssl('ca', ...signer, '-revoke', `${cert.name}.pem`);
  openssl('ca', ...signer, '-gencrl', '-out', `${issuer.name}.crl`);
  return read(`${issuer.name}.crl`);
}

/** The output of one `openssl` command that writes to a file, read back. */
function convert(output, ...args) {
  openssl(...args, '-out', output);
  return read(output);
}

/** Every identity and trust item of the scenarios, made now; `chain` lists a certificate and its issuers, leaf first. */
function generate() {
  const root = selfSigned('root', '/O=tls-connect differential/CN=differential root');
  const inter = issue(root, 'inter', { cn: 'differential intermediate', ca: true });
  const stranger = selfSigned('stranger', '/O=tls-connect differential/CN=unknown root');
  const strangerInter = issue(stranger, 'stranger-inter', { cn: 'unknown intermediate', ca: true });
  const clientRoot = selfSigned('client-root', '/O=tls-connect differential/CN=client root');
  const clientInter = issue(clientRoot, 'client-inter', { cn: 'client intermediate', ca: true });
  const client = issue(clientInter, 'client', { cn: 'differential client', sans: [], eku: 'clientAuth' });
  const revoked = issue(root, 'revoked');
  const viaInter = issue(inter, 'via-inter');
  const rsaRoot = selfSignedRsa('rsa-root', '/O=tls-connect differential/CN=differential RSA root');
  const pssRootRestricted = pssRoot('pss-root', '/O=tls-connect differential/CN=differential RSA-PSS root', { restricted: true });
  const pssRootPlain = pssRoot('pss-root-plain', '/O=tls-connect differential/CN=differential RSA-PSS root (no parameters)', { saltlen: 'digest' });
  const pssRootMaxSalt = pssRoot('pss-root-max-salt', '/O=tls-connect differential/CN=differential RSA-PSS root (longest salt)');

  const made = {
    root,
    inter,
    /** A leaf for localhost and 127.0.0.1 signed by the root itself. */
    leaf: issue(root, 'leaf'),
    /** A leaf signed by the intermediate. */
    viaInter,
    /** An RSA-2048 leaf signed by the root (modulus and exponent fields, ECDHE-RSA and DHE suites). */
    rsa: issue(root, 'rsa', { rsaBits: 2048 }),
    /** An RSA-1024 leaf: OpenSSL's default level accepts it; ring verifies no RSA signature that small. */
    rsa1024: issue(root, 'rsa1024', { rsaBits: 1024 }),
    /** A leaf for other.test only. */
    otherName: issue(root, 'other', { cn: 'other.test', sans: ['other.test'] }),
    expired: issue(root, 'expired', { start: '20200101000000Z', end: '20200201000000Z' }),
    notYetValid: issue(root, 'not-yet', { start: '20990101000000Z', end: '20990201000000Z' }),
    revoked,
    /** X.509 v1, no extensions: the name is its subject CN, localhost. */
    v1: issue(root, 'v1', { v1: true }),
    /** A self-signed end-entity certificate for localhost (CA:FALSE). */
    selfSigned: selfSigned('self', '/CN=localhost', ['basicConstraints=CA:FALSE', 'subjectAltName=DNS:localhost,IP:127.0.0.1']),
    /** A self-signed CA certificate used as the server's own (CA:TRUE). */
    selfSignedCa: selfSigned('self-ca', '/CN=localhost', ['basicConstraints=critical,CA:TRUE', 'subjectAltName=DNS:localhost,IP:127.0.0.1']),
    stranger,
    /** A leaf from the unknown root, sent alone. */
    strangerLeaf: issue(stranger, 'stranger-leaf'),
    /** A leaf from the unknown root's intermediate. */
    strangerViaInter: issue(strangerInter, 'stranger-via-inter'),
    clientRoot,
    /** A client identity under an intermediate; `chain` is leaf then intermediate then root. */
    client,
    /** The root's CRL revoking `revoked`. */
    crlRoot: crl(root, [revoked]),
    /** The intermediate's CRL, revoking nothing. */
    crlInter: crl(inter),
    /** A root for an rsaEncryption key (RSA-2048). */
    rsaRoot,
    /** An RSA-PSS leaf (no key parameters) signed by the RSA root with PKCS#1 v1.5. */
    pssLeaf: issue(rsaRoot, 'pss-leaf', { pss: {} }),
    /** A root for an RSA-PSS key restricted to SHA-256. */
    pssRoot: pssRootRestricted,
    /** An RSA-PSS leaf restricted to SHA-256, signed by that root with RSASSA-PSS (32-byte salt). */
    pssViaPssRoot: issue(pssRootRestricted, 'pss-via-pss', { pss: { restricted: true } }),
    /** A root for an RSA-PSS key without parameters. */
    pssRootPlain,
    /** An RSA-PSS leaf (no parameters) signed by that root with RSASSA-PSS, salt as long as the hash. */
    pssViaPlainRoot: issue(pssRootPlain, 'pss-via-plain', { pss: {} }),
    /** A root for an RSA-PSS key without parameters, signing with openssl's default salt (the longest). */
    pssRootMaxSalt,
    /** An RSA-PSS leaf signed by that root with the longest salt (222 bytes for 2048 bits and SHA-256). */
    pssViaMaxSalt: issue(pssRootMaxSalt, 'pss-via-max-salt', { pss: {} }),
  };

  /** The client key encrypted with passphrase 'secret': PKCS#8, and OpenSSL's legacy PEM encryption. */
  made.clientKeyPkcs8 = convert('client-p8.key', 'pkcs8', '-topk8', '-in', 'client.key', '-v2', 'aes-256-cbc', '-passout', 'pass:secret');
  made.clientKeyLegacy = convert('client-legacy.key', 'ec', '-in', 'client.key', '-aes256', '-passout', 'pass:secret');
  /** The client identity as PKCS#12 with passphrase 'secret' (key, leaf and intermediate). */
  made.clientPfx = (() => {
    writeFileSync(join(dir, 'client-inter-only.pem'), clientInter.cert);
    openssl('pkcs12', '-export', '-inkey', 'client.key', '-in', 'client.pem', '-certfile', 'client-inter-only.pem',
      '-passout', 'pass:secret', '-out', 'client.p12');
    return Buffer.from(readFileSync(join(dir, 'client.p12')));
  })();

  return made;
}

/** Where a parent process left its PKI for an isolated scenario's child, which must meet the same certificates. */
const SHARED = 'TLS_CONNECT_DIFFERENTIAL_PKI';

/** Writes the PKI to `file` for a child process (see SHARED); the pfx Buffer as base64. */
export function savePki(file) {
  writeFileSync(file, JSON.stringify({ ...pki, clientPfx: pki.clientPfx.toString('base64') }));
}

function load(file) {
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  return { ...saved, clientPfx: Buffer.from(saved.clientPfx, 'base64') };
}

/** The PKI of this process: the parent's when it shared one, else fresh. */
export const pki = process.env[SHARED] ? load(process.env[SHARED]) : generate();
/** The environment variable naming a shared PKI file. */
export const SHARED_PKI_ENV = SHARED;

rmSync(dir, { recursive: true, force: true });
