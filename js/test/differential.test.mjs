// The differential harness: every scenario of test/differential/scenarios.mjs
// runs once with Node's own tls.connect and once with ours, each against a
// fresh Node server of the same config on loopback, and the observations must
// be deeply equal, or differ exactly as differences.mjs lists. A listed
// difference that no longer holds fails too. Node 26's tls is the oracle, so
// this runs only under Node 26 (js-test runs it there).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { nodeIsOracle } from './support/peer.js';

/** Each scenario's bound, both runs and both servers included. */
const SCENARIO_MS = 45_000;
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const ISOLATED = fileURLToPath(new URL('./differential/isolated.mjs', import.meta.url));

if (!nodeIsOracle) {
  test('differential harness', { skip: "Node 26's tls is the oracle; this runtime is not Node 26" }, () => {});
} else {
  const nodeTls = await import('node:tls');
  const ours = await import('../src/index.js');
  const { scenarios } = await import('./differential/scenarios.mjs');
  const { differences, markdownTable } = await import('./differential/differences.mjs');
  const { judge } = await import('./differential/compare.mjs');
  const { observe, observeCurrentNode, runChild } = await import('./differential/observe.mjs');
  const { startServer } = await import('./differential/servers.mjs');
  const { savePki, SHARED_PKI_ENV } = await import('./differential/pki.mjs');

  const tally = { match: 0, listed: 0, fail: 0 };
  let sharedPki;

  /** The PKI written once for isolated children, so both sides meet the same certificates. */
  function sharedPkiFile() {
    if (!sharedPki) {
      const dir = mkdtempSync(join(tmpdir(), 'tls-connect-diff-pki-'));
      sharedPki = { dir, file: join(dir, 'pki.json') };
      savePki(sharedPki.file);
    }
    return sharedPki.file;
  }

  /** One side of an isolated scenario in its own process: its observation, warnings, and whether it wrote to stderr. */
  async function runIsolated(scenario, side) {
    const env = { ...process.env, [SHARED_PKI_ENV]: sharedPkiFile() };
    const { stdout, stderr } = await runChild(process.execPath, ['--no-warnings', ISOLATED, scenario.id, side], env);
    const { observation, warnings } = JSON.parse(stdout);
    return { ...observation, warnings, wroteToStderr: stderr.length > 0 };
  }

  /** One side of a scenario: 'node' or 'ours'. */
  async function runSide(scenario, side) {
    if (scenario.isolate) return runIsolated(scenario, side);
    if (side === 'node' && scenario.oracle === 'current') return observeCurrentNode(await scenario.client({}));
    const live = await startServer(scenario.server);
    try {
      return await observe(side === 'node' ? nodeTls : ours, scenario, live);
    } finally {
      await live.close();
    }
  }

  for (const scenario of scenarios) {
    test(`${scenario.id}: ${scenario.title}`, { timeout: SCENARIO_MS }, async () => {
      let verdict = 'fail';
      try {
        const node = await runSide(scenario, 'node');
        const mine = await runSide(scenario, 'ours');
        const judged = judge(scenario.id, node, mine, differences);
        verdict = judged.verdict;
        assert.equal(verdict === 'fail', false, `differs from Node (${scenario.bullet}):\n  ${judged.problems.join('\n  ')}`);
      } finally {
        tally[verdict]++;
      }
    });
  }

  test('README: "Differences from Node" holds exactly the table of differences.mjs', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf('\n## Differences from Node\n');
    assert.notEqual(start, -1, 'README.md has no "## Differences from Node" section');
    const rest = readme.slice(start + 1);
    const next = rest.indexOf('\n## ', 1);
    const section = next === -1 ? rest : rest.slice(0, next + 1);
    const table = section.split('\n').filter((line) => line.startsWith('|')).join('\n') + '\n';
    assert.equal(table, markdownTable(), 'regenerate it with: node scripts/differences-table.mjs');
  });

  after(() => {
    if (sharedPki) rmSync(sharedPki.dir, { recursive: true, force: true });
    console.log(`differential: ${scenarios.length} scenarios, ${tally.match} match Node, ${tally.listed} listed differences`);
    const unfinished = scenarios.length - tally.match - tally.listed - tally.fail;
    if (tally.fail + unfinished > 0) {
      console.log(`differential: ${tally.fail + unfinished} differ from Node without a listed difference, or did not finish`);
    }
  });
}
