// The thundering-herd check, in Node: `clients` real clients of one row at a time (a retry policy of steadysocket, or
// a peer with its defaults; bench/herd-clients.mjs, a child process, so the clients' timers and the server do not
// share one event loop) are connected to the harness's server, which then goes down, for ~0 ms (a restart: every
// first retry can succeed) or for `outageMs` (an outage: retries fail until it is back). Per row and scenario:
// the most connection attempts in any 100 ms (what a fleet's front door must absorb), the attempts until every client
// is back (all but one per client are wasted), and how long after the server is back 50%, 99% and all of them are.
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../harness/server/index.mjs';

/** steadysocket's rows: its default curve (1 s, factor 2, 30 s cap) with each jitter (bench/herd-clients.mjs). */
export const POLICY_ROWS = ['steadysocket (jitter 50%)', 'steadysocket (full jitter)', 'steadysocket (decorrelated jitter)'];
/** The peers, each with its own defaults (websocket-ts, which retries only when given a backoff: see herd-clients). */
export const PEER_ROWS = ['reconnecting-websocket', 'partysocket', 'sockette', 'websocket-ts'];
export const SCENARIOS = ['restart', 'outage'];

const CHILD = fileURLToPath(new URL('./herd-clients.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const epochNow = () => performance.timeOrigin + performance.now();

/** What a run measures: the full one, and `--quick` (fewer clients, a shorter outage, peers only restarted). */
export function herdPlan(quick) {
  return quick
    ? { clients: 200, runs: 1, outageMs: 2000, maxWaitMs: 40_000, peerScenarios: ['restart'] }
    : { clients: 1000, runs: 1, outageMs: 10_000, maxWaitMs: 60_000, peerScenarios: SCENARIOS };
}

/** Max number of times in any window [t, t + windowMs). */
export function peak(times, windowMs = 100) {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (j < t.length && t[j] < t[i] + windowMs) j++;
    max = Math.max(max, j - i);
  }
  return max;
}

/** The value below which a fraction `q` of the sorted `values` lie (nearest rank); null for none. */
export function quantile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : null;
}

/** One row, one scenario: connect, take the server down, wait until every client is back (or maxWaitMs). */
async function once(harness, row, downMs, o) {
  const { server } = harness;
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`herd client exited (${code})`)));
  });
  try {
    const ready = next();
    child.send({ row, url: harness.directWsUrl('/echo'), clients: o.clients });
    await ready;
    await sleep(200); // the last handshakes' work done before the clock starts
    server.clearLog();
    const dropAt = epochNow();
    await server.restart(downMs);
    const backAt = epochNow();
    /** Epoch time of each client's first accepted upgrade after the drop. */
    const accepted = () => {
      const first = new Map();
      for (const a of server.log().attempts) {
        if (a.outcome !== 'upgraded') continue;
        const c = new URL(a.url, 'http://x').searchParams.get('c');
        if (!first.has(c)) first.set(c, performance.timeOrigin + a.t);
      }
      return [...first.values()];
    };
    while (accepted().length < o.clients && epochNow() < backAt + o.maxWaitMs) await sleep(100);
    const back = accepted().map((t) => Math.round(t - backAt)).sort((a, b) => a - b);
    const report = next();
    child.send({ report: true });
    const { attempts } = await report;
    const tries = attempts.map(([, t]) => t).filter((t) => t > dropAt);
    return {
      downMs: Math.round(backAt - dropAt),
      peakPer100Ms: peak(tries),
      attempts: tries.length,
      back: back.length,
      back50Ms: quantile(back, 0.5),
      back99Ms: quantile(back, 0.99),
      backAllMs: back.length === o.clients ? back.at(-1) : null,
    };
  } finally {
    child.kill();
    server.terminateAll();
    server.clearLog();
  }
}

/**
 * Every row in both scenarios (the peers in `o.peerScenarios`), `o.runs` times, rows taking turns within a round.
 * @returns {Promise<Record<string, Record<string, object[]>>>} row → scenario → runs
 */
export async function runHerd(o, say, rows = [...POLICY_ROWS, ...PEER_ROWS]) {
  const harness = await startHarness({ recordPayloads: false, control: false });
  const results = {};
  try {
    for (let r = 0; r < o.runs; r++) {
      for (const scenario of SCENARIOS) {
        for (const row of rows) {
          if (!POLICY_ROWS.includes(row) && !o.peerScenarios.includes(scenario)) continue;
          const runs = ((results[row] ??= {})[scenario] ??= []);
          try {
            runs.push(await once(harness, row, scenario === 'outage' ? o.outageMs : 0, o));
          } catch (e) {
            runs.push({ error: String(e.message ?? e) });
            say(`  herd ${row} (${scenario}): ${e.message ?? e}`);
          }
        }
        say(`  herd ${scenario} done`);
      }
    }
  } finally {
    await harness.close();
  }
  return results;
}

// `node bench/herd.mjs [--quick] [--rows=a,b]`: the herd alone, printed as JSON (npm run build first).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const rows = process.argv.find((a) => a.startsWith('--rows='))?.slice(7).split(',');
  const started = performance.now();
  const out = await runHerd(herdPlan(quick), (m) => console.error(`[${Math.round((performance.now() - started) / 1000)} s] ${m}`), rows);
  console.log(JSON.stringify(out, null, 1));
}
