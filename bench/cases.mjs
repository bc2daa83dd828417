// Drives the in-page cases (bench/browser-cases.js) in one browser, against the shared harness. Every case runs in
// rounds; within a round each library runs once, in an order that rotates from round to round, so a drift of the
// machine, or whatever the previous run left behind, falls on every library alike. Results are raw runs, one per
// round and library (run i of every library belongs to round i); bench/stats.mjs pairs them into ratios.
import { performance } from 'node:perf_hooks';

export const LIBS = ['native', 'steadysocket', 'reconnecting-websocket', 'partysocket', 'sockette', 'websocket-ts'];
/** The peers: every library but native and steadysocket. */
export const PEERS = LIBS.slice(2);
/** Libraries with a send queue while CONNECTING (native throws, sockette passes send() to the native socket). */
export const QUEUEING = ['steadysocket', 'reconnecting-websocket', 'partysocket', 'websocket-ts'];
/** Libraries that reconnect. */
export const RECONNECTING = LIBS.slice(1);
/** The cases, in the order they run; `--case=a,b` picks some. */
export const CASES = ['perMessage', 'heap', 'echo64', 'echo64k', 'burstOpen', 'burstConnecting', 'flow', 'reconnect'];

/**
 * Sizes and rounds: the full run, and `--quick` for checking that everything works (3 rounds: its intervals are
 * the range of three ratios, 75% coverage, and say so). A round of a whole-path case
 * is one run per library; a round of perMessage is one batch per library. The full run's sizes are what fits every
 * case, with at least 6 rounds each (the fewest for which a 95% interval of a median exists without assumptions;
 * see stats.mjs), in about two minutes per browser. downMs: the outage of round r in the reconnect case is
 * downMs[r % length]: a single outage length would favour whichever schedule happens to retry just after it.
 * flowHighWaterMark: steadysocket's highWaterMark in the flow case (0: its default), for `--set` experiments.
 */
export function plan(quick) {
  if (quick) {
    return {
      rounds: { perMessage: 3, echo64: 3, echo64k: 3, burstOpen: 3, burstConnecting: 3, flow: 3, reconnect: 3 },
      micro: { sendN: 10_000, receiveN: 2000, realSmallN: 500, realLargeN: 8 }, heapN: 20_000, echoSmallN: 300, echoLargeN: 24,
      burstN: 4000, flushN: 2000, flowBytes: 4 << 20, flowBps: 64 << 20, flowHighWaterMark: 0, downMs: [100, 300], minDelayMs: 500, maxDelayMs: 10_000,
    };
  }
  return {
    rounds: { perMessage: 11, echo64: 9, echo64k: 6, burstOpen: 6, burstConnecting: 6, flow: 6, reconnect: 6 },
    micro: { sendN: 50_000, receiveN: 10_000, realSmallN: 2000, realLargeN: 16 }, heapN: 100_000, echoSmallN: 1000, echoLargeN: 64,
    burstN: 20_000, flushN: 5000, flowBytes: 12 << 20, flowBps: 64 << 20, flowHighWaterMark: 0, downMs: [300, 700, 1100], minDelayMs: 500, maxDelayMs: 10_000,
  };
}

const epochNow = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** `libs` starting at index r (mod length). */
const rotate = (libs, r) => libs.map((_, i) => libs[(i + r) % libs.length]);

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

/**
 * Runs the cases in `opts.cases` (default: all) in `page` (already on the bench page). `say` logs progress.
 * `opts.heap`: measure heap per queued
 * message (needs performance.memory and gc()); `opts.libs`: only these libraries. Returns { cases: { caseName: { lib:
 * [run...] } }, perMessage: { 'send 64': [{ lib: µs }...], ... }, heap: { lib: [bytes per message] } }.
 * @param {import('playwright-core').Page} page
 * @param {import('../harness/server/index.mjs').Harness} harness
 */
export async function runBrowserCases(page, harness, cfg, say, opts = {}) {
  const { server, proxy } = harness;
  const want = new Set(opts.cases ?? CASES);
  const only = (libs) => (opts.libs ? libs.filter((lib) => opts.libs.includes(lib)) : libs);
  const sink = sinkWatcher(server);
  const results = {};
  const out = { cases: results };
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
  const rounds = async (label, runs, all, one) => {
    const libs = only(all);
    if (!want.has(label) || !libs.length) return;
    const t0 = performance.now();
    for (let r = 0; r < runs; r++) {
      for (const lib of rotate(libs, r)) {
        try {
          keep(label, lib, { round: r, ...(await one(lib, r)) });
        } catch (e) {
          keep(label, lib, { round: r, error: String(e.message ?? e).split('\n')[0] });
          say(`  ${label} ${lib}: ${String(e.message ?? e).split('\n')[0]}`);
        }
        await settle();
      }
    }
    say(`  ${label}: ${runs} rounds in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };

  const echo = harness.directWsUrl('/echo');
  const sinkUrl = harness.directWsUrl('/sink');

  // A fresh browser runs its first sockets slower: one unrecorded round of every library first.
  for (const lib of LIBS) await inPage('echo', lib, { url: echo, n: 500, size: 64 }).catch(() => {});
  await settle();

  // 0. The JavaScript cost of one message, and of one message waiting in a queue.
  if (want.has('perMessage')) {
    const t0 = performance.now();
    const m = cfg.micro;
    const micro = (fn, p) => evaluate(([f, q]) => globalThis.bench[f](q), [fn, { url: sinkUrl, libs: only(LIBS), rounds: cfg.rounds.perMessage, ...p }]);
    out.perMessage = {};
    for (const [key, fn, p] of [
      ['send 64', 'sendCost', { size: 64, n: m.sendN }],
      ['send 64k', 'sendCost', { size: 65536, n: m.sendN }],
      ['receive 64', 'receiveCost', { size: 64, n: m.receiveN }],
      ['receive 64k', 'receiveCost', { size: 65536, n: m.receiveN }],
      ['native send 64', 'sendCost', { size: 64, n: m.realSmallN, real: true, libs: ['native'] }],
      ['native send 64k', 'sendCost', { size: 65536, n: m.realLargeN, real: true, libs: ['native'] }],
    ]) {
      try {
        out.perMessage[key] = await micro(fn, p);
      } catch (e) {
        out.perMessage[key] = { error: String(e.message ?? e).split('\n')[0] };
        say(`  perMessage ${key}: ${out.perMessage[key].error}`);
      }
      await settle();
    }
    say(`  perMessage: ${cfg.rounds.perMessage} rounds in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (want.has('heap') && opts.heap) {
    out.heap = {};
    for (const lib of only(QUEUEING)) {
      const run = await evaluate((p) => globalThis.bench.heapPerQueued(p), { url: sinkUrl, lib, n: cfg.heapN }).catch((e) => ({ error: String(e.message ?? e) }));
      out.heap[lib] = run;
      await settle();
    }
    say('  heap per queued message done');
  }

  // 1. Echo throughput.
  await rounds('echo64', cfg.rounds.echo64, LIBS, (lib) => inPage('echo', lib, { url: echo, n: cfg.echoSmallN, size: 64 }));
  await rounds('echo64k', cfg.rounds.echo64k, LIBS, (lib) => inPage('echo', lib, { url: echo, n: cfg.echoLargeN, size: 65536 }));

  // 2. Burst: hand-over while OPEN (then the connection is dropped: delivery is what case 1 measures), and the flush of
  // a queue filled while CONNECTING, timed until the server has every message.
  // The page has the harness drop the connection right after the loop (through the control API), so that the browser
  // does not go on sending what it was handed; in Chromium that request still waits about a second behind the frames.
  const terminate = `${harness.baseUrl}/control/server/terminate`;
  await rounds('burstOpen', cfg.rounds.burstOpen, LIBS, (lib) => inPage('burstOpen', lib, { url: sinkUrl, n: cfg.burstN, terminate }));
  await rounds('burstConnecting', cfg.rounds.burstConnecting, QUEUEING, (lib) => {
    sink.expect({ messages: cfg.flushN });
    return inPage('burstConnecting', lib, { url: sinkUrl, n: cfg.flushN });
  });

  // 3. Flow control through the proxy's bandwidth limit.
  proxy.throttle(cfg.flowBps);
  await rounds('flow', cfg.rounds.flow, LIBS, (lib) => {
    sink.expect({ bytes: cfg.flowBytes });
    return inPage('flow', lib, { url: harness.wsUrl('/sink'), total: cfg.flowBytes, chunk: 65536, highWaterMark: cfg.flowHighWaterMark || undefined });
  });
  proxy.pass();

  // 4. Reconnect latency: every library connected at once, the server down for downMs, then the time from "listening
  // again" to each library's `open`: one outage per round, the same for all of them.
  if (want.has('reconnect') && only(RECONNECTING).length) {
    const t0 = performance.now();
    for (let r = 0; r < cfg.rounds.reconnect; r++) {
      const libs = rotate(only(RECONNECTING), r);
      try {
        const p = { url: echo, minDelayMs: cfg.minDelayMs, maxDelayMs: cfg.maxDelayMs };
        await evaluate(([l, q]) => globalThis.bench.reconnectStart(l, q), [libs, p]);
        server.clearLog();
        const downMs = cfg.downMs[r % cfg.downMs.length];
        await server.restart(downMs);
        const back = epochNow();
        const backNode = performance.now();
        const got = await evaluate((ms) => globalThis.bench.reconnectWait(ms), 20_000);
        const upgraded = server.log().attempts.filter((a) => a.outcome === 'upgraded');
        for (const lib of libs) {
          const accepted = upgraded.find((a) => a.url.includes(`lib=${encodeURIComponent(lib)}`));
          keep('reconnect', lib, {
            round: r,
            ms: got[lib].openAt === null ? null : got[lib].openAt - back,
            serverMs: accepted ? accepted.t - backNode : null,
            attempts: got[lib].attempts,
            downMs,
          });
        }
      } catch (e) {
        for (const lib of libs) keep('reconnect', lib, { round: r, error: String(e.message ?? e).split('\n')[0] });
        say(`  reconnect: ${String(e.message ?? e).split('\n')[0]}`);
      }
      await settle();
    }
    say(`  reconnect: ${cfg.rounds.reconnect} rounds in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return out;
}
