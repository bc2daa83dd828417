// Everything the reports say about the thundering-herd check (bench/herd.mjs): its section of results.md, its line in
// the README's summary and its panel in results.svg. bench/report.mjs and bench/chart.mjs call these.
import { HERD_LIBS } from './herd.mjs';
import { group, median } from './stats.mjs';

function mdTable(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map((_, i) => (i ? '---:' : ':---'))), ...rows.map(line)].join('\n');
}

function herdTable(herd) {
  const pick = (lib, side, key) => median((herd[lib] ?? []).map((r) => r[side]?.[key]));
  const span = (lib, side) => `${group(pick(lib, side, 'firstMs'))}–${group(pick(lib, side, 'lastMs'))} ms`;
  const rows = HERD_LIBS.filter((lib) => herd[lib]).map((lib) => [
    `\`${lib}\``,
    span(lib, 'policy'),
    group(pick(lib, 'policy', 'max')),
    group(pick(lib, 'policy', 'mean')),
    `**${(pick(lib, 'policy', 'max') / pick(lib, 'policy', 'mean')).toFixed(2)}**`,
    span(lib, 'server'),
    group(pick(lib, 'server', 'max')),
    group(pick(lib, 'server', 'mean')),
  ]);
  return mdTable(['library', 'scheduled retries (after the drop)', 'max / 100 ms', 'mean / 100 ms', 'max ÷ mean',
    'accepted by the server (after the restart)', 'max / 100 ms', 'mean / 100 ms'], rows);
}

/** The herd's section of results.md (empty when the run had no herd). */
export function herdMarkdown(r) {
  if (!r.herd) return '';
  const c = r.config;
  return `### Thundering herd (Node)

${group(c.herd.clients)} real instances of each library in one Node process (\`ws\` as their \`WebSocket\`, sockette through the global), all connected to the harness's server, which then restarts (down ~0 ms). **Scheduled**: when each client's first retry was due, i.e. the delay the library's own code passed to \`setTimeout\` when its connection dropped, as if every client lost the server at the same instant (separate machines do). **Accepted**: when the server really accepted each client's first retry; in one process the drops arrive one after another and the handshakes share one event loop, which spreads even a herd with no jitter over a few hundred ms. Max = most clients in any 100 ms window; mean = clients per 100 ms over the whole spread. Same backoff settings as above; "(defaults)" rows use each library's defaults (reconnecting-websocket draws \`minReconnectionDelay\` = 1–5 s once per module load, so each client loads its own copy of the module, as separate pages would).

${herdTable(r.herd)}
`;
}

/** The herd's paragraph of the README's summary (empty when the run had no herd). */
export function herdSummary(r) {
  if (!r.herd) return '';
  const herd = (lib) => {
    const pick = (key) => median((r.herd[lib] ?? []).map((run) => run.policy?.[key]));
    return `${lib} ${group(pick('max'))} (${group(pick('firstMs'))}–${group(pick('lastMs'))} ms)`;
  };
  return `Thundering herd, ${group(r.config.herd.clients)} clients losing the server at once: most first retries scheduled in any 100 ms (and their spread): ${['steadysocket', 'reconnecting-websocket', 'partysocket', 'sockette'].map(herd).join(', ')}.`;
}

/** The herd's panels of results.svg: [] when the run had no herd. */
export function herdPanels(r) {
  if (!r.herd) return [];
  const pick = (lib, side) => median((r.herd[lib] ?? []).map((run) => run[side]?.max));
  return [{
    title: `4. Herd: most first retries in any 100 ms, of ${group(r.config.herd.clients)}`,
    groups: [['policy', 'scheduled'], ['server', 'accepted']].map(([side, label]) => ({
      label, bars: HERD_LIBS.filter((lib) => r.herd[lib]).map((lib) => ({ name: lib, value: pick(lib, side) })),
    })),
    fmt: (v) => group(v),
  }];
}
