// TLSSocket as a stream: half-open, a caller's generic Duplex as `socket`,
// backpressure both ways with a 64 MiB echo, and transport errors with Node's codes.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nodeTls from 'node:tls';
import { Duplex } from 'node:stream';
import { test } from 'node:test';
import { guestMemoryBytes } from '../src/component.js';
import { connect } from '../src/index.js';
import { pki } from './support/pki.js';
import { firstOf, nodeIsOracle, readAll, startPeer } from './support/peer.js';

const MiB = 1024 * 1024;

async function secure(socket) {
  const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
  if (event === 'error') throw args[0];
  return socket;
}

test('allowHalfOpen false: our side ends when the server ends', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert, endFirst: 'bye' });
  try {
    const socket = await secure(connect({ port: peer.port, host: 'localhost', ca: pki.ca }));
    assert.equal(await readAll(socket), 'bye');
    assert.equal((await peer.next('receivedAfterEnd')).receivedAfterEnd, '');
    await new Promise((resolve) => (socket.closed ? resolve() : socket.once('close', resolve)));
    assert.equal(socket.writable, false);
  } finally {
    await peer.close();
  }
});

test('allowHalfOpen true: still writable after the server ends', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert, endFirst: 'bye' });
  try {
    const socket = await secure(connect({ port: peer.port, host: 'localhost', ca: pki.ca, allowHalfOpen: true }));
    assert.equal(await readAll(socket), 'bye');
    assert.equal(socket.writable, true);
    socket.end('still here');
    assert.equal((await peer.next('receivedAfterEnd')).receivedAfterEnd, 'still here');
  } finally {
    await peer.close();
  }
});

/** A Duplex of the caller's own over a TCP connection: not a net.Socket, just a stream. */
class CallerStream extends Duplex {
  constructor(port) {
    super();
    this.inner = net.connect(port, '127.0.0.1');
    this.inner.on('data', (chunk) => {
      if (!this.push(chunk)) this.inner.pause();
    });
    this.inner.on('end', () => this.push(null));
    this.inner.on('error', (error) => this.destroy(error));
  }
  _read() {
    this.inner.resume();
  }
  _write(chunk, encoding, callback) {
    this.inner.write(chunk, callback);
  }
  _final(callback) {
    this.inner.end(callback);
  }
  _destroy(error, callback) {
    this.inner.destroy();
    callback(error);
  }
}

test('the socket option: TLS over a generic Duplex; host only names what is verified', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  try {
    const stream = new CallerStream(peer.port);
    assert.ok(!(stream instanceof net.Socket));
    const socket = await secure(connect({ socket: stream, host: 'localhost', ca: pki.ca }));
    assert.equal(socket.authorized, true);
    const echoed = readAll(socket);
    socket.end('over a caller stream');
    assert.equal(await echoed, 'over a caller stream');

    const mismatch = connect({ socket: new CallerStream(peer.port), host: 'example.test', ca: pki.ca });
    const { event, args } = await firstOf(mismatch, ['secureConnect', 'error']);
    assert.equal(event, 'error');
    assert.equal(args[0].code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  } finally {
    await peer.close();
  }
});

test('64 MiB echo: write() returns false, drain follows, every byte comes back, memory stays bounded', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  try {
    const socket = await secure(connect({ port: peer.port, host: 'localhost', ca: pki.ca }));
    const payload = randomBytes(64 * MiB);
    const sentHash = createHash('sha256').update(payload).digest('hex');
    const received = createHash('sha256');
    let receivedBytes = 0;
    let peakGuest = guestMemoryBytes();
    socket.on('data', (chunk) => {
      received.update(chunk);
      receivedBytes += chunk.length;
    });
    const ended = new Promise((resolve, reject) => {
      socket.on('end', resolve);
      socket.on('error', reject);
    });
    let refusals = 0;
    let drains = 0;
    for (let at = 0; at < payload.length; at += 16 * 1024) {
      if (!socket.write(payload.subarray(at, at + 16 * 1024))) {
        refusals++;
        await firstOf(socket, ['drain']);
        drains++;
        peakGuest = Math.max(peakGuest, guestMemoryBytes());
      }
    }
    socket.end();
    await ended;
    peakGuest = Math.max(peakGuest, guestMemoryBytes());
    assert.equal(receivedBytes, payload.length);
    assert.equal(received.digest('hex'), sentHash);
    assert.ok(refusals > 0, 'write() never returned false');
    assert.equal(drains, refusals, "every refused write was followed by 'drain'");
    assert.equal(socket.bytesWritten, payload.length);
    assert.equal(socket.bytesRead, payload.length);
    // Had the guest kept what it was given, its memory would exceed the transfer.
    console.log(`64 MiB echo: guest memory peaked at ${peakGuest} bytes`);
    assert.ok(peakGuest < 16 * MiB, `guest memory reached ${peakGuest} bytes`);
  } finally {
    await peer.close();
  }
});

test('reads respect highWaterMark: an unread socket stops the transport, and the writer feels it', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  try {
    const highWaterMark = 16 * 1024;
    const socket = await secure(connect({ port: peer.port, host: 'localhost', ca: pki.ca, highWaterMark }));
    assert.equal(socket.readableHighWaterMark, highWaterMark);
    // Nobody reads: the echo backs up into the server, then into our writes.
    const chunk = Buffer.alloc(64 * 1024, 7);
    let written = 0;
    while (written < 32 * MiB && socket.write(chunk)) written += chunk.length;
    if (written < 32 * MiB) {
      // The writer was told to wait; give the pipeline time to fill, then look.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(written < 32 * MiB, 'write() never pushed back although nothing was read');
    assert.ok(socket.readableLength <= highWaterMark + 256 * 1024, `buffered ${socket.readableLength} bytes unread`);
    socket.destroy();
  } finally {
    await peer.close();
  }
});

/** What Node's API shows for a connection that fails: the event and the error's fields. */
async function failure(connectFn, options) {
  const socket = connectFn(options);
  const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
  socket.destroy();
  const error = args[0] ?? {};
  return { event, code: error.code, message: error.message, host: error.host, port: error.port };
}

test('transport failures arrive as error events with Node\'s codes', async () => {
  // A port nobody listens on, found by listening and closing.
  const closed = net.createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const freePort = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));

  // A peer that accepts and hangs up, and one that answers in plain text.
  const hangUp = net.createServer((socket) => socket.destroy());
  const plainText = net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  for (const server of [hangUp, plainText]) await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const cases = [
      [{ port: freePort, host: '127.0.0.1' }, 'ECONNREFUSED'],
      [{ port: hangUp.address().port, host: '127.0.0.1' }, 'ECONNRESET'],
      [{ port: plainText.address().port, host: '127.0.0.1' }, 'ERR_SSL_WRONG_VERSION_NUMBER'],
    ];
    for (const [options, code] of cases) {
      const ours = await failure(connect, options);
      assert.equal(ours.event, 'error');
      assert.equal(ours.code, code);
      if (nodeIsOracle) {
        const node = await failure(nodeTls.connect, options);
        assert.equal(node.code, code, "Node's own code");
        if (code !== 'ERR_SSL_WRONG_VERSION_NUMBER') assert.deepEqual(ours, node, "Node's own error");
      }
    }
  } finally {
    hangUp.close();
    plainText.close();
  }
});

test('a Unix socket path, in both call forms', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-connect-unix-'));
  const path = join(dir, 'server.sock');
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert, unixPath: path });
  try {
    const forms = [() => connect(path, { ca: pki.ca }), () => connect({ path, ca: pki.ca, port: 1, host: 'localhost' })];
    for (const form of forms) {
      const socket = await secure(form());
      assert.equal(socket.authorized, true, 'verified as localhost, the default name');
      const echoed = readAll(socket);
      socket.end('over a Unix socket');
      assert.equal(await echoed, 'over a Unix socket');
    }
  } finally {
    await peer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the timeout option: a silent server makes the socket emit 'timeout'", async () => {
  const silent = net.createServer(() => {});
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const socket = connect({ port: silent.address().port, host: '127.0.0.1', timeout: 100 });
    const { event } = await firstOf(socket, ['timeout', 'secureConnect', 'error'], 5_000);
    assert.equal(event, 'timeout');
    assert.equal(socket.timeout, 100);
    socket.destroy();
  } finally {
    silent.close();
  }
});
