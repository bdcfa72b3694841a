// What the edge tests run in every runtime they reach (Node, Deno and Bun in
// an installed project, workerd in a bundled Worker, Node's own node:tls for
// the answer to compare with): Node's documentation echo client, and how a
// failing connection is watched. Copied beside the program that imports it
// (test/edge/echo-client.mjs and worker.js), or imported from here (the core
// suite, test/edge/node-answer.mjs).

import { PassThrough } from 'node:stream';

/**
 * The echo client of Node's `tls.connect()` documentation, as it is written
 * there, on `tls` (tls-connect, or node:tls): `stdin` and `console.log` are
 * stand-ins the caller drives and reads.
 */
export function documentationEcho(tls, port, options) {
  const stdin = new PassThrough();
  const printed = [];
  const console = { log: (...args) => printed.push(args.join(' ')) };
  // The documentation's code, from here...
  const socket = tls.connect(port, options, () => {
    console.log('client connected', socket.authorized ? 'authorized' : 'unauthorized');
    stdin.pipe(socket);
    stdin.resume();
  });
  socket.setEncoding('utf8');
  socket.on('data', (data) => {
    console.log(data);
  });
  socket.on('end', () => {
    console.log('server ends connection');
  });
  // ... to here.
  return { socket, stdin, printed };
}

/** An error's own fields and Node's usual ones, as JSON can carry them. */
export function errorFields(error) {
  const fields = { name: error.name, message: error.message, constructor: error.constructor?.name };
  for (const key of ['code', 'errno', 'syscall', 'address', 'port', 'library', 'reason', 'host']) {
    if (error[key] !== undefined) fields[key] = error[key];
  }
  fields.ownKeys = Object.keys(error);
  return fields;
}

/**
 * Watches a connection expected to fail until its 'close': the events before
 * it, the error's fields, and authorized/authorizationError.
 */
export function watchFailure(socket) {
  const events = [];
  let error;
  for (const event of ['connect', 'secureConnect', 'end']) socket.on(event, () => events.push(event));
  socket.on('error', (caught) => {
    events.push('error');
    error = caught;
  });
  return new Promise((resolve) => {
    socket.once('close', (hadError) =>
      resolve({
        events,
        hadError,
        error: error && errorFields(error),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError,
      }),
    );
  });
}
