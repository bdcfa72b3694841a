// Node 26's default CA store: `tls.getCACertificates(type)` and
// `tls.setDefaultCACertificates(certs)`. The bundled roots are the component's
// (Mozilla's, `tls.rootCertificates`); the extra ones come from the file named
// by NODE_EXTRA_CA_CERTS, read once, where the runtime has a file system; the
// system's are the runtime's own `node:tls` answer where it has one. A context
// made without `ca` trusts the default store, as in Node: the component's own
// roots unless extra certificates or a default set here change it.

import { Buffer } from 'node:buffer';
import { client } from './component.js';
import { describeReceived, nodeError } from './errors.js';

const TYPES = ['default', 'system', 'bundled', 'extra'];

let bundled;
let extra;
/** Node's own default, bundled and extra, made once. */
let nodeDefault;
let system;
/** The store `setDefaultCACertificates` set, or undefined for Node's own default. */
let chosenDefault;
/** The default store as the `ca` a context gets: one PEM text, made once per store. */
let defaultPem;

/** Each certificate in `text` as Node re-encodes it, in order: PEM blocks labelled CERTIFICATE at a line start. */
function certificatesIn(text) {
  const found = [];
  const blocks = text.matchAll(/^-----BEGIN CERTIFICATE-----\r?\n([\s\S]*?)^-----END CERTIFICATE-----/gm);
  for (const [, body] of blocks) {
    const der = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    if (isDerSequence(der)) found.push(pemOf(der));
  }
  return found;
}

/** Whether `der` is one whole DER SEQUENCE, as a certificate is. */
function isDerSequence(der) {
  if (der.length < 2 || der[0] !== 0x30) return false;
  let length = der[1];
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || der.length < 2 + count) return false;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[2 + i];
    header += count;
  }
  return header + length === der.length;
}

/** PEM as OpenSSL writes it: base64 in lines of 64. */
function pemOf(der) {
  const lines = der.toString('base64').match(/.{1,64}/g);
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A frozen list without repeats, in first-seen order. */
function unique(list) {
  return Object.freeze([...new Set(list)]);
}

/** The roots bundled with the component (`tls.rootCertificates`), frozen as Node's. */
export function bundledCertificates() {
  bundled ??= unique(client.rootCertificates());
  return bundled;
}

/** NODE_EXTRA_CA_CERTS's certificates, read once; none where there is no such file or file system. */
function extraCertificates() {
  if (extra) return extra;
  let text = '';
  try {
    const path = globalThis.process?.env?.NODE_EXTRA_CA_CERTS;
    const fs = path ? globalThis.process.getBuiltinModule?.('node:fs') : undefined;
    if (fs) text = fs.readFileSync(path, 'utf8');
  } catch {
    // Node warns and goes on without them; so do we, silently.
  }
  extra = unique(certificatesIn(text));
  return extra;
}

/** The runtime's own system store, where its node:tls gives one. */
function systemCertificates() {
  if (system) return system;
  try {
    const runtimeTls = globalThis.process?.getBuiltinModule?.('node:tls');
    system = unique(runtimeTls?.getCACertificates?.('system') ?? []);
  } catch {
    system = Object.freeze([]);
  }
  return system;
}

/** `tls.getCACertificates(type = 'default')`, checked as Node checks `type`. */
export function getCACertificates(type = 'default') {
  if (typeof type !== 'string') {
    throw nodeError('ERR_INVALID_ARG_TYPE', `The "type" argument must be of type string.${describeReceived(type)}`);
  }
  if (!TYPES.includes(type)) {
    throw nodeError('ERR_INVALID_ARG_VALUE', `The argument 'type' is invalid. Received '${type}'`);
  }
  if (type === 'bundled') return bundledCertificates();
  if (type === 'extra') return extraCertificates();
  if (type === 'system') return systemCertificates();
  nodeDefault ??= unique([...bundledCertificates(), ...extraCertificates()]);
  return chosenDefault ?? nodeDefault;
}

/** `tls.setDefaultCACertificates(certs)`: what contexts made without `ca` trust from now on. */
export function setDefaultCACertificates(certs) {
  if (!Array.isArray(certs)) {
    throw nodeError('ERR_INVALID_ARG_TYPE', `The "certs" argument must be an instance of Array.${describeReceived(certs)}`);
  }
  const found = [];
  certs.forEach((cert, index) => {
    if (typeof cert !== 'string' && !ArrayBuffer.isView(cert)) {
      throw nodeError(
        'ERR_INVALID_ARG_TYPE',
        `The "certs[${index}]" argument must be of type string or an instance of ArrayBufferView.${describeReceived(cert)}`,
      );
    }
    const text = typeof cert === 'string' ? cert : Buffer.from(cert.buffer, cert.byteOffset, cert.byteLength).toString('latin1');
    found.push(...certificatesIn(text));
  });
  if (certs.length > 0 && found.length === 0) {
    throw nodeError('ERR_CRYPTO_OPERATION_FAILED', 'No valid certificates found in the provided array');
  }
  chosenDefault = unique(found);
  defaultPem = undefined;
}

/**
 * The `ca` a context without one trusts: undefined for the component's own
 * roots, else the default store (with NODE_EXTRA_CA_CERTS's, or as set), as
 * one PEM text: the component takes one long string several times faster
 * than hundreds of short ones (7 ms against 3 for 262 certificates).
 */
export function defaultCA() {
  if (!chosenDefault && extraCertificates().length === 0) return undefined;
  // Each on its own lines: the bundled roots' PEM texts end without a newline.
  defaultPem ??= [getCACertificates('default').join('\n')];
  return defaultPem;
}
