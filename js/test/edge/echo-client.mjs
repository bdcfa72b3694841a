// Node's documentation echo client, as a user's program that installed
// tls-connect from its tarball: copied into that project and run there by
// Node, Deno and Bun (test/edge/package.test.mjs). Connects to the port in
// argv[2] with the PEM in argv[3] (JSON: ca, cert, key), writes one line,
// prints what it saw as one JSON line, and exits.

import tls from 'tls-connect';
import { documentationEcho } from './client.mjs';

const port = Number(process.argv[2]);
const { ca, cert, key } = JSON.parse(process.argv[3]);
const { socket, stdin, printed } = documentationEcho(tls, port, { key, cert, ca: [ca] });

socket.once('secureConnect', () => {
  stdin.write('hello from the tarball\n');
  socket.once('data', () => stdin.end());
});
const timer = setTimeout(() => {
  globalThis.console.log(JSON.stringify({ timeout: true, printed }));
  process.exit(1);
}, 15_000);
socket.on('error', (error) => printed.push(`error ${error.code}: ${error.message}`));
socket.on('close', (hadError) => {
  clearTimeout(timer);
  globalThis.console.log(JSON.stringify({ printed, hadError }));
});
