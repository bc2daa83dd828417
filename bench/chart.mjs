// Draws results.svg by hand (no chart library): a grid of small horizontal bar charts, one per measured figure,
// bars grouped by browser, one colour per library, each bar labelled with its median value.
import { LIBS, QUEUEING, RECONNECTING } from './cases.mjs';
import { herdPanels } from './herd-report.mjs';
import { BROWSER_NAMES, fmt, med } from './stats.mjs';

const COLORS = {
  native: '#6b7280',
  steadysocket: '#2563eb',
  'reconnecting-websocket': '#d97706',
  partysocket: '#db2777',
  sockette: '#16a34a',
};
const colorOf = (lib) => COLORS[lib.replace(/ \(.*\)$/, '').replace(/\/json$/, '')] ?? '#999';
const faded = (lib) => / \((defaults|all exports)\)$/.test(lib) || lib === 'steadysocket/json';
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const PANEL_W = 460;
const PANEL_H = 300;
const COLS = 3;
const TOP = 96;
const LABEL_W = 86;
const VALUE_W = 92;

/** The panels: each gives groups of { label, bars: [{ name, value }] } and a formatter. */
function panels(r) {
  const c = r.config;
  const browsers = Object.keys(r.browsers).filter((b) => !r.browsers[b].error);
  const fromCase = (name, key, libs) => browsers.map((b) => ({
    label: BROWSER_NAMES[b] ?? b,
    bars: libs.map((lib) => ({ name: lib, value: med(r, b, name, lib, key) })),
  }));
  const n = (x) => Math.round(x).toLocaleString('en-US');
  const list = [
    { title: `1. Echo, 64 B text: messages/s (higher is better)`, groups: fromCase('echo64', 'perSecond', LIBS), fmt: fmt.rate },
    { title: `1. Echo, 64 KiB binary: messages/s (higher is better)`, groups: fromCase('echo64k', 'perSecond', LIBS), fmt: fmt.rate },
    { title: `2. Hand ${n(c.burstN)} × 64 B to send() while OPEN, ms`, groups: fromCase('burstOpen', 'handMs', LIBS), fmt: fmt.ms },
    { title: `2. Flush ${n(c.burstN)} × 64 B queued while CONNECTING, ms`, groups: fromCase('burstConnecting', 'flushMs', QUEUEING), fmt: fmt.ms },
    { title: `3. ${c.flowBytes / 2 ** 20} MiB at ${c.flowBps / 2 ** 20} MiB/s: total ms (dashed: link limit)`, groups: fromCase('flow', 'ms', LIBS), fmt: fmt.ms, line: (c.flowBytes / c.flowBps) * 1000 },
    { title: `3. Same: peak native bufferedAmount, log scale`, groups: fromCase('flow', 'peakNative', LIBS), fmt: fmt.mib, log: true },
    { title: `4. Reconnect after ${c.downMs.join('/')} ms outages, ms to open`, groups: fromCase('reconnect', 'ms', RECONNECTING), fmt: fmt.ms },
  ];
  list.push(...herdPanels(r));
  if (r.sizes) {
    list.push({
      title: '5. Size: minified + gzip -9, bytes',
      groups: [{ label: '', bars: r.sizes.map((s) => ({ name: s.entry, value: s.gzipBytes })) }],
      fmt: fmt.bytes,
      named: true,
    });
  }
  return list;
}

function panel(p, x, y) {
  const out = [`<g transform="translate(${x},${y})">`];
  out.push(`<rect width="${PANEL_W - 12}" height="${PANEL_H - 12}" rx="6" fill="#fff" stroke="#e5e7eb"/>`);
  out.push(`<text x="10" y="20" class="t">${esc(p.title)}</text>`);
  const bars = p.groups.reduce((s, g) => s + g.bars.length, 0);
  const gap = 8;
  const barH = Math.max(5, Math.min(16, (PANEL_H - 52 - gap * p.groups.length) / Math.max(1, bars)));
  const labelW = p.named ? 170 : LABEL_W;
  const plotW = PANEL_W - 12 - labelW - VALUE_W - 10;
  const values = p.groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => v > 0);
  const max = Math.max(...values, p.line ?? 0, 1e-9);
  const min = Math.min(...values, max);
  const floor = p.log ? Math.max(min / 4, 1) : 0;
  const scale = (v) => {
    if (!(v > 0)) return 0;
    if (!p.log) return (v / max) * plotW;
    return Math.max(2, (Math.log(v / floor) / Math.log(max / floor)) * plotW);
  };
  let cy = 34;
  for (const g of p.groups) {
    const h = g.bars.length * barH;
    if (g.label) out.push(`<text x="10" y="${cy + h / 2 + 4}" class="g">${esc(g.label)}</text>`);
    for (const b of g.bars) {
      const w = scale(b.value);
      const fill = colorOf(b.name);
      if (p.named) out.push(`<text x="${labelW - 4}" y="${cy + barH - 3}" class="v" text-anchor="end">${esc(b.name)}</text>`);
      out.push(`<rect x="${labelW}" y="${cy}" width="${w.toFixed(1)}" height="${(barH - 2).toFixed(1)}" fill="${fill}"${faded(b.name) ? ' fill-opacity="0.45"' : ''}><title>${esc(`${b.name}: ${b.value === null ? 'n/a' : p.fmt(b.value)}`)}</title></rect>`);
      const label = b.value === null || b.value === undefined ? 'n/a' : p.fmt(b.value);
      out.push(`<text x="${labelW + w + 4}" y="${cy + barH - 3}" class="v">${esc(label)}</text>`);
      cy += barH;
    }
    cy += gap;
  }
  if (p.line) {
    const lx = labelW + scale(p.line);
    out.push(`<line x1="${lx}" x2="${lx}" y1="30" y2="${cy - gap}" stroke="#111" stroke-dasharray="3 3"/>`);
  }
  out.push('</g>');
  return out.join('\n');
}

export function drawChart(r) {
  const list = panels(r);
  const rows = Math.ceil(list.length / COLS);
  const width = COLS * PANEL_W + 12;
  const height = TOP + rows * PANEL_H + 24;
  const m = r.machine;
  const versions = Object.entries(r.browsers).map(([b, info]) => `${BROWSER_NAMES[b] ?? b} ${info.version ?? '?'}`).join(' · ');
  const c = r.config;
  const legend = [...LIBS, 'steadysocket (defaults)', 'reconnecting-websocket (defaults)'].map((lib, i) => {
    const x = 12 + i * 172;
    return `<rect x="${x}" y="62" width="12" height="12" fill="${colorOf(lib)}"${faded(lib) ? ' fill-opacity="0.45"' : ''}/><text x="${x + 17}" y="72" class="v">${esc(lib)}</text>`;
  });
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">`,
    '<style>.t{font-size:12.5px;font-weight:bold;fill:#111}.g{font-size:11px;fill:#374151}.v{font-size:10.5px;fill:#111}.s{font-size:11px;fill:#4b5563}</style>',
    `<rect width="${width}" height="${height}" fill="#f9fafb"/>`,
    `<text x="12" y="24" font-size="17" font-weight="bold" fill="#111">steadysocket vs. native WebSocket and peers${r.quick ? ' (quick run, for checking only)' : ''}: medians of ${c.runs.echo} (case 1), ${c.runs.burstOpen} and ${c.runs.burstConnecting} (case 2), ${c.runs.flow} (case 3), ${c.runs.reconnect} (case 4) runs; times: lower is better</text>`,
    `<text x="12" y="44" class="s">${esc(`${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ${versions} · ${r.date.slice(0, 10)} · details and ratios in results.md`)}</text>`,
    ...legend,
    ...list.map((p, i) => panel(p, 6 + (i % COLS) * PANEL_W, TOP + Math.floor(i / COLS) * PANEL_H)),
    '</svg>',
  ];
  return out.join('\n') + '\n';
}
