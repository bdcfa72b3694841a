#!/usr/bin/env node
// A WebSocket-to-TCP bridge for loopback targets: what lets a browser page reach
// a local TLS server through `webSocketDuplex` (src/websocket.js), whose wire
// protocol it speaks: binary messages are bytes, the text message "end" is a
// half-close, and a close ends both directions. A TCP failure closes the
// WebSocket with code 1011 and the reason "CODE: message" (Node's error code and
// message); a refused target closes it with 1008 and the reason why.
//
// It only ever connects to 127.0.0.0/8, ::1 or localhost (checked again after
// the name is resolved), so a page cannot use it to reach anything else.
//
//   node scripts/bridge.js [--port N] [--target HOST:PORT]
//
// listens on 127.0.0.1 and prints one JSON line, {"listening": PORT}. A client
// picks the target with ws://127.0.0.1:PORT/?port=N (and optionally &host=H);
// without a query it gets --target.

import dns from 'node:dns';
import net from 'node:net';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

/** The loopback ranges a target may be in. */
const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Close codes: RFC 6455's policy violation and internal error. */
const REFUSED = 1008;
const FAILED = 1011;
/** TCP data waits (the TCP socket pauses) while the WebSocket holds this much unsent. */
const SEND_HIGH_WATER = 1024 * 1024;
/** After the WebSocket closes, the TCP side gets this long to finish its half-close. */
const LINGER_MS = 10_000;

/** An Error with a `code`, as the bridge reports them in close reasons. */
function bridgeError(code, message) {
  return Object.assign(new Error(message), { code });
}

/** True for a loopback IP address literal. */
function isLoopbackAddress(address) {
  const family = net.isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** A host the bridge may connect to: a loopback literal, or the name localhost. */
function checkHost(host) {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isLoopbackAddress(bare) || /^localhost\.?$/i.test(bare)) return bare;
  throw bridgeError('ERR_BRIDGE_TARGET', `${host} is not a loopback address: the bridge only connects to 127.0.0.0/8, ::1 and localhost`);
}

/** A TCP port number from a string, or an error saying what was wrong. */
function checkPort(text) {
  const port = Number(text);
  if (!/^\d+$/.test(String(text)) || port < 1 || port > 65535) {
    throw bridgeError('ERR_BRIDGE_TARGET', `port ${JSON.stringify(String(text))} is not a TCP port (1-65535)`);
  }
  return port;
}

/** `HOST:PORT` (HOST may be [v6]) as `{host, port}`, loopback only. */
export function parseTarget(text) {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(String(text));
  if (!match) throw bridgeError('ERR_BRIDGE_TARGET', `target ${JSON.stringify(String(text))} is not HOST:PORT`);
  return { host: checkHost(match[1]), port: checkPort(match[2]) };
}

/** The target of one connection: the query's host and port over the bridge's own. */
function connectionTarget(requestUrl, fallback) {
  const query = new URL(requestUrl, 'ws://bridge/').searchParams;
  const host = query.has('host') ? checkHost(query.get('host')) : (fallback?.host ?? '127.0.0.1');
  if (query.has('port')) return { host, port: checkPort(query.get('port')) };
  if (fallback) return { host, port: fallback.port };
  throw bridgeError('ERR_BRIDGE_TARGET', 'no target: connect with ?port=N, or start the bridge with --target HOST:PORT');
}

/** dns.lookup for `localhost` that fails unless every address it gives is loopback. */
function loopbackLookup(hostname, options, callback) {
  dns.lookup(hostname, options, (error, address, family) => {
    if (error) return callback(error);
    const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
    const stray = addresses.find((entry) => !isLoopbackAddress(entry));
    if (stray) return callback(bridgeError('ERR_BRIDGE_TARGET', `${hostname} resolves to ${stray}, which is not loopback`));
    callback(null, address, family);
  });
}

/** A close reason, cut to the 123 bytes a close frame allows. */
function reasonFor(error) {
  let reason = `${error.code ?? 'ERR_BRIDGE'}: ${error.message}`;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

/** Closes the WebSocket unless it is already closing. */
function closeSocket(ws, code, reason) {
  if (ws.readyState === ws.CONNECTING || ws.readyState === ws.OPEN) ws.close(code, reason);
}

/** Copies bytes both ways between one WebSocket and a new TCP connection. */
function relay(ws, request, fallback, tcpSockets) {
  let target;
  try {
    target = connectionTarget(request.url, fallback);
  } catch (error) {
    ws.close(REFUSED, reasonFor(error));
    return;
  }
  const tcp = net.connect({ ...target, allowHalfOpen: true, noDelay: true, lookup: loopbackLookup });
  tcpSockets.add(tcp);
  let failed = false;

  // WebSocket to TCP; the WebSocket pauses while the TCP socket is full.
  ws.on('message', (data, isBinary) => {
    if (tcp.destroyed) return;
    if (isBinary) {
      if (!tcp.write(data)) ws.pause();
    } else if (data.toString() === 'end') {
      tcp.end();
    } else {
      failed = true;
      tcp.destroy();
      ws.close(REFUSED, 'ERR_BRIDGE_PROTOCOL: text messages other than "end" are not defined');
    }
  });
  tcp.on('drain', () => ws.resume());

  // TCP to WebSocket; the TCP socket pauses while the WebSocket holds too much.
  const resumeWhenSent = () => {
    if (ws.bufferedAmount <= SEND_HIGH_WATER && !tcp.destroyed) tcp.resume();
  };
  tcp.on('data', (chunk) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunk, { binary: true }, resumeWhenSent);
    if (ws.bufferedAmount > SEND_HIGH_WATER) tcp.pause();
  });
  tcp.on('end', () => {
    if (ws.readyState === ws.OPEN) ws.send('end');
  });
  tcp.on('error', (error) => {
    failed = true;
    const refused = error.code === 'ERR_BRIDGE_TARGET';
    closeSocket(ws, refused ? REFUSED : FAILED, reasonFor(error));
  });
  tcp.on('close', () => {
    tcpSockets.delete(tcp);
    // Both directions are done: the WebSocket's close says so to the client.
    if (!failed) closeSocket(ws, 1000);
  });

  ws.on('error', () => {
    // Always followed by 'close', which decides what the TCP side gets.
  });
  ws.on('close', (code) => {
    if (tcp.destroyed) return;
    if (code === 1000 || code === 1005) {
      // A clean close: send what is queued, then FIN; nobody is left to read the reply.
      tcp.end();
      tcp.resume();
      setTimeout(() => tcp.destroy(), LINGER_MS).unref();
    } else if (typeof tcp.resetAndDestroy === 'function') {
      // The client gave up (an error, or its page went away): the server sees a reset.
      tcp.resetAndDestroy();
    } else {
      tcp.destroy();
    }
  });
}

/**
 * Starts a bridge on 127.0.0.1.
 *
 * @param {object} [options]
 * @param {number} [options.port] the port to listen on; 0 (the default) picks a free one
 * @param {string} [options.target] `HOST:PORT` for connections that name no port; loopback only
 * @returns {Promise<{port: number, close: () => Promise<void>}>} `close` stops
 *   listening and ends every connection.
 */
export async function startBridge({ port = 0, target } = {}) {
  const fallback = target === undefined || target === null ? undefined : parseTarget(target);
  const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const tcpSockets = new Set();
  server.on('connection', (ws, request) => relay(ws, request, fallback, tcpSockets));
  return {
    port: server.address().port,
    close() {
      for (const ws of server.clients) ws.terminate();
      for (const tcp of tcpSockets) tcp.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The command line: `--port N`, `--target HOST:PORT`. */
function parseArguments(args) {
  const options = {};
  for (let at = 0; at < args.length; at += 2) {
    const [flag, value] = [args[at], args[at + 1]];
    if (flag === '--port' && value !== undefined) options.port = Number(value);
    else if (flag === '--target' && value !== undefined) options.target = value;
    else throw new Error(`usage: bridge.js [--port N] [--target HOST:PORT] (unexpected ${JSON.stringify(flag)})`);
  }
  return options;
}

/** True when this file is the program Node was asked to run, not an import. */
function isMain() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    const bridge = await startBridge(parseArguments(process.argv.slice(2)));
    console.log(JSON.stringify({ listening: bridge.port }));
    const stop = () => bridge.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
}
