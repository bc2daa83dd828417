// The built SDK in real browsers, against the real test server behind the fault-injecting proxy. Every scenario runs
// in the page (e2e/pages/scenarios.js) and every test checks what the server actually received.
import type { Harness } from '../../harness/server/index.mjs';
import { runScenario } from './scenario';
import { expect, test } from '../fixtures';

const run = runScenario;

type Logged = { type: string; t: number; attempt?: number; delayMs?: number; code?: number; reason?: string; error?: string };

/** Text frames the server received, connection after connection, in arrival order. */
const received = (harness: Harness) =>
  harness.server.log().connections.flatMap((c) => c.messages.map((m) => (m.kind === 'text' ? m.data : `<${m.bytes} bytes>`)));

const types = (log: Logged[]) => log.map((e) => e.type);

for (const host of ['esm', 'iife', 'worker'] as const) {
  test.describe(`${host}:`, () => {
    // The <script> build is the same code as the ES module one: it gets the first test (the global works, the build
    // sends and receives) and the byte-exact one; the ES module page and the Worker get them all.
    const full = host !== 'iife';
    test('messages sent before open arrive in order after open, the open listener first', async ({ page, harness }) => {
      const r = await run(page, harness, host, 'preopen');
      const expected = ['from-open-listener', ...Array.from({ length: 20 }, (_, i) => `early-${i + 1}`)];
      expect(received(harness)).toEqual(expected);
      expect(r.echoes).toEqual(expected);
      expect(r.states).toEqual([0]);
      expect(r.queuedBytes).toBe(9 * 7 + 11 * 8); // "early-1".."early-9": 7 bytes each, "early-10".."early-20": 8
      expect(harness.server.log().connections).toHaveLength(1);
      if (host === 'worker') expect(r.inWorker).toBe(true);
    });

    if (full) test('server restart mid-stream: reconnects, and what was sent while down arrives once and in order', async ({ page, harness }) => {
      const r = await run(page, harness, host, 'restart');
      const got = received(harness);
      const numbers = got.map((m) => Number(m.slice(1)));
      // Strictly increasing: nothing duplicated, nothing reordered.
      expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
      expect(r.sentWhileDown.length).toBeGreaterThan(10);
      for (const m of r.sentWhileDown) expect(got).toContain(m);
      // Everything from the first message queued while down to the end arrived.
      const firstDown = Number(r.sentWhileDown[0].slice(1));
      expect(numbers.filter((n) => n >= firstDown)).toEqual(Array.from({ length: 151 - firstDown }, (_, i) => firstDown + i));
      expect(harness.server.log().connections.length).toBeGreaterThanOrEqual(2);
      expect(types(r.log)).toContain('reconnect');
    });

    if (full) test('close() stops for good; reconnect() afterwards works', async ({ page, harness }) => {
      const r = await run(page, harness, host, 'closeStops');
      expect(r.threw).toBe('InvalidStateError');
      expect(r.stateAfterWait).toBe(3);
      expect(received(harness)).toEqual(['before-close', 'after-reconnect']);
      const log = harness.server.log();
      expect(log.attempts).toHaveLength(2);
      expect(log.connections[0]!.close).toMatchObject({ code: 4000, reason: 'user logout' });
      // No attempt during the 1.5 s after close(): the second one is the reconnect() call.
      expect(log.attempts[1]!.t - log.connections[0]!.close!.t).toBeGreaterThan(1400);
    });

    test('binaryType survives reconnects; binary and non-ASCII text round-trip byte-exact', async ({ page, harness }) => {
      const r = await run(page, harness, host, 'binary');
      const all = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')).join('');
      const expectedHex = [all, 'fafbfcfdfeff', '0201feff', '070809'];
      for (const round of [r.first, r.second]) {
        expect(round.types).toEqual(['[object ArrayBuffer]', '[object ArrayBuffer]', '[object ArrayBuffer]', '[object ArrayBuffer]', 'string']);
        expect(round.hex).toEqual(expectedHex);
        expect(round.text).toBe('héllo wörld ✓ 😀');
      }
      expect(r.binaryType).toBe('arraybuffer');
      const messages = harness.server.log().connections.flatMap((c) => c.messages);
      expect(messages).toHaveLength(10);
      const serverHex = messages.filter((m) => m.kind === 'binary').map((m) => Buffer.from((m as any).base64, 'base64').toString('hex'));
      expect(serverHex).toEqual([...expectedHex, ...expectedHex]);
      expect(messages.filter((m) => m.kind === 'text').map((m) => (m as any).data)).toEqual(['héllo wörld ✓ 😀', 'héllo wörld ✓ 😀']);
      expect(harness.server.log().connections).toHaveLength(2);
    });
  });
}

test.describe('esm: reconnect policy', () => {
  test('abrupt reset and refused connections: decorrelated retry delays stay within bounds, and the server sees no attempt sooner', async ({ page, harness }) => {
    const r = await run(page, harness, 'esm', 'backoff');
    const delays = r.log.filter((e: Logged) => e.type === 'reconnect').map((e: Logged) => e.delayMs!);
    // Decorrelated jitter: between initialDelayMs and 3 times the previous delay (100 ms before the first), capped.
    delays.slice(0, 7).forEach((d: number, i: number) => {
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(Math.min(800, 3 * (delays[i - 1] ?? 100)));
    });
    // Measured on the server's side: the proxy's accept times of the refused attempts.
    const refused = harness.proxy.log().connections.filter((c) => c.fate === 'refused').map((c) => c.t);
    expect(refused.length).toBeGreaterThanOrEqual(6);
    const gaps = refused.slice(1).map((t, i) => t - refused[i]!);
    // Never sooner than the delay the page scheduled (retry 1 follows the reset; the refused ones follow 2, 3, ...).
    gaps.slice(0, 5).forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(delays[i + 1]! - 50));
    // The cap is asserted on the scheduled delays above; wall-clock upper bounds would only measure machine load.
  });

  test('handshakes rejected with 401 and 503 are retried', async ({ page, harness }) => {
    const r = await run(page, harness, 'esm', 'rejected');
    const attempts = harness.server.log().attempts;
    expect(attempts.map((a) => a.outcome)).toEqual(['rejected', 'upgraded', 'rejected', 'upgraded']);
    expect(attempts.map((a) => a.status).filter(Boolean)).toEqual([401, 503]);
    const closes = r.log.filter((e: Logged) => e.type === 'close').map((e: Logged) => e.code);
    expect(closes.slice(0, 1)).toEqual([1006]);
    expect(types(r.log).filter((t) => t === 'open')).toHaveLength(2);
  });

  test('server close codes: 1008 not retried by default; 1001, 1011, 1012, 1013 retried', async ({ page, harness, browserName }) => {
    // One test for the five codes (one page load each, the same server): the suite stays well under 10 minutes.
    for (const [code, retried] of [[1008, false], [1001, true], [1011, true], [1012, true], [1013, true]] as const) {
      harness.server.clearLog();
      const r = await run(page, harness, 'esm', 'closeCode', { code });
      // WebKitGTK's libsoup rejects close codes above 1011 as invalid and fails the connection: the page sees 1006.
      const seen = browserName === 'webkit' && code > 1011 ? { code: 1006, reason: '' } : { code, reason: `bye ${code}` };
      expect(r.log.find((e: Logged) => e.type === 'close'), `close ${code}`).toMatchObject(seen);
      expect(harness.server.log().attempts, `attempts after ${code}`).toHaveLength(retried ? 2 : 1);
      expect(r.state, `state after ${code}`).toBe(retried ? 1 : 3);
      if (!retried) expect(types(r.log)).toContain('giveup');
    }
  });

  test('shouldReconnect overrides the default: 1008 retried, 1011 not', async ({ page, harness }) => {
    const a = await run(page, harness, 'esm', 'closeCode', { code: 1008, policy: 'invert' });
    expect(harness.server.log().attempts).toHaveLength(2);
    expect(a.state).toBe(1);
    harness.server.clearLog();
    const b = await run(page, harness, 'esm', 'closeCode', { code: 1011, policy: 'invert' });
    expect(harness.server.log().attempts).toHaveLength(1);
    expect(b.state).toBe(3);
  });

  test('connectTimeoutMs abandons a delayed handshake, then connects', async ({ page, harness }) => {
    const r = await run(page, harness, 'esm', 'connectTimeout');
    const firstError = r.log.find((e: Logged) => e.type === 'error' && e.error);
    expect(firstError.error).toBe('CONNECT_TIMEOUT');
    expect(firstError.t).toBeGreaterThanOrEqual(450);
    expect(types(r.log)).toContain('open');
    expect(harness.server.log().connections.length).toBeGreaterThanOrEqual(1);
  });

  for (const host of ['esm', 'worker'] as const) {
    test(`${host}: an online event cuts a pending wait short`, async ({ page, harness }) => {
      const r = await run(page, harness, host, 'online');
      expect(r.scheduledDelayMs).toBe(20_000);
      expect(r.afterOnlineMs).toBeLessThan(r.scheduledDelayMs / 2);
      expect(harness.server.log().connections).toHaveLength(2);
    });
  }
});
