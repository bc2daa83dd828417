// In-page benchmark code, bundled by bench/build.mjs (with the four libraries) into bench/.build/cases.js and driven
// by bench/cases.mjs through Playwright. Every case returns plain numbers; nothing here asserts anything.
//
// Every library gets the same native class, `Recording` (a subclass of the browser's WebSocket that only remembers
// its instances and sets binaryType 'arraybuffer'), through its `WebSocket` option, or for sockette, which has none,
// through the global it reads. So the benchmark can always reach the native socket a library is using.
import { SteadySocket } from '../dist/steadysocket.js';
import ReconnectingWebSocket from 'reconnecting-websocket';
import { WebSocket as PartySocket } from 'partysocket';
import sockette from 'sockette';

const NativeWebSocket = globalThis.WebSocket;
/** Native sockets created by the current case, oldest first. */
let natives = [];
class Recording extends NativeWebSocket {
  constructor(url, protocols) {
    super(url, protocols);
    this.binaryType = 'arraybuffer';
    natives.push(this);
  }
}
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
globalThis.WebSocket = Recording; // sockette calls `new WebSocket(...)`

const now = () => performance.now();
const epoch = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const heap = () => performance.memory?.usedJSHeapSize ?? null; // Chromium only
const native = () => natives[natives.length - 1];

/**
 * The libraries behind one interface. `cfg`: { WS, queueMax, minDelayMs, maxDelayMs, defaults }; `h`: { message(e), open() }.
 * Each returns { send(data) -> return value of the library's send, close(), lib } (lib: the library's own object).
 */
const LIBS = {
  native: {
    create(url, cfg, h) {
      const ws = new cfg.WS(url);
      ws.addEventListener('open', h.open);
      ws.addEventListener('message', h.message);
      return { lib: ws, send: (d) => ws.send(d), close: () => ws.close() };
    },
  },
  steadysocket: {
    create(url, cfg, h) {
      const options = cfg.defaults ? { WebSocket: cfg.WS } : {
        WebSocket: cfg.WS,
        queue: { maxMessages: Math.max(10_000, cfg.queueMax), maxBytes: 1 << 30 },
        reconnect: { initialDelayMs: cfg.minDelayMs, maxDelayMs: cfg.maxDelayMs },
      };
      const s = new SteadySocket(url, undefined, options);
      s.binaryType = 'arraybuffer';
      s.addEventListener('open', h.open);
      s.addEventListener('message', h.message);
      s.addEventListener('drop', () => h.drops++);
      return { lib: s, send: (d) => s.send(d), close: () => s.close() };
    },
  },
  'reconnecting-websocket': { create: (url, cfg, h) => rwsLike(ReconnectingWebSocket, url, cfg, h) },
  partysocket: { create: (url, cfg, h) => rwsLike(PartySocket, url, cfg, h) },
  sockette: {
    create(url, cfg, h) {
      globalThis.WebSocket = cfg.WS;
      const s = sockette(url, { timeout: cfg.minDelayMs, maxAttempts: Infinity, onopen: h.open, onmessage: h.message });
      return { lib: s, send: (d) => s.send(d), close: () => s.close() };
    },
  },
};

/** reconnecting-websocket and partysocket (a fork of it) take the same options. */
function rwsLike(Class, url, cfg, h) {
  const s = new Class(url, undefined, {
    WebSocket: cfg.WS,
    maxEnqueuedMessages: cfg.queueMax,
    minReconnectionDelay: cfg.minDelayMs,
    maxReconnectionDelay: cfg.maxDelayMs,
  });
  s.binaryType = 'arraybuffer';
  s.addEventListener('open', h.open);
  s.addEventListener('message', h.message);
  return { lib: s, send: (d) => s.send(d), close: () => s.close() };
}

/** Opens `lib`; resolves { sock, h, received(n) } once open. `received(n)` resolves when n messages have arrived. */
async function open(lib, url, cfg = {}) {
  natives = [];
  let count = 0;
  let want = Infinity;
  let wake = () => {};
  let opened;
  const isOpen = new Promise((r) => (opened = r));
  const h = {
    drops: 0,
    bytes: 0,
    onOpen: () => opened(),
    onDone: () => {},
    open: () => h.onOpen(),
    message: (e) => {
      const d = e.data;
      if (d === 'done') return h.onDone(now());
      h.bytes += typeof d === 'string' ? d.length : d.byteLength;
      if (++count >= want) wake();
    },
  };
  const full = { WS: Recording, queueMax: 10_000, minDelayMs: 500, maxDelayMs: 10_000, ...cfg };
  const sock = LIBS[lib].create(url, full, h);
  if (!cfg.noWait) await isOpen;
  const received = (n) => (count >= n ? Promise.resolve() : new Promise((r) => { want = n; wake = r; }));
  return { sock, h, isOpen, received, reset: () => { count = 0; want = Infinity; } };
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
   * reported, not waited for: the runner drops the connection (delivery speed is what `echo` measures).
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
    p.report?.(result); // fresh-page mode (see start()): the runner closes this page as soon as it has the result
    c.sock.close(); // steadysocket drops its queue here; the others' native sockets would still send everything
    // ... so have the harness drop the connection now: otherwise the browser spends seconds sending 6 MB of frames
    // it was handed, and in Chromium and WebKit even this evaluate's answer waits behind them.
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
    const c = await open(lib, p.url, {});
    const finished = new Promise((r) => (c.h.onDone = r));
    const ws = native();
    globalThis.gc?.();
    const heap0 = heap();
    let peakNative = 0;
    let peakHeap = heap0 ?? 0;
    let peakQueued = 0;
    const sample = () => {
      const b = ws.bufferedAmount;
      if (b > peakNative) peakNative = b;
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
      if (lib === 'steadysocket' && room === false) await c.sock.lib.drained();
    }
    const end = await finished;
    clearInterval(timer);
    sample();
    c.sock.close();
    return { ms: end - t0, peakNative, peakQueued, peakHeapDelta: heap0 === null ? null : peakHeap - heap0 };
  },
};

/** Reconnect latency, in two steps around the server restart the runner does: open, then wait for the next open. */
let pending;
async function reconnectStart(lib, p) {
  const opens = [];
  const c = await open(lib, p.url, { minDelayMs: p.minDelayMs, maxDelayMs: p.maxDelayMs });
  c.h.onOpen = () => opens.push(epoch());
  pending = { c, opens };
}
async function reconnectWait(timeoutMs) {
  const { c, opens } = pending;
  const end = now() + timeoutMs;
  while (!opens.length && now() < end) await sleep(2);
  c.sock.close();
  return { openAt: opens[0] ?? null, attempts: natives.length - 1 };
}

/**
 * Starts case `name` and returns at once; the result goes to the runner over a WebSocket to `p.resultUrl` (as JSON
 * text) the moment the case reports it. For Chromium's burst case: after 100,000 sends its renderer stays busy with
 * them for seconds, and an evaluate()'s answer would wait behind them, while a new socket's message does not.
 */
async function start(name, lib, p) {
  const out = new NativeWebSocket(p.resultUrl);
  await new Promise((resolve, reject) => {
    out.onopen = resolve;
    out.onerror = reject;
  });
  const send = (r) => out.send(JSON.stringify(r));
  setTimeout(() => cases[name](lib, { ...p, report: send }).catch((e) => send({ error: String(e) })), 0);
}

globalThis.bench = {
  ready: true,
  heapAvailable: heap() !== null,
  gcAvailable: typeof globalThis.gc === 'function',
  run: (name, lib, params) => cases[name](lib, params),
  start,
  reconnectStart,
  reconnectWait,
  /** For ad-hoc experiments from the console or page.evaluate. */
  classes: { SteadySocket, ReconnectingWebSocket, PartySocket, sockette, Recording, NativeWebSocket },
};
