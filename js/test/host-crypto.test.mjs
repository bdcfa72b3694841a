// The host's crypto: with node:crypto taking the traffic keys and verifying the
// signatures, and with the host declining so the guest's own ring does both,
// every AEAD of TLS 1.3 and TLS 1.2 verifies Node's server and carries the same
// bytes to it and back.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { connect } from '../src/index.js';
import { hostAeads, hostCryptoCounts, useHostCrypto } from '../src/host-crypto.js';
import { pki } from './support/pki.js';
import { firstOf, startPeer } from './support/peer.js';

/** Every AEAD in both versions: `ciphers`, the IANA name, the keys a host takes, and the AEAD. */
const SUITES = [
  ['TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256', 4, 'aes-128-gcm'],
  ['TLS_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384', 4, 'aes-256-gcm'],
  ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_CHACHA20_POLY1305_SHA256', 4, 'chacha20-poly1305'],
  ['ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 2, 'aes-128-gcm'],
  ['ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 2, 'aes-256-gcm'],
  ['ECDHE-ECDSA-CHACHA20-POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 2, 'chacha20-poly1305'],
];

/**
 * The AEADs node:crypto performs here: all three in Node and Deno; Bun's
 * node:crypto (BoringSSL's EVP ciphers) has no chacha20-poly1305, so there the
 * host declines those keys and the guest seals and opens those records itself.
 */
const HOST_AEADS = new Set(hostAeads());

test("the host's AEADs: every one in Node and Deno, both AES-GCMs at least in Bun", () => {
  const expected = typeof globalThis.Bun === 'undefined'
    ? ['aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305']
    : ['aes-128-gcm', 'aes-256-gcm'];
  for (const aead of expected) assert.ok(HOST_AEADS.has(aead), `${aead} is done by node:crypto`);
});

const payload = randomBytes(1024 * 1024);
const sentHash = createHash('sha256').update(payload).digest('hex');

/** Echoes the payload with `ciphers`; resolves to the cipher, the echo's hash and what the host did. */
async function echo(port, ciphers) {
  const before = hostCryptoCounts();
  const maxVersion = ciphers.startsWith('TLS_') ? 'TLSv1.3' : 'TLSv1.2';
  const socket = connect({ port, host: 'localhost', ca: pki.ca, ciphers, maxVersion });
  const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
  if (event === 'error') throw args[0];
  const cipher = socket.getCipher().standardName;
  const hash = createHash('sha256');
  socket.on('data', (chunk) => hash.update(chunk));
  const ended = firstOf(socket, ['end', 'error']);
  socket.end(payload);
  const { event: last, args: failure } = await ended;
  if (last === 'error') throw failure[0];
  const after = hostCryptoCounts();
  return {
    cipher,
    hash: hash.digest('hex'),
    keys: after.keysTaken - before.keysTaken,
    signatures: after.signaturesVerified - before.signaturesVerified,
    sealedHere: after.recordsSealed - before.recordsSealed,
    openedHere: after.recordsOpened - before.recordsOpened,
  };
}

for (const [mode, on] of [['native node:crypto', true], ['the guest, the host declining', false]]) {
  test(`crypto by ${mode}: every suite verifies the server and echoes byte for byte`, async () => {
    const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
    useHostCrypto(on);
    try {
      for (const [suite, iana, keys, aead] of SUITES) {
        const result = await echo(peer.port, suite);
        assert.equal(result.cipher, iana);
        assert.equal(result.hash, sentHash, `${suite}: the echo differs from what was sent`);
        // TLS 1.3: handshake and application keys; TLS 1.2: application keys; each direction.
        assert.equal(result.keys, on && HOST_AEADS.has(aead) ? keys : 0, `${suite}: keys the host took`);
        // The server's handshake signature, and the root's signature on the leaf.
        assert.equal(result.signatures, on ? 2 : 0, `${suite}: signatures the host verified`);
        // The host's record layer opens the megabyte's records (64 of 16 KiB at
        // least) without the guest; it seals them too on TLS 1.3, while TLS 1.2's
        // records are sealed by the guest, so that rustls applies its limit.
        const hostKeys = on && HOST_AEADS.has(aead);
        const tls13 = suite.startsWith('TLS_');
        assert.ok(hostKeys ? result.openedHere >= 64 : result.openedHere === 0, `${suite}: opened here ${result.openedHere}`);
        assert.ok(hostKeys && tls13 ? result.sealedHere >= 64 : result.sealedHere === 0, `${suite}: sealed here ${result.sealedHere}`);
      }
    } finally {
      useHostCrypto(true);
      await peer.close();
    }
  });
}

test('verifySignature: true for a good signature, false for a bad one, declined for what it cannot judge', async () => {
  const { hostCryptoImport } = await import('../src/host-crypto.js');
  const { generateKeyPairSync, sign } = await import('node:crypto');
  const message = Buffer.from('the handshake transcript');
  for (const [algorithm, curve, digest, spkiPrefixLength] of [
    ['ecdsa-p256-sha256', 'P-256', 'sha256', 26],
    ['ecdsa-p384-sha384', 'P-384', 'sha384', 23],
    ['ed25519', null, null, 12],
  ]) {
    const { publicKey, privateKey } = curve
      ? generateKeyPairSync('ec', { namedCurve: curve })
      : generateKeyPairSync('ed25519');
    // What the guest hands over: the subjectPublicKey bits, not the whole SPKI.
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(spkiPrefixLength);
    const signature = sign(digest, message, privateKey);
    assert.equal(hostCryptoImport.verifySignature(algorithm, raw, message, signature), true, algorithm);
    const tampered = Buffer.from(message);
    tampered[0] ^= 1;
    assert.equal(hostCryptoImport.verifySignature(algorithm, raw, tampered, signature), false, algorithm);
    assert.equal(hostCryptoImport.verifySignature(algorithm, raw.subarray(1), message, signature), undefined, algorithm);
    useHostCrypto(false);
    assert.equal(hostCryptoImport.verifySignature(algorithm, raw, message, signature), undefined, algorithm);
    useHostCrypto(true);
  }
});
