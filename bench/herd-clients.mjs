// Child process of bench/herd.mjs: `clients` real instances of one library in Node, each on its own `ws` connection
// to the harness (`?c=<index>` tells them apart in the server's log). It reports when all are open, then, when asked,
// the time of every connection attempt it made (epoch ms) and the retry delay each library scheduled when its
// connection dropped, and exits.
//
// That delay is read, not computed: every library here schedules its retry with a plain setTimeout inside its close
// handler, so the first setTimeout after a socket's `close` (our listener runs before the library's) is the retry.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import WS from 'ws';

const epoch = () => performance.timeOrigin + performance.now();
/** [client index, epoch ms] of every native socket constructed. */
const attempts = [];
/** [client index, epoch ms of the drop, retry delay in ms the library scheduled]. */
const drops = [];
let dropped = null;
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = function (fn, ms, ...args) {
  if (dropped) {
    drops.push([...dropped, ms ?? 0]);
    dropped = null;
  }
  return realSetTimeout(fn, ms, ...args);
};

class Recording extends WS {
  constructor(url, protocols) {
    super(url, protocols);
    const c = Number(new URL(url).searchParams.get('c'));
    attempts.push([c, epoch()]);
    this.on('error', () => {}); // refused while the server is down: the library sees the close
    this.on('close', () => (dropped = [c, epoch()]));
  }
}
globalThis.WebSocket = Recording; // sockette has no WebSocket option and calls the global

const require = createRequire(import.meta.url);

/** Creates one client of `lib`; calls `opened` on its first open. Returns its close(). */
const FACTORIES = {
  async steadysocket(url, o, opened) {
    const { SteadySocket } = await import('../dist/steadysocket.js');
    const s = new SteadySocket(url, undefined, { WebSocket: Recording, reconnect: { initialDelayMs: o.minDelayMs, maxDelayMs: o.maxDelayMs } });
    s.addEventListener('open', opened, { once: true });
    return () => s.close();
  },
  async 'steadysocket (defaults)'(url, o, opened) {
    const { SteadySocket } = await import('../dist/steadysocket.js');
    const s = new SteadySocket(url, undefined, { WebSocket: Recording });
    s.addEventListener('open', opened, { once: true });
    return () => s.close();
  },
  async 'reconnecting-websocket'(url, o, opened) {
    const { default: RWS } = await import('reconnecting-websocket');
    return rwsLike(RWS, url, { minReconnectionDelay: o.minDelayMs, maxReconnectionDelay: o.maxDelayMs }, opened);
  },
  /** Its defaults, with the module loaded once per client, as in separate pages: minReconnectionDelay is drawn at load. */
  async 'reconnecting-websocket (defaults)'(url, o, opened, i) {
    const file = pathToFileURL(require.resolve('reconnecting-websocket/dist/reconnecting-websocket.mjs')).href;
    const { default: RWS } = await import(`${file}?client=${i}`);
    return rwsLike(RWS, url, {}, opened);
  },
  async partysocket(url, o, opened) {
    const { WebSocket: PartySocket } = await import('partysocket');
    return rwsLike(PartySocket, url, { minReconnectionDelay: o.minDelayMs, maxReconnectionDelay: o.maxDelayMs }, opened);
  },
  async sockette(url, o, opened) {
    const { default: sockette } = await import('sockette');
    let first = true;
    const s = sockette(url, { timeout: o.minDelayMs, maxAttempts: Infinity, onopen: () => first && !(first = false) && opened() });
    return () => s.close();
  },
};

function rwsLike(Class, url, options, opened) {
  const s = new Class(url, undefined, { WebSocket: Recording, ...options });
  s.addEventListener('open', function once() {
    s.removeEventListener('open', once);
    opened();
  });
  return () => s.close();
}

process.once('message', async (o) => {
  const closers = [];
  let open = 0;
  const all = new Promise((resolve) => {
    const opened = () => ++open === o.clients && resolve();
    for (let i = 0; i < o.clients; i++) closers.push(FACTORIES[o.lib](`${o.url}?c=${i}`, o, opened, i));
  });
  await Promise.all(closers);
  await all;
  process.send({ ready: true });
  process.once('message', async () => {
    dropped = null;
    for (const close of closers) (await close)();
    process.send({ attempts, drops }, () => process.exit(0));
  });
});
