import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SteadySocket } from './socket';
import { openFirst, setup, tick } from './testing/setup';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const delays = (events: string[]) => events.filter((e) => e.startsWith('reconnect')).map((e) => Number(e.split(' ')[2]));

describe('send() options', () => {
  it('sends a volatile message now when open, and drops it (reason volatile) when not, never queuing it', async () => {
    const { socket, sockets, events } = setup();
    expect(socket.send('too early', { volatile: true })).toBe(true);
    expect(events).toEqual(['drop too early volatile']);
    expect(socket.bufferedAmount).toBe(0);
    await tick();
    sockets[0]!.open();
    socket.send('now', { volatile: true });
    expect(sockets[0]!.sent).toEqual(['now']);
  });

  it('drops a volatile message when the browser\'s buffer is over the high-water mark', async () => {
    const { socket, last, events } = await openFirst(setup({ highWaterMark: 10 }));
    last().bufferedAmount = 10;
    socket.send('cursor', { volatile: true });
    expect(last().sent).toEqual([]);
    expect(events.at(-1)).toBe('drop cursor volatile');
  });

  it('drops a message with ttlMs that waited too long (reason expired), when its time is up', async () => {
    const { socket, sockets, events } = setup();
    socket.send('keep');
    socket.send('short-lived', { ttlMs: 1000 });
    socket.send('long-lived', { ttlMs: 60_000 });
    await tick(999);
    expect(events.filter((e) => e.startsWith('drop'))).toEqual([]);
    await tick(1);
    expect(events.filter((e) => e.startsWith('drop'))).toEqual(['drop short-lived expired']);
    sockets[0]!.open();
    expect(sockets[0]!.sent).toEqual(['keep', 'long-lived']);
    expect(vi.getTimerCount()).toBe(0); // nothing waits: no expiry timer left
  });

  it('sends a message with ttlMs as usual when it gets out in time', async () => {
    const { socket, last, events } = await openFirst(setup());
    socket.send('in time', { ttlMs: 0 });
    expect(last().sent).toEqual(['in time']);
    expect(events.filter((e) => e.startsWith('drop'))).toEqual([]);
  });

  it('refuses unknown options, a negative or NaN ttlMs, and volatile with ttlMs', () => {
    const { socket } = setup();
    expect(() => socket.send('x', { later: true } as never)).toThrow(TypeError);
    expect(() => socket.send('x', { ttlMs: -1 })).toThrow(RangeError);
    expect(() => socket.send('x', { ttlMs: Number.NaN })).toThrow(RangeError);
    expect(() => socket.send('x', { volatile: true, ttlMs: 5 })).toThrow(TypeError);
    expect(socket.bufferedAmount).toBe(0);
  });
});

describe('server-directed retry delay', () => {
  it.each([1013, 4013])('waits at least a retry-after hint on close %i, with jitter on top', async (code) => {
    const { sockets, events } = setup({ random: () => 0.5 });
    await tick();
    sockets[0]!.open();
    sockets[0]!.serverClose(code, 'retry-after=30');
    expect(delays(events)).toEqual([30_000 + 7500]); // 30 s, plus half of the 0.5 jitter
    await tick(37_499);
    expect(sockets).toHaveLength(1);
    await tick(1);
    expect(sockets).toHaveLength(2);
  });

  it('cuts a hint that is absurdly long to maxRetryAfterMs', async () => {
    const { sockets, events } = setup({ random: () => 0, reconnect: { maxRetryAfterMs: 60_000 } });
    await tick();
    sockets[0]!.open();
    sockets[0]!.serverClose(4013, 'retry-after=999999999');
    expect(delays(events)).toEqual([60_000]);
  });

  it('reports a malformed hint (RETRY_HINT) and retries with its usual backoff', async () => {
    const { sockets, events } = setup();
    await tick();
    sockets[0]!.open();
    sockets[0]!.serverClose(4013, 'retry-after=soon');
    expect(events.slice(-3)).toEqual(['error RETRY_HINT', 'close 4013 retry-after=soon', 'reconnect 1 1000']);
  });

  it('ignores the reason of other close codes', async () => {
    const { sockets, events } = setup();
    await tick();
    sockets[0]!.open();
    sockets[0]!.serverClose(1011, 'retry-after=30');
    expect(delays(events)).toEqual([1000]);
  });
});

describe('endpoint failover', () => {
  const urls = ['ws://a.test/', 'ws://b.test/', 'ws://c.test/'];

  it('tries the next endpoint at once when one fails, and backs off only after a whole round', async () => {
    const { socket, sockets, events } = setup({}, urls);
    expect(socket.url).toBe('ws://a.test/');
    await tick();
    sockets[0]!.drop();
    await tick();
    sockets[1]!.drop();
    await tick();
    sockets[2]!.drop();
    await tick();
    expect(sockets.map((s) => s.url)).toEqual(urls);
    expect(events.filter((e) => e.startsWith('reconnect'))).toEqual(['reconnect 0 0', 'reconnect 0 0', 'reconnect 1 1000']);
    await tick(1000);
    expect(sockets.at(-1)!.url).toBe('ws://a.test/');
  });

  it('stays with the endpoint that works, and says which one each attempt uses', async () => {
    const { socket, sockets } = setup({}, urls);
    const endpoints: number[] = [];
    socket.addEventListener('connecting', (e) => endpoints.push(e.endpoint));
    await tick();
    sockets[0]!.drop();
    await tick();
    sockets[1]!.open();
    expect(socket.url).toBe('ws://b.test/');
    sockets[1]!.drop(); // an established connection drops: its endpoint first again
    await tick(1000);
    expect(sockets[2]!.url).toBe('ws://b.test/');
    expect(endpoints).toEqual([0, 1, 1]);
  });

  it('takes a list from a URL function too', async () => {
    let calls = 0;
    const { sockets } = setup({}, () => (++calls, urls.slice(0, 2)));
    await tick();
    sockets[0]!.drop();
    await tick();
    expect(sockets.map((s) => s.url)).toEqual(urls.slice(0, 2));
    expect(calls).toBe(2);
  });

  it('refuses an empty list, and a list with a URL the native constructor would refuse', () => {
    expect(() => setup({}, [])).toThrow(TypeError);
    expect(() => setup({}, ['ws://a.test/', 'ftp://b.test/'])).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
  });
});

describe('ready()', () => {
  it('resolves at the ready point, after the handshake hook, and at once while ready', async () => {
    let finish!: () => void;
    const { socket, sockets } = setup({ handshake: () => new Promise<void>((r) => (finish = r)) });
    let ready = false;
    void socket.ready().then(() => (ready = true));
    await tick();
    sockets[0]!.open();
    await tick();
    expect(ready).toBe(false);
    finish();
    await tick();
    expect(ready).toBe(true);
    await expect(socket.ready()).resolves.toBeUndefined();
  });

  it('rejects with InvalidStateError when close() comes first', async () => {
    const { socket } = setup();
    const waiting = socket.ready();
    socket.close();
    await expect(waiting).rejects.toMatchObject({ name: 'InvalidStateError' });
    await expect(socket.ready()).rejects.toMatchObject({ name: 'InvalidStateError' });
  });
});

describe('stats', () => {
  it('counts connections, closes by code, retries, messages and bytes each way, drops by reason, time connected', async () => {
    const { socket, sockets } = setup({ queue: { maxMessages: 1 } });
    socket.send('a');
    socket.send('bb'); // drops "a" (overflow)
    socket.send('x', { volatile: true }); // not open: dropped
    await tick(100);
    sockets[0]!.open();
    socket.send('héllo');
    sockets[0]!.receive('pong?');
    await tick(1000);
    sockets[0]!.serverClose(1012);
    const s = socket.stats;
    expect(s).toMatchObject({
      connectionsOpened: 1, closes: { 1012: 1 }, retries: 1, attempt: 0, messagesSent: 2, bytesSent: 2 + 6,
      messagesReceived: 1, bytesReceived: 5, drops: { overflow: 1, volatile: 1 }, connectedMs: 1000, disconnectedMs: 100,
    });
    expect(s.nextRetryAt! - performance.now()).toBe(1000); // on the socket's clock
    expect(Object.isFrozen(s)).toBe(true);
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
  });
});
