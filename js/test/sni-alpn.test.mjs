// SNI is sent only when `servername` is given, as Node does; ALPN follows the
// server's preference, and `alpnProtocol` is false when none was agreed.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { connect } from '../src/index.js';
import { pki } from './support/pki.js';
import { firstOf, startPeer } from './support/peer.js';

/** Connects, waits for secureConnect, and returns the socket and what the server saw. */
async function handshake(peer, options) {
  const socket = connect({ port: peer.port, ca: pki.ca, ...options });
  const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
  if (event === 'error') throw args[0];
  const seen = await peer.next('servername');
  return { socket, seen };
}

test('no SNI without servername, even with a host name; the exact name with it', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  try {
    const plain = await handshake(peer, { host: 'localhost' });
    assert.equal(plain.seen.servername, false, 'the server saw SNI');
    assert.equal(plain.socket.servername, false);
    plain.socket.destroy();

    const named = await handshake(peer, { host: '127.0.0.1', servername: 'localhost' });
    assert.equal(named.seen.servername, 'localhost');
    assert.equal(named.socket.servername, 'localhost');
    // The name verified is servername's, so the IP-addressed connection is authorized by DNS name.
    assert.equal(named.socket.authorized, true);
    named.socket.destroy();
  } finally {
    await peer.close();
  }
});

test("ALPN: the server's preference wins; false when nothing matches or nothing is offered", async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert, ALPNProtocols: ['h2', 'http/1.1'] });
  try {
    const both = await handshake(peer, { host: 'localhost', ALPNProtocols: ['http/1.1', 'h2'] });
    assert.equal(both.socket.alpnProtocol, 'h2');
    assert.equal(both.seen.alpn, 'h2');
    both.socket.destroy();

    const wire = await handshake(peer, { host: 'localhost', ALPNProtocols: Buffer.from('\x08http/1.1') });
    assert.equal(wire.socket.alpnProtocol, 'http/1.1');
    wire.socket.destroy();

    const none = await handshake(peer, { host: 'localhost' });
    assert.equal(none.socket.alpnProtocol, false);
    assert.equal(none.seen.alpn, false);
    none.socket.destroy();
  } finally {
    await peer.close();
  }
});

test('ALPN with no protocol in common fails with the server\'s alert, as Node reports it', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert, ALPNProtocols: ['h2'] });
  try {
    const socket = connect({ port: peer.port, host: 'localhost', ca: pki.ca, ALPNProtocols: ['spdy/1'] });
    const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
    assert.equal(event, 'error');
    assert.equal(args[0].code, 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL');
  } finally {
    await peer.close();
  }
});
