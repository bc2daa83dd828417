// Turns the raw runs of bench/run.mjs into results.md (one Markdown table per case, ratios first) and results.svg
// (bench/chart.mjs). Every figure is the median of the runs; a run that failed is left out and counted.
// `node bench/report.mjs bench/.build/results.json [outDir]` renders them again from the raw runs of the last full run.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { drawChart } from './chart.mjs';
import { LIBS, QUEUEING, RECONNECTING } from './cases.mjs';
import { HERD_LIBS } from './herd.mjs';

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

const errors = (results, browser, name, lib) =>
  (results.browsers[browser]?.cases?.[name]?.[lib] ?? []).filter((run) => run.error).length;

/** ' ±x%': half the range of the runs, relative to the median (nothing for a single run or a zero median). */
function spreadOf(results, browser, name, lib, key, v) {
  const runs = (results.browsers[browser]?.cases?.[name]?.[lib] ?? []).map((r) => r[key]).filter(Number.isFinite);
  if (runs.length < 2 || !v) return '';
  return ` ±${Math.round(((Math.max(...runs) - Math.min(...runs)) / 2 / v) * 100)}%`;
}

const group = (n) => Math.round(n).toLocaleString('en-US');
export const fmt = {
  rate: (v) => `${group(v)}/s`,
  ms: (v) => (v < 10 ? `${v.toFixed(1)} ms` : `${group(v)} ms`),
  mib: (v) => `${(v / 2 ** 20).toFixed(v < 2 ** 20 ? 2 : 1)} MiB`,
  bytes: (v) => `${group(v)} B`,
  count: (v) => group(v),
};

function mdTable(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map((_, i) => (i ? '---:' : ':---'))), ...rows.map(line)].join('\n');
}

/**
 * One row per library; for each browser, one column per metric. metric: { key, label, fmt, base?: lib to divide
 * by (ratio shown first), only?: browser names, extra?: (browser, lib) => text appended to the cell }.
 */
function caseTable(results, name, libs, metrics) {
  const browsers = Object.keys(results.browsers);
  const columns = browsers.flatMap((b) => metrics.filter((m) => !m.only || m.only.includes(b)).map((m) => ({ b, m })));
  const headers = ['library', ...columns.map(({ b, m }) => [BROWSER_NAMES[b] ?? b, m.label].filter(Boolean).join(' '))];
  const rows = libs.map((lib) => [
    `\`${lib}\``,
    ...columns.map(({ b, m }) => {
      if (results.browsers[b]?.error) return 'browser failed';
      const v = med(results, b, name, lib, m.key);
      const failed = errors(results, b, name, lib);
      if (v === null) return failed ? `failed (${failed} runs)` : 'n/a';
      const base = m.base && med(results, b, name, m.base, m.key);
      const ratio = base ? `**${(v / base).toFixed(2)}×** ` : '';
      const spread = m.spread === false ? '' : spreadOf(results, b, name, lib, m.key, v);
      return `${ratio}${m.fmt(v)}${spread}${m.extra?.(b, lib) ?? ''}${failed ? ` (${failed} failed)` : ''}`;
    }),
  ]);
  return mdTable(headers, rows);
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

function sizeTable(sizes) {
  const ours = sizes.find((s) => s.entry === 'steadysocket');
  return mdTable(['entry (as an app imports it)', 'minified', 'gzip -9', 'brotli 11', 'gzip vs `steadysocket`'],
    sizes.map((s) => [`\`${s.entry}\``, fmt.bytes(s.minBytes), fmt.bytes(s.gzipBytes), fmt.bytes(s.brotliBytes),
      `**${(s.gzipBytes / ours.gzipBytes).toFixed(2)}×**`]));
}

const mib = (bytes) => `${+(bytes / 2 ** 20).toFixed(2)} MiB`;

export function renderMarkdown(r) {
  const c = r.config;
  const b = Object.keys(r.browsers);
  const versions = b.map((name) => `${BROWSER_NAMES[name] ?? name} ${r.browsers[name].version ?? '?'}${r.browsers[name].error ? ' (failed to run)' : ''}`);
  const linkMs = (c.flowBytes / c.flowBps) * 1000;
  const linkPct = (browser, lib) => {
    const v = med(r, browser, 'flow', lib, 'ms');
    return v ? ` (${Math.round((linkMs / v) * 100)}% of link)` : '';
  };
  const queued = (browser, lib) => {
    const v = med(r, browser, 'burstOpen', lib, 'queuedBytes');
    return lib === 'steadysocket' && v ? `, ${mib(v)} left in its queue` : '';
  };
  const out = [];
  out.push(`# Benchmarks: steadysocket vs. the native WebSocket and its peers

Generated by \`npm run bench${r.quick ? ' -- --quick' : ''}\` on ${r.date.slice(0, 10)}; the run took ${Math.floor(r.durationS / 60)} min ${Math.round(r.durationS % 60)} s.${r.quick ? ' **Quick run: small N, one run per figure; for checking only.**' : ''}

- **Machine:** ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB; ${r.machine.os}; Node ${r.machine.node}; Playwright ${r.machine.playwright}.
- **Browsers:** ${versions.join('; ')}. Each runs headless (WebKitGTK's MiniBrowser under Xvfb), driven by Playwright as the e2e suite does.
- **Server:** the e2e harness (\`e2e/harness\`, Node \`ws\`) on loopback, in the runner's process: \`/echo\` echoes, \`/sink\` only counts; its proxy's \`throttle()\` limits case 3.
- **Runs:** every figure is the **median** of ${c.runs.echo} runs (case 1), ${c.runs.burstOpen} (case 2, OPEN), ${c.runs.burstConnecting} (case 2, CONNECTING), ${c.runs.flow} (case 3), ${c.runs.reconnect} (case 4) and ${c.herd.runs} (herd); sizes are exact. A median of 2 is their mean. ±x% after a figure is half the range of its runs, relative to it: differences smaller than that are noise. Libraries take turns within each round.
- **Ratios** (bold, first) are library ÷ native: above 1 is better for rates, below 1 is better for times. Where the native socket cannot take part they are ÷ \`steadysocket\`.
- **Versions:** steadysocket from \`dist/\` (this checkout), reconnecting-websocket 4.4.0, partysocket 1.3.0 (its \`WebSocket\` export, the reconnecting socket), sockette 2.0.6. Every library is handed the same native class (a subclass of the browser's \`WebSocket\` that records its instances) through its \`WebSocket\` option, or for sockette through the global; \`binaryType\` is \`'arraybuffer'\` everywhere.
`);

  out.push(`## 1. Echo throughput (messages/s, higher is better)

Send N messages back to back (ignoring \`send()\`'s return value), wait for the N echoes; a warm-up round of N/10 on the same connection first. steadysocket runs with a queue large enough for the whole burst (\`queue: { maxMessages: max(10000, N), maxBytes: 1 GiB }\`): with its defaults a burst over 100,000 messages or 16 MiB drops even while OPEN (see case 2).

**64-byte text messages, N = ${group(c.echoSmallN)}:**

${caseTable(r, 'echo64', LIBS, [{ key: 'perSecond', fmt: fmt.rate, base: 'native' }])}

**64 KiB binary messages, N = ${group(c.echoLargeN)} (${mib(c.echoLargeN * 65536)} each way):**

${caseTable(r, 'echo64k', LIBS, [{ key: 'perSecond', fmt: fmt.rate, base: 'native' }])}
`);

  out.push(`## 2. Burst send (ms, lower is better)

**Hand ${group(c.burstN)} × 64 B to \`send()\` while OPEN** (to \`/sink\`; the loop alone, after a 1,000-message warm-up). Above its \`highWaterMark\` (1 MiB of native \`bufferedAmount\`) steadysocket stops handing messages to the browser and keeps them in its own queue, so its loop does less work; what it still holds afterwards is shown. The connection is dropped after the loop (delivery speed is case 1).

${caseTable(r, 'burstOpen', LIBS, [{ key: 'handMs', fmt: fmt.ms, base: 'native', extra: queued }])}

With its **default** queue limits (100,000 messages / 16 MiB, \`'drop-oldest'\`) the same burst made steadysocket drop ${b.map((name) => `${group(med(r, name, 'burstOpenDefaults', 'steadysocket', 'drops') ?? NaN)} (${BROWSER_NAMES[name] ?? name})`).join(', ')} of ${group(c.burstN)} messages (each reported by a \`drop\` event); the native socket buffers them all.

**Flush ${group(c.burstN)} × 64 B queued while CONNECTING**: the \`send()\` calls, then, from the native \`open\`, until the library has handed the last message to the native socket, and until the server has received all of them. Native: n/a (\`send()\` throws \`InvalidStateError\` while CONNECTING); sockette: n/a (no queue, its \`send()\` is the native one). reconnecting-websocket and partysocket (\`maxEnqueuedMessages: ${group(c.burstN)}\`; unbounded by default, beyond the limit they drop the newest silently) keep an array and hand all of it to the native socket in one loop on \`open\`, before their \`open\` listeners run. steadysocket (\`queue.maxMessages: ${group(c.burstN)}\`) flushes after the \`open\` listeners and \`handshake\`, only while the native \`bufferedAmount\` is under its \`highWaterMark\`, polling the buffer for the rest. Ratios ÷ steadysocket.

${caseTable(r, 'burstConnecting', QUEUEING, [
    { key: 'flushMs', label: 'delivered', fmt: fmt.ms, base: 'steadysocket' },
    { key: 'handMs', label: 'handed over', fmt: fmt.ms },
    { key: 'enqueueMs', label: 'send() calls', fmt: fmt.ms },
  ])}
`);

  out.push(`## 3. Flow control: ${mib(c.flowBytes)} through a ${mib(c.flowBps)}/s link

${group(c.flowBytes / 65536)} binary messages of 64 KiB, each a freshly allocated chunk, to \`/sink\` through the harness proxy throttled to ${mib(c.flowBps)}/s (browser → server), so the ideal time is ${group(linkMs)} ms. steadysocket's producer awaits \`drained()\` whenever \`send()\` returns \`false\` (defaults: \`highWaterMark\` 1 MiB, \`lowWaterMark\` 768 KiB); the others have no flow control, so their producer is the naive loop that hands everything over at once. Peak native \`bufferedAmount\` is sampled after every \`send()\` and every 5 ms from the native socket itself (for steadysocket its \`bufferedAmount\` would include its own queue; that part is the "queue" column). Peak JS heap is \`performance.memory.usedJSHeapSize\` above the level after a forced GC, Chromium only (n/a elsewhere); the browser's own send buffer is outside the JS heap.

${caseTable(r, 'flow', LIBS, [
    { key: 'ms', label: 'time', fmt: fmt.ms, base: 'native', extra: linkPct },
    { key: 'peakNative', label: 'peak native buffered', fmt: fmt.mib, spread: false },
    { key: 'peakQueued', label: 'peak in SDK queue', fmt: fmt.mib, only: ['chromium'], spread: false },
    { key: 'peakHeapDelta', label: 'peak JS heap Δ', fmt: fmt.mib, only: ['chromium'], spread: false },
  ])}
`);

  out.push(`## 4. Reconnect latency (ms, lower is better)

The server (direct, no proxy) goes down (\`restart(downMs)\`: every connection dropped, port closed) for ${c.downMs.join(', ')} ms in rounds 1, 2, 3… (the same outages for every library: one fixed outage would favour whichever schedule retries just after it), then listens again; the figure is the time from "listening again" to the library's \`open\` event (page clock vs. runner clock, both \`performance.timeOrigin + now()\`). Backoff, set alike: steadysocket \`reconnect: { initialDelayMs: ${c.minDelayMs}, maxDelayMs: ${c.maxDelayMs} }\` (factor 2, jitter 0.5: retry *n* waits ${c.minDelayMs / 2}–${c.minDelayMs} × 2^(n−1) ms); reconnecting-websocket and partysocket \`minReconnectionDelay: ${c.minDelayMs}, maxReconnectionDelay: ${c.maxDelayMs}\` (factor 1.3, no jitter); sockette \`timeout: ${c.minDelayMs}\` (fixed delay). The figure mostly reflects where each schedule's next attempt falls after the server is back, not the libraries' speed. Native: n/a (never reconnects). Ratios ÷ steadysocket.

${caseTable(r, 'reconnect', RECONNECTING, [{ key: 'ms', fmt: fmt.ms, base: 'steadysocket' }])}
`);

  if (r.herd) {
    out.push(`### Thundering herd (Node)

${group(c.herd.clients)} real instances of each library in one Node process (\`ws\` as their \`WebSocket\`, sockette through the global), all connected to the harness's server, which then restarts (down ~0 ms). **Scheduled**: when each client's first retry was due, i.e. the delay the library's own code passed to \`setTimeout\` when its connection dropped, as if every client lost the server at the same instant (separate machines do). **Accepted**: when the server really accepted each client's first retry; in one process the drops arrive one after another and the handshakes share one event loop, which spreads even a herd with no jitter over a few hundred ms. Max = most clients in any 100 ms window; mean = clients per 100 ms over the whole spread. Same backoff settings as above; "(defaults)" rows use each library's defaults (reconnecting-websocket draws \`minReconnectionDelay\` = 1–5 s once per module load, so each client loads its own copy of the module, as separate pages would).

${herdTable(r.herd)}
`);
  }

  if (r.sizes) {
    out.push(`## 5. Size (bytes, lower is better)

Each entry bundled and minified by Rolldown exactly as \`npm run size\` (\`scripts/size.mjs\`, its \`minified()\`) does, then gzip -9 and brotli quality 11. \`steadysocket/json\` alone shares a small chunk with the core entry and bundles \`mitt\`; an app using it also imports the core. Ratios ÷ \`steadysocket\`.

${sizeTable(r.sizes)}
`);
  }
  return out.join('\n');
}

/**
 * The short version for the README: per case and browser, steadysocket's figure, its ratio to the reference (native,
 * or the best peer where native can't take part) and the range of the peers' ratios; then the herd and the sizes.
 */
export function renderSummary(r) {
  const c = r.config;
  const browsers = Object.keys(r.browsers);
  const PEERS = ['reconnecting-websocket', 'partysocket', 'sockette'];
  const ratio = (v) => `${v.toFixed(2)}×`;
  const range = (values) => {
    const v = values.filter(Number.isFinite).sort((x, y) => x - y);
    if (!v.length) return 'n/a';
    return v.length === 1 || v[0].toFixed(2) === v.at(-1).toFixed(2) ? ratio(v[0]) : `${ratio(v[0])}–${ratio(v.at(-1))}`;
  };
  /** A row against native: steadysocket's value and ratio, and the peers' ratios. */
  const vsNative = (label, name, key, format) => [label, ...browsers.map((b) => {
    const base = med(r, b, name, 'native', key);
    const ours = med(r, b, name, 'steadysocket', key);
    if (!base || ours === null) return 'n/a';
    return `**${ratio(ours / base)}** (${format(ours)}); peers ${range(PEERS.map((p) => med(r, b, name, p, key) / base))}`;
  })];
  /** A row without native: steadysocket's value, and each peer's value as a ratio to it. */
  const vsOurs = (label, name, key, format, peers) => [label, ...browsers.map((b) => {
    const ours = med(r, b, name, 'steadysocket', key);
    if (ours === null) return 'n/a';
    return `**${format(ours)}**; peers ${range(peers.map((p) => med(r, b, name, p, key) / ours))} of it`;
  })];
  const rows = [
    vsNative(`echo 64 B (msg/s, higher is better)`, 'echo64', 'perSecond', fmt.rate),
    vsNative(`echo 64 KiB (msg/s, higher is better)`, 'echo64k', 'perSecond', fmt.rate),
    vsNative(`${group(c.burstN)} \`send()\` calls while OPEN (ms, lower is better)`, 'burstOpen', 'handMs', fmt.ms),
    vsOurs(`${group(c.burstN)} queued while CONNECTING, until delivered (ms)`, 'burstConnecting', 'flushMs', fmt.ms, ['reconnecting-websocket', 'partysocket']),
    vsNative(`${mib(c.flowBytes)} at ${mib(c.flowBps)}/s, total time (ms, lower is better)`, 'flow', 'ms', fmt.ms),
    [`${mib(c.flowBytes)} at ${mib(c.flowBps)}/s, peak native \`bufferedAmount\``, ...browsers.map((b) =>
      `**${fmt.mib(med(r, b, 'flow', 'steadysocket', 'peakNative') ?? NaN)}**; native and peers ${fmt.mib(med(r, b, 'flow', 'native', 'peakNative') ?? NaN)}`)],
    vsOurs('server back → `open` (ms, lower is better)', 'reconnect', 'ms', fmt.ms, PEERS),
  ];
  const headers = ['case', ...browsers.map((b) => BROWSER_NAMES[b] ?? b)];
  const out = [`In bold, steadysocket's figure ÷ the native \`WebSocket\`'s (its own figure in brackets), then the range of the three peers' ratios to native; where native can't take part, steadysocket's figure and the peers' ratios to it.`, mdTable(headers, rows)];
  if (r.herd) {
    const herd = (lib) => {
      const pick = (key) => median((r.herd[lib] ?? []).map((run) => run.policy?.[key]));
      return `${lib} ${group(pick('max'))} (${group(pick('firstMs'))}–${group(pick('lastMs'))} ms)`;
    };
    out.push(`Thundering herd, ${group(c.herd.clients)} clients losing the server at once: most first retries scheduled in any 100 ms (and their spread): ${['steadysocket', 'reconnecting-websocket', 'partysocket', 'sockette'].map(herd).join(', ')}.`);
  }
  if (r.sizes) {
    out.push(`Size, minified + gzip -9: ${r.sizes.map((s) => `\`${s.entry}\` ${fmt.bytes(s.gzipBytes)}`).join(', ')}.`);
  }
  return `Run of ${r.date.slice(0, 10)}: ${browsers.map((b) => `${BROWSER_NAMES[b] ?? b} ${r.browsers[b].version ?? '?'}`).join(', ')}; ${r.machine.cores} cores; medians of 2-3 runs.\n\n${out.join('\n\n')}\n`;
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

/** Writes results.md and results.svg into `dir` (and, for a full run, the README's summary); returns what it wrote. */
export function writeReport(results, dir) {
  const md = join(dir, 'results.md');
  const svg = join(dir, 'results.svg');
  writeFileSync(md, renderMarkdown(results));
  writeFileSync(svg, drawChart(results));
  const written = [md, svg];
  const readme = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
  if (!results.quick && Object.keys(results.browsers).length === 3 && updateReadme(readme, renderSummary(results))) written.push(readme);
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [json, dir] = process.argv.slice(2);
  console.log(writeReport(JSON.parse(readFileSync(json, 'utf8')), dir ?? dirname(resolve(json))).join('\n'));
}
