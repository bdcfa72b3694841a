// Synchronous validation: bad input throws what Node throws, class, code and
// message, before any connection is opened. Node's own tls.connect is the oracle.

import assert from 'node:assert/strict';
import * as nodeTls from 'node:tls';
import { test } from 'node:test';
import tls, { connect } from '../src/index.js';
import { nodeIsOracle } from './support/peer.js';

const cases = [
  ['no arguments', [], TypeError, 'ERR_MISSING_ARGS', 'The "options" or "port" or "path" argument must be specified'],
  ['port "abc"', [{ port: 'abc' }], RangeError, 'ERR_SOCKET_BAD_PORT', "Port should be >= 0 and < 65536. Received type string ('abc')."],
  ['port 70000', [70000], RangeError, 'ERR_SOCKET_BAD_PORT', 'Port should be >= 0 and < 65536. Received type number (70000).'],
  ['servername 1', [{ port: 1, servername: 1 }], TypeError, 'ERR_INVALID_ARG_TYPE', 'The "name" argument must be of type string. Received type number (1)', 'leaks'],
  ['ca 123', [{ port: 1, ca: 123 }], TypeError, 'ERR_INVALID_ARG_TYPE', 'The "options.ca" property must be of type string or an instance of Buffer, TypedArray, or DataView. Received type number (123)'],
  ['ciphers 1', [{ port: 1, ciphers: 1 }], TypeError, 'ERR_INVALID_ARG_TYPE', 'The "options.ciphers" property must be of type string. Received type number (1)'],
  ['ciphers "BOGUS"', [{ port: 1, ciphers: 'BOGUS' }], Error, 'ERR_SSL_NO_CIPHER_MATCH', 'error:0A0000B9:SSL routines::no cipher match'],
  ['minVersion TLSv9', [{ port: 1, minVersion: 'TLSv9' }], TypeError, 'ERR_TLS_INVALID_PROTOCOL_VERSION', '"TLSv9" is not a valid minimum TLS protocol version'],
  ['maxVersion TLSv9', [{ port: 1, maxVersion: 'TLSv9' }], TypeError, 'ERR_TLS_INVALID_PROTOCOL_VERSION', '"TLSv9" is not a valid maximum TLS protocol version'],
  ['an ALPN name of 256 bytes', [{ port: 1, ALPNProtocols: ['a'.repeat(256)] }], RangeError, 'ERR_OUT_OF_RANGE', 'The byte length of the protocol at index 0 exceeds the maximum length. It must be <= 255. Received 256'],
  ['secureContext {}', [{ port: 1, secureContext: {} }], TypeError, 'ERR_TLS_INVALID_CONTEXT', 'context must be a SecureContext'],
  ['family 5', [{ port: 1, family: 5 }], TypeError, 'ERR_INVALID_ARG_VALUE', "The property 'options.family' must be one of: 0, 4, 6. Received 5"],
  ['localAddress "nope"', [{ port: 1, localAddress: 'nope' }], TypeError, 'ERR_INVALID_IP_ADDRESS', 'Invalid IP address: nope'],
  ['timeout "x"', [{ port: 1, timeout: 'x' }], TypeError, 'ERR_INVALID_ARG_TYPE', 'The "msecs" argument must be of type number. Received type string (\'x\')'],
  ['session "x"', [{ port: 1, session: 'x' }], TypeError, 'ERR_INVALID_ARG_TYPE', 'Session must be a buffer'],
];

/** What `connectFn(...args)` throws, as comparable fields; a socket it returns is closed at once. */
function thrown(connectFn, args) {
  try {
    const socket = connectFn(...args);
    socket.on('error', () => {});
    socket.destroy();
    return null;
  } catch (error) {
    return { class: error.constructor, code: error.code, message: error.message };
  }
}

/**
 * The same options for Node, with a name lookup that never answers: Node 20
 * throws a bad servername only after it began connecting (a case marked
 * 'leaks'), and the connection left behind would fail later, outside the test.
 */
function neverConnecting([options]) {
  return [{ lookup: () => {}, ...options }];
}

for (const [name, args, Class, code, message, nodeLeaks] of cases) {
  test(`${name} throws ${code}`, () => {
    const expected = { class: Class, code, message };
    const nodeArgs = nodeLeaks ? neverConnecting(args) : args;
    if (nodeIsOracle) assert.deepEqual(thrown(nodeTls.connect, nodeArgs), expected, "Node's own answer");
    assert.deepEqual(thrown(connect, args), expected);
  });
}

test('crl is checked as Node checks it: types, and text holding no CRL', () => {
  for (const crl of ['garbage', 123, ['x'], '', false]) {
    const outcome = (create) => {
      try {
        create({ crl });
        return null;
      } catch (error) {
        return { class: error.constructor, code: error.code, message: error.message };
      }
    };
    const ours = outcome(tls.createSecureContext);
    if (nodeIsOracle) assert.deepEqual(ours, outcome(nodeTls.createSecureContext), `crl ${JSON.stringify(crl)}`);
    assert.ok(ours && /ERR_CRYPTO_OPERATION_FAILED|ERR_INVALID_ARG_TYPE/.test(ours.code), `crl ${JSON.stringify(crl)}`);
  }
});

test("the module's shape: Node's names, and DEFAULT_* values that make sense here", () => {
  for (const name of ['connect', 'createSecureContext', 'checkServerIdentity', 'getCiphers', 'TLSSocket', 'SecureContext']) {
    assert.equal(typeof tls[name], 'function', name);
  }
  assert.equal(tls.DEFAULT_MIN_VERSION, 'TLSv1.2');
  assert.equal(tls.DEFAULT_MAX_VERSION, 'TLSv1.3');
  assert.equal(tls.DEFAULT_ECDH_CURVE, 'auto');
  assert.ok(tls.getCiphers().includes('tls_chacha20_poly1305_sha256'));
  assert.ok(tls.rootCertificates.length > 100 && Object.isFrozen(tls.rootCertificates));
  assert.ok(tls.rootCertificates.every((pem) => pem.startsWith('-----BEGIN CERTIFICATE-----')));
});

test('checkServerIdentity returns (does not throw) Node\'s error on a mismatch', () => {
  const cert = { subject: { CN: 'agent1' }, subjectaltname: 'DNS:agent1, DNS:localhost' };
  assert.equal(tls.checkServerIdentity('localhost', cert), undefined);
  const ours = tls.checkServerIdentity('other.test.', cert);
  assert.equal(ours.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.equal(ours.reason, "Host: other.test. is not in the cert's altnames: DNS:agent1, DNS:localhost");
  assert.equal(ours.cert, cert);
  if (nodeIsOracle) {
    const node = nodeTls.checkServerIdentity('other.test.', cert);
    assert.equal(ours.message, node.message);
    assert.equal(ours.reason, node.reason);
    assert.equal(ours.host, node.host);
  }
});
