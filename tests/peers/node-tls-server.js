// A Node TLS echo server for the integration tests (Node 20 or newer).
//
//   node tests/peers/node-tls-server.js <config.json | inline JSON>
//
// Config fields: key, cert, ca (each PEM text or a file path, or an array of
// them), requestCert, rejectUnauthorized, ALPNProtocols (array of strings), ciphers,
// unixPath (listen there instead of 127.0.0.1), maxLifetimeMs (default 600000),
// maxVersion, ocspResponse (hex: stapled when a client asks, via 'OCSPRequest'),
// endFirst (instead of echoing: send endFirst's text, end our side at once, and
// report what the client still sends after that).
//
// Prints one JSON line per event on stdout:
//   {"listening": port}        once, when listening (the path string for unixPath)
//   {"servername", "alpn", "authorized", "authorizationError", "peerSubjectCN", "protocol"}
//                               per secure connection, as Node saw it
//   {"tlsClientError": code}    per failed handshake
//   {"receivedAfterEnd": text}  (endFirst) when the client ends its side
//   {"plaintextReceived": n}    per secure connection, when it closes
// Echoes every byte back and ends when the client ends. Exits when its stdin
// closes, so a test that dies never leaves it running, and in any case after
// maxLifetimeMs.
'use strict';
const tls = require('tls');
const { liveWhileStdin, readConfig, report, seen, serverOptions } = require('./peer-common');

const config = readConfig('node-tls-server.js');
const options = serverOptions(config);

const server = tls.createServer(options, (socket) => {
  report(seen(socket));
  // A client that resets is the test's business, not a crash of this server.
  socket.on('error', () => {});
  let plaintextReceived = 0;
  socket.on('data', (chunk) => (plaintextReceived += chunk.length));
  socket.on('close', () => report({ plaintextReceived }));
  if (typeof config.endFirst === 'string') {
    // The server ends first: a half-open client may still write to us.
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (text) => (received += text));
    socket.on('end', () => report({ receivedAfterEnd: received }));
    socket.end(config.endFirst);
    return;
  }
  // pipe() ends our side when the client ends; TLS end sends close_notify.
  socket.pipe(socket);
});
server.on('tlsClientError', (err) => report({ tlsClientError: err.code || err.message }));
if (typeof config.ocspResponse === 'string') {
  server.on('OCSPRequest', (cert, issuer, callback) => callback(null, Buffer.from(config.ocspResponse, 'hex')));
}

if (config.unixPath) {
  server.listen(config.unixPath, () => report({ listening: config.unixPath }));
} else {
  server.listen(0, '127.0.0.1', () => report({ listening: server.address().port }));
}

liveWhileStdin(config);
