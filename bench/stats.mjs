// What bench/report.mjs, bench/summary.mjs, bench/chart.mjs and bench/compare.mjs share: medians of the raw runs,
// ratios paired by round with their confidence intervals, and how figures are written.
//
// The interval of a median is the distribution-free one from order statistics (the "rank method"): with the n
// values sorted, [x(k), x(n+1-k)] holds the true median with probability 1 - 2·P(Binomial(n, ½) ≤ k-1), whatever
// the distribution; k is the largest that keeps this at 95% or more. It needs no random resampling (a re-render
// gives the same figures) and, unlike a bootstrap of the median, it does not undercover with a handful of rounds.
// With 6-8 rounds it is [min, max]; with 9-11, the second-lowest to the second-highest; below 6 no pair reaches
// 95% and [min, max] is given with its lower coverage.

export const BROWSER_NAMES = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

const finite = (values) => values.filter((x) => typeof x === 'number' && Number.isFinite(x));

export function median(values) {
  const v = finite(values).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** The runs of (browser, case, lib), failed ones included. */
export const runsOf = (results, browser, name, lib) => results.browsers[browser]?.cases?.[name]?.[lib] ?? [];

/** Median of `key` over the runs of (browser, case, lib); null when there is none. */
export const med = (results, browser, name, lib, key) => median(runsOf(results, browser, name, lib).map((run) => run[key]));

/** P(Binomial(n, ½) ≤ j). */
function binomialCdfHalf(n, j) {
  let term = 0.5 ** n; // C(n, 0) / 2^n
  let sum = 0;
  for (let i = 0; i <= j; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

/** Coverage of [x(k), x(n+1-k)] as an interval for the median of n values. */
export const rankCoverage = (n, k) => 1 - 2 * binomialCdfHalf(n, k - 1);

/**
 * The median of `values` and its distribution-free interval (see the top of this file).
 * @returns {{ median: number, lo: number, hi: number, n: number, coverage: number } | null}
 */
export function medianCI(values, level = 0.95) {
  const v = finite(values).sort((a, b) => a - b);
  const n = v.length;
  if (!n) return null;
  let k = 1;
  while (k + 1 <= n + 1 - (k + 1) && rankCoverage(n, k + 1) >= level) k++;
  return { median: median(v), lo: v[k - 1], hi: v[n - k], n, coverage: n > 1 ? rankCoverage(n, k) : 0 };
}

/**
 * Ratios lib ÷ base of `key`, one per round in which both ran (runs carry their `round`; older results files
 * without it pair by position). `invert`: base ÷ lib, for times whose ratio should read "higher is better".
 */
export function pairedRatios(results, browser, name, lib, base, key, invert = false) {
  const byRound = (l) => new Map(runsOf(results, browser, name, l).map((run, i) => [run.round ?? i, run[key]]));
  const b = byRound(base);
  const out = [];
  for (const [round, v] of byRound(lib)) {
    const w = b.get(round);
    if (Number.isFinite(v) && Number.isFinite(w) && v > 0 && w > 0) out.push(invert ? w / v : v / w);
  }
  return out;
}

/** medianCI of the paired ratios (see pairedRatios). */
export const ratioCI = (results, browser, name, lib, base, key, invert = false) =>
  medianCI(pairedRatios(results, browser, name, lib, base, key, invert));

/** Whether an interval says anything: 'above' (excludes `ref` from above), 'below', or null (includes it). */
export const side = (ci, ref = 1) => (!ci ? null : ci.lo > ref ? 'above' : ci.hi < ref ? 'below' : null);

/** A whole number with thousands separators: 12,345. */
export const group = (n) => Math.round(n).toLocaleString('en-US');

/** A ratio and its interval: 0.98× (0.95–1.01). */
export const ratioText = (ci) => (ci ? `${ci.median.toFixed(2)}× (${ci.lo.toFixed(2)}–${ci.hi.toFixed(2)})` : 'n/a');

export const fmt = {
  rate: (v) => `${group(v)}/s`,
  ms: (v) => (v < 10 ? `${v.toFixed(1)} ms` : `${group(v)} ms`),
  mib: (v) => `${(v / 2 ** 20).toFixed(v < 2 ** 20 ? 2 : 1)} MiB`,
  bytes: (v) => `${group(v)} B`,
  count: (v) => group(v),
  us: (v) => `${v.toFixed(Math.abs(v) < 10 ? 2 : 1)} µs`,
};
