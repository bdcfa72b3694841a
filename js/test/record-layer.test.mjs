// The host's record layer (src/record-layer.js): application data sealed and
// opened without the guest, against Node's TLS server and `openssl s_server`
// over loopback. What it must keep of Node's and rustls's behaviour: a write
// key changed by a KeyUpdate before its confidentiality limit, a server's
// KeyUpdate handled by the guest with the host taking the new keys,
// `setMaxSendFragment` on the wire, and every byte in order whoever protected
// its record.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect } from '../src/index.js';
import { hostAeads, hostCryptoCounts } from '../src/host-crypto.js';
import { setSealLimitForTests } from '../src/record-layer.js';
import { pki } from './support/pki.js';
import { firstOf, startPeer } from './support/peer.js';

const hostSeals = hostAeads().includes('aes-128-gcm');

/**
 * A loopback proxy to `port` that reads the client's records as they pass:
 * resolves `sizes` to the payload length of each application-data record the
 * client sent.
 */
async function recordingProxy(port) {
  const sizes = [];
  // Half-open both ways, so the client's end reaches the server while the echo still comes back.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt16BE(3)) {
        const length = pending.readUInt16BE(3);
        if (pending[0] === 23) sizes.push(length);
        pending = pending.subarray(5 + length);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('end', () => upstream.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, sizes, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Writes `chunks` one write each, ends, and resolves to the hash of what the server echoed. */
async function echoChunks(socket, chunks) {
  const hash = createHash('sha256');
  socket.on('data', (data) => hash.update(data));
  const ended = firstOf(socket, ['end', 'error']);
  for (const chunk of chunks) socket.write(chunk);
  socket.end();
  const { event, args } = await ended;
  if (event === 'error') throw args[0];
  return hash.digest('hex');
}

function hashOf(chunks) {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

test('a write key at its confidentiality limit is changed by a KeyUpdate, and every byte arrives', { skip: !hostSeals }, async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  // Four records per key instead of AES-GCM's 2^24, so that the change is seen.
  setSealLimitForTests(4);
  try {
    const before = hostCryptoCounts();
    const socket = connect({ port: peer.port, host: 'localhost', ca: pki.ca, ciphers: 'TLS_AES_128_GCM_SHA256' });
    const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
    if (event === 'error') throw args[0];
    const chunks = Array.from({ length: 24 }, () => randomBytes(3000));
    assert.equal(await echoChunks(socket, chunks), hashOf(chunks));
    const after = hostCryptoCounts();
    // Handshake and application keys (4), then a new write key every 3 records sealed here.
    assert.ok(after.keysTaken - before.keysTaken >= 4 + 6, `keys taken: ${after.keysTaken - before.keysTaken}`);
    assert.ok(after.recordsSealed - before.recordsSealed >= 24);
  } finally {
    setSealLimitForTests(undefined);
    await peer.close();
  }
});

test('setMaxSendFragment(512): the records sealed by the host carry at most 512 bytes each', { skip: !hostSeals }, async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  const proxy = await recordingProxy(peer.port);
  try {
    const before = hostCryptoCounts();
    const socket = connect({ port: proxy.port, host: 'localhost', ca: pki.ca, ciphers: 'TLS_AES_128_GCM_SHA256' });
    const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
    if (event === 'error') throw args[0];
    assert.equal(socket.setMaxSendFragment(512), true);
    const chunks = [randomBytes(5000), randomBytes(700)];
    assert.equal(await echoChunks(socket, chunks), hashOf(chunks));
    // TLS 1.3 payloads: plaintext, the inner type and a 16-byte tag. The last
    // twelve records but close_notify (19 bytes) are the two writes': 5000
    // bytes in nine records and 700 in two.
    const data = proxy.sizes.filter((size) => size !== 19).slice(-12);
    assert.deepEqual(data, [529, 529, 529, 529, 529, 529, 529, 529, 529, 409, 529, 205]);
    assert.ok(hostCryptoCounts().recordsSealed - before.recordsSealed >= 12);
  } finally {
    await proxy.close();
    await peer.close();
  }
});

test('TLS 1.2: records opened by the host and sealed by the guest carry every byte in order', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  try {
    const socket = connect({ port: peer.port, host: 'localhost', ca: pki.ca, maxVersion: 'TLSv1.2' });
    const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
    if (event === 'error') throw args[0];
    const before = hostCryptoCounts();
    const chunks = Array.from({ length: 40 }, (_, i) => randomBytes(1000 + i * 997));
    assert.equal(await echoChunks(socket, chunks), hashOf(chunks));
    const after = hostCryptoCounts();
    assert.equal(after.recordsSealed - before.recordsSealed, 0, 'TLS 1.2 records are sealed by the guest');
    if (hostSeals) assert.ok(after.recordsOpened - before.recordsOpened >= 40, 'and opened by the host');
  } finally {
    await peer.close();
  }
});

/**
 * `openssl s_server` on 127.0.0.1 (TLS 1.3): its stdin is sent to the client
 * line by line, a line "K" sends a KeyUpdate that asks for the client's own
 * (and prints "SSL_do_handshake -> 1"), and what the client sends appears on
 * its stdout. Resolves once it listens.
 */
async function startOpensslServer() {
  const dir = mkdtempSync(join(tmpdir(), 'tls-connect-s_server-'));
  writeFileSync(join(dir, 'cert.pem'), pki.server.cert);
  writeFileSync(join(dir, 'key.pem'), pki.server.key);
  const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem'), '-tls1_3'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  let output = '';
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (text) => (output += text));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s_server did not listen: ${output}`)), 10_000);
    child.stdout.on('data', () => {
      const match = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('error', reject);
  });
  return {
    port,
    send: (line) => child.stdin.write(`${line}\n`),
    output: () => output,
    close: () => child.kill(),
  };
}

/** Resolves once `read()` contains `text`, polling (bounded by `ms`). */
async function until(read, text, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!read().includes(text)) {
    if (Date.now() > deadline) throw new Error(`never saw ${JSON.stringify(text)} in ${JSON.stringify(read())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("a server's KeyUpdate goes to the guest; the new keys go on carrying the data both ways", { skip: !hostSeals }, async () => {
  const server = await startOpensslServer();
  try {
    const socket = connect({ port: server.port, host: 'localhost', ca: pki.ca, ciphers: 'TLS_AES_128_GCM_SHA256' });
    const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
    if (event === 'error') throw args[0];
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (text) => (received += text));
    server.send('before');
    await until(() => received, 'before\n');
    const before = hostCryptoCounts();
    // A KeyUpdate that asks for ours: the guest takes a new read key and a new write key.
    server.send('K');
    // s_server drops the rest of a read that held a command: the next line waits for the update.
    await until(server.output, 'SSL_do_handshake -> 1');
    server.send('after');
    await until(() => received, 'after\n');
    socket.write('reply sealed with the new key\n');
    await until(server.output, 'reply sealed with the new key');
    const after = hostCryptoCounts();
    assert.equal(after.keysTaken - before.keysTaken, 2, 'a new key each way');
    assert.ok(after.recordsOpened > before.recordsOpened, "'after' was opened by the host with the new read key");
    assert.ok(after.recordsSealed > before.recordsSealed, 'the reply was sealed by the host with the new write key');
    socket.destroy();
  } finally {
    server.close();
  }
});
