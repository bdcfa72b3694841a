// TLSSocket's stream semantics against Node 26's own node:tls, scenario by
// scenario (support/stream-scenarios.mjs): write backpressure and 'drain', one
// TLS record per 'data', a `socket` that has not connected yet, destroy() in
// 'OCSPResponse' before our Finished, and getSession() inside each 'session'.
// Every scenario runs first with Node 26's tls.connect, then with ours, against
// the same Node servers (support/stream-peer.cjs); ours must answer as Node did.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ours from '../src/index.js';
import { pki } from './support/pki.js';
import { startPeer } from './support/peer.js';
import { nodeAnswer, scenarios } from './support/stream-scenarios.mjs';

const PEER = fileURLToPath(new URL('./support/stream-peer.cjs', import.meta.url));
/** 5000 bytes in 512-byte records: nine full records and a short one. */
const FRAGMENT_BYTES = 5000;
const STAPLE = 'c0ffee0123456789';

let peer;
let context;
before(async () => {
  peer = await startPeer(
    { key: pki.server.key, cert: pki.server.cert, fragmentBytes: FRAGMENT_BYTES, ocspResponse: STAPLE },
    { script: PEER },
  );
  context = { ports: peer.port, ca: pki.ca };
});
after(() => peer?.close());

/** Node 26's answer to `name`, then ours; the second must equal the first. */
async function both(name) {
  const node = await nodeAnswer(name, context);
  const mine = await scenarios[name](ours, context);
  return { node, mine };
}

test('a 1 MiB write returns false and is followed by drain, as in Node', async () => {
  const { node, mine } = await both('bigWrite');
  assert.deepEqual(node, { returned: false, buffered: 1024 * 1024, drained: true }, "Node's answer");
  assert.equal((await peer.next('sinkReceived')).sinkReceived, 1024 * 1024);
  assert.deepEqual(mine, node);
  assert.equal((await peer.next('sinkReceived')).sinkReceived, 1024 * 1024);
});

test('a fast writer sees false at the highWaterMark and one drain, as in Node', async () => {
  const { node, mine } = await both('fastWriter');
  assert.ok(node.accepted < 4096, "Node's writer stopped");
  const sent = (node.accepted + 1) * 1024;
  assert.equal((await peer.next('sinkReceived')).sinkReceived, sent);
  assert.deepEqual(mine, node);
  assert.equal((await peer.next('sinkReceived')).sinkReceived, sent);
});

test("one TLS record's plaintext per 'data': a peer's setMaxSendFragment(512) shows", async () => {
  const { node, mine } = await both('fragments');
  assert.equal(node.sizes.reduce((a, b) => a + b, 0), FRAGMENT_BYTES, "Node's answer");
  assert.deepEqual(mine, node);
});

test("getSession() inside each 'session' handler is that event's session", async () => {
  const { node, mine } = await both('sessionPerTicket');
  assert.ok(node.sameAsEvent.length >= 2, "Node's answer: the server sent two tickets");
  assert.deepEqual(mine, node);
});

test("a net.Socket not connected yet, as socket: the handshake waits for its 'connect'", async () => {
  const { node, mine } = await both('unconnectedSocket');
  assert.equal(node.echoed, 'hello', "Node's answer");
  assert.deepEqual(mine, node);
});

test('a net.Socket not connected yet, to a server that resets: Node reports its error', async () => {
  const { node, mine } = await both('unconnectedSocketReset');
  assert.equal(node.event, 'error', "Node's answer");
  assert.deepEqual(mine, node);
});

/** Node 26's answer to an OCSP scenario and ours, each with the TLS record types its client sent. */
async function ocsp(name) {
  const node = await nodeAnswer(name, context);
  node.sent = (await peer.next('clientRecords')).clientRecords;
  const mine = await scenarios[name](ours, context);
  mine.sent = (await peer.next('clientRecords')).clientRecords;
  return { node, mine };
}

// 22 is a handshake record (the ClientHello); our Finished would follow as 23,
// TLS 1.3's encrypted record (after a 20, the compatibility ChangeCipherSpec).
test("destroy() in 'OCSPResponse' stops the handshake before our Finished", async () => {
  const { node, mine } = await ocsp('ocspDestroy');
  assert.deepEqual(node.events, [['OCSPResponse', STAPLE], 'close'], "Node's answer");
  assert.ok(!node.sent.includes(23), `Node's client sent no Finished: ${node.sent}`);
  assert.deepEqual(mine, node);
});

test("destroy() in 'OCSPResponse' with the caller's checkServerIdentity: the same", async () => {
  const { node, mine } = await ocsp('ocspDestroyCallerCheck');
  assert.ok(!node.sent.includes(23), `Node's client sent no Finished: ${node.sent}`);
  assert.deepEqual(mine, node);
});

test("an untrusted server: 'OCSPResponse' comes before the verification error", async () => {
  const node = await nodeAnswer('ocspUntrusted', context);
  await peer.next('clientRecords');
  const mine = await scenarios.ocspUntrusted(ours, context);
  await peer.next('clientRecords');
  assert.equal(node.events[0][0], 'OCSPResponse', "Node's answer");
  assert.deepEqual(mine, node);
});
