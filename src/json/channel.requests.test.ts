import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { frames, id, setupJson } from '../testing/json';
import { openFirst, tick } from '../testing/setup';
import { JsonChannelError } from './errors';

interface Outgoing {
  getUser: { id: number };
  log: string;
}
interface Answers {
  getUser: { name: string };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const failure = (code: string, extra: object = {}) => expect.objectContaining({ name: 'JsonChannelError', code, ...extra });

const openJson = (options: Parameters<typeof setupJson>[0] = {}, socketOptions: Parameters<typeof setupJson>[1] = {}) =>
  openFirst(setupJson<Record<string, unknown>, Outgoing, Answers>(options, socketOptions));

describe('request', () => {
  it('sends {type, id, data} and resolves with the data of the answer naming that id', async () => {
    const { channel, receive, last } = await openJson();
    const user = channel.request('getUser', { id: 7 });
    const other = channel.request('log', 'x');
    expectTypeOf(user).toEqualTypeOf<Promise<{ name: string }>>();
    expectTypeOf(other).toEqualTypeOf<Promise<unknown>>();
    expect(frames(last())).toEqual([{ type: 'getUser', id: id(1), data: { id: 7 } }, { type: 'log', id: id(2), data: 'x' }]);
    receive({ type: 'log', re: id(2) });
    receive({ type: 'getUser', re: id(1), data: { name: 'Ann' } });
    await expect(user).resolves.toEqual({ name: 'Ann' });
    await expect(other).resolves.toBeUndefined();
    expect(channel.pendingCount).toBe(0);
  });

  it('rejects with REMOTE, carrying the remote code and message, for an error answer', async () => {
    const { channel, receive } = await openJson();
    const user = channel.request('getUser', { id: 404 });
    receive({ type: 'getUser', re: id(1), error: { code: 'NOT_FOUND', message: 'no user 404' } });
    const error = await user.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonChannelError);
    expect(error).toMatchObject({ code: 'REMOTE', remote: { code: 'NOT_FOUND', message: 'no user 404' }, message: 'NOT_FOUND: no user 404' });
    expect((error as JsonChannelError).cause).toMatchObject({ re: id(1) });
  });

  it('times out after 30 s by default, counting the time spent waiting for a connection; a late answer is ignored', async () => {
    const { channel, receive, last, sockets } = setupJson<Record<string, unknown>, Outgoing, Answers>({}, { connectTimeoutMs: 0 });
    const settled: unknown[] = [];
    const user = channel.request('getUser', { id: 1 });
    user.catch((e) => settled.push(e));
    await tick(20_000); // still connecting
    last().open();
    expect(frames(last())).toEqual([{ type: 'getUser', id: id(1), data: { id: 1 } }]);
    await tick(9_999);
    expect(settled).toEqual([]);
    await tick(1);
    expect(settled).toEqual([failure('TIMEOUT')]);
    receive({ type: 'getUser', re: id(1), data: { name: 'late' } });
    expect(sockets).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes a timeout per call, and does not send what timed out before the connection opened', async () => {
    const { channel, last } = setupJson<Record<string, unknown>, Outgoing, Answers>({ requestTimeoutMs: 1000 });
    const settled: unknown[] = [];
    channel.request('getUser', { id: 1 }, { timeoutMs: 100 }).catch((e) => settled.push(e));
    channel.request('getUser', { id: 2 }).catch((e) => settled.push(e));
    const patient = channel.request('getUser', { id: 3 }, { timeoutMs: 0 });
    await tick(99);
    expect(settled).toEqual([]);
    await tick(1);
    expect(settled).toEqual([failure('TIMEOUT', { message: `no answer to getUser ${id(1)} within 100 ms` })]);
    await tick(900);
    expect(settled).toEqual([failure('TIMEOUT'), failure('TIMEOUT', { message: `no answer to getUser ${id(2)} within 1000 ms` })]);
    last().open();
    expect(frames(last())).toEqual([{ type: 'getUser', id: id(3), data: { id: 3 } }]);
    expect(channel.pendingCount).toBe(1);
    void patient;
  });

  it('rejects with ABORTED: at once (sending nothing) for an aborted signal, and when aborted while waiting', async () => {
    const { channel, last } = setupJson<Record<string, unknown>, Outgoing, Answers>();
    const early = new AbortController();
    early.abort(new Error('not needed'));
    await expect(channel.request('getUser', { id: 1 }, { signal: early.signal })).rejects.toEqual(failure('ABORTED', { cause: new Error('not needed') }));
    const late = new AbortController();
    const waiting = channel.request('getUser', { id: 2 }, { signal: late.signal });
    const acked = channel.send('log', 'x', { ack: true, signal: late.signal });
    late.abort();
    await expect(waiting).rejects.toEqual(failure('ABORTED'));
    await expect(acked).rejects.toEqual(failure('ABORTED'));
    await tick();
    last().open();
    expect(last().sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(0); // the request timeouts went with the aborts, the connect timeout with the open
  });

  it('rejects what waits with CLOSED when the socket is closed for good, and new requests at once', async () => {
    const { channel, socket, last } = await openJson();
    const pending = [channel.request('getUser', { id: 1 }), channel.send('log', 'x', { ack: true })];
    socket.close();
    await expect(channel.request('getUser', { id: 2 })).rejects.toEqual(failure('CLOSED'));
    last().closed();
    for (const p of pending) await expect(p).rejects.toEqual(failure('CLOSED'));
    expect(vi.getTimerCount()).toBe(0);
    // reconnect() brings the channel back too.
    socket.reconnect();
    last().open();
    const again = channel.request('getUser', { id: 3 });
    expect(frames(last())).toEqual([{ type: 'getUser', id: id(3), data: { id: 3 } }]);
    void again;
  });

  it('rejects what waits with CLOSED when the socket gives up, not on a close it retries', async () => {
    const { channel, sockets, events } = await openJson({}, { reconnect: { maxRetries: 1 } });
    const user = channel.request('getUser', { id: 1 }, { timeoutMs: 0 });
    const settled: unknown[] = [];
    user.catch((e) => settled.push(e));
    sockets[0]!.drop();
    await tick();
    expect(settled).toEqual([]);
    await tick(1000);
    sockets[1]!.drop();
    await tick();
    expect(events.at(-1)).toBe('giveup retries');
    expect(settled).toEqual([failure('CLOSED')]);
  });
});

describe('dispose', () => {
  it('rejects what waits with CLOSED and leaves no timer, handler or socket listener behind', async () => {
    const { socket, last } = await openJson();
    const added: [string, unknown][] = [];
    const removed: [string, unknown][] = [];
    const add = vi.spyOn(socket, 'addEventListener').mockImplementation(function (this: EventTarget, type: string, fn: any) {
      added.push([type, fn]);
      EventTarget.prototype.addEventListener.call(this, type, fn);
    });
    const remove = vi.spyOn(socket, 'removeEventListener').mockImplementation(function (this: EventTarget, type: string, fn: any) {
      removed.push([type, fn]);
      EventTarget.prototype.removeEventListener.call(this, type, fn);
    });
    const { JsonChannel } = await import('./channel');
    const channel = new JsonChannel<{ chat: string }, Outgoing>(socket);
    const calls: string[] = [];
    channel.on('chat', (data) => calls.push(data));
    channel.on('*', () => calls.push('*'));
    const waiting = [channel.request('getUser', { id: 1 }), channel.send('log', 'a', { ack: true, timeoutMs: 5000 })];
    expect(vi.getTimerCount()).toBe(2);
    channel.dispose();
    channel.dispose();
    for (const p of waiting) await expect(p).rejects.toEqual(failure('CLOSED'));
    expect(vi.getTimerCount()).toBe(0);
    expect(added.length).toBeGreaterThan(0);
    expect(removed).toEqual(added);
    add.mockRestore();
    remove.mockRestore();
    last().receive('{"type":"chat","data":"late"}');
    expect(calls).toEqual([]);
    expect(() => channel.send('log', 'x')).toThrow(failure('CLOSED'));
    await expect(channel.request('log', 'x')).rejects.toEqual(failure('CLOSED'));
    expect(last().sent).toHaveLength(2); // the two sent before dispose, nothing after
  });
});
