// Compares Node's observation of a scenario with ours. A listed difference
// (differences.mjs) covers one field of named scenarios, and only with the
// exact values it records: a field that now matches, or whose values moved,
// is reported too, so the list stays true.

import { isDeepStrictEqual } from 'node:util';

/** The value at a dotted `path` ('c2.secure.reused'), or undefined. */
export function valueAt(object, path) {
  return path.split('.').reduce((value, key) => (value === null || value === undefined ? undefined : value[key]), object);
}

/** A copy of `object` with the value at `path` replaced by a marker (the path must exist in the copy's parents). */
function withoutPath(object, path) {
  const copy = structuredClone(object);
  const keys = path.split('.');
  let parent = copy;
  for (const key of keys.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return copy;
    parent = parent[key];
  }
  if (parent !== null && typeof parent === 'object') parent[keys[keys.length - 1]] = '<listed difference>';
  return copy;
}

function isRecord(value) {
  return value !== null && typeof value === 'object';
}

/** Where `a` and `b` differ: `{path, node, ours}` per differing leaf (whole arrays when their lengths differ). */
export function differingPaths(a, b, path = '') {
  if (isDeepStrictEqual(a, b)) return [];
  const bothArrays = Array.isArray(a) && Array.isArray(b) && a.length === b.length;
  const bothObjects = isRecord(a) && isRecord(b) && !Array.isArray(a) && !Array.isArray(b);
  if (!bothArrays && !bothObjects) return [{ path: path || '(all)', node: a, ours: b }];
  const keys = bothArrays ? a.map((_, index) => String(index)) : [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((key) => differingPaths(a[key], b[key], path ? `${path}.${key}` : key));
}

/**
 * The verdict on one scenario: 'match' (deeply equal), 'listed' (equal once
 * its listed differences are set aside, each with exactly its recorded
 * values; one marked `decidesOutcome` sets aside the rest), or 'fail' with the reasons (unlisted differences, stale entries).
 */
export function judge(scenarioId, node, ours, differences) {
  const problems = [];
  const entries = differences.filter((entry) => entry.scenarios.includes(scenarioId));
  let nodeRest = node;
  let oursRest = ours;
  for (const entry of entries) {
    const nodeValue = valueAt(node, entry.field);
    const oursValue = valueAt(ours, entry.field);
    if (isDeepStrictEqual(nodeValue, oursValue)) {
      problems.push(`stale difference: ${entry.field} now matches Node (${show(nodeValue)}); remove it from differences.mjs`);
      continue;
    }
    if (!isDeepStrictEqual(entry.node, nodeValue)) {
      problems.push(`listed difference ${entry.field}: Node now gives ${show(nodeValue)}, listed ${show(entry.node)}`);
    }
    if (!isDeepStrictEqual(entry.ours, oursValue)) {
      problems.push(`listed difference ${entry.field}: ours now gives ${show(oursValue)}, listed ${show(entry.ours)}`);
    }
    nodeRest = withoutPath(nodeRest, entry.field);
    oursRest = withoutPath(oursRest, entry.field);
    // The field decides the connection's fate (one side connects, the other
    // fails): everything observed after it follows from it.
    if (entry.decidesOutcome) nodeRest = oursRest = null;
  }
  for (const { path, node: a, ours: b } of differingPaths(nodeRest, oursRest)) {
    problems.push(`${path}: Node ${show(a)}, ours ${show(b)}`);
  }
  if (problems.length > 0) return { verdict: 'fail', problems };
  return { verdict: entries.length > 0 ? 'listed' : 'match', problems };
}

/** A value in one line, for failure messages: JSON, with undefined spelled out, cut at 400 characters. */
export function show(value) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, (_, item) => (item === undefined ? '<undefined>' : item));
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
}
