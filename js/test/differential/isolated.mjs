// One side of an isolated scenario, in a process of its own, so that what goes
// to the process itself can be compared: standard error (enableTrace writes
// there) and process warnings (Node warns once per process).
//
//   node --no-warnings isolated.mjs <scenario id> <node | ours>
//
// Prints `{observation, warnings}` as JSON (undefined spelled '<undefined>');
// the parent reads standard error itself. The PKI is the parent's (pki.mjs).

import { observe } from './observe.mjs';
import { scenarios } from './scenarios.mjs';
import { startServer } from './servers.mjs';

const [id, side] = process.argv.slice(2);
const scenario = scenarios.find((candidate) => candidate.id === id);
if (!scenario) throw new Error(`no scenario ${id}`);
const warnings = [];
process.on('warning', (warning) => warnings.push({ name: warning.name, code: warning.code, message: warning.message }));
const tls = side === 'node' ? await import('node:tls') : await import('../../src/index.js');
const live = await startServer(scenario.server);
let observation;
try {
  observation = await observe(tls, scenario, live);
} finally {
  await live.close();
}
// Warnings are emitted on a later tick than the call that caused them.
await new Promise((resolve) => setTimeout(resolve, 50));
process.stdout.write(JSON.stringify({ observation, warnings }, (_, value) => (value === undefined ? '<undefined>' : value)));
