// A hand-written SVG bar chart of the benchmark's medians: one panel for
// handshakes per second, one for bulk echo throughput over TCP, one for bulk
// echo through the WebSocket bridge (Chromium's row, with its ceiling: Chromium's
// WebSocket alone, no TLS), a bar per client.
import { fmt } from './summary.mjs';

const COLORS = {
  wasmtime: '#4c78a8',
  'wasmtime-guest-aead': '#9ecae9',
  native: '#54a24b',
  node: '#f58518',
  node20: '#ffbf79',
  deno: '#72b7b2',
  bun: '#eeca3b',
  jco: '#b279a2',
  chromium: '#e45756',
  'node-bridge': '#f58518',
  'chromium-websocket': '#f2a3a2',
};

const WIDTH = 860;
const LABEL_WIDTH = 250;
const BAR_HEIGHT = 16;
const BAR_GAP = 4;
const GROUP_GAP = 14;
/** Text attributes: sans-serif at `size` pixels, bold when asked. */
function font(size = 12, bold = false) {
  return `font-family="sans-serif" font-size="${size}"${bold ? ' font-weight="bold"' : ''}`;
}

/** Text made safe for SVG. */
function escape(text) {
  return String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** One panel: a title, then per row of the summary a group of bars. Returns its SVG and height. */
function panel(title, rows, top) {
  const max = Math.max(1, ...rows.flatMap((r) => r.cells.map((c) => c.median ?? 0)));
  const barSpace = WIDTH - LABEL_WIDTH - 90;
  const parts = [`<text x="10" y="${top + 16}" ${font(14, true)}>${escape(title)}</text>`];
  let y = top + 28;
  for (const row of rows) {
    parts.push(`<text x="10" y="${y + 12}" ${font(12, true)}>${escape(row.measure)}</text>`);
    y += 18;
    for (const c of row.cells) {
      const width = c.median ? Math.max(1, (c.median / max) * barSpace) : 0;
      parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + 12}" ${font()} text-anchor="end">${escape(c.label)}</text>`);
      if (width > 0) {
        parts.push(`<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLORS[c.client] ?? '#888'}"/>`);
      }
      const value = c.median === null ? (c.notes[0] ?? 'no data') : fmt(c.median);
      parts.push(`<text x="${LABEL_WIDTH + width + 6}" y="${y + 12}" ${font()}>${escape(value)}</text>`);
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  return { svg: parts.join('\n'), height: y - top };
}

/** The chart for `summary`, as an SVG document, with `caption` (the machine and date) below. */
export function renderChart(summary, caption) {
  const handshakes = panel('Handshakes per second (higher is better)', summary.rows.filter((r) => !r.cipher && !r.bridge), 0);
  const bulk = panel('Bulk echo over TCP, MiB/s (higher is better)', summary.rows.filter((r) => r.cipher && !r.bridge), handshakes.height + 10);
  const bridgeRows = summary.rows.filter((r) => r.bridge);
  const bridgeTop = handshakes.height + bulk.height + 20;
  // Its own scale: through the bridge everything is slower, and would vanish beside the TCP bars.
  const bridge = bridgeRows.length ? panel('Bulk echo through the WebSocket bridge, MiB/s (higher is better)', bridgeRows, bridgeTop) : { svg: '', height: 0 };
  const height = bridgeTop + bridge.height + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    handshakes.svg,
    bulk.svg,
    bridge.svg,
    `<text x="10" y="${height - 12}" ${font(11)} fill="#555">${escape(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
