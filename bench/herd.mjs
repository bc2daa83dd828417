// Case 4b, the thundering-herd check, in Node: `clients` real instances of each library (bench/herd-clients.mjs, a
// child process, so the clients' timers and the server do not share one event loop) connect to the harness's server;
// the server restarts (down for ~0 ms: every first retry succeeds); we record when each client's first retry was
// scheduled (the delay the library's own code chose: as if 1,000 separate machines lost the server at the same
// instant) and when it was accepted (server side, upgrade time: what this one client process really produced, where
// the drops arrive one after another and 1,000 handshakes share one event loop).
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../harness/server/index.mjs';

export const HERD_LIBS = ['steadysocket', 'steadysocket (defaults)', 'reconnecting-websocket', 'reconnecting-websocket (defaults)', 'partysocket', 'sockette'];
const CHILD = fileURLToPath(new URL('./herd-clients.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Max number of times in any window [t, t + windowMs), and the mean count per window over first..last. */
export function windows(times, windowMs = 100) {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (j < t.length && t[j] < t[i] + windowMs) j++;
    max = Math.max(max, j - i);
  }
  const spanMs = t.length ? t[t.length - 1] - t[0] : 0;
  return { n: t.length, firstMs: t[0], lastMs: t[t.length - 1], spanMs, max, mean: t.length / Math.max(1, spanMs / windowMs) };
}

/** First time per client index from [index, t] pairs. */
const firstPerClient = (pairs) => {
  const first = new Map();
  for (const [c, t] of pairs) if (!first.has(c) || t < first.get(c)) first.set(c, t);
  return [...first.values()];
};

async function once(harness, lib, o) {
  const { server } = harness;
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`herd client exited (${code})`)));
  });
  try {
    const ready = next();
    child.send({ lib, url: harness.directWsUrl('/echo'), clients: o.clients, minDelayMs: o.minDelayMs, maxDelayMs: o.maxDelayMs });
    await ready;
    server.clearLog();
    const t0 = performance.now();
    const t0Epoch = performance.timeOrigin + t0;
    await server.restart(0);
    const deadline = performance.now() + o.maxWaitMs;
    const upgraded = () => server.log().attempts.filter((a) => a.outcome === 'upgraded');
    while (upgraded().length < o.clients && performance.now() < deadline) await sleep(100);
    const accepted = upgraded().map((a) => [Number(new URL(a.url, 'http://x').searchParams.get('c')), a.t - t0]);
    const report = next();
    child.send({ report: true });
    const { drops } = await report;
    const scheduled = drops.filter(([, t]) => t > t0Epoch).map(([c, , delay]) => [c, delay]);
    return { policy: windows(firstPerClient(scheduled)), server: windows(firstPerClient(accepted)) };
  } finally {
    child.kill();
    server.terminateAll();
    server.clearLog();
  }
}

/** @returns {Promise<Record<string, Array<{ policy: object, server: object }>>>} */
export async function runHerd(o, say) {
  const harness = await startHarness({ recordPayloads: false, control: false });
  const results = {};
  try {
    for (let r = 0; r < o.runs; r++) {
      for (const lib of HERD_LIBS) {
        try {
          (results[lib] ??= []).push(await once(harness, lib, { maxWaitMs: 15_000, ...o }));
        } catch (e) {
          (results[lib] ??= []).push({ error: String(e.message ?? e) });
          say(`  herd ${lib}: ${e.message ?? e}`);
        }
      }
    }
  } finally {
    await harness.close();
  }
  say('  herd done');
  return results;
}
