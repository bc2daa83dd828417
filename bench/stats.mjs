// What bench/report.mjs (the Markdown tables) and bench/chart.mjs (the SVG) both need: medians of the raw runs and
// how figures are written.

export const BROWSER_NAMES = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Median of `key` over the runs of (browser, case, lib); null when there is none. */
export const med = (results, browser, name, lib, key) =>
  median((results.browsers[browser]?.cases?.[name]?.[lib] ?? []).map((run) => run[key]));

/** A whole number with thousands separators: 12,345. */
export const group = (n) => Math.round(n).toLocaleString('en-US');

export const fmt = {
  rate: (v) => `${group(v)}/s`,
  ms: (v) => (v < 10 ? `${v.toFixed(1)} ms` : `${group(v)} ms`),
  mib: (v) => `${(v / 2 ** 20).toFixed(v < 2 ** 20 ? 2 : 1)} MiB`,
  bytes: (v) => `${group(v)} B`,
  count: (v) => group(v),
};
