// A Node HTTPS server for the integration tests (Node 20 or newer).
//
//   node tests/peers/node-https-server.js <config.json | inline JSON>
//
// Config fields, as node-tls-server.js takes them: key, cert, ca (each PEM text
// or a file path, or an array of them), requestCert, rejectUnauthorized,
// ALPNProtocols (array of strings), maxLifetimeMs (default 600000).
//
// Answers every request with `200 OK` and the body `hello from node https\n`.
// Prints one JSON line per event on stdout:
//   {"listening": port}        once, when listening on 127.0.0.1
//   {"servername", "alpn", "authorized", "authorizationError", "peerSubjectCN", "protocol", "request"}
//                               per request, as Node saw its connection; `request`
//                               is the request line, `GET /path HTTP/1.1`
//   {"tlsClientError": code}    per failed handshake
// Exits when its stdin closes, so a test that dies never leaves it running, and
// in any case after maxLifetimeMs.
'use strict';
const https = require('https');
const { liveWhileStdin, readConfig, report, seen, serverOptions } = require('./peer-common');

const config = readConfig('node-https-server.js');
const options = serverOptions(config);

const server = https.createServer(options, (req, res) => {
  report({ ...seen(req.socket), request: `${req.method} ${req.url} HTTP/${req.httpVersion}` });
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('hello from node https\n');
});
server.on('tlsClientError', (err) => report({ tlsClientError: err.code || err.message }));
// A client that connects and goes away (the timing test's plain handshakes) is no crash.
server.on('clientError', (_err, socket) => socket.destroy());

server.listen(0, '127.0.0.1', () => report({ listening: server.address().port }));

liveWhileStdin(config);
