// Upgrading a connection that began in plaintext (STARTTLS, Postgres's
// SSLRequest): the protocol's own exchange on a TCP connection, then the same
// connection handed to connect({ socket }). Node's net.Socket is the form Node
// takes; a pair of web streams ({ readable, writable }, the shape of a
// Cloudflare Workers socket, a Deno.Conn) is this package's other form. The
// server is Node's tls.Server, fed the connection after its "OK", verifying
// the client's certificate.

import assert from 'node:assert/strict';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { test } from 'node:test';
import { connect } from '../src/index.js';
import { mutualTlsServer, pki } from './support/pki.js';
import { STARTTLS_SCRIPT, firstOf, readAll, startPeer } from './support/peer.js';

/** A TCP connection to the peer that has said STARTTLS and read the "OK" line, nothing more. */
async function negotiated(port) {
  const tcp = net.connect({ port, host: '127.0.0.1' });
  await firstOf(tcp, ['connect']);
  tcp.write('STARTTLS\r\n');
  const { args } = await firstOf(tcp, ['data']);
  tcp.pause();
  assert.equal(String(args[0]), 'OK\r\n', 'the server accepted the upgrade in plaintext');
  return tcp;
}

const identity = { servername: 'localhost', ca: pki.ca, cert: pki.client.cert, key: pki.client.key };

async function upgradeEcho(wrap) {
  const peer = await startPeer(
    mutualTlsServer,
    { script: STARTTLS_SCRIPT },
  );
  try {
    const tcp = await negotiated(peer.port);
    const { socket: given } = wrap(tcp);
    const socket = connect({ socket: given, ...identity });
    const closed = firstOf(socket, ['close']);
    const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
    if (event === 'error') throw args[0];
    assert.equal(socket.authorized, true);
    assert.equal(socket.getProtocol(), 'TLSv1.3');
    const echoed = readAll(socket);
    socket.end('upgraded\n');
    assert.equal(await echoed, 'upgraded\n');
    const seen = await peer.next('peerSubjectCN');
    assert.equal(seen.peerSubjectCN, 'tls-connect test client', 'the server saw our client certificate');
    assert.equal(seen.authorized, true);
    assert.deepEqual((await closed).args, [false], "'close' reports no error");
    return { tcp };
  } finally {
    await peer.close();
  }
}

test("Node's form: a net.Socket after a plaintext STARTTLS, with a client certificate", async () => {
  await upgradeEcho((tcp) => ({ socket: tcp }));
});

test('a pair of web streams (the shape of a Workers socket): upgraded, echoed, and close() called', async () => {
  let closeCalls = 0;
  const { tcp } = await upgradeEcho((tcp) => {
    const { readable, writable } = Duplex.toWeb(tcp);
    const close = () => {
      closeCalls += 1;
      tcp.destroy();
    };
    return { socket: { readable, writable, close } };
  });
  assert.equal(closeCalls, 1, 'the socket was closed once, when the TLSSocket closed');
  assert.equal(tcp.destroyed, true);
});

test('a web stream someone still reads is refused at once, with the way out in the message', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert }, { script: STARTTLS_SCRIPT });
  const tcp = await negotiated(peer.port);
  try {
    const { readable, writable } = Duplex.toWeb(tcp);
    const reader = readable.getReader();
    assert.throws(() => connect({ socket: { readable, writable }, ...identity }), {
      name: 'TypeError',
      message: /options\.socket: its readable and writable must be unlocked/,
    });
    reader.releaseLock();
    // Released, the same pair is taken.
    const socket = connect({ socket: { readable, writable, close: () => tcp.destroy() }, ...identity, cert: undefined, key: undefined });
    const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
    if (event === 'error') throw args[0];
    assert.equal(socket.authorized, true);
    socket.destroy();
  } finally {
    tcp.destroy();
    await peer.close();
  }
});
