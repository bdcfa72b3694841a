// Node's own answer, for the Worker's to be compared with: node:tls's
// tls.connect(options) (options as JSON in argv[2]), run by the Node that runs
// this file (Node 26 in the tests). Prints one JSON line: the events seen
// before 'close', the error's fields, and authorized/authorizationError.
//
//   node test/edge/node-answer.mjs '{"port": 443, "host": "127.0.0.1", "ca": "..."}'

import tls from 'node:tls';

const options = JSON.parse(process.argv[2]);
const events = [];
let error;
const socket = tls.connect(options);
for (const event of ['connect', 'secureConnect', 'end']) socket.on(event, () => events.push(event));
socket.on('error', (caught) => {
  events.push('error');
  error = caught;
});
const timer = setTimeout(() => {
  console.log(JSON.stringify({ timeout: true, events }));
  process.exit(1);
}, 15_000);
socket.on('close', (hadError) => {
  clearTimeout(timer);
  const fields = error && { name: error.name, message: error.message, constructor: error.constructor?.name };
  for (const key of ['code', 'errno', 'syscall', 'address', 'port', 'library', 'reason', 'host']) {
    if (error?.[key] !== undefined) fields[key] = error[key];
  }
  console.log(
    JSON.stringify({ events, hadError, error: fields, authorized: socket.authorized, authorizationError: socket.authorizationError }),
  );
});
