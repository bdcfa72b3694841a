#!/usr/bin/env node
// One speed fix to jco 1.35's output in gen/: its `_debugLog`, called on every
// crossing between JavaScript and the component, reads `process.env.JCO_DEBUG`
// each time, and Node's env lookups are slow (9% of a bulk transfer's CPU).
// The variable is read once, at load, instead; JCO_DEBUG still works when set
// before the module loads. If jco's output changes shape, nothing is patched and
// a warning says so: the code stays correct, only slower. Reading the variable
// is guarded: Deno without --allow-env throws there, which counts as unset.
//
//   node scripts/patch-gen.mjs [gen/tls-connect.js]

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SLOW = 'if (!globalThis?.process?.env?.JCO_DEBUG) { return; }';
const FAST = 'if (!_jcoDebug) { return; }';
const DEFINITION = 'const _debugLog = (...args) => {';
/**
 * The variable, read once. Deno without --allow-env throws on reading it (as
 * it would on each call before): that reads as unset, so the package loads.
 */
const READ_ONCE =
  'const _jcoDebug = (() => { try { return Boolean(globalThis?.process?.env?.JCO_DEBUG); } catch { return false; } })();';
/** This script's earlier output, which read it unguarded. */
const READ_ONCE_UNGUARDED = 'const _jcoDebug = Boolean(globalThis?.process?.env?.JCO_DEBUG);';

/** Patches the transpiled module at `path`; returns how many checks it rewrote. */
export function patchGenerated(path) {
  const source = readFileSync(path, 'utf8');
  if (source.includes(READ_ONCE_UNGUARDED)) {
    writeFileSync(path, source.replace(READ_ONCE_UNGUARDED, READ_ONCE));
    return 1;
  }
  const checks = source.split(SLOW).length - 1;
  if (checks === 0 || !source.includes(DEFINITION)) {
    if (!source.includes(FAST)) console.warn(`patch-gen: jco's debug check not found in ${path}; left as it is`);
    return 0;
  }
  const patched = source.replace(DEFINITION, `${READ_ONCE}\n  ${DEFINITION}`).replaceAll(SLOW, FAST);
  writeFileSync(path, patched);
  return checks;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2] ?? fileURLToPath(new URL('../gen/tls-connect.js', import.meta.url));
  patchGenerated(path);
}
