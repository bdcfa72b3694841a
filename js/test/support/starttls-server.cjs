// A plaintext-then-TLS echo server for the tests of the `socket` option's
// upgrade (STARTTLS): Node's net server reads one line; "STARTTLS" is answered
// "OK" and the same TCP connection goes to Node's tls.Server (the key, cert,
// ca, requestCert and rejectUnauthorized of the config), which echoes.
// Anything else is answered "NO" and the connection ends.
//
//   node test/support/starttls-server.cjs '<inline JSON config>'
//
// Reports JSON lines as tests/peers/node-tls-server.js does: {"listening": port},
// then per secure connection what Node saw of it, {"tlsClientError": code} per
// failed handshake.
'use strict';
const net = require('net');
const tls = require('tls');
const { liveWhileStdin, readConfig, report, seen, serverOptions } = require('../../../tests/peers/peer-common');

const config = readConfig('starttls-server.cjs');

// Node's TLS server, fed each upgraded connection by its 'connection' event (as
// Node documents for sockets that come from elsewhere): it verifies the client
// as tls.createServer does, and echoes.
const tlsServer = tls.createServer(serverOptions(config), (secure) => {
  report(seen(secure));
  secure.on('error', () => {});
  secure.pipe(secure);
});
tlsServer.on('tlsClientError', (error) => report({ tlsClientError: error.code || error.message }));

const server = net.createServer((plain) => {
  plain.on('error', () => {});
  let line = '';
  const onData = (chunk) => {
    line += chunk.toString('latin1');
    if (!line.includes('\n')) return;
    plain.removeListener('data', onData);
    plain.pause();
    if (line.trimEnd() !== 'STARTTLS') {
      plain.end('NO\r\n');
      return;
    }
    plain.write('OK\r\n');
    tlsServer.emit('connection', plain);
  };
  plain.on('data', onData);
});

server.listen(0, '127.0.0.1', () => report({ listening: server.address().port }));
liveWhileStdin(config);
