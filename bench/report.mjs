// The benchmark's tables, as aligned text for the terminal and as markdown for
// results/bench.md. Both show the same cells, from summary.mjs.
import { fmt } from './summary.mjs';

const TARGET_WORD = { true: 'met', false: 'NOT met', null: 'n/a' };

function ratio(value) {
  return value === null || value === undefined ? '-' : value.toFixed(2);
}

function cellNotes(c) {
  const notes = [...c.notes];
  if (c.errors) notes.push(`${c.errors} run(s) failed`);
  return notes.join('; ');
}

/** The comparison table: one line per measure and client. */
function mainTable(summary) {
  const header = ['measure', 'client', 'median', 'client CPU', '÷ native rustls', '÷ Node', 'runs', 'notes'];
  const lines = [];
  for (const row of summary.rows) {
    row.cells.forEach((c, i) => {
      lines.push([
        i === 0 ? row.measure : '',
        c.label,
        c.median === null ? (c.notes[0]?.startsWith('n/a') ? 'n/a' : '-') : fmt(c.median),
        c.cpu === null ? '-' : `${fmt(c.cpu)} ${row.cpuUnit}`,
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
  lines.push([
    'component size (bytes)',
    'target/tls-connect.wasm',
    `${raw.sizes.raw.toLocaleString('en-US')} raw`,
    '',
    `${raw.sizes.gzip.toLocaleString('en-US')} gzip -9; webpki roots ${raw.sizes.rootsIncluded ? 'included' : 'not found'}`,
  ]);
  return { header, lines };
}

function targetLines(summary) {
  return summary.targets.map((t) => {
    const value = t.value === null ? '-' : t.threshold >= 1000 ? t.value.toLocaleString('en-US') : fmt(t.value);
    const threshold = t.threshold >= 1000 ? t.threshold.toLocaleString('en-US') : String(t.threshold);
    return { word: TARGET_WORD[t.met], text: `${t.name}: ${value} (target ${t.comparison} ${threshold})${t.note ? `; ${t.note}` : ''}` };
  });
}

function machineLine(raw) {
  const m = raw.machine;
  return `${m.date}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, ${m.rustc}, commit ${m.commit}; load average ${m.loadAverageAtStart.map((l) => l.toFixed(1)).join(' ')} at start, ${m.loadAverageAtEnd.map((l) => l.toFixed(1)).join(' ')} at end; ${m.seconds} s in all`;
}

function method(raw) {
  const p = raw.plan;
  return [
    "Server: Node's tls.createServer (OpenSSL), TLS 1.3 only, echoing, in its own process on 127.0.0.1; certificate ECDSA P-256 from a fresh CA.",
    `Handshakes: ${p.handshakeRuns} rounds of ${p.handshakes} sequential connections per client (TCP connect, TLS 1.3 handshake with TLS_AES_128_GCM_SHA256, one-byte echo so the session tickets arrive, close); rate = connections / wall time. Resumed: each connection offers the newest session an earlier one received (Node's 'session' event and session option, for every client); the server counts what resumed. Node's server issues two tickets per full handshake and none on resumption; Node's client reuses one ticket, while rustls uses each ticket once (as RFC 8446 advises), so in the rustls-based clients two in three connections resume.`,
    `Bulk: ${p.bulkRuns} rounds of ${(p.bulkBytes / 2 ** 20).toFixed(0)} MiB echoed in ${p.chunk / 1024} KiB writes per cipher and client, timed from the end of the handshake to the last echoed byte; MiB/s of payload (each byte sealed and opened once by the client).`,
    `Memory: ${p.connections} idle connections (handshake and one-byte echo done) in one instance; growth of the guest's linear memory after one warm-up connection, divided by ${p.connections}; median of ${p.memoryRuns}.`,
    `Start-up: ${p.startupProcesses} fresh processes each (wasmtime: ClientComponent::load from the .cwasm, with its Engine, then instantiate; jco: import of js/src/index.js, which compiles and instantiates the component), plus ${p.startupWarm} loads in one process.`,
    'Rounds are interleaved across clients, so background load spreads over all of them. CPU is the client process only (all threads). One Node server serves every client on the same two cores, so a fast client can be bounded by the server: compare client CPU too.',
    'Host crypto: "host crypto" means the wasmtime host (ring) or node:crypto (jco) seals and opens the records and verifies the ECDSA signatures through the host-crypto import, counted by the host; "guest crypto" means the guest does both in wasm.',
  ];
}

function pad(lines, header) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [row(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(row)].join('\n');
}

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
    '',
    pad(other.lines, other.header),
    '',
    'Targets:',
    ...targetLines(summary).map((t) => `  [${t.word}] ${t.text}`),
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
    'Ratios are the client\'s median ÷ the median of native rustls (the same engine compiled natively) and ÷ Node\'s `tls.connect`, in the same run.',
    '',
    markdown(main.lines, main.header),
    '',
    '## Start-up, memory, size',
    '',
    markdown(other.lines, other.header),
    '',
    '## Targets',
    '',
    ...targetLines(summary).map((t) => `- **${t.word}**: ${t.text}`),
    '',
    '## Method',
    '',
    ...method(raw).map((line) => `- ${line}`),
    '',
  ].join('\n');
}
