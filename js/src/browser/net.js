// `node:net` for the browser bundle. A page cannot open TCP connections, so
// `connect()` without a `socket` fails at once, saying what to pass instead.
// `Socket` exists only so that `instanceof net.Socket` checks stay false.

import { nodeError } from '../errors.js';

/** Node's error for a feature this platform lacks, naming the way around it. */
function noTcp(call) {
  return nodeError(
    'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
    `The feature ${call} is unavailable on the current platform: a browser cannot open TCP connections. ` +
      "Pass options.socket, e.g. webSocketDuplex('ws://127.0.0.1:PORT/') from 'tls-connect/websocket' through a WebSocket-to-TCP bridge",
  );
}

/** Always throws: there is no TCP in a browser. */
export function connect() {
  throw noTcp('net.connect()');
}

/** Always throws: there is no TCP in a browser. */
export function createConnection() {
  throw noTcp('net.createConnection()');
}

/** Never constructed: there is no TCP in a browser. */
export class Socket {
  constructor() {
    throw noTcp('new net.Socket()');
  }
}

export default { connect, createConnection, Socket };
