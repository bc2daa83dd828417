// In-page: the libraries behind one interface, for bench/browser-cases.js and bench/browser-micro.js.
//
// Every library gets the same native class, `Recording` (a subclass of the browser's WebSocket that only remembers
// its instances and sets binaryType 'arraybuffer'), through its `WebSocket` option, or for sockette and websocket-ts,
// which have none and call `new WebSocket(...)` on the global, through the global. So the benchmark can always reach
// the native socket a library is using.
import { SteadySocket } from '../dist/steadysocket.js';
import ReconnectingWebSocket from 'reconnecting-websocket';
import { WebSocket as PartySocket } from 'partysocket';
import sockette from 'sockette';
import { ArrayQueue, ExponentialBackoff, WebsocketBuilder } from 'websocket-ts';

export const NativeWebSocket = globalThis.WebSocket;
/** Native sockets created since the last open() (or reset), oldest first. */
export let natives = [];
export const resetNatives = () => (natives = []);
export class Recording extends NativeWebSocket {
  constructor(url, protocols) {
    super(url, protocols);
    this.binaryType = 'arraybuffer';
    natives.push(this);
  }
}
globalThis.WebSocket = Recording;

export const now = () => performance.now();
export const epoch = () => performance.timeOrigin + performance.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The newest native socket. */
export const native = () => natives[natives.length - 1];

/**
 * websocket-ts's ExponentialBackoff waits base × 2^i for retry i (from 1), without jitter: base = half the minimum
 * delay gives the same first retry as the others, and the exponent stops where the delay would pass the maximum.
 */
function wsTsBackoff(minDelayMs, maxDelayMs) {
  const base = Math.max(1, Math.round(minDelayMs / 2));
  return new ExponentialBackoff(base, Math.max(1, Math.floor(Math.log2(maxDelayMs / base))));
}

/**
 * `cfg`: { WS, queueMax, minDelayMs, maxDelayMs, defaults, highWaterMark, lowWaterMark } (steadysocket's marks: its defaults when undefined); `h`: { message(e), open(), drops }.
 * Each returns { send(data) -> the library's send's return value, close(), lib } (lib: the library's own object).
 */
export const LIBS = {
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
        highWaterMark: cfg.highWaterMark,
        lowWaterMark: cfg.lowWaterMark,
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
  'websocket-ts': {
    create(url, cfg, h) {
      globalThis.WebSocket = cfg.WS; // read at every attempt
      const s = new WebsocketBuilder(url)
        .withBuffer(new ArrayQueue()) // unbounded: the only queue it ships besides a fixed-size ring
        .withBackoff(wsTsBackoff(cfg.minDelayMs, cfg.maxDelayMs))
        .onOpen(() => h.open())
        .onMessage((_, e) => h.message(e))
        .build();
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

/**
 * Opens `lib` (a fresh list of natives); resolves { sock, h, isOpen, received(n), reset() } once open, or at once
 * with `cfg.noWait`. `received(n)` resolves when n messages have arrived since the last reset(); `count()` says how many.
 */
export async function open(lib, url, cfg = {}) {
  if (!cfg.keepNatives) resetNatives();
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
  return { sock, h, isOpen, received, count: () => count, reset: () => { count = 0; want = Infinity; } };
}

export { SteadySocket, ReconnectingWebSocket, PartySocket, sockette, WebsocketBuilder };
