// Everything the reports say about the thundering-herd check (bench/herd.mjs): its section of results.md, its line in
// the README's summary, the policy table of the README's "Backoff" section, and its panel in results.svg.
// bench/report.mjs and bench/chart.mjs call these.
import { readFileSync, writeFileSync } from 'node:fs';
import { PEER_ROWS, POLICY_ROWS, SCENARIOS } from './herd.mjs';
import { group, median } from './stats.mjs';

function mdTable(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map((_, i) => (i ? '---:' : ':---'))), ...rows.map(line)].join('\n');
}

/** Median of `key` over the runs of (row, scenario); null when there is none. */
const pick = (herd, row, scenario, key) => median((herd[row]?.[scenario] ?? []).map((run) => run[key]));
const seconds = (ms) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const perClient = (herd, row, scenario, clients) => {
  const n = pick(herd, row, scenario, 'attempts');
  return n === null ? 'n/a' : (n / clients).toFixed(2);
};

/** The rows a run measured, policies first; `present(row)` says whether a row has runs at all. */
const rowsOf = (herd) => [...POLICY_ROWS, ...PEER_ROWS].filter((row) => herd[row]);

/** One scenario's columns for a row: peak, attempts per client, 50/99/100% back. */
function cells(herd, row, scenario, clients) {
  if (!herd[row]?.[scenario]?.length) return ['–', '–', '–'];
  const failed = herd[row][scenario].filter((r) => r.error).length;
  const missing = median(herd[row][scenario].map((r) => clients - (r.back ?? 0)));
  const all = pick(herd, row, scenario, 'backAllMs');
  return [
    group(pick(herd, row, scenario, 'peakPer100Ms')),
    perClient(herd, row, scenario, clients),
    `${seconds(pick(herd, row, scenario, 'back50Ms'))} / ${seconds(pick(herd, row, scenario, 'back99Ms'))} / ${all === null ? `${missing} not back` : seconds(all)}${failed ? ` (${failed} failed)` : ''}`,
  ];
}

/** The herd's section of results.md (empty when the run had no herd). */
export function herdMarkdown(r) {
  if (!r.herd) return '';
  const h = r.config.herd;
  const rows = rowsOf(r.herd).map((row) => [`\`${row}\``, ...SCENARIOS.flatMap((s) => cells(r.herd, row, s, h.clients))]);
  return `### Thundering herd (Node)

${group(h.clients)} real clients of one row at a time, in a child process (\`ws\` as their \`WebSocket\`; sockette and websocket-ts through the global), connected to the harness's server on loopback, which then goes down: a **restart** (down ~0 ms: a retry fails only if it comes before the port is open again) and an **outage** of ${group(h.outageMs / 1000)} s (every retry fails until it is back). Then, until every client is back (at most ${group(h.maxWaitMs / 1000)} s): **peak** = most connection attempts in any 100 ms (counted where they start, in the clients' process: while the server is down it cannot see them), **attempts** per client (everything over 1.00 was refused), and the time from the server listening again until 50% / 99% / all of the clients were accepted. ${h.runs > 1 ? `Medians of ${h.runs} runs.` : 'One run each.'} The steadysocket rows differ only in how the delay is drawn: 0.1.0's exponential curve (1 s, factor 2, 30 s cap) less up to 50% (its default) or up to 100% (full jitter), and decorrelated jitter (uniform between 1 s and 3 times the previous delay, 30 s cap: the default now). The peers run with their own defaults (reconnecting-websocket: each client loads its own copy of the module, as separate pages would, because it draws its minimum delay of 1-5 s once per load; websocket-ts, which only retries when given a backoff: \`ExponentialBackoff(500, 6)\`, 1 s doubling to 32 s, no jitter). In one process the handshakes share one event loop, which spreads even a herd with no jitter over some 100 ms.

${mdTable(['row', 'restart: peak / 100 ms', 'attempts per client', 'back: 50% / 99% / all', `${group(h.outageMs / 1000)} s outage: peak / 100 ms`, 'attempts per client', 'back: 50% / 99% / all'], rows)}
`;
}

/** The herd's paragraph of the README's summary (empty when the run had no herd). */
export function herdSummary(r) {
  if (!r.herd) return '';
  const h = r.config.herd;
  const line = (row) => `${row.replace(/^steadysocket \((.*)\)$/, '$1')} ${group(pick(r.herd, row, 'restart', 'peakPer100Ms') ?? NaN)}`;
  return `Thundering herd, ${group(h.clients)} clients after a server restart, most connection attempts in any 100 ms: steadysocket's default (decorrelated jitter) ${group(pick(r.herd, 'steadysocket (decorrelated jitter)', 'restart', 'peakPer100Ms') ?? NaN)}, 0.1.0's ${line('steadysocket (jitter 50%)').replace(/^jitter 50% /, '')}, full jitter ${group(pick(r.herd, 'steadysocket (full jitter)', 'restart', 'peakPer100Ms') ?? NaN)}; peers ${PEER_ROWS.filter((row) => r.herd[row]).map(line).join(', ')}. After a ${group(h.outageMs / 1000)} s outage: ${POLICY_ROWS.filter((row) => r.herd[row]?.outage).map((row) => `${row.replace(/^steadysocket \((.*)\)$/, '$1')} ${group(pick(r.herd, row, 'outage', 'peakPer100Ms'))} (99% back in ${seconds(pick(r.herd, row, 'outage', 'back99Ms'))})`).join(', ')}. See "Backoff" above for the choice.`;
}

/** The README's "Backoff" table: the three policies in both scenarios. */
export function herdPolicyTable(r) {
  const h = r.config.herd;
  const names = {
    'steadysocket (jitter 50%)': '50% jitter, factor 2 (0.1.0)',
    'steadysocket (full jitter)': 'full jitter, factor 2',
    'steadysocket (decorrelated jitter)': 'decorrelated, factor 3 (default)',
  };
  const rows = POLICY_ROWS.filter((row) => r.herd[row]).map((row) => [
    names[row],
    group(pick(r.herd, row, 'restart', 'peakPer100Ms')),
    `${seconds(pick(r.herd, row, 'restart', 'back50Ms'))} / ${seconds(pick(r.herd, row, 'restart', 'back99Ms'))}`,
    group(pick(r.herd, row, 'outage', 'peakPer100Ms')),
    perClient(r.herd, row, 'outage', h.clients),
    `${seconds(pick(r.herd, row, 'outage', 'back50Ms'))} / ${seconds(pick(r.herd, row, 'outage', 'back99Ms'))}`,
  ]);
  return mdTable(['policy', 'restart: peak attempts / 100 ms', 'restart: 50% / 99% back',
    `${group(h.outageMs / 1000)} s outage: peak attempts / 100 ms`, 'outage: attempts per client', 'outage: 50% / 99% back'], rows);
}

const START = '<!-- herd:policies:start (written by npm run bench) -->';
const END = '<!-- herd:policies:end -->';

/** Rewrites the README's policy table (between its markers) from a full run; returns whether it did. */
export function updateReadmeHerd(readme, r) {
  if (r.quick || !r.herd || POLICY_ROWS.some((row) => !r.herd[row]?.outage?.length)) return false;
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) return false;
  writeFileSync(readme, `${text.slice(0, from + START.length)}\n${herdPolicyTable(r)}\n${text.slice(to)}`);
  return true;
}

/** The herd's panels of results.svg: [] when the run had no herd. */
export function herdPanels(r) {
  if (!r.herd) return [];
  const h = r.config.herd;
  return [{
    title: `4. Herd of ${group(h.clients)}: most connection attempts in any 100 ms`,
    groups: [['restart', 'restart'], ['outage', `${group(h.outageMs / 1000)} s outage`]].map(([scenario, label]) => ({
      label, bars: rowsOf(r.herd).filter((row) => r.herd[row][scenario]).map((row) => ({ name: row, value: pick(r.herd, row, scenario, 'peakPer100Ms') })),
    })),
    fmt: (v) => group(v),
  }];
}
