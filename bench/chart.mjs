// Draws results.svg by hand (no chart library): a grid of small horizontal bar charts, one per figure, bars grouped
// by browser, one colour per library. Ratio panels draw the median ratio of each library to its base with the 95%
// interval as a whisker and a line at 1.00; the per-message panels draw µs added with their intervals; the herd's
// and the sizes' panels draw plain values.
import { herdPanels } from './herd-report.mjs';
import { LIBS, perMessageCI, RATIOS } from './metrics.mjs';
import { BROWSER_NAMES, fmt, ratioCI } from './stats.mjs';

const COLORS = {
  native: '#6b7280',
  steadysocket: '#2563eb',
  'reconnecting-websocket': '#d97706',
  partysocket: '#db2777',
  sockette: '#16a34a',
  'websocket-ts': '#7c3aed',
};
const colorOf = (lib) => COLORS[lib.replace(/ \(.*\)$/, '').replace(/\/json$/, '')] ?? '#999';
const faded = (lib) => / \((defaults|all exports)\)$/.test(lib) || lib === 'steadysocket/json';
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const PANEL_W = 460;
const PANEL_H = 300;
const COLS = 3;
const TOP = 96;
const LABEL_W = 86;
const VALUE_W = 120;

const ratioFmt = (v) => `${v.toFixed(2)}×`;

/** The panels: each gives groups of { label, bars: [{ name, value, lo?, hi? }] } and a formatter. */
function panels(r) {
  const browsers = Object.keys(r.browsers).filter((b) => !r.browsers[b].error);
  const list = [];
  for (const [id, title] of [['send 64', '0. µs added per send(), 64 B'], ['receive 64', '0. µs added per received message, 64 B']]) {
    if (!browsers.some((b) => r.browsers[b].perMessage)) break;
    list.push({
      title,
      groups: browsers.map((b) => ({ label: BROWSER_NAMES[b] ?? b, bars: LIBS.slice(1).map((lib) => {
        const ci = perMessageCI(r, b, id, lib);
        return { name: lib, value: ci?.median ?? null, lo: ci?.lo, hi: ci?.hi };
      }) })),
      fmt: (v) => `${v.toFixed(2)} µs`,
    });
  }
  for (const m of RATIOS) {
    if (!browsers.some((b) => r.browsers[b].cases?.[m.case])) continue;
    list.push({
      title: `${m.label} ÷ ${m.base} (${m.better} is better)`,
      groups: browsers.map((b) => ({ label: BROWSER_NAMES[b] ?? b, bars: m.libs.map((lib) => {
        const ci = ratioCI(r, b, m.case, lib, m.base, m.key, m.invert);
        return { name: lib, value: ci?.median ?? null, lo: ci?.lo, hi: ci?.hi };
      }) })),
      fmt: ratioFmt,
      line: 1,
    });
  }
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
  const labelW = p.named ? 200 : LABEL_W;
  const plotW = PANEL_W - 12 - labelW - VALUE_W - 10;
  const values = p.groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.hi])).filter((v) => v > 0);
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
      let end = w;
      if (b.lo !== undefined && b.hi !== undefined && b.value !== null) {
        // The 95% interval as a whisker across the bar's end.
        const [x1, x2] = [labelW + scale(b.lo), labelW + scale(b.hi)];
        const ym = (cy + (barH - 2) / 2).toFixed(1);
        out.push(`<line x1="${x1.toFixed(1)}" x2="${x2.toFixed(1)}" y1="${ym}" y2="${ym}" stroke="#111" stroke-width="1.2"/>`);
        end = Math.max(w, x2 - labelW);
      }
      const label = b.value === null || b.value === undefined ? 'n/a' : `${p.fmt(b.value)}${b.lo !== undefined ? ` (${p.fmt(b.lo)}–${p.fmt(b.hi)})` : ''}`;
      out.push(`<text x="${labelW + end + 4}" y="${cy + barH - 3}" class="v">${esc(label)}</text>`);
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
  const legend = LIBS.map((lib, i) => {
    const x = 12 + i * 172;
    return `<rect x="${x}" y="62" width="12" height="12" fill="${colorOf(lib)}"${faded(lib) ? ' fill-opacity="0.45"' : ''}/><text x="${x + 17}" y="72" class="v">${esc(lib)}</text>`;
  });
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">`,
    '<style>.t{font-size:12.5px;font-weight:bold;fill:#111}.g{font-size:11px;fill:#374151}.v{font-size:10.5px;fill:#111}.s{font-size:11px;fill:#4b5563}</style>',
    `<rect width="${width}" height="${height}" fill="#f9fafb"/>`,
    `<text x="12" y="24" font-size="17" font-weight="bold" fill="#111">steadysocket vs. native WebSocket and peers${r.quick ? ' (quick run, for checking only)' : ''}: median ratios of ${Math.min(...Object.values(c.rounds))}-${Math.max(...Object.values(c.rounds))} interleaved rounds, whiskers: 95% intervals</text>`,
    `<text x="12" y="44" class="s">${esc(`${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ${versions} · ${r.date.slice(0, 10)} · details and ratios in results.md`)}</text>`,
    ...legend,
    ...list.map((p, i) => panel(p, 6 + (i % COLS) * PANEL_W, TOP + Math.floor(i / COLS) * PANEL_H)),
    '</svg>',
  ];
  return out.join('\n') + '\n';
}
