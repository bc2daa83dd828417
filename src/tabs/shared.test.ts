import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JsonChannel } from '../json/channel';
import { fakeWebSocket } from '../testing/fake-websocket';
import { tick } from '../testing/setup';
import { installTabFakes, type FakeLocks } from '../testing/tabs';
import { SharedSteadySocket, type SharedSteadySocketOptions } from './index';

let locks: FakeLocks;
let fake: ReturnType<typeof fakeWebSocket>;

beforeEach(() => {
  vi.useFakeTimers();
  locks = installTabFakes();
  fake = fakeWebSocket();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const URL_ = 'ws://server.test/live';
const LOCK = `steadysocket:${URL_} `;

/** `count` tabs sharing one connection; each logs what it saw. */
function tabs(count: number, options: SharedSteadySocketOptions = {}) {
  return Array.from({ length: count }, () => {
    const socket = new SharedSteadySocket(URL_, undefined, { WebSocket: fake.WebSocket, random: () => 0.5, lifecycle: [], ...options });
    const seen: string[] = [];
    for (const type of ['open', 'close', 'connecting', 'error', 'leader'])
      socket.addEventListener(type, (e: any) => seen.push(type === 'close' ? `close ${e.code}` : type === 'leader' ? `leader ${e.leader}` : e.error ? `error ${e.error.code}` : type));
    socket.addEventListener('message', (e) => seen.push(`message ${typeof e.data === 'string' ? e.data : `<${e.data.constructor.name}>`}`));
    return { socket, seen };
  });
}

/** Lets locks, channels and the first attempt settle, and opens the one native socket. */
async function connect() {
  await tick(10);
  expect(fake.sockets).toHaveLength(1);
  fake.sockets[0]!.open();
  await tick(10);
}

describe('SharedSteadySocket', () => {
  it('gives four tabs one connection, led by the first to get the lock; every tab sees it open', async () => {
    const four = tabs(4);
    await connect();
    expect(fake.sockets).toHaveLength(1);
    expect(four.map((t) => t.socket.leader)).toEqual([true, false, false, false]);
    expect(four.map((t) => t.socket.readyState)).toEqual([1, 1, 1, 1]);
    for (const t of four) expect(t.seen).toContain('open');
  });

  it('delivers every server message to every tab once, in order, binary in each tab\'s binaryType', async () => {
    const three = tabs(3);
    three[1]!.socket.binaryType = 'arraybuffer';
    await connect();
    fake.sockets[0]!.receive('one');
    fake.sockets[0]!.receive(new Uint8Array([1, 2]).buffer);
    fake.sockets[0]!.receive('two');
    await tick(10);
    for (const [i, t] of three.entries())
      expect(t.seen.filter((s) => s.startsWith('message'))).toEqual(['message one', `message <${i === 1 ? 'ArrayBuffer' : 'Blob'}>`, 'message two']);
  });

  it('sends what every tab sends through the one connection, each tab\'s in its order, and confirms it', async () => {
    const three = tabs(3);
    await connect();
    for (let i = 1; i <= 3; i++) for (const [n, t] of three.entries()) t.socket.send(`t${n}-${i}`);
    await tick(10);
    const sent = fake.sockets[0]!.sent as string[];
    expect(sent).toHaveLength(9);
    for (const n of [0, 1, 2]) expect(sent.filter((m) => m.startsWith(`t${n}`))).toEqual([`t${n}-1`, `t${n}-2`, `t${n}-3`]);
    expect(three.map((t) => t.socket.bufferedAmount)).toEqual([0, 0, 0]); // confirmed: nothing kept
  });

  it('hands over to the next tab when the leader closes: it connects at once and sends what was not confirmed', async () => {
    const [first, second, third] = tabs(3);
    await connect();
    first!.socket.close(1000, 'bye');
    await tick(10);
    expect(fake.sockets[0]!.closeCalls).toEqual([[1000, 'bye']]);
    fake.sockets[0]!.closed();
    await tick(10);
    expect(fake.sockets).toHaveLength(2); // the next tab connected without a backoff wait
    expect(second!.socket.leader).toBe(true);
    third!.socket.send('while the new leader connects');
    await tick(10);
    fake.sockets[1]!.open();
    await tick(10);
    expect(fake.sockets[1]!.sent).toEqual(['while the new leader connects']);
    expect(third!.seen.slice(-2)).toEqual(['connecting', 'open']);
    expect(third!.seen).toContain('close 1000'); // the old connection's close, with a retry to follow
    expect(first!.seen.at(-1)).toBe('close 1000');
    expect(first!.socket.readyState).toBe(3);
  });

  it('recovers from a leader that vanished: the survivors see close 1006, then one new connection', async () => {
    const [first, second, third] = tabs(3);
    await connect();
    third!.socket.send('unconfirmed?');
    // The leader's tab crashes before it handles the send: its channel and lock go, its socket with it.
    (first!.socket as any).close = () => {};
    locks.crash(LOCK);
    await tick(1); // the lock moves before the crashed tab's channel would deliver anything
    await tick(10);
    expect(second!.socket.leader).toBe(true);
    expect(second!.seen).toContain('close 1006');
    expect(fake.sockets).toHaveLength(2);
    fake.sockets[1]!.open();
    await tick(10);
    expect(fake.sockets[1]!.sent).toContain('unconfirmed?');
    expect(third!.socket.readyState).toBe(1);
  });

  it('closes the connection with the code and reason of the last tab that leaves', async () => {
    const [first, second] = tabs(2);
    await connect();
    second!.socket.close(4001, 'follower left');
    await tick(10);
    expect(fake.sockets[0]!.closeCalls).toEqual([]);
    first!.socket.close(4002, 'last one');
    await tick(10);
    expect(fake.sockets[0]!.closeCalls).toEqual([[4002, 'last one']]);
    expect(second!.seen.at(-1)).toBe('close 4001');
  });

  it('reports a malformed message on the channel and skips it', async () => {
    const [first] = tabs(1);
    await connect();
    new BroadcastChannel(LOCK).postMessage({ k: 'o', t: 'x', n: 'not a number', d: 'evil' });
    new BroadcastChannel(LOCK).postMessage('junk');
    await tick(10);
    expect(first!.seen.filter((s) => s.startsWith('error'))).toEqual(['error TAB_MESSAGE', 'error TAB_MESSAGE']);
    expect(fake.sockets[0]!.sent).toEqual([]);
  });

  it('keeps a follower\'s sends until confirmed: send() returns false over highWaterMark, and drain follows', async () => {
    const [, follower] = tabs(2, { highWaterMark: 20, lowWaterMark: 10 });
    await connect();
    const results = [follower!.socket.send('x'.repeat(15)), follower!.socket.send('y'.repeat(15))];
    expect(results).toEqual([true, false]);
    expect(follower!.socket.bufferedAmount).toBe(30);
    let drained = false;
    follower!.socket.addEventListener('drain', () => (drained = true));
    await tick(10);
    expect(follower!.socket.bufferedAmount).toBe(0);
    expect(drained).toBe(true);
  });

  it('gives a follower ready() at the next ready after a drop, drops its volatile sends meanwhile and counts them', async () => {
    const [, follower] = tabs(2);
    await connect();
    await expect(follower!.socket.ready()).resolves.toBeUndefined();
    fake.sockets[0]!.drop();
    await tick(10);
    expect(follower!.socket.readyState).toBe(0);
    let ready = false;
    void follower!.socket.ready().then(() => (ready = true));
    const drops: string[] = [];
    follower!.socket.addEventListener('drop', (e) => drops.push(e.reason));
    follower!.socket.send('cursor', { volatile: true });
    expect(drops).toEqual(['volatile']);
    expect(follower!.socket.stats.drops).toEqual({ volatile: 1 });
    await vi.advanceTimersByTimeAsync(1000); // the leader's retry (random 0.5 of 1-3 s: 2 s)
    await vi.advanceTimersByTimeAsync(1000);
    expect(ready).toBe(false); // a close with a retry to follow does not end the wait
    expect(fake.sockets).toHaveLength(2);
    fake.sockets[1]!.open();
    await tick(10);
    expect(ready).toBe(true);
  });

  it('is a plain socket per tab without Web Locks or BroadcastChannel', async () => {
    vi.stubGlobal('navigator', {});
    const two = tabs(2);
    await tick(10);
    expect(fake.sockets).toHaveLength(2);
    expect(two.map((t) => t.socket.leader)).toEqual([true, true]);
  });

  it('needs a name when the URL is a function', () => {
    expect(() => new SharedSteadySocket(() => URL_, undefined, { WebSocket: fake.WebSocket })).toThrow(TypeError);
    expect(() => new SharedSteadySocket(() => URL_, undefined, { WebSocket: fake.WebSocket, name: 'live', lifecycle: [] }).close()).not.toThrow();
  });

  it('carries a JsonChannel: an acked send from a follower goes out once and resolves in that tab only', async () => {
    const [leaderTab, followerTab] = tabs(2);
    const channels = [new JsonChannel(leaderTab!.socket, { random: () => 0.1 }), new JsonChannel(followerTab!.socket, { random: () => 0.9 })];
    await connect();
    const acked = channels[1]!.send('note', 'hi', { ack: true });
    await tick(10);
    const frames = (fake.sockets[0]!.sent as string[]).map((f) => JSON.parse(f));
    expect(frames).toHaveLength(1);
    fake.sockets[0]!.receive(JSON.stringify({ type: 'ack', re: frames[0].id }));
    await tick(10);
    await expect(acked).resolves.toBe(frames[0].id);
    expect(channels[0]!.pendingCount).toBe(0);
  });
});
