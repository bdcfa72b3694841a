// What limits each target a run did not meet, in words, from that run's own
// measurements: every explanation the benchmark prints is made here, so the
// reasoning can be read (and corrected) in one place. Nothing here is a fixed
// verdict: each line compares figures of the same run.
import { IMPORT_STEPS, WEBSOCKET_ALONE, fmt } from './summary.mjs';

/** A process counts as the bound when it kept its core at least this busy during the runs. */
const SATURATED = 0.85;

/** A share as a whole percentage. */
function pct(share) {
  return `${Math.round(share * 100)}%`;
}

/** "2.1× Node 26's" and the like: how `value` compares with `base`, or null without both. */
function times(value, base) {
  return Number.isFinite(value) && Number.isFinite(base) && base > 0 ? `${fmt(value / base)}×` : null;
}

/**
 * Which process bounded a set of runs, from how busy each kept a core (CPU
 * seconds ÷ wall seconds, medians): all of them together, with whatever else
 * ran on the machine, near every core means the machine was the bound; else a
 * process near 100% of one core was; else the time went to waiting between
 * processes. Other processes (`bystander`) count towards the machine, never
 * as the bound themselves.
 */
function boundBy(parts, cpus) {
  const known = parts.filter((p) => Number.isFinite(p.busy));
  if (known.length === 0) return 'no CPU figures in this run';
  const saturated = known.filter((p) => p.busy >= SATURATED && !p.bystander).sort((a, b) => b.busy - a.busy);
  const total = known.reduce((sum, p) => sum + p.busy, 0);
  // Other processes appear only when they took a noticeable share.
  const shares = known.filter((p) => !p.bystander || p.busy >= 0.05).map((p) => `${p.name} ${pct(p.busy)}`).join(', ');
  if (total >= SATURATED * cpus) {
    const largest = [...known].sort((a, b) => b.busy - a.busy)[0];
    return `the ${cpus} cores were all busy (${shares} of a core), the most of it by ${largest.name}: the machine is the bound`;
  }
  if (saturated.length > 1) return `${saturated.map((p) => p.name).join(' and ')} each kept a core busy (${shares} of a core): each is a bound`;
  if (saturated.length === 1) {
    const [only] = saturated;
    const verdict = only.name === 'the server' || only.name === 'the bridge' ? `${only.name}, not the client, is the bound` : `${only.name}'s own CPU is the bound`;
    return `${only.name} kept a core busy (${shares} of a core): ${verdict}`;
  }
  return `no process kept a core busy (${shares} of a core): the time goes to waiting between the processes (scheduling, flow control)`;
}

/** Other processes on the machine during a cell's runs, as a part for boundBy (never the bound on its own). */
function others(cell) {
  return { name: 'other processes', busy: cell.othersBusy, bystander: true };
}

/**
 * A limit from who sealed and opened the records, only when the run shows
 * they were not where the client's label says (the host's native crypto):
 * then the guest's wasm AEAD was in the path, and the guest-crypto variant's
 * figure in the same row says what that costs. When the host did seal them,
 * that is how the client is meant to run, not a limit, so nothing is said.
 */
function cryptoLimit(row, cell, raw) {
  const guest = row.cells.find((c) => c.client === 'wasmtime-guest-aead');
  const cost = guest?.ratioNode !== null && guest?.ratioNode !== undefined ? `; with the guest sealing every record the component reaches ${fmt(guest.ratioNode)}× Node 26 here` : '';
  if (cell.client === 'jco' && raw.jcoHostAead === false) return `the package has no host-crypto import, so the records are sealed and opened in wasm${cost}`;
  if (cell.client === 'wasmtime' && cell.hostAead === false) return `the host took no keys: the records were sealed and opened in the guest${cost}`;
  if (cell.client === 'wasmtime' && cell.hostAead === null) return `the host took the keys in some runs only: there the records were sealed and opened in the guest${cost}`;
  return null;
}

/** Limits of a TCP bulk or handshake ratio: CPU against Node 26's, the bound, the engine natively. */
function tcpLimits(row, cell, base, raw) {
  const unit = row.cpuUnit.replace(/^(m?s) CPU /, '$1 ');
  const lines = [];
  const ratio = times(cell.cpu, base.cpu);
  const server = Number.isFinite(cell.serverCpu) && Number.isFinite(base.serverCpu)
    ? `; the server spent ${fmt(cell.serverCpu)} against ${fmt(base.serverCpu)} in Node 26's runs`
    : '';
  if (ratio) lines.push(`client CPU ${fmt(cell.cpu)} ${unit} against Node 26's ${fmt(base.cpu)} (${ratio})${server}`);
  lines.push(boundBy([{ name: 'the client', busy: cell.clientBusy }, { name: 'the server', busy: cell.serverBusy }, others(cell)], raw.machine.cpus));
  if (row.resume && Number.isFinite(cell.resumedShare) && Number.isFinite(base.resumedShare) && cell.resumedShare < base.resumedShare) {
    lines.push(`the server saw ${pct(cell.resumedShare)} of its connections resume against ${pct(base.resumedShare)} of Node 26's: the rest were full handshakes`);
  }
  const native = row.cells.find((c) => c.client === 'native');
  if (native?.ratioNode !== null && native?.ratioNode !== undefined && native.ratioNode < 1) {
    lines.push(`the same engine natively reaches ${fmt(native.ratioNode)}× Node 26 here, so part of the gap is the engine, not wasm`);
  }
  const crypto = row.cipher ? cryptoLimit(row, cell, raw) : null;
  if (crypto) lines.push(crypto);
  return lines;
}

/** "X MiB/s with 16 KiB messages and Y with 256 KiB": the WebSocket-alone cells that have a figure. */
function perMessage(cells) {
  return cells.map((c, i) => `${fmt(c.median)}${i === 0 ? ' MiB/s' : ''} with ${c.message / 1024} KiB messages`).join(' and ');
}

/**
 * The ceiling of the Chromium row: Chromium's plain WebSocket echo through the
 * same bridge, no TLS, against Node 26's tls.connect through it. When even the
 * fastest message size stays below the target's ratio, no TLS could meet it;
 * either way, how much of the plain echo the page's TLS echo keeps with
 * messages of its own write size says what TLS costs on top. No line when the
 * run did not measure it (older runs).
 */
function webSocketCeiling(cell, base, threshold, rows, chunk) {
  const alone = rows.find((r) => r.webSocketAlone)?.cells.filter((c) => c.client === WEBSOCKET_ALONE && c.median !== null) ?? [];
  if (alone.length === 0 || !base?.median) return [];
  const best = alone.reduce((a, b) => (b.median > a.median ? b : a));
  const most = best.median / base.median;
  const measured = `Chromium's WebSocket alone echoes ${perMessage(alone)} through the same bridge`;
  const lines = [
    most < threshold
      ? `${measured}: at most ${fmt(most)}× Node 26's tls.connect through it (${fmt(base.median)} MiB/s), below the ${threshold} target, before any TLS`
      : `${measured}: up to ${fmt(most)}× Node 26's tls.connect through it (${fmt(base.median)} MiB/s), so the WebSocket alone leaves room for the ${threshold} target`,
  ];
  const same = alone.find((c) => c.message === chunk);
  if (same && cell.median !== null) {
    lines.push(`with TLS the page keeps ${pct(cell.median / same.median)} of the plain WebSocket echo with the same ${chunk / 1024} KiB messages (${fmt(cell.median)} against ${fmt(same.median)} MiB/s)`);
  }
  return lines;
}

/** Limits of the Chromium row: the WebSocket's ceiling, the page's CPU against Node 26's through the same bridge, and the bound. */
function bridgeLimits(row, cell, base, raw, threshold, rows) {
  const lines = [...webSocketCeiling(cell, base, threshold, rows, raw.plan.chunk)];
  const ratio = times(cell.cpu, base.cpu);
  if (ratio) lines.push(`Chromium's processes used ${fmt(cell.cpu)} s CPU per run against Node 26's ${fmt(base.cpu)} s (${ratio}) for the same bytes`);
  else lines.push('no CPU figure for Chromium in this run');
  lines.push(`the bridge used ${fmt(cell.bridgeCpu)} s CPU per run in Chromium's runs, ${fmt(base.bridgeCpu)} s in Node 26's`);
  lines.push(
    boundBy(
      [
        { name: 'Chromium', busy: cell.clientBusy },
        { name: 'the bridge', busy: cell.bridgeBusy },
        { name: 'the server', busy: cell.serverBusy },
        others(cell),
      ],
      raw.machine.cpus,
    ),
  );
  return lines;
}

/** Limits of the size target: how far over, compressed, and how much of it is the main core module. */
function sizeLimits(target) {
  const { sizes } = target.subject;
  const over = sizes.raw - target.threshold;
  const lines = [`${sizes.raw.toLocaleString('en-US')} bytes, ${over.toLocaleString('en-US')} (${pct(over / target.threshold)}) over; gzip -9 ${sizes.gzip.toLocaleString('en-US')} bytes`];
  const biggest = [...(sizes.core ?? [])].sort((a, b) => b.raw - a.raw)[0];
  if (biggest) lines.push(`its main core module ${biggest.name} is ${biggest.raw.toLocaleString('en-US')} bytes (${pct(biggest.raw / sizes.raw)} of the component; gzip -9 ${biggest.gzip.toLocaleString('en-US')})`);
  lines.push(`webpki roots ${sizes.rootsIncluded ? 'are' : 'are not'} inside it`);
  return lines;
}

/** Limits of the start-up target: the breakdown's parts, largest first. */
function startupLimits(target) {
  const { cell } = target.subject;
  if (!cell?.steps) return ['no breakdown of the import in this run'];
  const parts = IMPORT_STEPS.map(([key, label]) => ({ label, ms: cell.steps[key] })).filter((p) => Number.isFinite(p.ms));
  parts.sort((a, b) => b.ms - a.ms);
  const total = parts.reduce((sum, p) => sum + Math.max(0, p.ms), 0);
  const [first, ...rest] = parts;
  return [
    `the largest part is ${first.label}: ${fmt(first.ms)} ms of ${fmt(total)} (${pct(first.ms / total)})`,
    `then ${rest.map((p) => `${p.label} ${fmt(p.ms)} ms`).join('; ')}`,
  ];
}

/** The lines saying what limits a target that was not met; `rows` are the run's summarized rows. */
export function limitsOf(target, raw, rows = []) {
  const { subject } = target;
  if (subject.kind === 'size') return sizeLimits(target);
  if (subject.kind === 'startup') return startupLimits(target);
  const { row, cell, base } = subject;
  if (!cell || !base) return ['a client of this ratio was not measured'];
  return row.bridge ? bridgeLimits(row, cell, base, raw, target.threshold, rows) : tcpLimits(row, cell, base, raw);
}
