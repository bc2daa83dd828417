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

describe('close() and reconnect()', () => {
  it('close() while open closes the native socket with the code and reason, and never retries', async () => {
    const { socket, sockets, events } = setup();
    await tick();
    sockets[0]!.open();
    socket.close(4000, 'done');
    expect(socket.readyState).toBe(SteadySocket.CLOSING);
    expect(sockets[0]!.closeCalls).toEqual([[4000, 'done']]);
    sockets[0]!.closed();
    expect(socket.readyState).toBe(SteadySocket.CLOSED);
    await tick(120_000);
    expect(sockets).toHaveLength(1);
    expect(events.slice(-1)).toEqual(['close 4000 done']);
  });

  it('leaves no timer and no lifecycle listener behind after close()', async () => {
    const page = fakeLifecycle();
    const { socket, sockets } = setup({ connectTimeoutMs: 5000, lifecycle: [page.source] });
    socket.send('queued');
    expect(page.listening()).toBe(0); // nothing runs before the first attempt
    await tick();
    expect(vi.getTimerCount()).toBe(1); // the connect timeout
    expect(page.listening()).toBe(1);
    sockets[0]!.drop();
    expect(vi.getTimerCount()).toBe(1); // the backoff wait
    socket.close();
    expect(page.listening()).toBe(0);
    await tick(); // the close events, from a task as the native socket's
    expect(vi.getTimerCount()).toBe(0);
    page.signal('wake');
    page.signal('resume');
    await tick(120_000);
    expect(sockets).toHaveLength(1);
  });

  it('close() during the backoff wait is a close while CONNECTING: CLOSING, then error and close 1006, no further attempt', async () => {
    const { socket, sockets, events } = setup();
    await tick();
    sockets[0]!.drop();
    const before = events.length;
    socket.close(1000, 'bye');
    expect(socket.readyState).toBe(SteadySocket.CLOSING);
    expect(events.length).toBe(before);
    await tick();
    expect(events.slice(before)).toEqual(['error', 'close 1006']);
    expect(socket.readyState).toBe(SteadySocket.CLOSED);
    await tick(120_000);
    expect(sockets).toHaveLength(1);
  });

  it('close() right after the constructor behaves like the native one: CLOSING at once, then error and close 1006 later', async () => {
    const { socket, sockets, events } = setup();
    socket.close();
    expect(socket.readyState).toBe(SteadySocket.CLOSING);
    expect(events).toEqual([]); // nothing fires inside the call
    let wasClean: boolean | undefined;
    socket.addEventListener('close', (e) => (wasClean = e.wasClean));
    await tick();
    expect(events).toEqual(['error', 'close 1006']);
    expect(wasClean).toBe(false);
    expect(socket.readyState).toBe(SteadySocket.CLOSED);
    await tick(120_000);
    expect(sockets).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() while a URL function is pending cancels the attempt it would make', async () => {
    let answer!: (url: string) => void;
    const { socket, sockets } = setup({}, () => new Promise<string>((resolve) => (answer = resolve)));
    await tick();
    socket.close();
    answer('ws://server.test/late');
    await tick(120_000);
    expect(sockets).toHaveLength(0);
    expect(socket.readyState).toBe(SteadySocket.CLOSED);
  });

  it('close() called from a close listener stops the retry that was scheduled', async () => {
    const { socket, sockets } = setup();
    socket.addEventListener('close', () => socket.close());
    await tick();
    sockets[0]!.drop();
    await tick(120_000);
    expect(sockets).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reconnect() after close() connects again and sends new messages', async () => {
    const { socket, sockets, events } = setup();
    await tick();
    sockets[0]!.open();
    socket.close();
    sockets[0]!.closed();
    socket.reconnect();
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
    socket.send('again');
    await tick();
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual(['again']);
    expect(events.slice(-3)).toEqual(['close 1005', 'connecting 0', 'open']);
  });

  it('reconnect() right after close(), before the native close completes, is not wedged', async () => {
    const { socket, sockets } = setup();
    await tick();
    sockets[0]!.open();
    socket.close();
    socket.reconnect();
    sockets[0]!.closed(); // the old socket's late close changes nothing
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(socket.readyState).toBe(SteadySocket.OPEN);
  });

  it('reconnect() after giving up starts over from retry 0', async () => {
    const { socket, sockets, events } = setup({ reconnect: { maxRetries: 0 } });
    await tick();
    sockets[0]!.drop();
    expect(events.at(-1)).toBe('giveup retries');
    socket.send('kept while given up');
    socket.reconnect();
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual(['kept while given up']);
    expect(events.slice(-2)).toEqual(['connecting 0', 'open']);
  });

  it('reconnect() replaces an open connection, closing it with the given code and firing its close', async () => {
    const { socket, sockets, events } = setup();
    await tick();
    sockets[0]!.open();
    socket.reconnect(4001, 'rotate');
    expect(sockets[0]!.closeCalls).toEqual([[4001, 'rotate']]);
    expect(sockets).toHaveLength(2);
    expect(events.slice(-2)).toEqual(['close 4001 rotate', 'connecting 0']);
    sockets[0]!.closed();
    sockets[1]!.open();
    expect(socket.readyState).toBe(SteadySocket.OPEN);
  });

  it('reconnect() during a backoff wait tries now and cancels the wait', async () => {
    const { socket, sockets } = setup({ reconnect: { initialDelayMs: 10_000 } });
    await tick();
    sockets[0]!.drop();
    socket.reconnect();
    expect(sockets).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(1); // only the new attempt's connect timeout
    await tick(60_000);
  });

  it('close() while connecting closes the native socket; the close event follows its close', async () => {
    const { socket, sockets, events } = setup();
    await tick();
    socket.close();
    expect(socket.readyState).toBe(SteadySocket.CLOSING);
    sockets[0]!.drop();
    expect(socket.readyState).toBe(SteadySocket.CLOSED);
    expect(events.slice(-2)).toEqual(['error', 'close 1006']);
    await tick(120_000);
    expect(sockets).toHaveLength(1);
  });

  it('a second close() does nothing', async () => {
    const { socket, sockets, events } = setup();
    await tick();
    sockets[0]!.open();
    socket.close(4000);
    socket.close(4001);
    expect(sockets[0]!.closeCalls).toEqual([[4000, undefined]]);
    sockets[0]!.closed();
    expect(events.filter((e) => e.startsWith('close'))).toEqual(['close 4000']);
  });
});
