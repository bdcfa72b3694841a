// The echo client from Node's `tls.connect()` documentation, against Node's own
// server that requires a client certificate. Changed only where the example
// touches the outside world: stdin and console.log are stand-ins, `ca` is the
// test root, and the example's `checkServerIdentity: () => null` is left out
// because the test server's certificate is for localhost (the example's own
// comment: "necessary only if the server's cert isn't for localhost").

import assert from 'node:assert/strict';
import { test } from 'node:test';
import tls, { connect } from '../src/index.js';
import { documentationEcho } from './support/client.mjs';
import { mutualTlsServer, pki } from './support/pki.js';
import { readAll, startPeer } from './support/peer.js';

test("Node's documentation echo client: connects authorized, echoes, sees the server end", async () => {
  const peer = await startPeer(mutualTlsServer);
  try {
    const options = { key: pki.client.key, cert: pki.client.cert, ca: [pki.ca] };
    const { socket, stdin, printed } = documentationEcho(tls, peer.port, options);
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.once('secureConnect', () => {
      stdin.write('hello\n');
      socket.once('data', () => stdin.end());
    });
    assert.equal(await closed, false, "'close' reports no error");
    assert.deepEqual(printed, ['client connected authorized', 'hello\n', 'server ends connection']);
    const seen = await peer.next('peerSubjectCN');
    assert.equal(seen.peerSubjectCN, 'tls-connect test client', 'the server saw our client certificate');
    assert.equal(seen.authorized, true);
    assert.equal(seen.protocol, 'TLSv1.3');
  } finally {
    await peer.close();
  }
});

test('the three call forms reach the same server; options win over positional arguments', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  try {
    const forms = [
      () => connect({ port: peer.port, host: '127.0.0.1', ca: pki.ca }),
      () => connect(peer.port, { host: '127.0.0.1', ca: pki.ca }),
      () => connect(peer.port, '127.0.0.1', { ca: pki.ca }),
      () => connect(1, 'nowhere.invalid', { port: peer.port, host: '127.0.0.1', ca: pki.ca }),
    ];
    for (const form of forms) {
      const socket = form();
      await new Promise((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      assert.equal(socket.authorized, true);
      assert.equal(socket.remotePort, peer.port);
      const echoed = readAll(socket);
      socket.end('ping');
      assert.equal(await echoed, 'ping');
    }
  } finally {
    await peer.close();
  }
});

test('the callback is a once-listener for secureConnect, and the object has Node\'s TLSSocket fields', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  try {
    let calls = 0;
    const socket = connect({ port: peer.port, host: 'localhost', ca: pki.ca }, () => calls++);
    assert.equal(socket.encrypted, true);
    assert.equal(socket.secureConnecting, true);
    assert.equal(socket.getProtocol(), 'TLSv1.3', 'Node (OpenSSL) says TLSv1.3 until a version is negotiated');
    await new Promise((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    assert.equal(calls, 1);
    assert.equal(socket.secureConnecting, false);
    assert.equal(socket.authorized, true);
    assert.equal(socket.authorizationError, null);
    assert.equal(socket.getProtocol(), 'TLSv1.3');
    assert.equal(socket.getCipher().version, 'TLSv1.3');
    assert.equal(socket.remoteAddress, '127.0.0.1');
    assert.equal(typeof socket.localPort, 'number');
    const cert = socket.getPeerCertificate();
    assert.equal(cert.subject.CN, 'localhost');
    assert.equal(cert.subjectaltname, 'DNS:localhost, IP Address:127.0.0.1');
    assert.equal(cert.getPeerCertificate, undefined);
    socket.destroy();
    await new Promise((resolve) => socket.on('close', resolve));
    assert.equal(socket.getProtocol(), null);
    assert.equal(socket.getPeerCertificate(), null);
  } finally {
    await peer.close();
  }
});
