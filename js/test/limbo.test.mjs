// The x509-limbo path-validation suite (test/limbo/), answered as Node 26 answers it.
// Each SERVER case that has a key is served by a Node `tls.createServer` on
// 127.0.0.1; Node's own `tls.connect` and ours connect to it with the case's
// trust anchors, CRLs and peer name, and their outcomes ('authorized' or the
// error's code) must be equal, or the difference listed in
// test/limbo/differences.mjs with its reason. Node 26 is the oracle (not the
// suite's own expected_result, which is printed beside it): under an older
// Node the test is skipped.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as nodeTls from 'node:tls';
import { test } from 'node:test';
import { differences } from './limbo/differences.mjs';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const SKIP =
  NODE_MAJOR < 26 ? `Node 26 is this test's oracle; this is Node ${process.versions.node} (run it with Node 26)` : false;

/** How long one connection may take before its outcome is 'TIMEOUT'. */
const CONNECT_MS = 20_000;
/** The whole test's bound. */
const TOTAL_MS = 15 * 60_000;

const suite = JSON.parse(readFileSync(new URL('./limbo/limbo.json', import.meta.url), 'utf8'));
/** The cases a TLS server can present: a server's chain with the leaf's key. */
const cases = suite.testcases.filter((c) => c.validation_kind === 'SERVER' && c.peer_certificate_key);

/** The connect options for `c`, with `tls`'s own checkServerIdentity for an IP name. */
function optionsFor(tls, c, port) {
  const options = { host: '127.0.0.1', port, ca: c.trusted_certs };
  if (c.crls.length > 0) options.crl = c.crls;
  const name = c.expected_peer_name;
  if (name?.kind === 'DNS') {
    options.servername = name.value;
  } else if (name?.kind === 'IP') {
    options.checkServerIdentity = (_host, cert) => tls.checkServerIdentity(name.value, cert);
  } else {
    // No name to check: only the chain is compared.
    options.checkServerIdentity = () => undefined;
  }
  return options;
}

/** Connects once with `tls` and resolves to 'authorized', the error's code, or 'TIMEOUT'. */
function outcome(tls, c, port) {
  return new Promise((resolve) => {
    let socket;
    const timer = setTimeout(() => {
      socket?.destroy();
      resolve('TIMEOUT');
    }, CONNECT_MS);
    const settle = (result) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    try {
      socket = tls.connect(optionsFor(tls, c, port));
    } catch (error) {
      clearTimeout(timer);
      resolve(`thrown ${error.code ?? error.message}`);
      return;
    }
    socket.once('secureConnect', () =>
      settle(socket.authorized ? 'authorized' : `unauthorized ${socket.authorizationError}`),
    );
    socket.once('error', (error) => settle(error.code ?? error.message));
  });
}

/** Serves `c` on 127.0.0.1 and resolves to `{port, close()}`. */
async function serve(c) {
  const sockets = new Set();
  const server = nodeTls.createServer(
    {
      key: c.peer_certificate_key,
      cert: [c.peer_certificate, ...c.untrusted_intermediates].join('\n'),
      // The server presents whatever the case holds (small keys, weak digests);
      // judging it is the clients' part.
      ciphers: 'DEFAULT:@SECLEVEL=0',
    },
    (socket) => socket.end(),
  );
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A client refusing the chain is the point of most cases.
  server.on('tlsClientError', () => {});
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}

test('x509-limbo: ours answers each case as Node 26 does, or as listed', { skip: SKIP, timeout: TOTAL_MS }, async () => {
  const ours = await import('../src/index.js');
  const started = performance.now();
  const rows = [];
  const unserved = [];
  for (const c of cases) {
    let server;
    try {
      server = await serve(c);
    } catch (error) {
      unserved.push(`${c.id}: ${error.code ?? error.message}`);
      continue;
    }
    try {
      const node = await outcome(nodeTls, c, server.port);
      const own = await outcome(ours, c, server.port);
      rows.push({ id: c.id, expected: c.expected_result, node, ours: own });
    } finally {
      await server.close();
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  // A case the server cannot present is compared by nobody: that fails too.
  const problems = unserved.map((line) => `not served: ${line}`);
  let equal = 0;
  let listed = 0;
  for (const row of rows) {
    const known = differences[row.id];
    row.note = '';
    if (row.node === row.ours) {
      equal += 1;
      if (known) {
        row.note = 'LISTED, NOW EQUAL';
        problems.push(`${row.id}: listed as a difference, but ours now answers ${row.ours} as Node does`);
      }
    } else if (known && known.node === row.node && known.ours === row.ours) {
      listed += 1;
      row.note = 'listed';
    } else {
      row.note = known ? 'LISTED OTHERWISE' : 'UNLISTED';
      problems.push(
        `${row.id}: Node 26 ${row.node}, ours ${row.ours}` +
          (known ? ` (listed as Node ${known.node}, ours ${known.ours})` : ' (not listed)'),
      );
    }
  }
  const unlisted = rows.length - equal - listed;
  const width = Math.max(...rows.map((row) => row.id.length));
  const lines = rows.map(
    (row) =>
      `${row.id.padEnd(width)}  ${row.expected.padEnd(7)}  ${row.node.padEnd(38)}  ${row.ours.padEnd(38)}  ${row.note}`,
  );
  console.log(
    [
      `${'case'.padEnd(width)}  ${'suite'.padEnd(7)}  ${'Node 26'.padEnd(38)}  ${'ours'.padEnd(38)}`,
      ...lines,
      `limbo: ${rows.length} cases compared in ${seconds} s: ${equal} equal to Node 26, ` +
        `${listed} listed differences, ${unlisted} unlisted`,
    ].join('\n'),
  );

  for (const id of Object.keys(differences)) {
    if (!rows.some((row) => row.id === id)) problems.push(`${id}: listed, but no such case was compared`);
  }
  assert.deepEqual(problems, []);
});

test('x509-limbo: no listed difference is a chain ours authorizes and Node 26 refuses', () => {
  const laxer = Object.entries(differences).filter(([, d]) => d.ours === 'authorized' && d.node !== 'authorized');
  assert.deepEqual(
    laxer.map(([id]) => id),
    [],
  );
  for (const [id, d] of Object.entries(differences)) {
    assert.ok(d.reason?.length > 20, `${id} needs its reason`);
  }
});
