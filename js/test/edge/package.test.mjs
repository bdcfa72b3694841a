// The package as its users get it: `npm pack` makes the tarball, `npm install`
// puts it into an empty project (offline: the package has no dependencies),
// and that project uses it, importing 'tls-connect' by name: Node's
// documentation echo client with a client certificate against Node's TLS server
// on 127.0.0.1, run by Node 20, Node 26, Deno and Bun, and a Worker bundled
// from the project by wrangler and served by workerd.

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { clientIdentity, mutualTlsServer, pki } from '../support/pki.js';
import { startPeer } from '../support/peer.js';
import { BUN, DENO, NODE26, bundleWorker, run, startWorkerd } from '../support/workerd.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ECHO_CLIENT = fileURLToPath(new URL('./echo-client.mjs', import.meta.url));
const CLIENT_MODULE = fileURLToPath(new URL('../support/client.mjs', import.meta.url));
const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

/** The documentation echo client's lines when everything went right. */
const ECHOED = ['client connected authorized', 'hello from the tarball\n', 'server ends connection'];

describe('the npm tarball, installed into an empty project', () => {
  let dir;
  let project;
  let packed;
  let peer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tls-connect-tarball-'));
    const pack = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: PACKAGE_ROOT });
    assert.equal(pack.code, 0, `npm pack failed:\n${pack.stderr}`);
    [packed] = JSON.parse(pack.stdout);
    project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tarball-user', private: true, type: 'module' }));
    const install = await run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, packed.filename)],
      { cwd: project },
    );
    assert.equal(install.code, 0, `npm install of the tarball failed:\n${install.stdout}${install.stderr}`);
    copyFileSync(ECHO_CLIENT, join(project, 'echo-client.mjs'));
    copyFileSync(CLIENT_MODULE, join(project, 'client.mjs'));
    peer = await startPeer(mutualTlsServer);
  });

  after(async () => {
    await peer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('npm pack: sources, generated modules, browser bundle, types and README; no tests, no source maps', (t) => {
    const files = packed.files.map((file) => file.path);
    for (const needed of [
      'package.json',
      'README.md',
      'src/index.js',
      'src/index.d.ts',
      'src/websocket.js',
      'src/core.js',
      'src/core.workerd.js',
      'src/streams-socket.js',
      'gen/tls-connect.js',
      'dist/browser/tls-connect.js',
      'dist/browser/websocket.js',
    ]) {
      assert.ok(files.includes(needed), `the tarball holds ${needed}`);
    }
    for (const folder of ['gen/', 'dist/gen/']) {
      const wasm = files.filter((file) => file.startsWith(folder) && !file.slice(folder.length).includes('/') && file.endsWith('.wasm'));
      assert.equal(wasm.length, 4, `the four core modules in ${folder}`);
    }
    assert.deepEqual(files.filter((file) => file.startsWith('test/')), [], 'no tests');
    assert.deepEqual(files.filter((file) => file.endsWith('.map')), [], 'no source maps');
    assert.deepEqual(files.filter((file) => file.startsWith('scripts/') || file.startsWith('node_modules/')), []);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'tls-connect', 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined, 'the package is not private');
    t.diagnostic(
      `npm pack: ${packed.filename}, ${(packed.size / 1e6).toFixed(2)} MB packed, ` +
        `${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${packed.entryCount} files`,
    );
  });

  const runtimes = [
    ['Node 20', 'node', []],
    ['Node 26', NODE26, []],
    ['Deno', DENO, ['run', '--no-prompt', '--allow-read', '--allow-net=localhost,127.0.0.1']],
    ['Bun', BUN, []],
  ];
  for (const [name, command, flags] of runtimes) {
    test(`${name}: Node's documentation echo client, from the installed package`, async () => {
      const pem = JSON.stringify({ ca: pki.ca, cert: pki.client.cert, key: pki.client.key });
      const { code, stdout, stderr } = await run(command, [...flags, 'echo-client.mjs', String(peer.port), pem], {
        cwd: project,
        env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      });
      assert.equal(code, 0, `${name} failed:\n${stdout}${stderr}`);
      const result = JSON.parse(stdout.trim().split('\n').at(-1));
      assert.deepEqual(result.printed, ECHOED);
      assert.equal(result.hadError, false);
      const seen = await peer.next('peerSubjectCN');
      assert.equal(seen.peerSubjectCN, 'tls-connect test client', 'the server saw our client certificate');
      assert.equal(seen.authorized, true);
    });
  }

  test('workerd: a Worker bundled by wrangler from the installed package', async (t) => {
    copyFileSync(WORKER, join(project, 'worker.js'));
    const bundle = await bundleWorker(project, {
      alias: { 'tls-connect-host-crypto': './node_modules/tls-connect/src/host-crypto.js' },
    });
    const workerd = await startWorkerd(bundle.outdir);
    try {
      const { status, json } = await workerd.post('/echo', {
        port: peer.port,
        ...clientIdentity,
        message: 'hello from the tarball\n',
      });
      assert.equal(status, 200, JSON.stringify(json));
      assert.deepEqual(json.printed, ECHOED);
      assert.equal(json.hadError, false);
      const seen = await peer.next('peerSubjectCN');
      assert.equal(seen.peerSubjectCN, 'tls-connect test client');
      assert.equal(seen.authorized, true);
    } finally {
      await workerd.close();
    }
    t.diagnostic(`wrangler deploy --dry-run, the installed package: ${bundle.uploadLine}`);
  });
});
