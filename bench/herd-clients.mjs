// Child process of bench/herd.mjs: `clients` real clients of one row (a retry policy of steadysocket, or a peer with
// its defaults) in Node, each on its own `ws` connection to the harness (`?c=<index>` tells them apart in the server's
// log). It reports when all are open; then, when asked, the time of every connection attempt it made (epoch ms), and
// exits. Attempts are counted here, where they start: while the server is down it cannot see them.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import WS from 'ws';

const epoch = () => performance.timeOrigin + performance.now();
/** [client index, epoch ms] of every native socket constructed. */
const attempts = [];

class Recording extends WS {
  constructor(url, protocols) {
    super(url, protocols);
    attempts.push([Number(new URL(url).searchParams.get('c')), epoch()]);
    this.on('error', () => {}); // refused while the server is down: the library sees the close
  }
}
globalThis.WebSocket = Recording; // sockette and websocket-ts have no WebSocket option and call the global

const require = createRequire(import.meta.url);

/**
 * The steadysocket rows (names in bench/herd.mjs): the exponential curve of 0.1.0's defaults (1 s, factor 2, 30 s cap)
 * shortened by up to 50% (0.1.0's default) or by up to 100% (full jitter); and decorrelated jitter (the default
 * since: uniform between 1 s and 3 times the previous delay, 30 s cap).
 */
const POLICIES = {
  'jitter 50%': { reconnect: { factor: 2, jitter: 0.5 } },
  'full jitter': { reconnect: { factor: 2, jitter: 1 } },
  'decorrelated jitter': { reconnect: { factor: 3, jitter: 'decorrelated' } },
};

async function steadysocket(url, options, opened) {
  const { SteadySocket } = await import('../dist/steadysocket.js');
  const s = new SteadySocket(url, undefined, { WebSocket: Recording, ...options });
  s.addEventListener('open', opened, { once: true });
  return () => s.close();
}

/** Creates one client of `row`; calls `opened` on its first open. Resolves to its close(). */
const FACTORIES = {
  ...Object.fromEntries(Object.entries(POLICIES).map(([row, options]) => [`steadysocket (${row})`, (url, opened) => steadysocket(url, options, opened)])),
  /** Its defaults, with the module loaded once per client, as in separate pages: minReconnectionDelay is drawn at load. */
  async 'reconnecting-websocket'(url, opened, i) {
    const file = pathToFileURL(require.resolve('reconnecting-websocket/dist/reconnecting-websocket.mjs')).href;
    const { default: RWS } = await import(`${file}?client=${i}`);
    return rwsLike(RWS, url, opened);
  },
  async partysocket(url, opened) {
    const { WebSocket: PartySocket } = await import('partysocket');
    return rwsLike(PartySocket, url, opened);
  },
  async sockette(url, opened) {
    const { default: sockette } = await import('sockette');
    let first = true;
    const s = sockette(url, { maxAttempts: Infinity, onopen: () => first && !(first = false) && opened() });
    return () => s.close();
  },
  /** websocket-ts retries only with a backoff: its exponential one from 1 s (its first delay is 2 × base) to 32 s. */
  async 'websocket-ts'(url, opened) {
    const { WebsocketBuilder, ExponentialBackoff, WebsocketEvent } = await import('websocket-ts');
    let first = true;
    const s = new WebsocketBuilder(url)
      .withBackoff(new ExponentialBackoff(500, 6))
      .onOpen(() => first && !(first = false) && opened())
      .build();
    s.addEventListener(WebsocketEvent.error, () => {});
    return () => s.close();
  },
};

function rwsLike(Class, url, opened) {
  const s = new Class(url, undefined, { WebSocket: Recording });
  s.addEventListener('open', function once() {
    s.removeEventListener('open', once);
    opened();
  });
  return () => s.close();
}

process.once('message', async (o) => {
  if (!FACTORIES[o.row]) throw new Error(`no herd row ${o.row}`);
  const closers = [];
  let open = 0;
  const all = new Promise((resolve) => {
    const opened = () => ++open === o.clients && resolve();
    for (let i = 0; i < o.clients; i++) closers.push(FACTORIES[o.row](`${o.url}?c=${i}`, opened, i));
  });
  await Promise.all(closers);
  await all;
  process.send({ ready: true });
  process.once('message', async () => {
    for (const close of closers) (await close)();
    process.send({ attempts }, () => process.exit(0));
  });
});
