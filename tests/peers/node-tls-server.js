// A Node TLS echo server for the integration tests.
//   node node-tls-server.js '<json config>'
// Config: { key, cert, ca?, requestCert?, rejectUnauthorized?, ALPNProtocols?, unixPath? } (PEM text).
// Prints {"listening": port} once, then one JSON line per secure connection with
// what Node saw, and {"tlsClientError": code} for failed handshakes. Exits when
// its stdin closes, so a test that dies never leaves it behind.
'use strict';
const tls = require('tls');

const config = JSON.parse(process.argv[2]);
const server = tls.createServer({
  key: config.key,
  cert: config.cert,
  ca: config.ca,
  requestCert: Boolean(config.requestCert),
  rejectUnauthorized: Boolean(config.rejectUnauthorized),
  ALPNProtocols: config.ALPNProtocols,
}, (socket) => {
  const peer = socket.getPeerCertificate();
  report({
    servername: socket.servername || false,
    alpn: socket.alpnProtocol,
    authorized: socket.authorized,
    peerSubjectCN: (peer && peer.subject && peer.subject.CN) || null,
    protocol: socket.getProtocol(),
  });
  socket.on('error', () => {});
  socket.pipe(socket);
});
server.on('tlsClientError', (err) => report({ tlsClientError: err.code || err.message }));

function report(fields) {
  process.stdout.write(JSON.stringify(fields) + '\n');
}

const onListening = () => report({ listening: config.unixPath ? 0 : server.address().port });
if (config.unixPath) server.listen(config.unixPath, onListening);
else server.listen(0, '127.0.0.1', onListening);

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
