// Turns the benchmark's raw samples into medians, ratios and the targets'
// checklist. Pure functions of the data: bench/run.mjs collects, this judges,
// report.mjs and chart.mjs render.

/** The median of the finite numbers in `values`, or null when there are none. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const MIB = 2 ** 20;
const NO_RESUMPTION = 'n/a (no session resumption yet)';
const CIPHER_NAMES = { TLS_AES_128_GCM_SHA256: 'AES-128-GCM', TLS_CHACHA20_POLY1305_SHA256: 'ChaCha20-Poly1305' };

/** One cell: the median of `value` over `samples`, with the runs' errors counted. */
function cell(client, samples, value, cpu) {
  const ok = samples.filter((s) => !s.error);
  return {
    client: client.id,
    label: client.label,
    median: median(ok.map(value)),
    cpu: cpu ? median(ok.map(cpu)) : null,
    runs: ok.length,
    errors: samples.length - ok.length,
    notes: [],
  };
}

/** Fills each cell's ratios against the native engine's and Node's cells. */
function withRatios(row) {
  const reference = (id) => row.cells.find((c) => c.client === id)?.median ?? null;
  const native = reference('native');
  const node = reference('node');
  for (const c of row.cells) {
    c.ratioNative = c.median !== null && native ? c.median / native : null;
    c.ratioNode = c.median !== null && node ? c.median / node : null;
  }
  return row;
}

function handshakeRow(raw, clients, resume) {
  const row = {
    measure: resume ? 'resumed handshakes/s' : 'full handshakes/s',
    unit: 'handshakes/s',
    cpuUnit: 'ms CPU per handshake',
    cells: [],
  };
  for (const client of clients.filter((c) => c.handshakes)) {
    if (resume && !client.resume) {
      row.cells.push({ client: client.id, label: client.label, median: null, cpu: null, runs: 0, notes: [NO_RESUMPTION] });
      continue;
    }
    const samples = raw.samples.filter((s) => s.client === client.id && s.kind === 'handshakes' && s.resume === resume);
    const c = cell(client, samples, (s) => s.count / s.seconds, (s) => (s.cpuSeconds / s.count) * 1000);
    // The server's view decides whether a handshake resumed, whatever the client believes.
    const seen = { connections: 0, reused: 0 };
    for (const s of samples.filter((sample) => !sample.error)) {
      seen.connections += s.server.connections;
      seen.reused += s.server.reused;
    }
    if (resume && seen.connections > 0) {
      const share = seen.reused / seen.connections;
      if (share < 0.95) c.notes.push(`${Math.round(share * 100)}% resumed, the rest full (server's count)`);
    }
    if (!resume && seen.reused > 0) c.notes.push(`${seen.reused} resumed (server's count)`);
    row.cells.push(c);
  }
  return withRatios(row);
}

function bulkRow(raw, clients, cipher) {
  const row = {
    measure: `bulk echo ${CIPHER_NAMES[cipher] ?? cipher}, MiB/s`,
    cipher,
    cipherName: CIPHER_NAMES[cipher] ?? cipher,
    unit: 'MiB/s',
    cpuUnit: 's CPU per run',
    cells: [],
  };
  for (const client of clients) {
    const samples = raw.samples.filter((s) => s.client === client.id && s.kind === 'bulk' && s.cipher === cipher);
    const c = cell(client, samples, (s) => s.bytes / MIB / s.seconds, (s) => s.cpuSeconds);
    const keys = samples.filter((s) => !s.error && typeof s.keysTaken === 'number').map((s) => s.keysTaken);
    // Who sealed the records, as the host counted: every run must agree with the client's label.
    if (keys.length > 0) c.hostAead = keys.every((k) => k > 0) ? true : keys.every((k) => k === 0) ? false : null;
    if (client.id === 'wasmtime' && c.hostAead !== true) c.notes.push('the host did not take the keys in every run');
    if (client.id === 'wasmtime-guest-aead' && c.hostAead !== false) c.notes.push('the host took keys');
    row.cells.push(c);
  }
  return withRatios(row);
}

function memoryRow(raw) {
  const row = { measure: 'guest memory per idle connection', unit: 'bytes', cells: [] };
  for (const [id, label] of [['wasmtime', 'component in wasmtime'], ['jco', 'jco component in Node']]) {
    const samples = raw.samples.filter((s) => s.client === id && s.kind === 'memory');
    const ok = samples.filter((s) => !s.error);
    row.cells.push({
      client: id,
      label,
      median: median(ok.map((s) => (s.after - s.before) / s.connections)),
      baseline: median(ok.map((s) => s.afterInstantiate)),
      runs: ok.length,
      errors: samples.length - ok.length,
      notes: [],
    });
  }
  return row;
}

function startupRows(raw) {
  const ok = raw.samples.filter((s) => !s.error);
  const fresh = ok.filter((s) => s.kind === 'startup' && s.fresh);
  const warm = ok.filter((s) => s.kind === 'startup' && !s.fresh);
  const jco = ok.filter((s) => s.kind === 'import' && s.client === 'jco');
  const ms = (seconds) => seconds * 1000;
  return [
    {
      measure: 'start-up: load .cwasm + instantiate, fresh process',
      unit: 'ms',
      cells: [{
        client: 'wasmtime',
        label: 'component in wasmtime',
        median: median(fresh.map((s) => ms(s.loadSeconds[0] + s.instantiateSeconds[0]))),
        runs: fresh.length,
        notes: [
          `load ${fmt(median(fresh.map((s) => ms(s.loadSeconds[0]))))}` +
            ` + instantiate ${fmt(median(fresh.map((s) => ms(s.instantiateSeconds[0]))))} ms`,
        ],
      }],
    },
    {
      measure: 'start-up: load .cwasm + instantiate, warm (same process)',
      unit: 'ms',
      cells: [{
        client: 'wasmtime',
        label: 'component in wasmtime',
        median: median(warm.flatMap((s) => s.loadSeconds.map((load, i) => ms(load + s.instantiateSeconds[i])))),
        runs: warm.reduce((n, s) => n + s.loadSeconds.length, 0),
        notes: [],
      }],
    },
    {
      measure: 'start-up: jco import + instantiate, fresh node process',
      unit: 'ms',
      cells: [
        { client: 'jco', label: 'jco component in Node', median: median(jco.map((s) => ms(s.seconds))), runs: jco.length, notes: [] },
      ],
    },
  ];
}

/** A number for the tables: three significant digits, thousands grouped. */
export function fmt(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/**
 * One target: `value` against `threshold` (`at least` or `at most`). `met` is null
 * when the run did not measure what the target is about (`unmeasured` says why).
 */
function target({ name, value, threshold, atMost = false, unmeasured = null }) {
  let met = null;
  if (!unmeasured && value !== null && value !== undefined) met = atMost ? value <= threshold : value >= threshold;
  return { name, value: value ?? null, threshold, comparison: atMost ? '<=' : '>=', met, note: unmeasured ?? '' };
}

function targets(rows, other, raw) {
  const find = (list, measure, client) =>
    list.find((r) => r.measure === measure)?.cells.find((c) => c.client === client);
  const list = [];
  for (const row of rows.filter((r) => r.cipher)) {
    const cellOf = (id) => row.cells.find((c) => c.client === id);
    const host = cellOf('wasmtime');
    list.push(target({
      name: `bulk ${row.cipherName}: component in wasmtime ÷ Node, host AEAD`,
      value: host?.ratioNode,
      threshold: 0.9,
      unmeasured: host?.hostAead === true ? null : 'not applicable: the host did not take the keys in every run',
    }));
    const guest = cellOf('wasmtime-guest-aead');
    list.push(target({
      name: `bulk ${row.cipherName}: component in wasmtime ÷ Node, guest AEAD`,
      value: guest?.ratioNode,
      threshold: 0.4,
      unmeasured: guest?.hostAead === false ? null : 'not applicable: the host took keys in this run',
    }));
    list.push(target({
      name: `bulk ${row.cipherName}: jco in Node ÷ Node, host AEAD`,
      value: cellOf('jco')?.ratioNode,
      threshold: 0.7,
      unmeasured: raw.jcoHostAead ? null : 'not applicable: the npm package has no host-crypto import',
    }));
  }
  list.push(target({
    name: 'full handshakes/s: component in wasmtime ÷ Node',
    value: find(rows, 'full handshakes/s', 'wasmtime')?.ratioNode,
    threshold: 1.0,
  }));
  list.push(target({
    name: 'component size, raw bytes (webpki roots included)',
    value: raw.sizes.raw,
    threshold: 600_000,
    atMost: true,
    unmeasured: raw.sizes.rootsIncluded ? null : 'the roots are not in this build',
  }));
  list.push(target({
    name: 'load from .cwasm + instantiate, ms (fresh process)',
    value: find(other, 'start-up: load .cwasm + instantiate, fresh process', 'wasmtime')?.median,
    threshold: 3,
    atMost: true,
  }));
  return list;
}

/** Everything the reports print, from the raw samples. */
export function summarize(raw, clients) {
  const rows = [
    handshakeRow(raw, clients, false),
    handshakeRow(raw, clients, true),
    ...raw.plan.ciphers.map((cipher) => bulkRow(raw, clients, cipher)),
  ];
  const other = [...startupRows(raw), memoryRow(raw)];
  return { rows, other, targets: targets(rows, other, raw) };
}
