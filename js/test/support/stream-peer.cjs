// The servers of the stream-semantics tests, all Node's, in one child process
// run by the machine's `node`, so every runtime under test meets the same peers:
//
//   echo       a TLS echo server (TLS 1.3: it sends two session tickets)
//   sink       a TLS server that reads and discards; reports {sinkReceived: n} per connection
//   fragments  a TLS server that calls setMaxSendFragment(512), sends `fragmentBytes`
//              bytes in one write and ends
//   ocsp       a TLS echo server stapling `ocspResponse` (hex) through 'OCSPRequest';
//              reports {ocsp: 'secure'} when a handshake completes, and
//              {ocsp: code} when a client leaves during it
//   ocspWatch  a TCP relay to `ocsp` that reports {clientRecords: [content types]}: the
//              TLS records the client sent, when its connection closes
//   reset      a plain TCP server that resets every connection at once
//
//   node test/support/stream-peer.cjs '<inline JSON config: key, cert, fragmentBytes, ocspResponse>'
//
// Reports {"listening": {echo, sink, fragments, ocsp, ocspWatch, reset}} once, with the ports.
// Exits when its stdin closes.
'use strict';
const net = require('net');
const tls = require('tls');
const { liveWhileStdin, readConfig, report, serverOptions } = require('../../../tests/peers/peer-common');

const config = readConfig('stream-peer.cjs');
const options = serverOptions(config);

/** A listening server's port. */
function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/** Ignores a client's reset: that is the test's business, not a crash of this server. */
function quiet(socket) {
  socket.on('error', () => {});
  return socket;
}

const echo = tls.createServer(options, (socket) => quiet(socket).pipe(socket));

const sink = tls.createServer(options, (socket) => {
  let received = 0;
  quiet(socket).on('data', (chunk) => (received += chunk.length));
  socket.on('end', () => socket.end());
  socket.on('close', () => report({ sinkReceived: received }));
});

const fragments = tls.createServer(options, (socket) => {
  quiet(socket).resume();
  socket.setMaxSendFragment(512);
  socket.end(Buffer.alloc(Number(config.fragmentBytes), 'x'));
});

const ocsp = tls.createServer(options, (socket) => {
  report({ ocsp: 'secure' });
  quiet(socket).pipe(socket);
});
ocsp.on('OCSPRequest', (cert, issuer, callback) => callback(null, Buffer.from(config.ocspResponse, 'hex')));
ocsp.on('tlsClientError', (error) => report({ ocsp: error.code || error.message }));

const reset = net.createServer((socket) => quiet(socket).resetAndDestroy());

/** A relay to `port` that records the content type of each TLS record the client sends. */
function watch(port) {
  return net.createServer((client) => {
    const server = quiet(net.connect(port, '127.0.0.1'));
    quiet(client).pipe(server).pipe(client);
    const types = [];
    let unread = Buffer.alloc(0);
    client.on('data', (chunk) => {
      unread = Buffer.concat([unread, chunk]);
      // Bounded: each turn takes one whole record off the front.
      while (unread.length >= 5 && unread.length >= 5 + unread.readUInt16BE(3)) {
        types.push(unread[0]);
        unread = unread.subarray(5 + unread.readUInt16BE(3));
      }
    });
    client.on('close', () => {
      server.destroy();
      report({ clientRecords: types });
    });
  });
}

Promise.all([echo, sink, fragments, ocsp, reset].map(listen)).then(async ([e, s, f, o, r]) => {
  const w = await listen(watch(o));
  report({ listening: { echo: e, sink: s, fragments: f, ocsp: o, ocspWatch: w, reset: r } });
});

liveWhileStdin(config);
