// Node's own tls.connect() as the tests' oracle (Node 20 or newer): what Node
// reports against a peer is what the component must report.
//
//   node tests/peers/node-tls-client.js '<JSON config>'
//
// Config fields: port, host (default 'localhost', Node's own), ca (PEM text),
// crl (PEM text), ciphers, servername,
// maxVersion, timeout (ms: Node's `timeout` option; on 'timeout' the socket is
// destroyed, as an application would; so it is on 'error'), send (text written after
// 'secureConnect'; once as many bytes came back, the client ends its side),
// limitMs (default 10000: then it gives up, printing {"event":"limit"}).
//
// Prints one JSON line per event, in order:
//   {"event":"secureConnect","authorized":bool}
//   {"event":"data","hex":"..."}  {"event":"end"}  {"event":"timeout"}
//   {"event":"error","code":"...","message":"..."}  {"event":"close"}
// and exits after 'close'.
'use strict';
const tls = require('tls');

const config = JSON.parse(process.argv[2]);
const print = (fields) => process.stdout.write(JSON.stringify(fields) + '\n');

const options = { port: config.port };
if (config.host) options.host = config.host;
if (config.ca) options.ca = config.ca;
if (config.crl) options.crl = config.crl;
if (config.ciphers) options.ciphers = config.ciphers;
if (config.servername) options.servername = config.servername;
if (config.maxVersion) options.maxVersion = config.maxVersion;
if (config.timeout) options.timeout = config.timeout;

const send = config.send === undefined ? null : Buffer.from(config.send);
let received = 0;
const socket = tls.connect(options, () => {
  print({ event: 'secureConnect', authorized: socket.authorized });
  if (send) socket.write(send);
});
socket.on('data', (chunk) => {
  print({ event: 'data', hex: chunk.toString('hex') });
  received += chunk.length;
  if (send && received >= send.length) socket.end();
});
socket.on('end', () => print({ event: 'end' }));
socket.on('timeout', () => {
  print({ event: 'timeout' });
  socket.destroy();
});
// After the handshake, Node 20 emits a TLS error (a bad record, say) without
// destroying the socket, which then waits for the peer; an application destroys
// it, as this one does.
socket.on('error', (err) => {
  print({ event: 'error', code: err.code, message: err.message });
  socket.destroy();
});
socket.on('close', () => {
  print({ event: 'close' });
  process.exit(0);
});
setTimeout(() => {
  print({ event: 'limit' });
  process.exit(0);
}, Number(config.limitMs) || 10000).unref();
