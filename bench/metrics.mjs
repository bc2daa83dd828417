// Every figure the reports state with an interval, defined once for bench/report.mjs, bench/summary.mjs,
// bench/chart.mjs and bench/compare.mjs: the whole-path ratios (paired by round) and the per-message costs.
import { LIBS, PEERS, QUEUEING, RECONNECTING } from './cases.mjs';
import { medianCI, ratioCI } from './stats.mjs';

/**
 * Ratios of a library's figure to a base library's, round by round. `invert`: base ÷ lib (a time turned into
 * "how much of the base's speed"), so that for every ratio here the direction is given by `better`.
 */
export const RATIOS = [
  { id: 'echo64', case: 'echo64', key: 'perSecond', base: 'native', libs: LIBS.slice(1), better: 'higher', label: 'echo 64 B, messages/s' },
  { id: 'echo64k', case: 'echo64k', key: 'perSecond', base: 'native', libs: LIBS.slice(1), better: 'higher', label: 'echo 64 KiB, messages/s' },
  { id: 'burstOpen', case: 'burstOpen', key: 'handMs', base: 'native', libs: LIBS.slice(1), better: 'lower', label: 'burst while OPEN, time in send()' },
  { id: 'flush', case: 'burstConnecting', key: 'flushMs', base: 'steadysocket', libs: QUEUEING.slice(1), better: 'lower', label: 'flush of a queue, time to deliver' },
  { id: 'flow', case: 'flow', key: 'ms', invert: true, base: 'native', libs: LIBS.slice(1), better: 'higher', label: 'flow control, link use' },
  { id: 'reconnect', case: 'reconnect', key: 'ms', base: 'steadysocket', libs: RECONNECTING.slice(1), better: 'lower', label: 'server back → open, time' },
];

/** The per-message costs: µs a library adds to one send() or one received message over native, round by round. */
export const PER_MESSAGE = [
  { id: 'send 64', label: 'send(), 64 B text' },
  { id: 'send 64k', label: 'send(), 64 KiB binary' },
  { id: 'receive 64', label: 'message received, 64 B text' },
  { id: 'receive 64k', label: 'message received, 64 KiB binary' },
];

/** The rows of one per-message figure in a browser ([] when it was not run or failed). */
export const perMessageRows = (results, browser, id) => {
  const rows = results.browsers[browser]?.perMessage?.[id];
  return Array.isArray(rows) ? rows : [];
};

/** The interval of what `lib` adds over native, in µs per message; for 'native', native's own cost. */
export function perMessageCI(results, browser, id, lib) {
  const rows = perMessageRows(results, browser, id);
  return medianCI(rows.map((row) => (lib === 'native' ? row.native : row[lib] - row.native)));
}

/** Every interval of a results file, keyed `browser|id|lib`, with what it measures and which way is better. */
export function allIntervals(results) {
  const out = new Map();
  for (const browser of Object.keys(results.browsers)) {
    for (const m of RATIOS) {
      for (const lib of m.libs) {
        const ci = ratioCI(results, browser, m.case, lib, m.base, m.key, m.invert);
        if (ci) out.set(`${browser}|${m.id}|${lib}`, { browser, lib, label: `${m.label} ÷ ${m.base}`, better: m.better, unit: '×', ci });
      }
    }
    for (const m of PER_MESSAGE) {
      for (const lib of [...LIBS.slice(1)]) {
        const ci = perMessageCI(results, browser, m.id, lib);
        if (ci) out.set(`${browser}|${m.id}|${lib}`, { browser, lib, label: `${m.label}, µs added`, better: 'lower', unit: ' µs', ci });
      }
    }
  }
  return out;
}

export { LIBS, PEERS, QUEUEING, RECONNECTING };
