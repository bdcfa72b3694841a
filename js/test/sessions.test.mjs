// Sessions, the socket's events beyond data, and the methods that read the
// session: 'session' (count and order), resumption, the caller's own
// checkServerIdentity, 'keylog', exportKeyingMaterial, getEphemeralKeyInfo,
// setMaxSendFragment and 'OCSPResponse'. The server is Node 20's
// tls.createServer in a child process (the machine's `node`, whatever runtime
// runs this file), which also reports what Node's own client sees against it:
// that is the expected answer in every runtime.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as nodeTls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { connect } from '../src/index.js';
import { firstOf, nodeIsOracle, readAll } from './support/peer.js';
import { pki } from './support/pki.js';

/** How long a step may wait for the server or the client. */
const WAIT_MS = 20_000;
/** The exporter label and context both sides use. */
const EKM = { length: 32, label: 'EXPORTER-tls-connect-test', context: 'context' };
/** The bytes the OCSP-stapling server staples (Node passes them through unchecked). */
const STAPLE = Buffer.from('a stapled OCSP response');

/**
 * The child's program: a Node TLS echo server reporting, per secure
 * connection, its number, version, resumption, key-log lines, exported keying
 * material and client certificate; on request it first runs Node's own client
 * against itself and reports the events that client saw.
 */
const SERVER = String.raw`
const tls = require('tls');
const config = JSON.parse(process.argv[1]);
const report = (fields) => process.stdout.write(JSON.stringify(fields) + '\n');
const options = { key: config.key, cert: config.cert, maxVersion: config.maxVersion };
if (config.clientCa) Object.assign(options, { requestCert: true, rejectUnauthorized: false, ca: config.clientCa });
const server = tls.createServer(options);
const keylog = new Map();
server.on('keylog', (line, socket) => keylog.set(socket, [...(keylog.get(socket) || []), line.toString('latin1')]));
if (config.staple) server.on('OCSPRequest', (cert, issuer, done) => done(null, Buffer.from(config.staple, 'hex')));
// Connections are known by the client's port; what each received is counted until its TCP close.
const received = new Map();
server.on('connection', (tcp) => {
  const port = tcp.remotePort;
  received.set(port, 0);
  tcp.on('close', () => report({ closed: { port, received: received.get(port) } }));
});
server.on('secureConnection', (socket) => {
  const port = socket.remotePort;
  const ekm = (context) => socket.exportKeyingMaterial(config.ekm.length, config.ekm.label, context).toString('hex');
  const peer = socket.getPeerCertificate();
  report({ secure: {
    port, protocol: socket.getProtocol(), reused: socket.isSessionReused(), keylog: keylog.get(socket) || [],
    ekm: ekm(), ekmWithContext: ekm(Buffer.from(config.ekm.context)),
    clientCN: (peer && peer.subject && peer.subject.CN) || null,
  } });
  socket.on('error', () => {});
  socket.on('data', (chunk) => received.set(port, received.get(port) + chunk.length));
  socket.pipe(socket);
});
server.on('tlsClientError', (error) => report({ clientError: error.code || error.message }));

/** Node's own client: its events until close, one echo of 'ping' on the way. */
function nodeClient(port, done) {
  const events = [];
  const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: config.ca, maxVersion: config.maxVersion });
  for (const name of ['secureConnect', 'session', 'end', 'close']) socket.on(name, () => events.push(name));
  socket.on('secureConnect', () => socket.write('ping'));
  socket.once('data', () => socket.end());
  socket.on('error', (error) => events.push('error ' + error.code));
  socket.on('close', () => done(events));
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  if (!config.nodeClient) return report({ listening: port });
  nodeClient(port, (events) => report({ listening: port, nodeClientEvents: events }));
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), 120000).unref();
`;

/**
 * Starts the child server with `config` (maxVersion, staple, clientCa,
 * nodeClient). Resolves to `{port, nodeClientEvents, secure(port), closed(port), close()}`:
 * what it saw of the connection from the client's local `port`.
 */
async function startServer(config = {}) {
  const { key, cert } = pki.server;
  const child = spawn('node', ['-e', SERVER, JSON.stringify({ key, cert, ca: pki.ca, ekm: EKM, ...config })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const reports = [];
  const waiters = new Set();
  createInterface({ input: child.stdout }).on('line', (line) => {
    reports.push(JSON.parse(line));
    for (const waiter of waiters) waiter();
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));

  /** The first report for which `pick` gives a value. */
  function waitFor(pick, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the server reported no ${what} within ${WAIT_MS} ms`));
      }, WAIT_MS);
      function check() {
        const found = reports.map(pick).find((value) => value !== undefined);
        if (found === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      }
      waiters.add(check);
      check();
    });
  }

  const { listening, nodeClientEvents } = await waitFor((r) => (r.listening ? r : undefined), 'listening');
  return {
    port: listening,
    nodeClientEvents,
    secure: (port) => waitFor((r) => (r.secure?.port === port ? r.secure : undefined), `the connection from ${port}`),
    closed: (port) => waitFor((r) => (r.closed?.port === port ? r.closed : undefined), `the close of ${port}`),
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

/** Options that verify the test server by name over loopback. */
function options(server, extra = {}) {
  return { port: server.port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca, ...extra };
}

/** Runs one echo of 'ping' with `connectFn`, recording `events` in order; resolves to `{socket, events, seen}`. */
function echoRecording(connectFn, connectOptions, eventNames = ['secureConnect', 'session', 'end', 'close']) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no close within ${WAIT_MS} ms`)), WAIT_MS);
    const events = [];
    const seen = { sessions: [], keylog: [], ocsp: [] };
    const socket = connectFn(connectOptions);
    for (const name of eventNames) socket.on(name, () => events.push(name));
    socket.on('session', (session) => seen.sessions.push(session));
    socket.on('secureConnect', () => {
      seen.port = socket.localPort;
      seen.reused = socket.isSessionReused();
      seen.authorized = socket.authorized;
      seen.authorizationError = socket.authorizationError;
      socket.write('ping');
    });
    socket.once('data', () => {
      seen.session = socket.getSession();
      socket.end();
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ socket, events, seen });
    });
  });
}

for (const maxVersion of ['TLSv1.3', 'TLSv1.2']) {
  describe(`sessions on ${maxVersion}`, () => {
    let server;
    before(async () => {
      server = await startServer({ maxVersion, nodeClient: true });
    });
    after(() => server.close());

    test("'session' events: as many, in the same order, as Node's own client sees", async () => {
      const { events, seen } = await echoRecording(connect, options(server));
      assert.deepEqual(events, server.nodeClientEvents);
      assert.ok(seen.sessions.length >= 1 && seen.sessions.every(Buffer.isBuffer));
      assert.equal(seen.reused, false);
    });

    test('a session from the event resumes: isSessionReused() on both sides', async () => {
      const first = await echoRecording(connect, options(server));
      assert.equal((await server.secure(first.seen.port)).reused, false);
      const fromEvent = first.seen.sessions.at(-1);

      const resumed = await echoRecording(connect, options(server, { session: fromEvent }));
      assert.equal(resumed.seen.reused, true);
      assert.equal(resumed.seen.authorized, true, 'a resumed session keeps the verification result');
      assert.equal((await server.secure(resumed.seen.port)).reused, true);
    });

    test("getSession() resumes too, and a session resumes more than once, as OpenSSL's client reuses it", async () => {
      const first = await echoRecording(connect, options(server));
      assert.ok(Buffer.isBuffer(first.seen.session));
      for (const attempt of [1, 2]) {
        const resumed = await echoRecording(connect, options(server, { session: first.seen.session }));
        assert.equal(resumed.seen.reused, true, `resumption ${attempt}`);
      }
    });

    test('setSession() before the connection opens resumes too', async () => {
      const first = await echoRecording(connect, options(server));
      const session = first.seen.sessions.at(-1);
      const resumed = await new Promise((resolve, reject) => {
        const socket = connect(options(server));
        socket.setSession(session);
        socket.on('secureConnect', () => {
          resolve(socket.isSessionReused());
          socket.end();
        });
        socket.on('error', reject);
      });
      assert.equal(resumed, true);
    });

    test('junk session bytes are ignored: a full handshake, as Node does', async () => {
      const { seen } = await echoRecording(connect, options(server, { session: Buffer.from('not a session') }));
      assert.equal(seen.reused, false);
      assert.equal(seen.authorized, true);
    });

    test("'keylog': the server's own lines (5 on TLS 1.3), each a Buffer ending in a newline", async () => {
      const lines = [];
      const socket = connect(options(server));
      socket.on('keylog', (line) => lines.push(line));
      await firstOf(socket, ['secureConnect']);
      const { localPort } = socket;
      socket.end();
      const serverLines = (await server.secure(localPort)).keylog;
      assert.equal(lines.length, maxVersion === 'TLSv1.3' ? 5 : 1);
      assert.ok(lines.every((line) => Buffer.isBuffer(line) && line.toString().endsWith('\n')));
      assert.deepEqual(lines.map(String).sort(), [...serverLines].sort());
    });

    test('exportKeyingMaterial equals the server\'s, with and without context', async () => {
      const socket = connect(options(server));
      await firstOf(socket, ['secureConnect']);
      const ekm = socket.exportKeyingMaterial(EKM.length, EKM.label);
      const withContext = socket.exportKeyingMaterial(EKM.length, EKM.label, Buffer.from(EKM.context));
      const seen = await server.secure(socket.localPort);
      socket.end();
      assert.ok(Buffer.isBuffer(ekm) && ekm.length === EKM.length);
      assert.equal(ekm.toString('hex'), seen.ekm);
      assert.equal(withContext.toString('hex'), seen.ekmWithContext);
      assert.notEqual(seen.ekm, seen.ekmWithContext);
    });

    test('getEphemeralKeyInfo: Node\'s shape for the group negotiated; null after destroy', async () => {
      for (const [ecdhCurve, expected] of [
        [undefined, { type: 'ECDH', name: 'X25519', size: 253 }],
        ['P-256', { type: 'ECDH', name: 'prime256v1', size: 256 }],
      ]) {
        const socket = connect(options(server, ecdhCurve ? { ecdhCurve } : {}));
        assert.deepEqual(socket.getEphemeralKeyInfo(), {});
        await firstOf(socket, ['secureConnect']);
        assert.deepEqual(socket.getEphemeralKeyInfo(), expected);
        if (nodeIsOracle) {
          const node = nodeTls.connect(options(server, ecdhCurve ? { ecdhCurve } : {}));
          await firstOf(node, ['secureConnect']);
          assert.deepEqual(node.getEphemeralKeyInfo(), expected, "Node's own answer");
          node.destroy();
        }
        socket.destroy();
        assert.equal(socket.getEphemeralKeyInfo(), null);
      }
    });

    test('setMaxSendFragment: true within 512..16384, and data still flows in small records', async () => {
      const socket = connect(options(server));
      await firstOf(socket, ['secureConnect']);
      assert.equal(socket.setMaxSendFragment(511), false);
      assert.equal(socket.setMaxSendFragment(16385), false);
      assert.equal(socket.setMaxSendFragment(512), true);
      const payload = 'x'.repeat(20_000);
      const echoed = readAll(socket);
      socket.end(payload);
      assert.equal(await echoed, payload);
    });

    test('renegotiate: false, and the callback gets the error Node gives', async () => {
      const socket = connect(options(server));
      await firstOf(socket, ['secureConnect']);
      const error = await new Promise((resolve) => assert.equal(socket.renegotiate({}, resolve), false));
      assert.ok(error instanceof Error);
      if (maxVersion === 'TLSv1.3') {
        assert.equal(error.code, 'ERR_SSL_WRONG_SSL_VERSION');
        assert.equal(error.message, 'error:0A00010A:SSL routines::wrong ssl version');
      }
      socket.destroy();
    });
  });
}

describe("the caller's checkServerIdentity", () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  /** What a client shows with `check` as its checkServerIdentity: the event, fields, calls, and the error. */
  async function withCheck(connectFn, check, extra = {}) {
    const calls = [];
    const socket = connectFn(
      options(server, {
        checkServerIdentity: (hostname, cert) => {
          calls.push([hostname, cert.subject?.CN]);
          return check();
        },
        ...extra,
      }),
    );
    // Written before the verdict: it must not reach a server that is refused.
    socket.write('early');
    let port;
    socket.once('connect', () => (port = socket.localPort));
    const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
    const seen = { event, authorized: socket.authorized, authorizationError: socket.authorizationError, calls };
    socket.destroy();
    return { seen, error: args[0], port };
  }

  const accept = () => undefined;
  const refuse = () => Object.assign(new Error('not this server'), { code: 'ECUSTOM' });
  const refuseWithoutCode = () => new Error('not this server');

  test('accepting: authorized, called once with the name Node passes and the detailed certificate', async () => {
    const ours = await withCheck(connect, accept);
    assert.deepEqual(ours.seen, {
      event: 'secureConnect',
      authorized: true,
      authorizationError: null,
      calls: [['localhost', 'localhost']],
    });
    if (nodeIsOracle) assert.deepEqual((await withCheck(nodeTls.connect, accept)).seen, ours.seen, "Node's own answer");
  });

  test('refusing: the socket is destroyed with that very Error, and nothing written reaches the server', async () => {
    let returned;
    const ours = await withCheck(connect, () => (returned = refuse()));
    assert.equal(ours.error, returned);
    assert.deepEqual(ours.seen, { event: 'error', authorized: false, authorizationError: 'ECUSTOM', calls: [['localhost', 'localhost']] });
    if (nodeIsOracle) assert.deepEqual((await withCheck(nodeTls.connect, refuse)).seen, ours.seen, "Node's own answer");
    const { received } = await server.closed(ours.port);
    assert.equal(received, 0);
  });

  test('refusing without a code: authorizationError is the message', async () => {
    const ours = await withCheck(connect, refuseWithoutCode);
    assert.equal(ours.seen.authorizationError, 'not this server');
    if (nodeIsOracle) assert.deepEqual((await withCheck(nodeTls.connect, refuseWithoutCode)).seen, ours.seen, "Node's own answer");
  });

  test("refusing with rejectUnauthorized false: 'secureConnect' with authorized false", async () => {
    const ours = await withCheck(connect, refuse, { rejectUnauthorized: false });
    assert.deepEqual(ours.seen, { event: 'secureConnect', authorized: false, authorizationError: 'ECUSTOM', calls: [['localhost', 'localhost']] });
    if (nodeIsOracle) {
      assert.deepEqual((await withCheck(nodeTls.connect, refuse, { rejectUnauthorized: false })).seen, ours.seen, "Node's own answer");
    }
  });

  test('not called when the chain fails, nor on a resumed session; the name is host without servername', async () => {
    const untrusted = await withCheck(connect, accept, { ca: undefined, rejectUnauthorized: false });
    assert.deepEqual(untrusted.seen.calls, []);
    assert.equal(untrusted.seen.authorizationError, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');

    const first = await echoRecording(connect, options(server, { checkServerIdentity: accept }));
    const resumed = await withCheck(connect, accept, { session: first.seen.sessions.at(-1) });
    assert.deepEqual(resumed.seen.calls, []);
    assert.equal(resumed.seen.authorized, true);

    const byHost = await withCheck(connect, accept, { servername: undefined, host: 'localhost' });
    assert.deepEqual(byHost.seen.calls.map(([hostname]) => hostname), ['localhost']);
    const byAddress = await withCheck(connect, accept, { servername: undefined });
    assert.deepEqual(byAddress.seen.calls.map(([hostname]) => hostname), ['127.0.0.1']);
  });
});

describe("'OCSPResponse'", () => {
  let stapling;
  let plain;
  before(async () => {
    [stapling, plain] = await Promise.all([startServer({ staple: STAPLE.toString('hex') }), startServer()]);
  });
  after(() => Promise.all([stapling.close(), plain.close()]));

  /** The 'OCSPResponse' events a client sees, and whether they came before 'secureConnect'. */
  async function responses(connectFn, server, extra) {
    const events = [];
    const socket = connectFn(options(server, extra));
    socket.on('OCSPResponse', (response) => events.push(response));
    socket.on('secureConnect', () => events.push('secureConnect'));
    await firstOf(socket, ['secureConnect']);
    socket.destroy();
    return events;
  }

  test('with requestOCSP: the stapled bytes as a Buffer, before secureConnect', async () => {
    const ours = await responses(connect, stapling, { requestOCSP: true });
    assert.deepEqual(ours, [STAPLE, 'secureConnect']);
    assert.ok(Buffer.isBuffer(ours[0]));
    if (nodeIsOracle) assert.deepEqual(await responses(nodeTls.connect, stapling, { requestOCSP: true }), ours, "Node's own answer");
  });

  test('a server that staples nothing: null, as Node reports it', async () => {
    const ours = await responses(connect, plain, { requestOCSP: true });
    assert.deepEqual(ours, [null, 'secureConnect']);
    if (nodeIsOracle) assert.deepEqual(await responses(nodeTls.connect, plain, { requestOCSP: true }), ours, "Node's own answer");
  });

  test('without requestOCSP: no event', async () => {
    assert.deepEqual(await responses(connect, stapling, {}), ['secureConnect']);
  });
});

describe('certificates of this side', () => {
  let server;
  before(async () => {
    server = await startServer({ clientCa: pki.clientCa });
  });
  after(() => server.close());

  /** The certificate methods' answers once connected with the test client identity. */
  async function certificates(connectFn) {
    const socket = connectFn(options(server, { cert: pki.client.cert, key: pki.client.key }));
    await firstOf(socket, ['secureConnect']);
    const own = socket.getCertificate();
    const peer = socket.getPeerCertificate();
    const answers = {
      ownKeys: Object.keys(own),
      ownCN: own.subject.CN,
      ownFingerprint: own.fingerprint256,
      peerFingerprint: peer.fingerprint256,
      x509: socket.getX509Certificate()?.fingerprint256,
      peerX509: socket.getPeerX509Certificate()?.fingerprint256,
      finished: socket.getFinished(),
    };
    socket.destroy();
    return answers;
  }

  test('getCertificate in Node\'s shape; X509Certificate objects where node:crypto has them', async () => {
    const ours = await certificates(connect);
    assert.equal(ours.ownCN, 'tls-connect test client');
    assert.equal(ours.x509, ours.ownFingerprint);
    assert.equal(ours.peerX509, ours.peerFingerprint);
    // rustls does not expose the Finished messages.
    assert.equal(ours.finished, undefined);
    if (nodeIsOracle) {
      const node = await certificates(nodeTls.connect);
      assert.deepEqual(ours.ownKeys, node.ownKeys, "Node's own keys");
      assert.equal(ours.ownFingerprint, node.ownFingerprint);
    }
  });
});

test('enableTrace: trace lines go to standard error, and the connection is unaffected', async (t) => {
  const stderr = globalThis.process?.stderr;
  if (typeof stderr?.write !== 'function') return t.skip('no process.stderr here');
  const server = await startServer();
  const written = [];
  const write = stderr.write;
  stderr.write = (chunk, ...rest) => {
    written.push(String(chunk));
    return typeof rest.at(-1) === 'function' ? rest.at(-1)() ?? true : true;
  };
  try {
    const { seen } = await echoRecording(connect, options(server, { enableTrace: true }));
    assert.equal(seen.authorized, true);
  } finally {
    stderr.write = write;
    await server.close();
  }
  assert.ok(written.length > 0, 'some trace lines were written');
});
