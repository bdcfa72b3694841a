// webSocketDuplex from Node: the package's connect() over a WebSocket (the `ws`
// package's, since Node 20 has no global one) through scripts/bridge.js to Node's
// TLS echo server, all on loopback. The browser runs the same path in
// browser.test.mjs; this one is fast and needs no browser.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { connect } from '../src/index.js';
import { webSocketDuplex } from '../src/websocket.js';
import { startBridge } from '../scripts/bridge.js';
import { echoOnce, makeCertificates, startEchoServer, within } from './browser/fixtures.mjs';

const TIMEOUT = 20_000;
const BRIDGE_SCRIPT = fileURLToPath(new URL('../scripts/bridge.js', import.meta.url));
let pki;
let echo;
let bridge;

before(async () => {
  pki = makeCertificates();
  echo = await startEchoServer(pki);
  bridge = await startBridge({ port: 0 });
});

after(async () => {
  await bridge?.close();
  await echo?.close();
});

/** connect() options for a `ws` WebSocket to the bridge, `query` naming the target. */
function throughBridge(query, extra = {}) {
  const socket = webSocketDuplex(new WebSocket(`ws://127.0.0.1:${bridge.port}/${query}`));
  return { socket, host: 'localhost', ca: pki.ca, ALPNProtocols: ['http/1.1'], ...extra };
}

/** A loopback port nothing listens on: bound, then released. */
async function closedPort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('echoes through the bridge, authorized by the root given as ca', { timeout: TIMEOUT }, async () => {
  const options = throughBridge(`?port=${echo.port}`);
  const result = await within(TIMEOUT, 'the echo', echoOnce(connect, options, 'hello over a WebSocket'));
  assert.deepEqual(result, {
    authorized: true,
    authorizationError: null,
    protocol: 'TLSv1.3',
    alpnProtocol: 'http/1.1',
    echoed: 'hello over a WebSocket',
  });
});

test('carries 2 MiB each way without losing a byte', { timeout: TIMEOUT }, async () => {
  const payload = Buffer.alloc(2 * 1024 * 1024);
  for (let at = 0; at < payload.length; at++) payload[at] = (at * 7 + (at >> 12)) & 0xff;
  const socket = connect(throughBridge(`?port=${echo.port}`));
  const received = [];
  socket.on('data', (chunk) => received.push(chunk));
  socket.once('secureConnect', () => socket.end(payload));
  const [hadError] = await within(TIMEOUT, 'the transfer', once(socket, 'close'));
  assert.equal(hadError, false);
  assert.ok(Buffer.concat(received).equals(payload), 'the echo is the payload');
});

test('without ca, refuses the private root with the code Node gives', { timeout: TIMEOUT }, async () => {
  // Node's own client is the oracle. It dials 127.0.0.1, where its server listens.
  const nodeOptions = { host: '127.0.0.1', servername: 'localhost', port: echo.port };
  const expected = await within(TIMEOUT, "Node's client", echoOnce(tls.connect, nodeOptions, 'x'));
  assert.equal(expected.error?.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  const result = await within(TIMEOUT, 'our client', echoOnce(connect, throughBridge(`?port=${echo.port}`, { ca: undefined }), 'x'));
  assert.equal(result.error?.code, expected.error.code);
  // Node 26's text: OpenSSL's, then a hint about --use-system-ca (this runtime's may lack it).
  assert.equal(
    result.error.message,
    'unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca',
  );
  assert.ok(result.error.message.startsWith(expected.error.message), expected.error.message);
});

test('a URL and options.WebSocket work too, with the target given when the bridge starts', { timeout: TIMEOUT }, async () => {
  const fixed = await startBridge({ target: `localhost:${echo.port}` });
  try {
    const socket = webSocketDuplex(`ws://127.0.0.1:${fixed.port}/`, { WebSocket });
    const result = await within(TIMEOUT, 'the echo', echoOnce(connect, { socket, host: 'localhost', ca: pki.ca }, 'fixed target'));
    assert.equal(result.echoed, 'fixed target');
    assert.equal(result.authorized, true);
  } finally {
    await fixed.close();
  }
});

test('the global WebSocket, where there is one (Node 22+, Deno)', { timeout: TIMEOUT, skip: !globalThis.WebSocket }, async () => {
  const socket = webSocketDuplex(`ws://127.0.0.1:${bridge.port}/?port=${echo.port}`);
  const result = await within(TIMEOUT, 'the echo', echoOnce(connect, { socket, host: 'localhost', ca: pki.ca }, 'global WebSocket'));
  assert.equal(result.echoed, 'global WebSocket');
  assert.equal(result.authorized, true);
});

test('a refused TCP connection fails with Node\'s ECONNREFUSED', { timeout: TIMEOUT }, async () => {
  const port = await closedPort();
  const result = await within(TIMEOUT, 'the refusal', echoOnce(connect, throughBridge(`?port=${port}`), 'x'));
  assert.deepEqual(result, { error: { name: 'Error', code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${port}` } });
});

test('the bridge refuses targets that are not loopback', { timeout: TIMEOUT }, async () => {
  // 192.0.2.1 is TEST-NET-1: refused before any connection is tried.
  for (const query of ['?host=192.0.2.1&port=443', '?host=example.com&port=443', '']) {
    const result = await within(TIMEOUT, 'the refusal', echoOnce(connect, throughBridge(query), 'x'));
    assert.equal(result.error?.code, 'ERR_BRIDGE_TARGET', query);
  }
  await assert.rejects(startBridge({ target: '10.0.0.1:443' }), { code: 'ERR_BRIDGE_TARGET' });
});

test('over plain TCP: half-closes each way, and an aborted client resets the server', { timeout: TIMEOUT }, async () => {
  const events = [];
  let abortedSeen;
  const aborted = new Promise((resolve) => {
    abortedSeen = resolve;
  });
  let serverEnded;
  const serverEnd = new Promise((resolve) => {
    serverEnded = resolve;
  });
  // The first connection: the server says hello and ends first, then still reads.
  // The second: it waits, and should see the client's abort as a reset.
  let connections = 0;
  const server = net.createServer({ allowHalfOpen: true }, (tcp) => {
    const received = [];
    tcp.on('data', (chunk) => received.push(chunk));
    tcp.on('error', (error) => abortedSeen(error.code));
    if (++connections === 1) {
      tcp.end('hello');
      tcp.on('end', () => serverEnded(`server got ${Buffer.concat(received)}`));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const url = `ws://127.0.0.1:${bridge.port}/?port=${server.address().port}`;
    const first = webSocketDuplex(new WebSocket(url));
    first.on('data', (chunk) => events.push(`client got ${chunk}`));
    first.on('end', () => {
      events.push('client end');
      first.end('after your end');
    });
    const [, seenByServer] = await within(TIMEOUT, 'the half-closes', Promise.all([once(first, 'close'), serverEnd]));
    assert.equal(first.errored, null);
    assert.deepEqual(events, ['client got hello', 'client end']);
    assert.equal(seenByServer, 'server got after your end');

    const second = webSocketDuplex(new WebSocket(url));
    second.on('error', () => {});
    second.write('x', () => setTimeout(() => second.destroy(new Error('given up')), 50));
    assert.equal(await within(TIMEOUT, 'the reset', aborted), 'ECONNRESET');
  } finally {
    server.close();
  }
});

test('webSocketDuplex says what to do when there is no WebSocket', () => {
  assert.throws(() => webSocketDuplex('ws://127.0.0.1:1/', { WebSocket: null }), {
    code: 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
  });
});

test('the bridge runs as a command and prints {"listening": port}', { timeout: TIMEOUT }, async () => {
  // The bridge is a Node tool: run by the machine's node whichever runtime runs the test.
  const child = spawn('node', [BRIDGE_SCRIPT, '--target', `127.0.0.1:${echo.port}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = await within(TIMEOUT, 'the bridge command', once(createInterface({ input: child.stdout }), 'line'));
    const { listening } = JSON.parse(line);
    const socket = webSocketDuplex(new WebSocket(`ws://127.0.0.1:${listening}/`));
    const result = await within(TIMEOUT, 'the echo', echoOnce(connect, { socket, host: 'localhost', ca: pki.ca }, 'via the command'));
    assert.equal(result.echoed, 'via the command');
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
