import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pageLifecycle, type LifecycleSignal } from './lifecycle';
import { SteadySocket } from './socket';
import { frames, setupJson } from './testing/json';
import { fakeLifecycle, setup, tick } from './testing/setup';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A socket on a fake WebSocket whose page life the test drives; the first connection is open. */
async function openWithPage(options = {}, url?: () => string) {
  const page = fakeLifecycle();
  const t = url ? setup({ lifecycle: [page.source], ...options }, url) : setup({ lifecycle: [page.source], ...options });
  await tick();
  t.last().open();
  return { ...t, page };
}

describe('back/forward cache and freezing', () => {
  it('suspend closes the open connection cleanly with 1000 "suspend", keeps what is queued, and schedules nothing', async () => {
    const { socket, sockets, events, page } = await openWithPage();
    page.signal('suspend');
    expect(sockets[0]!.closeCalls).toEqual([[1000, 'suspend']]);
    expect(events.at(-1)).toBe('close 1000 suspend');
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
    socket.send('while cached');
    expect(socket.bufferedAmount).toBe('while cached'.length);
    expect(vi.getTimerCount()).toBe(0);
    await tick(120_000);
    expect(sockets).toHaveLength(1);
  });

  it('resume connects at once with a fresh call of the URL function and sends what was queued, once and in order', async () => {
    let calls = 0;
    const { socket, sockets, events, page } = await openWithPage({ reconnect: { initialDelayMs: 20_000 } }, () => `ws://server.test/live?n=${++calls}`);
    socket.send('before');
    page.signal('suspend');
    socket.send('in pagehide');
    page.signal('resume');
    await tick();
    expect(sockets.map((s) => s.url)).toEqual(['ws://server.test/live?n=1', 'ws://server.test/live?n=2']);
    expect(events.at(-1)).toBe('connecting 0');
    sockets[1]!.open();
    socket.send('after');
    expect(sockets[0]!.sent).toEqual(['before']);
    expect(sockets[1]!.sent).toEqual(['in pagehide', 'after']);
  });

  it('suspend abandons an attempt under way, and cancels a backoff wait', async () => {
    const page = fakeLifecycle();
    const { socket, sockets, events } = setup({ lifecycle: [page.source], reconnect: { initialDelayMs: 5000 } });
    await tick();
    page.signal('suspend'); // connecting
    expect(sockets[0]!.closeCalls).toEqual([[1000, 'suspend']]);
    expect(events.at(-1)).toBe('close 1000 suspend');
    page.signal('resume');
    await tick();
    sockets[1]!.drop(); // now waiting 3.75 s for retry 1
    page.signal('suspend');
    expect(vi.getTimerCount()).toBe(0);
    await tick(60_000);
    expect(sockets).toHaveLength(2);
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
  });

  it('ignores wake-ups while suspended and resume without a suspend (it is a wake-up then)', async () => {
    const { sockets, page } = await openWithPage();
    page.signal('resume');
    page.signal('suspend');
    page.signal('wake');
    page.signal('online');
    await tick(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('keeps a JsonChannel\'s unacked messages across suspend and resume and sends each once on the new connection', async () => {
    const page = fakeLifecycle();
    const { channel, sockets, receive } = setupJson<Record<string, unknown>, { note: string }>({}, { lifecycle: [page.source] });
    await tick();
    sockets[0]!.open();
    const acked = channel.send('note', 'n1', { ack: true });
    page.signal('suspend');
    const later = channel.send('note', 'n2', { ack: true });
    page.signal('resume');
    await tick();
    sockets[1]!.open();
    expect(frames(sockets[1]!).map((f) => f.data)).toEqual(['n1', 'n2']);
    receive({ type: 'ack', re: frames(sockets[1]!)[0]!.id });
    receive({ type: 'ack', re: frames(sockets[1]!)[1]!.id });
    await expect(Promise.all([acked, later])).resolves.toHaveLength(2);
    expect(frames(sockets[0]!).map((f) => f.data)).toEqual(['n1']);
  });
});

describe('offline', () => {
  it('does not spend maxRetries while offline: waits as a fully grown backoff does, and online connects at once', async () => {
    const page = fakeLifecycle();
    const { socket, sockets, events } = setup({ random: () => 0.5, lifecycle: [page.source], reconnect: { maxRetries: 3, maxDelayMs: 10_000 } });
    await tick();
    page.signal('offline');
    sockets[0]!.drop();
    for (let i = 0; i < 360; i++) {
      // an hour offline: every attempt fails
      await tick(10_000);
      sockets.at(-1)!.drop();
    }
    expect(events).not.toContain('giveup retries');
    // Uniform over [initialDelayMs, maxDelayMs] (decorrelated jitter at its cap): 5500 ms at random 0.5, never counted.
    const retries = events.filter((e) => e.startsWith('reconnect'));
    expect(retries).toHaveLength(361);
    expect(new Set(retries)).toEqual(new Set(['reconnect 0 5500']));
    const before = sockets.length;
    page.signal('online');
    await tick();
    expect(sockets).toHaveLength(before + 1);
    sockets.at(-1)!.open();
    expect(socket.readyState).toBe(SteadySocket.OPEN);
  });

  it('picks up the backoff where it was once online: an offline wait is not a previous delay', async () => {
    const page = fakeLifecycle();
    const { sockets, events } = setup({ random: () => 0.5, lifecycle: [page.source] });
    await tick();
    sockets[0]!.drop(); // 2000 ms: from initialDelayMs
    await tick(2000);
    page.signal('offline');
    sockets[1]!.drop(); // 15500 ms: uniform over [1 s, 30 s] while offline
    await tick(15_500);
    page.signal('online');
    sockets[2]!.drop(); // 3500 ms: drawn from the 2000 before going offline
    expect(events.filter((e) => e.startsWith('reconnect'))).toEqual(['reconnect 1 2000', 'reconnect 1 15500', 'reconnect 2 3500']);
  });

  it('counts retries again once online', async () => {
    const page = fakeLifecycle();
    const { sockets, events } = setup({ lifecycle: [page.source], reconnect: { maxRetries: 2 } });
    await tick();
    page.signal('offline');
    page.signal('online');
    for (let i = 0; i < 3; i++) {
      sockets.at(-1)!.drop();
      await tick(5000);
    }
    expect(events.at(-1)).toBe('giveup retries');
  });
});

describe('liveness on wake-ups (with a heartbeat)', () => {
  const heartbeat = { intervalMs: 25_000, timeoutMs: 10_000, probeTimeoutMs: 3000 };

  it.each<LifecycleSignal>(['wake', 'online', 'offline', 'resume'])('%s pings an open connection at once; a live one is left alone', async (kind) => {
    const { socket, sockets, events, page } = await openWithPage({ heartbeat });
    await tick(1000);
    page.signal(kind);
    expect(sockets[0]!.sent).toEqual(['ping']);
    await tick(200);
    sockets[0]!.receive('pong');
    await tick(10_000);
    expect(sockets).toHaveLength(1);
    expect(socket.rttMs).toBe(200);
    expect(events).not.toContain('error HEARTBEAT_TIMEOUT');
  });

  it('replaces a dead connection within probeTimeoutMs of the wake-up, and loses nothing queued', async () => {
    const { socket, sockets, events, page } = await openWithPage({ heartbeat });
    page.signal('wake');
    socket.send('queued behind the dead link');
    await tick(2999);
    expect(sockets).toHaveLength(1);
    await tick(1);
    expect(events.slice(-3)).toEqual(['error HEARTBEAT_TIMEOUT', 'close 1006', 'reconnect 1 1000']);
    await tick(1000);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual(['queued behind the dead link']);
  });

  it('holds what the app sends during a probe until the connection answers, then sends it in order', async () => {
    const { socket, sockets, page } = await openWithPage({ heartbeat });
    page.signal('wake');
    socket.send('a');
    socket.send('b');
    expect(sockets[0]!.sent).toEqual(['ping']);
    await tick(40);
    sockets[0]!.receive('pong');
    expect(sockets[0]!.sent).toEqual(['ping', 'a', 'b']);
    socket.send('c');
    expect(sockets[0]!.sent).toEqual(['ping', 'a', 'b', 'c']);
  });

  it('cuts the wait for a pending pong to probeTimeoutMs', async () => {
    const { sockets, events, page } = await openWithPage({ heartbeat });
    await tick(25_000);
    expect(sockets[0]!.sent).toEqual(['ping']); // the regular ping: 10 s to answer
    await tick(1000);
    page.signal('wake');
    expect(sockets[0]!.sent).toEqual(['ping']); // no second ping
    await tick(3000);
    expect(events).toContain('error HEARTBEAT_TIMEOUT');
  });

  it('probes when a heartbeat check runs more than intervalMs late (the device slept or the tab was throttled)', async () => {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const clock = {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => timers.push({ at: now + ms, fn }),
      clearTimeout: (id: unknown) => void (typeof id === 'number' && (timers[id - 1]!.fn = () => {})),
    };
    const { sockets, events } = await openWithPage({ heartbeat, clock, connectTimeoutMs: 0 });
    const due = timers.at(-1)!;
    now = due.at + 60 * 60_000; // an hour asleep: the check fires far later than asked
    due.fn();
    expect(sockets[0]!.sent).toEqual(['ping']);
    now += 3000;
    timers.at(-1)!.fn();
    expect(events).toContain('error HEARTBEAT_TIMEOUT');
  });

  it('without a heartbeat, a wake-up leaves an open connection alone', async () => {
    const { sockets, page } = await openWithPage();
    page.signal('wake');
    await tick(60_000);
    expect(sockets[0]!.sent).toEqual([]);
    expect(sockets).toHaveLength(1);
  });
});

describe('pageLifecycle, the default source', () => {
  function fakePage(onLine = true) {
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'hidden' as DocumentVisibilityState });
    vi.stubGlobal('addEventListener', win.addEventListener.bind(win));
    vi.stubGlobal('removeEventListener', win.removeEventListener.bind(win));
    vi.stubGlobal('document', doc);
    vi.stubGlobal('navigator', { onLine });
    return { win, doc };
  }
  const subscribeAll = (seen: string[]) => {
    return pageLifecycle((kind) => seen.push(kind));
  };
  const pageEvent = (type: string, persisted: boolean) => Object.assign(new Event(type), { persisted });

  it('map the page events to signals, and stop listening when stopped', () => {
    const { win, doc } = fakePage();
    const seen: string[] = [];
    const stop = subscribeAll(seen);
    win.dispatchEvent(new Event('offline'));
    win.dispatchEvent(new Event('online'));
    doc.dispatchEvent(new Event('visibilitychange')); // hidden: nothing
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    win.dispatchEvent(pageEvent('pagehide', true));
    win.dispatchEvent(pageEvent('pageshow', false)); // a fresh load: nothing
    win.dispatchEvent(pageEvent('pageshow', true));
    win.dispatchEvent(pageEvent('pagehide', false)); // going away for good: closed cleanly all the same
    doc.dispatchEvent(new Event('freeze'));
    doc.dispatchEvent(new Event('resume'));
    expect(seen).toEqual(['offline', 'online', 'wake', 'suspend', 'resume', 'suspend', 'suspend', 'resume']);
    stop();
    for (const type of ['offline', 'online', 'pagehide']) win.dispatchEvent(pageEvent(type, true));
    for (const type of ['visibilitychange', 'freeze', 'resume']) doc.dispatchEvent(new Event(type));
    expect(seen).toHaveLength(8);
  });

  it('say offline at once when the browser already is', () => {
    fakePage(false);
    const seen: string[] = [];
    subscribeAll(seen)();
    expect(seen).toEqual(['offline']);
  });

  it('do nothing, and throw nothing, where there is no window, document or navigator (Node)', () => {
    const seen: string[] = [];
    subscribeAll(seen)();
    expect(typeof globalThis.addEventListener).toBe('undefined');
    expect(seen).toEqual([]);
  });
});
