// The Markdown tables of results.md (bench/report.mjs): one row per library, one column per browser (and metric),
// every ratio with its 95% interval. See bench/stats.mjs for how intervals are made.
import { perMessageCI } from './metrics.mjs';
import { BROWSER_NAMES, fmt, med, ratioCI, runsOf } from './stats.mjs';

export function mdTable(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map((_, i) => (i ? '---:' : ':---'))), ...rows.map(line)].join('\n');
}

const failures = (results, browser, name, lib) => runsOf(results, browser, name, lib).filter((run) => run.error).length;

/** "**0.98×** (0.91–1.05)", bold only where the interval excludes 1.00. */
export function ratioCell(ci) {
  if (!ci) return 'n/a';
  const bold = ci.lo > 1 || ci.hi < 1 ? '**' : '';
  const cover = ci.coverage < 0.95 ? `, ${Math.floor(ci.coverage * 100)}%` : '';
  return `${bold}${ci.median.toFixed(2)}×${bold} (${ci.lo.toFixed(2)}–${ci.hi.toFixed(2)}${cover})`;
}

/**
 * One row per library; for each browser, one column per metric. metric: { key, label, fmt, base?: the library the
 * ratio is to, invert?: base ÷ lib, only?: browser names, extra?: (browser, lib) => text after the cell }. With a
 * base, a cell is the median paired ratio and its interval, then the library's own median figure.
 */
export function caseTable(results, name, libs, metrics) {
  const browsers = Object.keys(results.browsers);
  const columns = browsers.flatMap((b) => metrics.filter((m) => !m.only || m.only.includes(b)).map((m) => ({ b, m })));
  const headers = ['library', ...columns.map(({ b, m }) => [BROWSER_NAMES[b] ?? b, m.label].filter(Boolean).join(' '))];
  const rows = libs.map((lib) => [
    `\`${lib}\``,
    ...columns.map(({ b, m }) => {
      if (results.browsers[b]?.error) return 'browser failed';
      const v = med(results, b, name, lib, m.key);
      const failed = failures(results, b, name, lib);
      if (v === null) return failed ? `failed (${failed} runs)` : 'n/a';
      const ratio = m.base && lib !== m.base ? `${ratioCell(ratioCI(results, b, name, lib, m.base, m.key, m.invert))} ` : '';
      return `${ratio}${m.fmt(v)}${m.extra?.(b, lib) ?? ''}${failed ? ` (${failed} failed)` : ''}`;
    }),
  ]);
  return mdTable(headers, rows);
}

/** "+0.10 µs (0.09–0.11)": what `lib` adds over native per message, or native's own cost. */
export function usCell(ci) {
  if (!ci) return 'n/a';
  const sign = (v) => (v > 0.005 ? '+' : v < -0.005 ? '−' : '') + Math.abs(v).toFixed(2);
  return `${sign(ci.median)} µs (${sign(ci.lo)} to ${sign(ci.hi)})`;
}

/**
 * The per-message table: one row per library, a column per browser and figure: ids are [id, label, nativeId?]
 * (e.g. ['send 64', '64 B', 'native send 64']); native's row shows its own cost, from `nativeId` where given.
 */
export function perMessageTable(results, libs, ids) {
  const browsers = Object.keys(results.browsers);
  const headers = ['library', ...browsers.flatMap((b) => ids.map(([, label]) => `${BROWSER_NAMES[b] ?? b} ${label}`))];
  const rows = libs.map((lib) => [
    lib === 'native' ? '`native` (its own cost)' : `\`${lib}\``,
    ...browsers.flatMap((b) => ids.map(([id, , nativeId]) => {
      const ci = perMessageCI(results, b, lib === 'native' ? nativeId ?? id : id, lib);
      if (!ci) return 'n/a';
      return lib === 'native' ? fmt.us(ci.median) : usCell(ci);
    })),
  ]);
  return mdTable(headers, rows);
}
