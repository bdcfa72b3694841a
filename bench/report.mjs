// The benchmark's tables, as aligned text for the terminal and as markdown for
// results/bench.md. Both show the same cells and targets, from summary.mjs
// (whose "limited by" lines come from limits.mjs).
import { fmt } from './summary.mjs';

const TARGET_WORD = { true: 'met', false: 'NOT met', null: 'n/a' };

/** A ratio with two decimals, or '-' when there is none. */
function ratio(value) {
  return value === null || value === undefined ? '-' : value.toFixed(2);
}

/** A cell's notes, with the count of its failed runs. */
function cellNotes(c) {
  const notes = [...c.notes];
  if (c.errors) notes.push(`${c.errors} run(s) failed`);
  return notes.join('; ');
}

/** The comparison table: one line per measure and client. */
function mainTable(summary) {
  const header = ['measure', 'client', 'median', 'client CPU', 'server CPU', '÷ native rustls', '÷ Node 26', 'runs', 'notes'];
  const lines = [];
  for (const row of summary.rows) {
    row.cells.forEach((c, i) => {
      lines.push([
        i === 0 ? row.measure : '',
        c.label,
        c.median === null ? (c.notes.some((n) => n.startsWith('n/a')) ? 'n/a' : '-') : fmt(c.median),
        c.cpu === null || c.cpu === undefined ? '-' : `${fmt(c.cpu)} ${row.cpuUnit}`,
        c.serverCpu === null || c.serverCpu === undefined ? '-' : fmt(c.serverCpu),
        ratio(c.ratioNative),
        ratio(c.ratioNode),
        String(c.runs),
        cellNotes(c),
      ]);
    });
  }
  return { header, lines };
}

/** Start-up, memory and sizes. */
function otherTable(summary, raw) {
  const header = ['measure', 'client', 'median', 'runs', 'notes'];
  const lines = [];
  for (const row of summary.other) {
    row.cells.forEach((c, i) => {
      const notes = [...c.notes];
      if (c.baseline) notes.push(`${fmt(c.baseline / 2 ** 20)} MiB before the first connection`);
      if (c.errors) notes.push(`${c.errors} run(s) failed`);
      lines.push([i === 0 ? `${row.measure} (${row.unit})` : '', c.label, fmt(c.median), String(c.runs), notes.join('; ')]);
    });
  }
  if (!raw.sizes) return { header, lines };
  lines.push([
    'component size (bytes)',
    'target/tls-connect.wasm',
    `${raw.sizes.raw.toLocaleString('en-US')} raw`,
    '',
    `${raw.sizes.gzip.toLocaleString('en-US')} gzip -9; webpki roots ${raw.sizes.rootsIncluded ? 'included' : 'not found'}`,
  ]);
  for (const core of raw.sizes.core ?? []) {
    lines.push(['', core.name, `${core.raw.toLocaleString('en-US')} raw`, '', `${core.gzip.toLocaleString('en-US')} gzip -9`]);
  }
  return { header, lines };
}

/** The targets: each met or not with its figure, and for each not met the lines saying what limits it. */
function targetLines(summary) {
  return summary.targets.map((t) => {
    const value = t.value === null ? '-' : t.threshold >= 1000 ? Math.round(t.value).toLocaleString('en-US') : fmt(t.value);
    const threshold = t.threshold >= 1000 ? t.threshold.toLocaleString('en-US') : t.threshold.toFixed(1);
    return {
      word: TARGET_WORD[t.met],
      text: `${t.name}: ${value} (target ${t.comparison} ${threshold})${t.note ? `; ${t.note}` : ''}`,
      limits: t.limits ?? [],
    };
  });
}

/** The machine, the runtimes and the run's length, in one line. */
function machineLine(raw) {
  const m = raw.machine;
  const r = m.runtimes ?? {};
  const runtimes = r.node26
    ? `server and baseline Node ${r.node26}, Node on PATH ${r.node}, Deno ${r.deno}, Bun ${r.bun}, Chromium ${r.chromium ?? 'not run'}`
    : `Node ${m.node}`;
  const load = (l) => (l ? l.map((x) => x.toFixed(1)).join(' ') : '?');
  return `${m.date}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Linux ${m.kernel}, ${runtimes}, ${m.rustc}, commit ${m.commit}; load average ${load(m.loadAverageAtStart)} at start, ${load(m.loadAverageAtEnd)} at end; ${m.seconds} s in all`;
}

/** The Method section: how each row was measured, with this run's plan. */
function method(raw) {
  const p = raw.plan;
  const mib = (bytes) => (bytes / 2 ** 20).toFixed(0);
  return [
    "Server: Node 26's tls.createServer (OpenSSL), TLS 1.3 only, echoing, in its own process on 127.0.0.1; certificate ECDSA P-256 from a fresh CA. It reports its own CPU, so each cell shows the server's CPU during that client's runs.",
    "Clients, each in its own process per run: the component in wasmtime with host or guest crypto and the same engine natively (target/release/tls-bench); Node 26's tls.connect (the baseline of every ratio), the machine's Node on PATH, Deno's node:tls (deno run -A) and Bun's node:tls, all running bench/node-client.mjs --impl node; and the npm package (jco) in Node 26, node-client.mjs --impl jco. A client that cannot do a mode gets a note instead of a figure: one whose every run failed shows the first error, one the server never saw resume gets n/a in the resumed row; a measurement that fails is not retried in later rounds.",
    `Handshakes: ${p.handshakeRuns} rounds of ${p.handshakes} sequential connections per client (TCP connect, TLS 1.3 handshake with TLS_AES_128_GCM_SHA256, one-byte echo so the session tickets arrive, close); rate = connections / wall time. Resumed: each connection offers the newest session an earlier one received (Node's 'session' event and session option, for every client); the server counts what resumed. Node's server issues two tickets per full handshake and none on resumption; Node's client reuses one ticket, while rustls uses each ticket once (as RFC 8446 advises), so in the rustls-based clients two in three connections resume.`,
    `Bulk: ${p.bulkRuns} rounds of ${mib(p.bulkBytes)} MiB echoed in ${p.chunk / 1024} KiB writes per cipher and client, timed from the end of the handshake to the last echoed byte; MiB/s of payload (each byte sealed and opened once by the client).`,
    `Through the WebSocket bridge (the Chromium row): js/scripts/bridge.js under Node 26, in its own process, relays to the same server. Headless Chromium (the machine's chromium, driven by playwright-core) opens a page (bench/browser/) that loads the browser bundle from js/dist (loaded afresh for every run, as every other client runs in a fresh process) and echoes ${mib(p.bridgeBytes ?? 0)} MiB in ${p.chunk / 1024} KiB writes over connect({socket: webSocketDuplex(url)}); its baseline is Node 26's own tls.connect({socket}) over the package's webSocketDuplex through the same bridge (node-client.mjs --bridge). ${p.bridgeRuns ?? 0} rounds per cipher, fewer and smaller than over TCP to keep the run short; ratio = the page's MiB/s ÷ Node 26's through the bridge. Chromium's CPU is that of all its processes (browser, renderer, network service), read from /proc; the bridge's likewise.`,
    ...(p.websocketMessages
      ? [
          `Chromium's WebSocket alone (no TLS): the row's ceiling. In each round the same page, reloaded, opens its own WebSocket (binaryType arraybuffer) through the same bridge, which the URL's ?port= points at a plain TCP echo server (net.createServer with allowHalfOpen, in the bench's own process, on 127.0.0.1), and sends ${mib(p.bridgeBytes)} MiB in binary messages of ${p.websocketMessages.map((m) => `${m / 1024} KiB`).join(' or ')} (${p.chunk / 1024} KiB is what the page's TLS socket writes), keeping up to 4 MiB queued (bufferedAmount; a browser WebSocket has no 'drain', so the page tops up on each echoed message and on a 1 ms timer); timed from the first message to the last echoed byte. ${p.bridgeRuns} rounds per size; no package code and no TLS, so its MiB/s ÷ Node 26's through the bridge is the most the Chromium row's ratio could reach. Its server CPU is the bench's whole process, which otherwise only waits on the page.`,
        ]
      : []),
    `Memory: ${p.connections} idle connections (handshake and one-byte echo done) in one instance; growth of the guest's linear memory after one warm-up connection, divided by ${p.connections}; median of ${p.memoryRuns}.`,
    `Start-up: ${p.startupProcesses} fresh processes each (wasmtime: ClientComponent::load from the .cwasm, with its Engine, then instantiate; jco: import of js/src/index.js in Node 26, which compiles and instantiates the component), plus ${p.startupWarm} wasmtime loads in one process. jco's breakdown, in the same fresh processes: the JS glue that js/src/component.js imports is imported first on its own; then the package, with WebAssembly.compile and WebAssembly.instantiate wrapped to time them (the four core modules compile concurrently, so compile is the span from the first call to the last result); the time before the first compile is the package's other modules and the reading of the .wasm files (reading alone is timed after, as core.js reads); the rest is what remains of the total. Each part is a median, so the parts need not add up to the median total exactly.`,
    'Sizes: target/tls-connect.wasm raw and gzip -9, and the core modules jco split out of it into js/gen.',
    `Rounds are interleaved across clients, so background load spreads over all of them. A measurement may take ${p.limitSeconds ?? 120} s at most. Client CPU is the client process only (all threads); server CPU is the server's during the same runs. One server serves every client on the same ${raw.machine.cpus} cores, so a fast client can be bounded by the server. "Limited by" compares these figures: how busy each process kept a core is its CPU ÷ the client's timed seconds (the server's and the bridge's CPU also cover the handshake, so theirs is a slight overestimate); when all of them together, with what other processes on the machine took meanwhile (the machine's CPU from /proc/stat less the benchmark's own), come to at least 85% of every core, the machine is the bound; else a process at 85% of a core or more is.`,
    'Host crypto: "host crypto" means the wasmtime host (ring) or node:crypto (jco) seals and opens the records and verifies the ECDSA signatures through the host-crypto import, counted by the host; "guest crypto" means the guest does both in wasm.',
  ];
}

/** An aligned text table. */
function pad(lines, header) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [row(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(row)].join('\n');
}

/** A markdown table. */
function markdown(lines, header) {
  const escape = (text) => text.replaceAll('|', '\\|');
  const row = (cells) => `| ${cells.map(escape).join(' | ')} |`;
  return [row(header), `|${header.map(() => '---').join('|')}|`, ...lines.map(row)].join('\n');
}

/** The report for the terminal. */
export function renderText(summary, raw) {
  const main = mainTable(summary);
  const other = otherTable(summary, raw);
  return [
    '',
    `tls-connect benchmark: ${machineLine(raw)}`,
    '',
    pad(main.lines, main.header),
    ...(raw.warnings ?? []).map((w) => `warning: ${w}`),
    '',
    pad(other.lines, other.header),
    '',
    'Targets:',
    ...targetLines(summary).flatMap((t) => [`  [${t.word}] ${t.text}`, ...t.limits.map((l) => `      limited by: ${l}`)]),
    '',
  ].join('\n');
}

/** The same report as markdown. */
export function renderMarkdown(summary, raw) {
  const main = mainTable(summary);
  const other = otherTable(summary, raw);
  return [
    '# tls-connect benchmark',
    '',
    `Made by \`make bench\` (bench/run.mjs). ${machineLine(raw)}.`,
    '',
    '![chart](bench.svg)',
    '',
    '## Throughput and handshakes',
    '',
    'Ratios are the client\'s median ÷ the median of native rustls (the same engine compiled natively) and ÷ Node 26\'s `tls.connect`, in the same run; in the rows through the WebSocket bridge, ÷ Node 26\'s `tls.connect({socket})` through the same bridge (Chromium\'s WebSocket alone has no cipher: its ratios against each cipher\'s baseline are in its notes). Client and server CPU are per run (bulk) or per handshake.',
    '',
    markdown(main.lines, main.header),
    ...(raw.warnings?.length ? ['', ...raw.warnings.map((w) => `Warning: ${w}.`)] : []),
    '',
    '## Start-up, memory, size',
    '',
    markdown(other.lines, other.header),
    '',
    '## Targets',
    '',
    ...targetLines(summary).flatMap((t) => [`- **${t.word}**: ${t.text}`, ...t.limits.map((l) => `  - limited by: ${l}`)]),
    '',
    '## Method',
    '',
    ...method(raw).map((line) => `- ${line}`),
    '',
  ].join('\n');
}
