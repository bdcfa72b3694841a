// Builds Node's `getPeerCertificate()` objects from the component's
// `peer-certificate` records: Node 26's keys and order, null-prototype name objects,
// Buffers for `pubkey` and `raw`, and the nested `issuerCertificate` chain.

import { Buffer } from 'node:buffer';

/** A distinguished name as Node shows it: a null-prototype object; a repeated attribute becomes an array. */
function nameObject(attributes) {
  const name = Object.create(null);
  for (const [key, value] of attributes) {
    if (!(key in name)) name[key] = value;
    else if (Array.isArray(name[key])) name[key].push(value);
    else name[key] = [name[key], value];
  }
  return name;
}

/** `infoAccess`: each access method maps to the list of its locations. */
function infoAccessObject(pairs) {
  const access = Object.create(null);
  for (const [method, location] of pairs) (access[method] ??= []).push(location);
  return access;
}

/**
 * One certificate as Node 26 writes it: every key, always in this order, a
 * field the certificate lacks being `undefined` (Node 20 left such keys out
 * and ordered the key fields by key type).
 */
export function legacyObject(cert) {
  return {
    subject: nameObject(cert.subject),
    issuer: nameObject(cert.issuer),
    subjectaltname: cert.subjectaltname,
    infoAccess: cert.infoAccess === undefined ? undefined : infoAccessObject(cert.infoAccess),
    ca: cert.ca,
    modulus: cert.modulus,
    exponent: cert.exponent,
    pubkey: cert.pubkey === undefined ? undefined : Buffer.from(cert.pubkey),
    bits: cert.bits,
    valid_from: cert.validFrom,
    valid_to: cert.validTo,
    fingerprint: cert.fingerprint,
    fingerprint256: cert.fingerprint256,
    fingerprint512: cert.fingerprint512,
    ext_key_usage: cert.extKeyUsage,
    serialNumber: cert.serialNumber,
    raw: Buffer.from(cert.raw),
    asn1Curve: cert.asn1Curve,
    nistCurve: cert.nistCurve,
  };
}

/** True when the certificate names itself as its issuer. */
function selfIssued(cert) {
  return JSON.stringify(cert.subject) === JSON.stringify(cert.issuer);
}

/**
 * `getPeerCertificate(detailed)` from the component's answer: `null` after
 * destroy, `{}` when the server sent none, else the leaf; with `detailed`, each
 * certificate links to the next through `issuerCertificate`, and a self-issued
 * last certificate links to itself, as Node's does at a root.
 */
export function peerCertificate(chain, detailed) {
  if (chain === undefined) return null;
  if (chain.length === 0) return {};
  const objects = chain.map(legacyObject);
  if (detailed) {
    objects.forEach((object, index) => {
      const next = objects[index + 1];
      if (next) object.issuerCertificate = next;
      else if (selfIssued(chain[index])) object.issuerCertificate = object;
    });
  }
  return objects[0];
}

/** The record the component's `check-server-identity` reads, from a certificate object a caller passes. */
export function identityRecord(cert) {
  const attributes = (name) =>
    Object.entries(name ?? {}).flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map((item) => [key, String(item)]),
    );
  return {
    subject: attributes(cert?.subject),
    issuer: attributes(cert?.issuer),
    subjectaltname: typeof cert?.subjectaltname === 'string' ? cert.subjectaltname : undefined,
    infoAccess: undefined,
    ca: false,
    validFrom: '',
    validTo: '',
    fingerprint: '',
    fingerprint256: '',
    fingerprint512: '',
    serialNumber: '',
    raw: new Uint8Array(0),
  };
}
