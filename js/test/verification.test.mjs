// Verification outcomes as Node reports them: the code on the error (refused)
// or on `authorizationError` (rejectUnauthorized: false). Under Node, Node's own
// tls.connect is asked first against the same server, so the expected answer is
// Node's; under Deno (whose node:tls is not Node's) the same constants stand.

import assert from 'node:assert/strict';
import * as nodeTls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { connect } from '../src/index.js';
import { pki } from './support/pki.js';
import { firstOf, nodeIsOracle, startPeer } from './support/peer.js';

/** Node 26's hint after OpenSSL's text when a root the system trusts might have helped. */
const SYSTEM_CA_HINT = '; if the root CA is installed locally, try running Node.js with --use-system-ca';

/** Connects with `connect` and reports what Node's API shows: the event, code, message, authorized. */
async function outcome(connectFn, options) {
  const socket = connectFn(options);
  const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
  const seen = { event, authorized: socket.authorized, authorizationError: socket.authorizationError };
  if (event === 'error') Object.assign(seen, { code: args[0].code, message: args[0].message });
  socket.destroy();
  return { seen, error: args[0] };
}

const cases = [
  {
    name: 'a self-signed leaf, default roots',
    server: () => pki.selfSigned,
    client: {},
    code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    message: `self-signed certificate${SYSTEM_CA_HINT}`,
  },
  {
    name: 'a leaf from an unknown issuer, default roots',
    server: () => pki.unknownIssuer,
    client: {},
    code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    message: `unable to verify the first certificate${SYSTEM_CA_HINT}`,
  },
  {
    name: 'a leaf for another name',
    server: () => pki.otherName,
    client: { ca: pki.ca },
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    message: "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:other.test",
  },
];

for (const scenario of cases) {
  describe(scenario.name, () => {
    let peer;
    before(async () => {
      const { key, cert } = scenario.server();
      peer = await startPeer({ key, cert });
    });
    after(() => peer.close());

    const base = () => ({ port: peer.port, host: 'localhost', ...scenario.client });

    test(`refused with ${scenario.code}, and nothing reaches the server`, async () => {
      if (nodeIsOracle) {
        const node = await outcome(nodeTls.connect, base());
        assert.equal(node.seen.code, scenario.code, "Node's own answer");
        assert.equal(node.seen.message, scenario.message, "Node's own message");
      }
      // A server of our own, so that its one report is about our connection.
      const ourPeer = await startPeer(scenario.server());
      const socket = connect({ ...base(), port: ourPeer.port });
      socket.write('must not reach the server');
      const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
      assert.equal(event, 'error');
      const [error] = args;
      assert.equal(error.code, scenario.code);
      assert.equal(error.message, scenario.message);
      assert.ok(error instanceof Error);
      assert.equal(socket.authorized, false);
      await new Promise((resolve) => (socket.closed ? resolve() : socket.once('close', resolve)));
      // TLS 1.3: the server finished its side of the handshake before we refused
      // it, so it reports the connection's plaintext when it closes.
      assert.equal((await ourPeer.next('plaintextReceived')).plaintextReceived, 0, 'bytes reached the server');
      await ourPeer.close();
      if (scenario.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        assert.equal(error.host, 'localhost');
        assert.equal(error.reason, "Host: localhost. is not in the cert's altnames: DNS:other.test");
        assert.equal(error.cert.subjectaltname, 'DNS:other.test');
      }
    });

    test(`rejectUnauthorized: false connects with authorizationError ${scenario.code}`, async () => {
      const options = { ...base(), rejectUnauthorized: false };
      const ours = await outcome(connect, options);
      const expected = { event: 'secureConnect', authorized: false, authorizationError: scenario.code };
      if (nodeIsOracle) assert.deepEqual((await outcome(nodeTls.connect, options)).seen, expected, "Node's own answer");
      assert.deepEqual(ours.seen, expected);
    });
  });
}

test('a good chain is authorized, by IP address and by name', async () => {
  const peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
  try {
    for (const host of ['localhost', '127.0.0.1']) {
      const options = { port: peer.port, host, ca: pki.ca };
      const expected = { event: 'secureConnect', authorized: true, authorizationError: null };
      if (nodeIsOracle) assert.deepEqual((await outcome(nodeTls.connect, options)).seen, expected, "Node's own answer");
      assert.deepEqual((await outcome(connect, options)).seen, expected);
    }
  } finally {
    await peer.close();
  }
});

test('crl: a revoked leaf is CERT_REVOKED, a good one under the same CRL is authorized', async () => {
  for (const [identity, expected] of [
    [pki.revoked, { event: 'error', code: 'CERT_REVOKED', message: 'certificate revoked' }],
    [pki.server, { event: 'secureConnect', authorized: true, authorizationError: null }],
  ]) {
    const peer = await startPeer({ key: identity.key, cert: identity.cert });
    try {
      const options = { port: peer.port, host: 'localhost', ca: pki.ca, crl: pki.crlRevoking };
      const pick = ({ seen }) =>
        seen.event === 'error' ? { event: 'error', code: seen.code, message: seen.message } : seen;
      if (nodeIsOracle) assert.deepEqual(pick(await outcome(nodeTls.connect, options)), expected, "Node's own answer");
      assert.deepEqual(pick(await outcome(connect, options)), expected);
    } finally {
      await peer.close();
    }
  }
});
