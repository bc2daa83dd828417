// Drives the in-page cases (bench/browser-cases.js) in one browser, against the shared harness. Libraries take turns
// within each round (round-robin), so a slow drift of the machine spreads over all of them instead of one.
// Results are raw runs; bench/report.mjs takes the medians.
import { performance } from 'node:perf_hooks';

export const LIBS = ['native', 'steadysocket', 'reconnecting-websocket', 'partysocket', 'sockette'];
/** Libraries with a send queue while CONNECTING (native throws, sockette passes send() to the native socket). */
export const QUEUEING = ['steadysocket', 'reconnecting-websocket', 'partysocket'];
/** Libraries that reconnect. */
export const RECONNECTING = ['steadysocket', 'reconnecting-websocket', 'partysocket', 'sockette'];

/**
 * Sizes and run counts: the full run, and `--quick` for checking that everything works. downMs: the outage of round r
 * in case 4 is downMs[r % length], the same for every library: a single outage length would favour whichever
 * schedule happens to retry just after it.
 */
export function plan(quick) {
  return quick
    ? { runs: { echo: 1, burstOpen: 1, burstConnecting: 1, flow: 1, reconnect: 1 }, echoSmallN: 1000, echoLargeN: 32,
      burstN: 10_000, flowBytes: 8 << 20, flowBps: 64 << 20, downMs: [700], minDelayMs: 500, maxDelayMs: 10_000 }
    // The 100,000-message flush and the 64 MiB transfer take 5-10 s a run in Chromium and WebKit, bound by the
    // browser's own pipeline (their runs differ by a few %): two runs each keep the whole run under 10 minutes.
    : { runs: { echo: 3, burstOpen: 3, burstConnecting: 2, flow: 2, reconnect: 3 }, echoSmallN: 5000, echoLargeN: 128,
      burstN: 100_000, flowBytes: 64 << 20, flowBps: 64 << 20, downMs: [300, 700, 1100], minDelayMs: 500, maxDelayMs: 10_000 };
}

const epochNow = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Answers 'done' on a /sink connection once the server has received `goal.messages` messages or `goal.bytes` bytes
 * on it, so the page can time delivery (not just hand-over) with its own clock.
 */
function sinkWatcher(server) {
  const sinks = new Set();
  const seen = new Map();
  let goal = null;
  server.on('connection', (id, url) => url.startsWith('/sink') && sinks.add(id));
  server.on('message', (id, msg) => {
    if (!goal || !sinks.has(id)) return;
    const c = seen.get(id) ?? { n: 0, bytes: 0, done: false };
    seen.set(id, c);
    c.n++;
    c.bytes += msg.kind === 'text' ? Buffer.byteLength(msg.data) : msg.bytes;
    if (!c.done && (goal.messages ? c.n >= goal.messages : c.bytes >= goal.bytes)) {
      c.done = true;
      server.send(id, 'done');
    }
  });
  return {
    expect(g) {
      goal = g;
      seen.clear();
    },
  };
}

/** The JSON results pages send on a `/sink?result` connection (bench.start() in browser-cases.js), in order. */
function resultWatcher(server) {
  const ids = new Set();
  const waiting = [];
  server.on('connection', (id, url) => url.includes('?result') && ids.add(id));
  server.on('message', (id, msg) => {
    if (ids.has(id) && msg.kind === 'text') waiting.shift()?.(JSON.parse(msg.data));
  });
  return {
    next: (ms) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms);
      waiting.push((r) => {
        clearTimeout(timer);
        if (r.error) reject(new Error(r.error));
        else resolve(r);
      });
    }),
  };
}

/**
 * Runs every case in `page` (already on the bench page). `say` logs progress. `opts.freshPages`: run the OPEN burst in
 * a new tab each time (Chromium). Returns { caseName: { lib: [run...] } }.
 * @param {import('playwright-core').Page} page
 * @param {import('../harness/server/index.mjs').Harness} harness
 */
export async function runBrowserCases(page, harness, cfg, say, opts = {}) {
  const { server, proxy } = harness;
  const sink = sinkWatcher(server);
  const results = {};
  const keep = (name, lib, value) => ((results[name] ??= {})[lib] ??= []).push(value);
  const evaluate = (fn, arg) => page.evaluate(fn, arg);
  /** After every run: forget the log (it would grow to millions of records) and drop whatever is still open. */
  const settle = async () => {
    server.terminateAll();
    server.clearLog();
    proxy.clearLog();
    await sleep(20);
  };
  const inPage = (name, lib, params) => evaluate(([n, l, p]) => globalThis.bench.run(n, l, p), [name, lib, params]);
  const rounds = async (label, runs, libs, one) => {
    for (let r = 0; r < runs; r++) {
      for (const lib of libs) {
        try {
          keep(label, lib, await one(lib, r));
        } catch (e) {
          keep(label, lib, { error: String(e.message ?? e).split('\n')[0] });
          say(`  ${label} ${lib}: ${String(e.message ?? e).split('\n')[0]}`);
        }
        await settle();
      }
    }
    say(`  ${label} done`);
  };

  const results$ = resultWatcher(server);
  const inFreshPage = async (name, lib, params) => {
    const tab = await page.context().newPage();
    try {
      await tab.goto(page.url());
      await tab.waitForFunction(() => globalThis.bench?.ready);
      const result = results$.next(60_000);
      const p = { ...params, resultUrl: harness.directWsUrl('/sink?result') };
      await tab.evaluate(([n, l, q]) => globalThis.bench.start(n, l, q), [name, lib, p]);
      return await result;
    } finally {
      await tab.close({ runBeforeUnload: false }).catch(() => {});
    }
  };

  const echo = harness.directWsUrl('/echo');
  const sinkUrl = harness.directWsUrl('/sink');

  // A fresh browser runs its first sockets slower: one unrecorded round of every library first.
  for (const lib of LIBS) await inPage('echo', lib, { url: echo, n: 500, size: 64 }).catch(() => {});
  await settle();

  // 1. Echo throughput.
  await rounds('echo64', cfg.runs.echo, LIBS, (lib) => inPage('echo', lib, { url: echo, n: cfg.echoSmallN, size: 64 }));
  await rounds('echo64k', cfg.runs.echo, LIBS, (lib) => inPage('echo', lib, { url: echo, n: cfg.echoLargeN, size: 65536 }));

  // 2. Burst: hand-over while OPEN (then the connection is dropped: delivery is what case 1 measures), and the flush of
  // a queue filled while CONNECTING, timed until the server has every message.
  // Chromium: each run in a fresh tab, closed as soon as the result is in (see start() in browser-cases.js). WebKitGTK
  // has one tab, and Firefox gets no faster that way: there the connection is dropped through the control API.
  const terminate = `${harness.baseUrl}/control/server/terminate`;
  const burstOpen = (lib, p) => (opts.freshPages ? inFreshPage('burstOpen', lib, p) : inPage('burstOpen', lib, { ...p, terminate }));
  await rounds('burstOpen', cfg.runs.burstOpen, LIBS, (lib) => burstOpen(lib, { url: sinkUrl, n: cfg.burstN }));
  await rounds('burstOpenDefaults', 1, ['steadysocket'], (lib) => burstOpen(lib, { url: sinkUrl, n: cfg.burstN, defaults: true }));
  await rounds('burstConnecting', cfg.runs.burstConnecting, QUEUEING, (lib) => {
    sink.expect({ messages: cfg.burstN });
    return inPage('burstConnecting', lib, { url: sinkUrl, n: cfg.burstN });
  });

  // 3. Flow control through the proxy's bandwidth limit.
  proxy.throttle(cfg.flowBps);
  await rounds('flow', cfg.runs.flow, LIBS, (lib) => {
    sink.expect({ bytes: cfg.flowBytes });
    return inPage('flow', lib, { url: harness.wsUrl('/sink'), total: cfg.flowBytes, chunk: 65536 });
  });
  proxy.pass();

  // 4. Reconnect latency: server down for downMs, then time from "listening again" to the library's `open`.
  await rounds('reconnect', cfg.runs.reconnect, RECONNECTING, async (lib, round) => {
    const p = { url: echo, minDelayMs: cfg.minDelayMs, maxDelayMs: cfg.maxDelayMs };
    await evaluate(([l, q]) => globalThis.bench.reconnectStart(l, q), [lib, p]);
    server.clearLog();
    const downMs = cfg.downMs[round % cfg.downMs.length];
    await server.restart(downMs);
    const back = epochNow();
    const backNode = performance.now();
    const r = await evaluate((ms) => globalThis.bench.reconnectWait(ms), 20_000);
    const accepted = server.log().attempts.find((a) => a.outcome === 'upgraded');
    return {
      ms: r.openAt === null ? null : r.openAt - back,
      serverMs: accepted ? accepted.t - backNode : null,
      attempts: r.attempts,
      downMs,
    };
  });
  return results;
}
