// The regression guard: `npm run bench -- --compare <saved results.json>` after a run, or
// `node bench/compare.mjs <old.json> <new.json>` for two saved raw results files. Prints every interval that moved:
// "moved" when the two 95% intervals do not overlap, "shifted" when only the new median lies outside the old
// interval. Exits with 1 when one of steadysocket's intervals moved to its worse side (timings never go into
// `npm test`: this is for a person, or a CI job of its own, to read).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allIntervals } from './metrics.mjs';
import { BROWSER_NAMES } from './stats.mjs';

const show = (ci, unit) => {
  const f = (v) => (unit === '×' ? v.toFixed(2) : v.toFixed(2));
  return `${f(ci.median)}${unit} (${f(ci.lo)}–${f(ci.hi)})`;
};

/** @returns {number} the exit code: 1 when steadysocket moved to its worse side, else 0. */
export function compareResults(before, after, print = console.log) {
  const old = allIntervals(before);
  const now = allIntervals(after);
  const moves = [];
  for (const [key, n] of now) {
    const o = old.get(key);
    if (!o) continue;
    const apart = n.ci.lo > o.ci.hi || n.ci.hi < o.ci.lo;
    const outside = n.ci.median > o.ci.hi || n.ci.median < o.ci.lo;
    if (!apart && !outside) continue;
    const up = n.ci.median > o.ci.median;
    const worse = (n.better === 'higher') !== up;
    moves.push({ ...n, o, apart, worse });
  }
  print(`Compared ${now.size} intervals with ${old.size} of the run of ${before.date?.slice(0, 10) ?? '?'}: ${moves.length} moved.`);
  for (const m of moves.sort((a, b) => Number(b.apart) - Number(a.apart))) {
    print(`  ${m.apart ? 'moved  ' : 'shifted'} ${m.worse ? 'worse ' : 'better'} ${BROWSER_NAMES[m.browser] ?? m.browser}, ${m.lib}, ${m.label}: `
      + `${show(m.o.ci, m.unit)} → ${show(m.ci, m.unit)}`);
  }
  const missing = [...old.keys()].filter((k) => !now.has(k)).length;
  if (missing) print(`  (${missing} intervals of the saved run are not in this one: cases or browsers not run)`);
  return moves.some((m) => m.apart && m.worse && m.lib === 'steadysocket') ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [a, b] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(resolve(f), 'utf8')));
  if (!b) throw new Error('usage: node bench/compare.mjs <old results.json> <new results.json>');
  process.exitCode = compareResults(a, b);
}
