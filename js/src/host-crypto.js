// The component's `host-crypto` import for JavaScript hosts. Inside wasm,
// AES-GCM runs at a fortieth of native speed and P-256 in portable code; where
// `node:crypto` has them (Node, Deno and Bun for what they implement, workerd
// under nodejs_compat), it takes the record keys (record-layer.js then seals
// and opens application data without the guest) and verifies ECDSA and
// Ed25519 signatures natively.
// Elsewhere (a browser's WebCrypto is asynchronous, and the guest's calls are
// not) every offer is declined and the guest does the work itself.

import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';
import { adoptKey, recordsHere, TrafficKey } from './record-layer.js';

const TAG_LENGTH = 16;
const KEY_LENGTHS = { 'aes-128-gcm': 16, 'aes-256-gcm': 32, 'chacha20-poly1305': 32 };

/** The AEADs this runtime's node:crypto really performs, found by trying each once. */
const supported = new Set(
  Object.entries(KEY_LENGTHS)
    .filter(([name, keyLength]) => {
      try {
        const cipher = nodeCrypto.createCipheriv(name, Buffer.alloc(keyLength), Buffer.alloc(12), {
          authTagLength: TAG_LENGTH,
        });
        cipher.update(Buffer.alloc(1));
        cipher.final();
        return cipher.getAuthTag().length === TAG_LENGTH;
      } catch {
        return false;
      }
    })
    .map(([name]) => name),
);

let enabled = true;
const counts = { keysTaken: 0, signaturesVerified: 0 };

/**
 * Turns the host's native crypto on (the default where the runtime has it) or
 * off, for keys and signatures offered after the call. Off, the guest's own
 * ring does the work.
 */
export function useHostCrypto(on) {
  enabled = Boolean(on);
}

/** The AEADs this runtime's node:crypto performs (and so takes keys for): names as the guest offers them. */
export function hostAeads() {
  return [...supported];
}

/**
 * What this realm's host has done so far: `{keysTaken, signaturesVerified,
 * recordsSealed, recordsOpened}`, the last two being application-data records
 * its record layer protected without the guest.
 */
export function hostCryptoCounts() {
  return { ...counts, recordsSealed: recordsHere.sealed, recordsOpened: recordsHere.opened };
}

/**
 * The DER prefix that makes a SubjectPublicKeyInfo of a raw public key, which
 * is what node:crypto imports: P-256 and P-384 uncompressed points, Ed25519.
 */
const SPKI_PREFIX = {
  p256: Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'),
  p384: Buffer.from('3076301006072a8648ce3d020106052b81040022036200', 'hex'),
  ed25519: Buffer.from('302a300506032b6570032100', 'hex'),
};

/** The key and digest of each signature algorithm the guest may offer. */
const SIGNATURES = {
  'ecdsa-p256-sha256': { key: 'p256', digest: 'sha256', length: 65 },
  'ecdsa-p256-sha384': { key: 'p256', digest: 'sha384', length: 65 },
  'ecdsa-p384-sha256': { key: 'p384', digest: 'sha256', length: 97 },
  'ecdsa-p384-sha384': { key: 'p384', digest: 'sha384', length: 97 },
  ed25519: { key: 'ed25519', digest: null, length: 32 },
};

/** Whether node:crypto verifies `signature`; undefined (declined) when it cannot say. */
function verifySignature(algorithm, publicKey, message, signature) {
  const spec = SIGNATURES[algorithm];
  if (!enabled || !spec || publicKey.length !== spec.length) return undefined;
  let key;
  try {
    key = nodeCrypto.createPublicKey({
      key: Buffer.concat([SPKI_PREFIX[spec.key], publicKey]),
      format: 'der',
      type: 'spki',
    });
  } catch {
    // A point that is not on the curve: the guest's verifier gives the verdict.
    return undefined;
  }
  let verdict;
  try {
    // The key object itself, not `{ key, dsaEncoding }`: DER is the default
    // encoding, and workerd's node:crypto refuses a KeyObject inside options.
    verdict = nodeCrypto.verify(spec.digest, message, key, signature);
  } catch {
    // The runtime could not judge (a malformed signature, an API it words
    // otherwise): declined, so the guest's verifier gives the verdict.
    return undefined;
  }
  if (typeof verdict !== 'boolean') return undefined;
  counts.signaturesVerified += 1;
  return verdict;
}

/** The import object for `tls-connect:tls-connect/host-crypto`. */
export const hostCryptoImport = {
  TrafficKey,
  takeKey(algorithm, version, direction, key, iv) {
    if (!enabled || !supported.has(algorithm) || key.length !== KEY_LENGTHS[algorithm] || iv.length !== 12) {
      return undefined;
    }
    counts.keysTaken += 1;
    const taken = new TrafficKey(algorithm, version, direction, key, iv);
    adoptKey(taken);
    return taken;
  },
  verifySignature,
};
