// The README's summary of a full run (between the bench:summary markers): per case and browser, steadysocket's
// ratio with its 95% interval, stated as a difference only where the interval excludes 1.00, and what the peers
// show on the same terms; then the per-message costs, the herd (bench/herd-report.mjs) and the sizes.
import { readFileSync, writeFileSync } from 'node:fs';
import { herdSummary } from './herd-report.mjs';
import { PEERS, perMessageCI, RATIOS } from './metrics.mjs';
import { BROWSER_NAMES, fmt, group, med, ratioCI, side } from './stats.mjs';
import { mdTable } from './tables.mjs';

const mib = (bytes) => `${+(bytes / 2 ** 20).toFixed(2)} MiB`;
const x = (v) => `${v.toFixed(2)}×`;

/** steadysocket's cell: a difference in bold where the interval excludes 1.00, else "no measurable difference". */
function oursCell(ci) {
  if (!ci) return 'n/a';
  const interval = `${x(ci.lo)}–${x(ci.hi)}`;
  return side(ci) ? `**${x(ci.median)}** (${interval})` : `no measurable difference (${x(ci.median)}, ${interval})`;
}

/** The peers on the same terms: those whose interval excludes 1.00, by name; the rest counted. */
function peersCell(cis) {
  const known = cis.filter(([, ci]) => ci);
  const differ = known.filter(([, ci]) => side(ci));
  const same = known.length - differ.length;
  const parts = differ.map(([lib, ci]) => `${lib} ${x(ci.median)} (${x(ci.lo)}–${x(ci.hi)})`);
  if (same) parts.push(`${same === known.length ? 'all' : same} no measurable difference`);
  return parts.length ? `; peers: ${parts.join(', ')}` : '';
}

export function renderSummary(r) {
  const c = r.config;
  const browsers = Object.keys(r.browsers);
  const ratioRow = (label, id) => {
    const m = RATIOS.find((q) => q.id === id);
    return [label, ...browsers.map((b) => {
      const ours = m.base === 'steadysocket' ? null : ratioCI(r, b, m.case, 'steadysocket', m.base, m.key, m.invert);
      const peers = m.libs.filter((lib) => lib !== 'steadysocket').map((lib) => [lib, ratioCI(r, b, m.case, lib, m.base, m.key, m.invert)]);
      if (m.base === 'steadysocket') {
        const own = med(r, b, m.case, 'steadysocket', m.key);
        return own === null ? 'n/a' : `${fmt.ms(own)}${peersCell(peers).replace(/^; peers: /, '; peers ÷ it: ')}`;
      }
      return `${oursCell(ours)}${peersCell(peers)}`;
    })];
  };
  const usRow = (label, id) => [label, ...browsers.map((b) => {
    const added = perMessageCI(r, b, id, 'steadysocket');
    const own = perMessageCI(r, b, id.startsWith('send') ? `native ${id}` : id, 'native');
    if (!added) return 'n/a';
    return `**+${added.median.toFixed(2)} µs** (${added.lo.toFixed(2)} to ${added.hi.toFixed(2)}); native's own ${own ? fmt.us(own.median) : 'n/a'}`;
  })];
  const linkMs = (c.flowBytes / c.flowBps) * 1000;
  const rows = [
    usRow('JS added to one `send()`, 64 B text', 'send 64'),
    usRow('JS added to one received message, 64 B text', 'receive 64'),
    ratioRow(`echo 64 B, messages/s ÷ native (N = ${group(c.echoSmallN)})`, 'echo64'),
    ratioRow(`echo 64 KiB, messages/s ÷ native (N = ${group(c.echoLargeN)})`, 'echo64k'),
    ratioRow(`${group(c.burstN)} \`send()\` calls while OPEN, time ÷ native`, 'burstOpen'),
    ratioRow(`${group(c.flushN)} queued while CONNECTING, time until delivered (peers ÷ steadysocket)`, 'flush'),
    ratioRow(`${mib(c.flowBytes)} at ${mib(c.flowBps)}/s, link use ÷ native's`, 'flow'),
    [`same, native \`bufferedAmount\`: peak / while the producer waits`, ...browsers.map((b) => {
      const peak = med(r, b, 'flow', 'steadysocket', 'peakNative');
      const waiting = med(r, b, 'flow', 'steadysocket', 'meanWaitingNative');
      const native = med(r, b, 'flow', 'native', 'ms');
      return peak === null ? 'n/a' : `**${fmt.mib(peak)}** / ${waiting === null ? 'n/a' : fmt.mib(waiting)}; native ${fmt.mib(med(r, b, 'flow', 'native', 'peakNative') ?? NaN)} (it used ${native ? Math.round((linkMs / native) * 100) : '?'}% of the link)`;
    })],
    ratioRow('server back → `open`, time (peers ÷ steadysocket)', 'reconnect'),
  ];
  const heap = r.browsers.chromium?.heap;
  const out = [
    `Ratios are medians of per-round ratios with their 95% intervals; a difference is stated only where the interval excludes 1.00. Per-message costs: what steadysocket's JavaScript adds over the native socket, median µs with the 95% interval. ${PEERS.join(', ')} are the peers.`,
    mdTable(['case', ...browsers.map((b) => BROWSER_NAMES[b] ?? b)], rows),
  ];
  if (heap?.steadysocket?.bytesPerMessage != null) {
    out.push(`Heap per message waiting in the queue (Chromium): steadysocket ${heap.steadysocket.bytesPerMessage.toFixed(0)} B, ${PEERS.filter((p) => heap[p]?.bytesPerMessage != null).map((p) => `${p} ${heap[p].bytesPerMessage.toFixed(0)} B`).join(', ')}.`);
  }
  if (r.herd) out.push(herdSummary(r));
  if (r.sizes) out.push(`Size, minified + gzip -9: ${r.sizes.map((s) => `\`${s.entry}\` ${fmt.bytes(s.gzipBytes)}`).join(', ')}.`);
  const rounds = [...new Set(Object.values(c.rounds))].sort((a, b) => a - b);
  return `Run of ${r.date.slice(0, 10)}: ${browsers.map((b) => `${BROWSER_NAMES[b] ?? b} ${r.browsers[b].version ?? '?'}`).join(', ')}; ${r.machine.cores} cores; ${rounds[0]}-${rounds.at(-1)} interleaved rounds per case; the run took ${Math.floor(r.durationS / 60)} min ${Math.round(r.durationS % 60)} s.\n\n${out.join('\n\n')}\n`;
}

const START = '<!-- bench:summary:start (written by npm run bench) -->';
const END = '<!-- bench:summary:end -->';

/** Replaces the summary between the markers in `readme` (a path); returns whether it did. */
export function updateReadme(readme, summary) {
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) return false;
  writeFileSync(readme, `${text.slice(0, from + START.length)}\n${summary}${text.slice(to)}`);
  return true;
}
