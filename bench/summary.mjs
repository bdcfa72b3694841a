// Turns the benchmark's raw samples into medians, ratios and the targets'
// checklist. Pure functions of the data: bench/run.mjs collects, this judges,
// limits.mjs says what holds back each target not met, report.mjs and
// chart.mjs render.
import { limitsOf } from './limits.mjs';

/** The median of the finite numbers in `values`, or null when there are none. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

const MIB = 2 ** 20;
const CIPHER_NAMES = { TLS_AES_128_GCM_SHA256: 'AES-128-GCM', TLS_CHACHA20_POLY1305_SHA256: 'ChaCha20-Poly1305' };
/** The baseline of every ratio: Node 26's tls.connect (over TCP, or through the bridge in the Chromium row). */
export const BASELINE = 'node';
export const BRIDGE_BASELINE = 'node-bridge';

/**
 * The clients of a saved run. Older bench.json files have no list: their
 * clients are then the ids their samples name, labelled by id.
 */
function clientsOf(raw) {
  if (raw.clients) return raw.clients;
  const ids = [...new Set(raw.samples.filter((s) => ['handshakes', 'bulk'].includes(s.kind)).map((s) => s.client))];
  return ids.map((id) => ({ id, label: id, memory: id === 'wasmtime' || id === 'jco' }));
}

/** `part / whole` per sample, where both are numbers: how busy a process kept one core. */
function busy(samples, part) {
  return median(samples.map((s) => (Number.isFinite(part(s)) && s.seconds > 0 ? part(s) / s.seconds : NaN)));
}

/**
 * One cell: the median of `value` over `samples`, the client's and the
 * server's CPU by `perRun` (per run, or per handshake), how busy each kept a
 * core, and the runs' errors counted (with the first error's text, since a
 * failed cell must say why).
 */
function cell(client, samples, value, perRun) {
  const ok = samples.filter((s) => !s.error);
  const failed = samples.filter((s) => s.error);
  const c = {
    client: client.id,
    label: client.label,
    median: median(ok.map(value)),
    cpu: median(ok.map((s) => (Number.isFinite(s.cpuSeconds) ? perRun(s, s.cpuSeconds) : NaN))),
    serverCpu: median(ok.map((s) => (Number.isFinite(s.server?.cpuSeconds) ? perRun(s, s.server.cpuSeconds) : NaN))),
    clientBusy: busy(ok, (s) => s.cpuSeconds),
    serverBusy: busy(ok, (s) => s.server?.cpuSeconds),
    othersBusy: median(ok.map((s) => s.othersBusy)),
    runs: ok.length,
    errors: failed.length,
    notes: [],
  };
  if (failed.length > 0 && ok.length === 0) c.notes.push(`n/a: ${failed[0].error.slice(0, 160)}`);
  return c;
}

/** Fills each cell's ratios against the native engine's cell and the row's baseline (Node 26). */
function withRatios(row) {
  const reference = (id) => row.cells.find((c) => c.client === id)?.median ?? null;
  const native = reference('native');
  const base = reference(row.baseline);
  for (const c of row.cells) {
    c.ratioNative = c.median !== null && native ? c.median / native : null;
    c.ratioNode = c.median !== null && base ? c.median / base : null;
  }
  return row;
}

/** The server's count of connections and resumptions over the samples that worked. */
function serverSeen(samples) {
  const seen = { connections: 0, reused: 0 };
  for (const s of samples.filter((sample) => !sample.error && sample.server)) {
    seen.connections += s.server.connections;
    seen.reused += s.server.reused;
  }
  return seen;
}

/**
 * Full or resumed handshakes per second. The server's view decides whether a
 * handshake resumed, whatever the client believes; a client the server never
 * saw resume (Deno's node:tls offers no session) gets no figure, only a note.
 */
function handshakeRow(raw, clients, resume) {
  const row = {
    measure: resume ? 'resumed handshakes/s' : 'full handshakes/s',
    unit: 'handshakes/s',
    cpuUnit: 'ms CPU per handshake',
    baseline: BASELINE,
    resume,
    cells: [],
  };
  for (const client of clients) {
    const samples = raw.samples.filter((s) => s.client === client.id && s.kind === 'handshakes' && Boolean(s.resume) === resume);
    if (samples.length === 0) continue;
    const c = cell(client, samples, (s) => s.count / s.seconds, (s, cpu) => (cpu / s.count) * 1000);
    const seen = serverSeen(samples);
    c.resumedShare = seen.connections > 0 ? seen.reused / seen.connections : null;
    if (resume && seen.connections > 0 && seen.reused === 0) {
      c.median = null;
      c.notes.push('n/a: the server saw no session resumed (this client does not resume here)');
    } else if (resume && c.resumedShare !== null && c.resumedShare < 0.95) {
      c.notes.push(`${Math.round(c.resumedShare * 100)}% resumed, the rest full (server's count)`);
    }
    if (!resume && seen.reused > 0) c.notes.push(`${seen.reused} resumed (server's count)`);
    row.cells.push(c);
  }
  return withRatios(row);
}

/** Bulk echo over TCP for one cipher, with who sealed the records as the host counted. */
function bulkRow(raw, clients, cipher) {
  const row = {
    measure: `bulk echo ${CIPHER_NAMES[cipher] ?? cipher}, MiB/s`,
    cipher,
    cipherName: CIPHER_NAMES[cipher] ?? cipher,
    unit: 'MiB/s',
    cpuUnit: 's CPU per run',
    baseline: BASELINE,
    cells: [],
  };
  for (const client of clients) {
    const samples = raw.samples.filter((s) => s.client === client.id && s.kind === 'bulk' && s.cipher === cipher);
    if (samples.length === 0) continue;
    const c = cell(client, samples, (s) => s.bytes / MIB / s.seconds, (s, cpu) => cpu);
    const keys = samples.filter((s) => !s.error && typeof s.keysTaken === 'number').map((s) => s.keysTaken);
    // Who sealed the records, as the host counted: every run must agree with the client's label.
    if (keys.length > 0) c.hostAead = keys.every((k) => k > 0) ? true : keys.every((k) => k === 0) ? false : null;
    if (client.id === 'wasmtime' && c.hostAead !== true) c.notes.push('the host did not take the keys in every run');
    if (client.id === 'wasmtime-guest-aead' && c.hostAead !== false) c.notes.push('the host took keys');
    row.cells.push(c);
  }
  return withRatios(row);
}

/**
 * The Chromium row for one cipher: the page and Node 26's tls.connect({socket})
 * through the same WebSocket bridge; the bridge's CPU is kept beside the rest.
 */
function bridgeRow(raw, cipher) {
  const name = CIPHER_NAMES[cipher] ?? cipher;
  const row = {
    measure: `bulk echo ${name} through the WebSocket bridge, MiB/s`,
    cipher,
    cipherName: name,
    bridge: true,
    unit: 'MiB/s',
    cpuUnit: 's CPU per run',
    baseline: BRIDGE_BASELINE,
    cells: [],
  };
  for (const client of raw.bridgeClients ?? []) {
    const samples = raw.samples.filter((s) => s.client === client.id && s.kind === 'bridge-bulk' && s.cipher === cipher);
    const c = cell(client, samples, (s) => s.bytes / MIB / s.seconds, (s, cpu) => cpu);
    const ok = samples.filter((s) => !s.error);
    c.bridgeCpu = median(ok.map((s) => s.bridgeCpuSeconds));
    c.bridgeBusy = busy(ok, (s) => s.bridgeCpuSeconds);
    if (client.id === 'chromium' && c.runs > 0) c.notes.push("client CPU: all of Chromium's processes");
    if (c.bridgeCpu !== null) c.notes.push(`bridge ${fmt(c.bridgeCpu)} s CPU per run`);
    row.cells.push(c);
  }
  return withRatios(row);
}

/** The client id of the page's plain WebSocket echo (no TLS), the ceiling of the Chromium row. */
export const WEBSOCKET_ALONE = 'chromium-websocket';

/**
 * Chromium's WebSocket alone: the page's plain WebSocket echo (no TLS) through
 * the same bridge to a TCP echo server, a cell per message size. Its ratio is
 * against Node 26's tls.connect through the bridge, per cipher, so the ratios
 * go in the notes (`perCipher`, from the bridge rows) rather than in the
 * ÷ Node 26 column. Null for a run without it (older bench.json files).
 */
function webSocketAloneRow(raw, bridgeRows) {
  const samples = raw.samples.filter((s) => s.kind === 'websocket-echo');
  if (samples.length === 0) return null;
  const sizes = raw.plan.websocketMessages ?? [...new Set(samples.map((s) => s.message))].sort((a, b) => a - b);
  const row = {
    measure: "Chromium's WebSocket alone (no TLS), through the same bridge to a TCP echo server, MiB/s",
    webSocketAlone: true,
    bridge: true,
    unit: 'MiB/s',
    cpuUnit: 's CPU per run',
    cells: [],
  };
  for (const message of sizes) {
    const client = { id: WEBSOCKET_ALONE, label: `Chromium headless, ${message / 1024} KiB messages` };
    const own = samples.filter((s) => s.message === message);
    const c = cell(client, own, (s) => s.bytes / MIB / s.seconds, (s, cpu) => cpu);
    const ok = own.filter((s) => !s.error);
    c.message = message;
    c.bridgeCpu = median(ok.map((s) => s.bridgeCpuSeconds));
    c.bridgeBusy = busy(ok, (s) => s.bridgeCpuSeconds);
    c.ratioNative = null;
    c.ratioNode = null;
    c.perCipher = bridgeRows.map((r) => {
      const base = r.cells.find((x) => x.client === r.baseline)?.median;
      return { cipherName: r.cipherName, ratio: c.median !== null && base ? c.median / base : null };
    });
    if (c.runs > 0) {
      const ratios = c.perCipher.filter((p) => p.ratio !== null).map((p) => `${p.ratio.toFixed(2)} (${p.cipherName})`);
      if (ratios.length) c.notes.push(`÷ Node 26 through the bridge: ${ratios.join(', ')}`);
      c.notes.push("client CPU: all of Chromium's processes; server CPU: the bench's own process, which runs the echo server");
    }
    if (c.bridgeCpu !== null) c.notes.push(`bridge ${fmt(c.bridgeCpu)} s CPU per run`);
    row.cells.push(c);
  }
  return row;
}

/** Guest memory per idle connection, for the clients with a guest. */
function memoryRow(raw, clients) {
  const row = { measure: 'guest memory per idle connection', unit: 'bytes', cells: [] };
  for (const client of clients.filter((c) => c.memory)) {
    const samples = raw.samples.filter((s) => s.client === client.id && s.kind === 'memory');
    const ok = samples.filter((s) => !s.error);
    row.cells.push({
      client: client.id,
      label: client.label,
      median: median(ok.map((s) => (s.after - s.before) / s.connections)),
      baseline: median(ok.map((s) => s.afterInstantiate)),
      runs: ok.length,
      errors: samples.length - ok.length,
      notes: [],
    });
  }
  return row;
}

/** The parts of jco's import, in the order they happen, as node-client.mjs measures them. */
export const IMPORT_STEPS = [
  ['glueMs', 'import of the JS glue (js/gen/tls-connect.js, host-crypto, wasi)'],
  ['beforeCompileMs', "the package's other modules and reading the .wasm files"],
  ['compileMs', 'WebAssembly.compile of the core modules'],
  ['instantiateMs', 'instantiation of the core modules'],
  ['restMs', "the rest (jco's set-up between instantiations, modules run after)"],
];

/** jco's import in fresh processes: the median total and the median of each step. */
function jcoImportCell(raw) {
  const jco = raw.samples.filter((s) => !s.error && s.kind === 'import' && s.client === 'jco');
  const steps = {};
  for (const [key] of [...IMPORT_STEPS, ['readMs']]) steps[key] = median(jco.map((s) => s.steps?.[key]));
  const known = IMPORT_STEPS.filter(([key]) => steps[key] !== null);
  const notes = known.length
    ? [known.map(([key]) => `${key.replace(/Ms$/, '')} ${fmt(steps[key])}`).join(' + ') + ` ms (medians; read alone ${fmt(steps.readMs)} ms)`]
    : [];
  const label = (raw.clients ?? []).find((c) => c.id === 'jco')?.label ?? 'jco component in Node 26';
  return { client: 'jco', label, median: median(jco.map((s) => s.seconds * 1000)), steps: known.length ? steps : null, runs: jco.length, notes };
}

/** wasmtime's load + instantiate, fresh and warm, and jco's import with its breakdown. */
function startupRows(raw) {
  const ok = raw.samples.filter((s) => !s.error);
  const fresh = ok.filter((s) => s.kind === 'startup' && s.fresh);
  const warm = ok.filter((s) => s.kind === 'startup' && !s.fresh);
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
    { measure: 'start-up: jco import + instantiate, fresh Node 26 process', unit: 'ms', cells: [jcoImportCell(raw)] },
  ];
}

/**
 * One target: `value` against `threshold` (`at least` or `at most`). `met` is
 * null when the run did not measure what the target is about (`note` says why).
 * `subject` is what limits.mjs needs to explain a miss.
 */
function target({ name, value, threshold, atMost = false, note = '', subject }) {
  const measured = value !== null && value !== undefined && Number.isFinite(value);
  const met = measured ? (atMost ? value <= threshold : value >= threshold) : null;
  return { name, value: measured ? value : null, threshold, comparison: atMost ? '<=' : '>=', met, note: measured ? note : note || 'not measured in this run', subject };
}

/** A ratio target: `client`'s cell in `row` against the row's baseline cell. */
function ratioTarget(name, row, client, threshold) {
  const c = row?.cells.find((x) => x.client === client);
  const base = row?.cells.find((x) => x.client === row.baseline);
  const why = c?.median === null || c?.median === undefined ? c?.notes.find((n) => n.startsWith('n/a')) : base?.median ? '' : 'no baseline figure';
  return target({ name, value: c?.ratioNode, threshold, note: why ?? '', subject: { kind: 'ratio', row, cell: c, base } });
}

/** The targets, each a ratio against Node 26 in the same run, or an absolute size or time. */
function targets(rows, other, raw) {
  const byMeasure = (pred) => rows.find(pred);
  const bulk = (cipher) => byMeasure((r) => r.cipher === cipher && !r.bridge);
  const bridged = (cipher) => byMeasure((r) => r.cipher === cipher && r.bridge);
  const full = byMeasure((r) => r.measure === 'full handshakes/s');
  const resumed = byMeasure((r) => r.measure === 'resumed handshakes/s');
  const [aes, chacha] = ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'];
  const jcoImport = other.find((r) => r.measure.startsWith('start-up: jco'))?.cells[0];
  const list = [
    ratioTarget('jco in Node 26 ÷ Node 26, bulk AES-128-GCM', bulk(aes), 'jco', 0.9),
    ratioTarget('jco in Node 26 ÷ Node 26, bulk ChaCha20-Poly1305', bulk(chacha), 'jco', 0.9),
    ratioTarget('jco in Node 26 ÷ Node 26, full handshakes/s', full, 'jco', 1.0),
    ratioTarget('jco in Node 26 ÷ Node 26, resumed handshakes/s', resumed, 'jco', 1.0),
    ratioTarget('wasmtime with host crypto ÷ Node 26, bulk AES-128-GCM', bulk(aes), 'wasmtime', 1.0),
    ratioTarget('wasmtime with host crypto ÷ Node 26, bulk ChaCha20-Poly1305', bulk(chacha), 'wasmtime', 1.0),
    ratioTarget("Chromium headless through the WebSocket bridge ÷ Node 26's tls.connect through the same bridge, bulk AES-128-GCM", bridged(aes), 'chromium', 0.6),
    ratioTarget("Chromium headless through the WebSocket bridge ÷ Node 26's tls.connect through the same bridge, bulk ChaCha20-Poly1305", bridged(chacha), 'chromium', 0.6),
    target({
      name: 'component size, raw bytes (target/tls-connect.wasm)',
      value: raw.sizes?.raw,
      threshold: 1_200_000,
      atMost: true,
      subject: { kind: 'size', sizes: raw.sizes },
    }),
    target({
      name: 'jco import + instantiate, ms (fresh Node 26 process, median)',
      value: jcoImport?.median,
      threshold: 15,
      atMost: true,
      subject: { kind: 'startup', cell: jcoImport },
    }),
  ];
  for (const t of list) t.limits = t.met === false ? limitsOf(t, raw, rows) : [];
  return list;
}

/** Everything the reports print, from the raw samples. */
export function summarize(raw) {
  const clients = clientsOf(raw);
  const bridgeRows = raw.bridgeClients ? raw.plan.ciphers.map((cipher) => bridgeRow(raw, cipher)) : [];
  const rows = [
    handshakeRow(raw, clients, false),
    handshakeRow(raw, clients, true),
    ...raw.plan.ciphers.map((cipher) => bulkRow(raw, clients, cipher)),
    ...bridgeRows,
    webSocketAloneRow(raw, bridgeRows),
  ].filter(Boolean);
  const other = [...startupRows(raw), memoryRow(raw, clients)];
  return { rows, other, targets: targets(rows, other, raw) };
}
