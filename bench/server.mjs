// The one server every benchmark client talks to: Node's own tls.createServer
// (OpenSSL), TLS 1.3 only, TCP_NODELAY, echoing every byte, on 127.0.0.1. Session tickets
// are on (Node's default), so clients that keep a session resume.
//
//   node bench/server.mjs --key FILE --cert FILE [--ecdh-curve GROUPS]
//
// Prints {"listening": port} once. Each line "stats" on stdin is answered with
// {"connections": n, "reused": m, "cpuSeconds": s}: the secure connections so
// far, how many of them resumed a session, as the server saw it, and the CPU the
// server has used (so the benchmark can tell when the server was the bound). Exits when stdin closes, and in
// any case after an hour.
import fs from 'node:fs';
import readline from 'node:readline';
import tls from 'node:tls';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { key: { type: 'string' }, cert: { type: 'string' }, 'ecdh-curve': { type: 'string' } },
});
if (!values.key || !values.cert) {
  process.stderr.write('usage: node bench/server.mjs --key FILE --cert FILE\n');
  process.exit(2);
}

let connections = 0;
let reused = 0;
const server = tls.createServer(
  {
    key: fs.readFileSync(values.key),
    cert: fs.readFileSync(values.cert),
    minVersion: 'TLSv1.3',
    ...(values['ecdh-curve'] ? { ecdhCurve: values['ecdh-curve'] } : {}),
  },
  (socket) => {
    connections += 1;
    if (socket.isSessionReused()) reused += 1;
    // Clients close without waiting for our close_notify; a reset is not an error here.
    socket.on('error', () => {});
    socket.pipe(socket);
  },
);
// TCP_NODELAY: with Nagle's algorithm on, the echo's last partial record waits for
// the client's delayed ACK, adding up to 40 ms to a run.
server.on('connection', (raw) => raw.setNoDelay(true));
server.on('tlsClientError', (err) => process.stderr.write(`server: tlsClientError ${err.code || err.message}\n`));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ listening: server.address().port })}\n`);
});

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ connections, reused, cpuSeconds: (user + system) / 1e6 })}\n`);
});
lines.on('close', () => process.exit(0));
setTimeout(() => process.exit(0), 3600_000).unref();
