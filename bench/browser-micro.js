// In-page: what one message costs in JavaScript, isolated from the network (bench/cases.mjs, case "perMessage"):
// the time a library's send() takes over the native send() it calls, the time from the native socket's `message`
// event to the app's listener over a listener on the native socket itself, and (Chromium) the heap bytes a message
// waiting in the library's queue costs.
import { NativeWebSocket, native, now, open, sleep } from './browser-libs.js';

const TEXT_64 = 'x'.repeat(64);
const payload = (size) => (size <= 64 ? TEXT_64.slice(0, size) : new Uint8Array(size).buffer);
const waitOpen = (ws) => (ws.readyState === 1 ? Promise.resolve() : new Promise((r) => ws.addEventListener('open', r, { once: true })));

/** Waits until the native buffer is empty, for at most `ms` (WebKitGTK may report 0 while its network process holds data). */
async function drain(ws, ms) {
  const end = now() + ms;
  while (ws.bufferedAmount > 0 && now() < end) await sleep(1);
}

/** Opens one connection per library to `url`; 'native' is a plain native socket. Every library hands over at once. */
async function openAll(libs, url) {
  const socks = {};
  for (const lib of libs) {
    // steadysocket: a high-water mark above any batch, so every send() is handed over (the queued path is measured
    // by the heap figure and the burst cases); the others hand over at once anyway.
    const c = await open(lib, url, { queueMax: 1 << 20, highWaterMark: 2 ** 40 });
    socks[lib] = { c, ws: native() };
  }
  return socks;
}

/**
 * Send cost: per round, in an order that rotates, a batch of `n` sends of the same payload through each library
 * (each over its own native socket to /sink). Returns, per round, the µs per send() of each library; 'native' calls
 * the native send() itself.
 *
 * By default the native send() of every socket is replaced (on the instance) by one that only counts: what is timed
 * is then exactly the JavaScript around it, without the native send's own cost, which on a busy 2-core machine
 * varies by more than a library's whole cost from one batch to the next. `real: true` keeps the native send() (and
 * waits for each socket's buffer to drain before a batch), for the native figure the added cost compares with.
 */
export async function sendCost({ url, libs, size, n, rounds, real = false, drainMs = 250 }) {
  const socks = await openAll(libs, url);
  const msg = payload(size);
  let handed = 0;
  if (!real) for (const { ws } of Object.values(socks)) ws.send = () => void handed++;
  const batch = (lib) => {
    const { c, ws } = socks[lib];
    // Two loops, not one with a function argument: each call site stays monomorphic, as in an app.
    if (lib === 'native') {
      const t0 = now();
      for (let i = 0; i < n; i++) ws.send(msg);
      return now() - t0;
    }
    const s = c.sock;
    const t0 = now();
    for (let i = 0; i < n; i++) s.send(msg);
    return now() - t0;
  };
  const out = [];
  for (let r = -1; r < rounds; r++) { // round -1 warms every path up and is not kept
    const row = {};
    for (let k = 0; k < libs.length; k++) {
      const lib = libs[(k + Math.max(r, 0)) % libs.length];
      if (real) await drain(socks[lib].ws, drainMs);
      const before = handed;
      row[lib] = (batch(lib) * 1000) / n;
      // Every send() must have reached the native socket (none queued, none dropped), or the figure means nothing.
      if (!real && handed - before !== n) throw new Error(`${lib}: ${handed - before} of ${n} sends reached the native socket`);
    }
    if (r >= 0) out.push(row);
    await sleep(0);
  }
  for (const { c } of Object.values(socks)) c.sock.close();
  return out;
}

/**
 * Receive cost: a `message` event dispatched on the native socket a library listens to, n times per batch, until the
 * app's listener has it; 'native' is a plain native socket with the app's listener on it. The event is made the same
 * way for every library (as the browser would, a MessageEvent with the data), so the difference to native is only
 * what the library does between the native event and the app. Dispatching stands in for the network, which would
 * add its own (much larger) variation to every message.
 */
export async function receiveCost({ url, libs, size, n, rounds }) {
  const socks = await openAll(libs, url);
  const data = payload(size);
  const batch = (lib) => {
    const ws = socks[lib].ws;
    const t0 = now();
    for (let i = 0; i < n; i++) ws.dispatchEvent(new MessageEvent('message', { data }));
    return now() - t0;
  };
  const out = [];
  for (let r = -1; r < rounds; r++) {
    const row = {};
    for (let k = 0; k < libs.length; k++) {
      const lib = libs[(k + Math.max(r, 0)) % libs.length];
      const { c } = socks[lib];
      const before = c.count();
      row[lib] = (batch(lib) * 1000) / n;
      // The app's listener (open()'s counter, the same for every library) must have had every one of them.
      if (c.count() - before !== n) throw new Error(`${lib}: ${c.count() - before} of ${n} dispatched messages reached the listener`);
    }
    if (r >= 0) out.push(row);
    await sleep(0); // let the connections' own events in between rounds
  }
  for (const { c } of Object.values(socks)) c.sock.close();
  return out;
}

/**
 * Heap bytes per message waiting in a library's queue (Chromium: exact `performance.memory` after `gc()`): `n`
 * sends of one shared 64-byte string while CONNECTING, so the figure is the library's own bookkeeping (the payload
 * is the app's, and not copied). Everything happens in one task, before the connection can open.
 */
export async function heapPerQueued({ url, lib, n }) {
  if (!performance.memory || !globalThis.gc) return { bytesPerMessage: null };
  const measure = () => {
    globalThis.gc();
    return performance.memory.usedJSHeapSize;
  };
  const once = async () => {
    const c = await open(lib, url, { queueMax: n, noWait: true });
    const before = measure();
    for (let i = 0; i < n; i++) c.sock.send(TEXT_64);
    const after = measure();
    const queued = c.count() === 0 && c.sock.lib.readyState === 0; // still connecting: all of it was queued
    c.sock.close();
    await sleep(50);
    return queued ? (after - before) / n : NaN;
  };
  // The median of five: a previous socket that becomes garbage during one measurement (a library's timer kept it
  // alive until then) takes its whole queue off that figure.
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await once());
  runs.sort((a, b) => a - b);
  return { bytesPerMessage: runs[2], runs };
}

export { NativeWebSocket, waitOpen };
