// In-page benchmark code, bundled by bench/build.mjs (with the peer libraries) into bench/.build/cases.js and driven
// by bench/cases.mjs through Playwright. Every case returns plain numbers; nothing here asserts anything.
// The libraries' adapters are in bench/browser-libs.js, the per-message costs in bench/browser-micro.js.
import {
  LIBS, NativeWebSocket, PartySocket, ReconnectingWebSocket, Recording, SteadySocket, WebsocketBuilder, epoch, native,
  natives, now, open, resetNatives, sleep, sockette,
} from './browser-libs.js';
import { heapPerQueued, receiveCost, sendCost } from './browser-micro.js';

const heap = () => performance.memory?.usedJSHeapSize ?? null; // Chromium only

/** Only for the flush case: counts what the library hands to the native socket, and when the last one went. */
class Counting extends Recording {
  static target = 0;
  sends = 0;
  doneAt = 0;
  openAt = 0;
  constructor(url, protocols) {
    super(url, protocols);
    this.addEventListener('open', () => (this.openAt = performance.now())); // before the library's own listener
  }
  send(data) {
    super.send(data);
    if (++this.sends === Counting.target) this.doneAt = performance.now();
  }
}

const TEXT_64 = 'x'.repeat(64);

const cases = {
  /** Send n messages as fast as send() takes them, wait for the n echoes. Warm-up round first, same socket. */
  async echo(lib, p) {
    const msg = p.size <= 64 ? TEXT_64.slice(0, p.size) : new Uint8Array(p.size).buffer;
    const c = await open(lib, p.url, { queueMax: p.n });
    const round = async (n) => {
      c.reset();
      const t0 = now();
      for (let i = 0; i < n; i++) c.sock.send(msg);
      await c.received(n);
      return now() - t0;
    };
    await round(Math.max(1, Math.floor(p.n / 10)));
    const ms = await round(p.n);
    c.sock.close();
    return { ms, perSecond: (p.n / ms) * 1000, drops: c.h.drops };
  },

  /**
   * Time to hand n small messages to send() while OPEN (to /sink). What a library still holds itself afterwards is
   * reported, not waited for: the connection is dropped right after (delivery speed is what `echo` measures).
   */
  async burstOpen(lib, p) {
    const c = await open(lib, p.url, { queueMax: p.n, defaults: p.defaults });
    for (let i = 0; i < 1000; i++) c.sock.send(TEXT_64); // warm-up
    while (native().bufferedAmount > 0 || (c.sock.lib.bufferedAmount ?? 0) > 0) await sleep(5);
    const t0 = now();
    for (let i = 0; i < p.n; i++) c.sock.send(TEXT_64);
    const handMs = now() - t0;
    const nativeBuffered = native().bufferedAmount;
    const queuedBytes = lib === 'steadysocket' ? c.sock.lib.bufferedAmount - nativeBuffered : 0;
    const result = { handMs, drops: c.h.drops, queuedBytes, nativeBuffered };
    c.sock.close(); // steadysocket drops its queue here; the others' native sockets would still send everything
    // ... so have the harness drop the connection now: otherwise the browser spends seconds sending the frames it
    // was handed, and in Chromium and WebKit even this evaluate's answer waits behind them.
    if (p.terminate) await fetch(p.terminate, { method: 'POST' }).catch(() => {});
    return result;
  },

  /**
   * n small messages sent while CONNECTING (to /sink): time for the n send() calls; then, from the native `open`,
   * until the library has handed the last one to the native socket, and until the server has all n ('done').
   */
  async burstConnecting(lib, p) {
    Counting.target = p.n;
    const c = await open(lib, p.url, { queueMax: p.n, WS: Counting, noWait: true });
    const delivered = new Promise((r) => (c.h.onDone = r));
    const t0 = now();
    for (let i = 0; i < p.n; i++) c.sock.send(TEXT_64);
    const enqueueMs = now() - t0;
    await c.isOpen;
    const end = await delivered;
    const ws = native();
    c.sock.close();
    return { enqueueMs, handMs: ws.doneAt - ws.openAt, flushMs: end - ws.openAt, sends: ws.sends, drops: c.h.drops };
  },

  /**
   * p.total bytes in p.chunk-byte binary messages to /sink through the throttled proxy; the harness answers 'done'
   * once the server has them all. steadysocket's producer waits for drained() when send() returns false; the
   * others have no flow control and are handed everything at once.
   */
  async flow(lib, p) {
    const c = await open(lib, p.url, { highWaterMark: p.highWaterMark, lowWaterMark: p.lowWaterMark });
    const finished = new Promise((r) => (c.h.onDone = r));
    const ws = native();
    globalThis.gc?.();
    const heap0 = heap();
    let peakNative = 0;
    let peakHeap = heap0 ?? 0;
    let peakQueued = 0;
    // What the native buffer holds while the producer waits: the mean of the samples taken while it is blocked.
    let waitSamples = 0;
    let waitSum = 0;
    let waiting = false;
    const sample = () => {
      const b = ws.bufferedAmount;
      if (b > peakNative) peakNative = b;
      if (waiting) {
        waitSamples++;
        waitSum += b;
      }
      const m = heap();
      if (m !== null && m > peakHeap) peakHeap = m;
      if (lib === 'steadysocket') peakQueued = Math.max(peakQueued, c.sock.lib.bufferedAmount - b);
    };
    const timer = setInterval(sample, 5);
    const t0 = now();
    const chunks = p.total / p.chunk;
    for (let i = 0; i < chunks; i++) {
      const data = new Uint8Array(p.chunk); // a fresh chunk each time, as a real producer (file, encoder) makes
      data[0] = i & 255;
      const room = c.sock.send(data);
      sample();
      if (lib === 'steadysocket' && room === false) {
        waiting = true;
        await c.sock.lib.drained();
        waiting = false;
      }
    }
    const sentMs = now() - t0;
    const end = await finished;
    clearInterval(timer);
    sample();
    c.sock.close();
    return {
      ms: end - t0, sentMs, peakNative, peakQueued, meanWaitingNative: waitSamples ? waitSum / waitSamples : null,
      peakHeapDelta: heap0 === null ? null : peakHeap - heap0,
    };
  },
};

/**
 * Reconnect latency, for several libraries at once, in two steps around the server restart the runner does: open
 * them all (each with `?lib=<name>` in its URL, so the server's log tells them apart), then wait for each one's next
 * open. They all see the same outage, which is what the comparison needs.
 */
let pending;
async function reconnectStart(libs, p) {
  resetNatives();
  const opens = Object.fromEntries(libs.map((lib) => [lib, []]));
  const socks = await Promise.all(libs.map(async (lib) => {
    const c = await open(lib, `${p.url}?lib=${encodeURIComponent(lib)}`, { ...p, keepNatives: true });
    c.h.onOpen = () => opens[lib].push(epoch());
    return [lib, c];
  }));
  pending = { socks, opens };
}
async function reconnectWait(timeoutMs) {
  const { socks, opens } = pending;
  const end = now() + timeoutMs;
  while (Object.values(opens).some((o) => !o.length) && now() < end) await sleep(2);
  const out = {};
  for (const [lib, c] of socks) {
    c.sock.close();
    const tag = `lib=${encodeURIComponent(lib)}`;
    out[lib] = { openAt: opens[lib][0] ?? null, attempts: natives.filter((ws) => ws.url.includes(tag)).length - 1 };
  }
  return out;
}

/** The smallest step performance.now() takes in this page, in µs: what the per-message timings can resolve. */
function timerTick() {
  let min = Infinity;
  for (let i = 0; i < 50; i++) {
    const a = performance.now();
    let b = a;
    while (b === a) b = performance.now();
    min = Math.min(min, b - a);
  }
  return Math.round(min * 10_000) / 10;
}

globalThis.bench = {
  ready: true,
  heapAvailable: heap() !== null,
  gcAvailable: typeof globalThis.gc === 'function',
  isolated: globalThis.crossOriginIsolated === true,
  libs: Object.keys(LIBS),
  timerTick,
  run: (name, lib, params) => cases[name](lib, params),
  reconnectStart,
  reconnectWait,
  sendCost,
  receiveCost,
  heapPerQueued,
  /** For ad-hoc experiments from the console or page.evaluate. */
  classes: { SteadySocket, ReconnectingWebSocket, PartySocket, sockette, WebsocketBuilder, Recording, NativeWebSocket },
};
