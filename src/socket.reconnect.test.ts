/// <reference types="node" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SteadySocket } from './socket';
import { fakeLifecycle, setup, tick } from './testing/setup';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const delays = (events: string[]) => events.filter((e) => e.startsWith('reconnect')).map((e) => Number(e.split(' ')[2]));

describe('reconnect policy', () => {
  it('retries after 1006 with a decorrelated delay: between initialDelayMs and 3 times the previous one, capped', async () => {
    let r = 0;
    const draws = [0.99, 0.01, 0.5, 0.25, 0.75, 0];
    const { sockets, events } = setup({ random: () => draws[r++ % draws.length]!, reconnect: { maxDelayMs: 8000 } });
    await tick();
    for (let i = 0; i < 6; i++) {
      sockets[i]!.drop();
      await tick(8000);
    }
    expect(sockets).toHaveLength(7);
    const got = delays(events);
    got.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(Math.min(8000, 3 * (got[i - 1] ?? 1000)));
    });
    // 1000 + random * (3 * previous - 1000), the first from a previous of 1000
    expect(got).toEqual([2980, 1079, 2119, 2339, 5513, 1000]);
  });

  it('retries after 1006 on the exponential curve, shortened by a numeric jitter within bounds', async () => {
    let r = 0;
    const draws = [0.99, 0.01, 0.5, 0.25, 0.75, 0];
    const reconnect = { maxDelayMs: 8000, factor: 2, jitter: 0.5 };
    const { sockets, events } = setup({ random: () => draws[r++ % draws.length]!, reconnect });
    await tick();
    for (let i = 0; i < 6; i++) {
      sockets[i]!.drop();
      await tick(8000);
    }
    const got = delays(events);
    const bases = [1000, 2000, 4000, 8000, 8000, 8000];
    got.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(bases[i]! / 2);
      expect(d).toBeLessThanOrEqual(bases[i]!);
    });
    expect(got).toEqual([505, 1990, 3000, 7000, 5000, 8000]);
  });

  it('waits the whole delay before the next attempt, not less', async () => {
    const { sockets } = setup();
    await tick();
    sockets[0]!.drop();
    await tick(999);
    expect(sockets).toHaveLength(1);
    await tick(1);
    expect(sockets).toHaveLength(2);
  });

  it('treats options given as undefined as left out (defaults, not NaN delays)', async () => {
    const { sockets, events } = setup({
      connectTimeoutMs: undefined,
      reconnect: { initialDelayMs: undefined, maxRetries: undefined, jitter: undefined },
      queue: { maxMessages: undefined },
    });
    await tick();
    sockets[0]!.drop();
    expect(delays(events)).toEqual([1000]); // initialDelayMs 1000, decorrelated jitter with random 0
    await tick(1000);
    expect(sockets).toHaveLength(2);
    await tick(9_999);
    expect(sockets).toHaveLength(2);
    await tick(1); // the default 10 s connect timeout
    expect(events).toContain('error CONNECT_TIMEOUT');
  });

  it('does not retry after 1008 and gives up with reason policy', async () => {
    const { socket, sockets, events } = setup();
    await tick();
    sockets[0]!.open();
    sockets[0]!.serverClose(1008, 'forbidden');
    await tick(60_000);
    expect(sockets).toHaveLength(1);
    expect(events.slice(-2)).toEqual(['close 1008 forbidden', 'giveup policy']);
    expect(socket.readyState).toBe(SteadySocket.CLOSED);
  });

  it.each([1001, 1011, 1012, 1013, 1000, 4000])('retries after a server close with %i', async (code) => {
    const { sockets } = setup();
    await tick();
    sockets[0]!.open();
    sockets[0]!.serverClose(code);
    await tick(1000);
    expect(sockets).toHaveLength(2);
  });

  it('lets shouldReconnect override the default both ways', async () => {
    const { sockets } = setup({ shouldReconnect: (e) => e.code === 1008 || e.code === 4401 });
    await tick();
    sockets[0]!.serverClose(1008);
    await tick(1000);
    expect(sockets).toHaveLength(2);
    sockets[1]!.serverClose(1011);
    await tick(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('reports a readyState of CONNECTING to close listeners when a retry follows, CLOSED when none does', async () => {
    const { socket, sockets } = setup({ reconnect: { maxRetries: 1 } });
    const states: number[] = [];
    socket.addEventListener('close', () => states.push(socket.readyState));
    await tick();
    sockets[0]!.drop();
    await tick(1000);
    sockets[1]!.drop();
    expect(states).toEqual([SteadySocket.CONNECTING, SteadySocket.CLOSED]);
  });

  it('gives up after maxRetries consecutive failures', async () => {
    const { socket, sockets, events } = setup({ reconnect: { maxRetries: 2 } });
    await tick();
    sockets[0]!.drop();
    await tick(1000);
    sockets[1]!.drop();
    await tick(2000);
    sockets[2]!.drop();
    await tick(60_000);
    expect(sockets).toHaveLength(3);
    expect(events.at(-1)).toBe('giveup retries');
    expect(socket.readyState).toBe(SteadySocket.CLOSED);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resets the retry count only after a connection stayed open resetAfterMs', async () => {
    const { sockets, events } = setup({ reconnect: { resetAfterMs: 5000, jitter: 0 } });
    await tick();
    sockets[0]!.open();
    sockets[0]!.drop(); // dropped at once: retry 1
    await tick(1000);
    sockets[1]!.open();
    await tick(4999);
    sockets[1]!.drop(); // open 4999 ms: not stable, retry 2
    await tick(3000);
    sockets[2]!.open();
    await tick(5000);
    sockets[2]!.drop(); // stable: back to retry 1
    expect(delays(events)).toEqual([1000, 3000, 1000]);
  });

  it('draws a decorrelated delay from scratch after a connection stayed open resetAfterMs', async () => {
    const { sockets, events } = setup({ random: () => 0.5 });
    await tick();
    sockets[0]!.drop();
    await tick(2000);
    sockets[1]!.drop(); // never opened: drawn from the previous 2000 ms
    await tick(3500);
    sockets[2]!.open();
    await tick(5000);
    sockets[2]!.drop(); // stable: as if it were the first drop
    expect(delays(events)).toEqual([2000, 3500, 2000]);
  });

  it('abandons an attempt that does not open within connectTimeoutMs, then retries', async () => {
    const { socket, sockets, events } = setup({ connectTimeoutMs: 3000 });
    await tick();
    await tick(2999);
    expect(events).toEqual(['connecting 0']);
    await tick(1);
    expect(sockets[0]!.closeCalls).toEqual([[undefined, undefined]]);
    expect(events).toEqual(['connecting 0', 'error CONNECT_TIMEOUT', 'close 1006', 'reconnect 1 1000']);
    sockets[0]!.open(); // a late open of the abandoned socket is ignored
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
    await tick(1000);
    sockets[1]!.open();
    expect(socket.readyState).toBe(SteadySocket.OPEN);
  });

  it('ignores events of an abandoned native socket', async () => {
    const { socket, sockets, events } = setup({ connectTimeoutMs: 100 });
    await tick(100);
    const before = events.length;
    sockets[0]!.receive('stale');
    sockets[0]!.drop();
    expect(events.length).toBe(before);
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
  });

  it('retries at once on a wake-up while waiting, and only probes (with a heartbeat) at other times', async () => {
    const page = fakeLifecycle();
    const { sockets } = setup({ reconnect: { initialDelayMs: 20_000 }, lifecycle: [page.source] });
    await tick();
    expect(page.listening()).toBe(1);
    sockets[0]!.drop();
    page.signal('wake');
    await tick();
    expect(sockets).toHaveLength(2);
    page.signal('wake'); // connecting, not waiting: no extra attempt
    await tick();
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop();
    page.signal('online'); // the network is back: also ends a wait
    await tick();
    expect(sockets).toHaveLength(3);
  });

  it('never starts a second attempt when a wake-up comes while an attempt is still connecting', async () => {
    const page = fakeLifecycle();
    const { socket, sockets } = setup({ reconnect: { initialDelayMs: 2000 }, lifecycle: [page.source] });
    await tick();
    sockets[0]!.drop();
    await tick(2000); // the backoff wait ends: attempt 1 starts and is still connecting
    expect(sockets).toHaveLength(2);
    page.signal('wake');
    await tick();
    expect(sockets).toHaveLength(2);
    expect(sockets[1]!.closeCalls).toEqual([]);
    socket.close();
    expect(sockets.every((s) => s.readyState >= 2)).toBe(true); // nothing left open or connecting
  });

  it('abandons an attempt whose URL function never answers after connectTimeoutMs, and retries', async () => {
    let calls = 0;
    const { socket, sockets, events } = setup({ connectTimeoutMs: 300 }, () => (++calls === 1 ? new Promise<string>(() => {}) : 'ws://server.test/second'));
    await tick(299);
    expect(events).toEqual(['connecting 0']);
    await tick(1);
    expect(events).toEqual(['connecting 0', 'error CONNECT_TIMEOUT', 'close 1006', 'reconnect 1 1000']);
    await tick(1000);
    expect(calls).toBe(2);
    expect(sockets.map((s) => s.url)).toEqual(['ws://server.test/second']);
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
  });

  it('never opens a connection from a URL function that answers after its attempt was abandoned', async () => {
    const answers: ((url: string) => void)[] = [];
    const { sockets } = setup({ connectTimeoutMs: 300, reconnect: { initialDelayMs: 10_000 } }, () => new Promise<string>((resolve) => answers.push(resolve)));
    await tick(300); // attempt 0 timed out; the retry waits 10 s
    answers[0]!('ws://server.test/late');
    await tick();
    expect(sockets).toHaveLength(0);
    await tick(10_000);
    answers[1]!('ws://server.test/fresh');
    await tick();
    expect(sockets.map((s) => s.url)).toEqual(['ws://server.test/fresh']);
  });

  it('calls a URL function before every attempt', async () => {
    let token = 0;
    const { socket, sockets } = setup({}, () => `wss://server.test/live?token=${++token}`);
    expect(socket.url).toBe('');
    await tick();
    sockets[0]!.drop();
    await tick(1000);
    expect(sockets.map((s) => s.url)).toEqual(['wss://server.test/live?token=1', 'wss://server.test/live?token=2']);
    expect(socket.url).toBe('wss://server.test/live?token=2');
  });

  it('reports a rejected URL function with an error event and retries with backoff', async () => {
    let calls = 0;
    const { socket, sockets, events } = setup({}, async () => {
      if (++calls < 3) throw new Error(`auth down ${calls}`);
      return 'ws://server.test/ok';
    });
    const causes: string[] = [];
    socket.addEventListener('error', (e) => causes.push((e.error?.cause as Error).message));
    await tick();
    await tick(1000);
    await tick(2000);
    expect(sockets).toHaveLength(1);
    expect(causes).toEqual(['auth down 1', 'auth down 2']);
    expect(events.filter((e) => e.startsWith('error') || e.startsWith('reconnect'))).toEqual([
      'error URL', 'reconnect 1 1000', 'error URL', 'reconnect 2 1000',
    ]);
  });

  it('treats a URL function returning a bad URL like a failed attempt, not a crash', async () => {
    const { socket, sockets, events } = setup({}, () => 'ftp://nope');
    await tick();
    expect(sockets).toHaveLength(0);
    expect(events).toEqual(['connecting 0', 'error URL', 'close 1006', 'reconnect 1 1000']);
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
    socket.close();
  });

  it('keeps reconnecting, and reports the bug, when shouldReconnect throws', async () => {
    const bug = new Error('policy bug');
    const { sockets } = setup({ shouldReconnect: () => { throw bug; } });
    const reported = new Promise((resolve) => process.once('uncaughtException', resolve));
    await tick();
    sockets[0]!.drop();
    await tick(1000);
    expect(sockets).toHaveLength(2);
    expect(await reported).toBe(bug);
  });
});
