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
const fs = require('fs');
const https = require('https');

const arg = process.argv[2];
if (!arg) {
  process.stderr.write('usage: node node-https-server.js <config.json | JSON>\n');
  process.exit(2);
}
const config = JSON.parse(arg.trimStart().startsWith('{') ? arg : fs.readFileSync(arg, 'utf8'));

// PEM text is used as is; anything else names a file.
function material(value) {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(material);
  return value.includes('-----BEGIN') ? value : fs.readFileSync(value);
}

function report(fields) {
  process.stdout.write(JSON.stringify(fields) + '\n');
}

const options = {
  key: material(config.key),
  cert: material(config.cert),
  requestCert: Boolean(config.requestCert),
  rejectUnauthorized: Boolean(config.rejectUnauthorized),
};
const ca = material(config.ca);
if (ca !== undefined) options.ca = ca;
if (Array.isArray(config.ALPNProtocols) && config.ALPNProtocols.length > 0) {
  options.ALPNProtocols = config.ALPNProtocols;
}

const server = https.createServer(options, (req, res) => {
  const socket = req.socket;
  const peer = socket.getPeerCertificate();
  report({
    servername: socket.servername || false,
    alpn: socket.alpnProtocol,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    peerSubjectCN: (peer && peer.subject && peer.subject.CN) || null,
    protocol: socket.getProtocol(),
    request: `${req.method} ${req.url} HTTP/${req.httpVersion}`,
  });
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('hello from node https\n');
});
server.on('tlsClientError', (err) => report({ tlsClientError: err.code || err.message }));
// A client that connects and goes away (the timing test's plain handshakes) is no crash.
server.on('clientError', (_err, socket) => socket.destroy());

server.listen(0, '127.0.0.1', () => report({ listening: server.address().port }));

process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), Number(config.maxLifetimeMs) || 600000).unref();
