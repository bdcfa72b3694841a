#!/usr/bin/env node
// One speed fix to jco 1.35's output in gen/: its `_debugLog`, called on every
// crossing between JavaScript and the component, reads `process.env.JCO_DEBUG`
// each time, and Node's env lookups are slow (9% of a bulk transfer's CPU).
// The variable is read once, at load, instead; JCO_DEBUG still works when set
// before the module loads. If jco's output changes shape, nothing is patched and
// a warning says so: the code stays correct, only slower.
//
//   node scripts/patch-gen.mjs [gen/tls-connect.js]

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SLOW = 'if (!globalThis?.process?.env?.JCO_DEBUG) { return; }';
const FAST = 'if (!_jcoDebug) { return; }';
const DEFINITION = 'const _debugLog = (...args) => {';

/** Patches the transpiled module at `path`; returns how many checks it rewrote. */
export function patchGenerated(path) {
  const source = readFileSync(path, 'utf8');
  const checks = source.split(SLOW).length - 1;
  if (checks === 0 || !source.includes(DEFINITION)) {
    if (!source.includes(FAST)) console.warn(`patch-gen: jco's debug check not found in ${path}; left as it is`);
    return 0;
  }
  const patched = source
    .replace(DEFINITION, `const _jcoDebug = Boolean(globalThis?.process?.env?.JCO_DEBUG);\n  ${DEFINITION}`)
    .replaceAll(SLOW, FAST);
  writeFileSync(path, patched);
  return checks;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2] ?? fileURLToPath(new URL('../gen/tls-connect.js', import.meta.url));
  patchGenerated(path);
}
