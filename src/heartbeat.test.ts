import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openFirst, setup, tick } from './testing/setup';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const heartbeat = { intervalMs: 1000, timeoutMs: 500 };

const opened = (options = {}) => openFirst(setup({ heartbeat, ...options }));

describe('heartbeat', () => {
  it('pings after intervalMs of silence and swallows the pong, reporting the round-trip time', async () => {
    const { socket, last, events } = await opened();
    const rtts: number[] = [];
    socket.addEventListener('heartbeat', (e) => rtts.push(e.rttMs));
    await tick(999);
    expect(last().sent).toEqual([]);
    await tick(1);
    expect(last().sent).toEqual(['ping']);
    await tick(42);
    last().receive('pong');
    expect(rtts).toEqual([42]);
    expect(socket.rttMs).toBe(42);
    expect(events.filter((e) => e.startsWith('message'))).toEqual([]);
  });

  it('treats any inbound message as a sign of life and pings only after silence', async () => {
    const { last } = await opened();
    for (let i = 0; i < 10; i++) {
      await tick(600);
      last().receive(`data ${i}`);
    }
    expect(last().sent).toEqual([]);
  });

  it('declares the link dead when nothing arrives within timeoutMs of a ping, then reconnects', async () => {
    const { sockets, events } = await opened();
    await tick(1000 + 499);
    expect(events).not.toContain('error HEARTBEAT_TIMEOUT');
    await tick(1);
    expect(events.slice(-3)).toEqual(['error HEARTBEAT_TIMEOUT', 'close 1006', 'reconnect 1 1000']);
    expect(sockets[0]!.closeCalls).toHaveLength(1);
    await tick(1000);
    expect(sockets).toHaveLength(2);
  });

  it('does not declare a throttled tab dead when the check runs late: queued messages get in first', async () => {
    const clock = { t: 0, timers: [] as { at: number; fn: () => void }[] };
    const fakeClock = {
      now: () => clock.t,
      setTimeout: (fn: () => void, ms: number) => { const timer = { at: clock.t + ms, fn }; clock.timers.push(timer); return timer; },
      clearTimeout: (timer: unknown) => { clock.timers = clock.timers.filter((x) => x !== timer); },
    };
    const runDue = () => {
      const due = clock.timers.filter((x) => x.at <= clock.t);
      clock.timers = clock.timers.filter((x) => x.at > clock.t);
      due.forEach((x) => x.fn());
    };
    const { last, events } = setup({ heartbeat, clock: fakeClock, connectTimeoutMs: 0 });
    await tick();
    last().open();
    clock.t = 1000;
    runDue(); // ping
    expect(last().sent).toEqual(['ping']);
    clock.t = 60_000; // the tab slept: the timeout check runs a minute late...
    runDue();
    last().receive('pong'); // ...and the pong that waited behind it arrives next
    clock.t = 61_000;
    runDue();
    expect(events).not.toContain('error HEARTBEAT_TIMEOUT');
  });

  it('pings every intervalMs on an idle link even when timeoutMs is longer', async () => {
    const { last } = await opened({ heartbeat: { intervalMs: 1000, timeoutMs: 5000 } });
    for (let i = 1; i <= 4; i++) {
      await tick(1000);
      expect(last().sent).toHaveLength(i);
      last().receive('pong');
    }
  });

  it('stops with the connection: no timer after close()', async () => {
    const { socket } = await opened();
    await tick(1000);
    socket.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
