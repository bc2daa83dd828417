import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { byteLength } from '../bytes';
import type { FakeSocket } from '../testing/fake-websocket';
import { frames, id, setupJson } from '../testing/json';
import type { Envelope } from './envelope';
import { tick } from '../testing/setup';

type Outgoing = Record<'note' | 'plain' | 'echo', string>;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const failure = (code: string) => expect.objectContaining({ name: 'JsonChannelError', code });
/** What a fake socket was handed, as `type:data#id` strings (ids by number); frames that are not JSON as they are. */
const wire = (ws: FakeSocket) => ws.sent.map((frame) => {
  if (!String(frame).startsWith('{')) return String(frame);
  const f = JSON.parse(frame as string) as Envelope;
  return `${f.type}:${f.data ?? f.re}${f.id ? '#' + f.id.split('-')[1] : ''}`;
});
/** Makes the fake's bufferedAmount grow with every send, as a browser's does until the bytes leave. */
function growBuffer(ws: FakeSocket) {
  const send = ws.send.bind(ws);
  ws.send = (data) => {
    send(data);
    ws.bufferedAmount += byteLength(data);
  };
}

describe('acknowledged delivery', () => {
  it('sends {type, id, ack: true, data} and resolves when the ack naming its id arrives', async () => {
    const { channel, receive, last } = setupJson<Record<string, unknown>, Outgoing>();
    await tick();
    last().open();
    let done = false;
    const acked = channel.send('note', 'n1', { ack: true }).then(() => (done = true));
    expect(frames(last())).toEqual([{ type: 'note', id: id(1), ack: true, data: 'n1' }]);
    receive({ type: 'ack', re: id(2) });
    await tick();
    expect(done).toBe(false);
    receive({ type: 'ack', re: id(1) });
    await acked;
    expect(channel.pendingCount).toBe(0);
  });

  it('re-sends unacked messages after a reconnect, same ids, in send order, before the socket queue and new messages', async () => {
    const { channel, socket, sockets, receive } = setupJson<Record<string, unknown>, Outgoing>();
    await tick();
    sockets[0]!.open();
    const promises = [channel.send('note', 'a1', { ack: true }), channel.send('note', 'a2', { ack: true }), channel.send('note', 'a3', { ack: true })];
    channel.send('plain', 'p1');
    receive({ type: 'ack', re: id(2) });
    sockets[0]!.drop();
    // Down: a plain message waits in the socket's queue, acked ones and requests in the channel.
    channel.send('plain', 'p2');
    promises.push(channel.send('note', 'a4', { ack: true }));
    const answer = channel.request('echo', 'r5');
    socket.send('raw');
    expect(sockets[0]!.sent).toHaveLength(4);
    await tick(1000);
    socket.addEventListener('open', () => channel.send('note', 'in-open', { ack: true }), { once: true });
    sockets[1]!.open();
    promises.push(channel.send('note', 'a7', { ack: true }));
    expect(wire(sockets[0]!)).toEqual(['note:a1#1', 'note:a2#2', 'note:a3#3', 'plain:p1']);
    expect(wire(sockets[1]!)).toEqual([
      'note:a1#1', 'note:a3#3', 'note:a4#4', 'echo:r5#5', // re-sent by the channel from its open listener
      'note:in-open#6', // sent by a later open listener: straight out
      'plain:p2', 'raw', // the socket's queue
      'note:a7#7', // new
    ]);
    for (const n of [1, 3, 4, 6, 7]) receive({ type: 'ack', re: id(n) });
    receive({ type: 'echo', re: id(5), data: 'r5' });
    await Promise.all(promises);
    await expect(answer).resolves.toBe('r5');
  });

  it('hands each message to the socket once per connection and never to the socket queue', async () => {
    const { channel, socket, sockets, receive } = setupJson<Record<string, unknown>, Outgoing>();
    const promises = Array.from({ length: 5 }, (_, i) => channel.send('note', `m${i + 1}`, { ack: true }));
    expect(socket.bufferedAmount).toBe(0); // not in the socket's queue
    await tick();
    sockets[0]!.open();
    expect(wire(sockets[0]!)).toEqual(['note:m1#1', 'note:m2#2', 'note:m3#3', 'note:m4#4', 'note:m5#5']);
    receive({ type: 'ack', re: id(1) }, sockets[0]!);
    sockets[0]!.drop();
    await tick(1000);
    sockets[1]!.open();
    await tick(10_000);
    expect(wire(sockets[1]!)).toEqual(['note:m2#2', 'note:m3#3', 'note:m4#4', 'note:m5#5']);
    for (let n = 2; n <= 5; n++) receive({ type: 'ack', re: id(n) });
    await Promise.all(promises);
    expect(sockets).toHaveLength(2);
  });

  it('holds acked messages in the channel while the buffer is over the high-water mark: a reconnect sends each once', async () => {
    const { channel, socket, sockets } = setupJson<Record<string, unknown>, Outgoing>({}, { highWaterMark: 150, lowWaterMark: 70 });
    await tick();
    growBuffer(sockets[0]!);
    sockets[0]!.open();
    for (let i = 1; i <= 5; i++) void channel.send('note', `m${i}`, { ack: true }).catch(() => {});
    // Each frame is 64 bytes: m1 and m2 fit, m3 takes the buffer over 150; m4 and m5 wait in the channel, not in the socket's queue.
    expect(wire(sockets[0]!)).toEqual(['note:m1#1', 'note:m2#2', 'note:m3#3']);
    expect(socket.bufferedAmount).toBe(192);
    sockets[0]!.drop();
    await tick(1000);
    sockets[1]!.open();
    await tick(1000);
    expect(wire(sockets[1]!)).toEqual(['note:m1#1', 'note:m2#2', 'note:m3#3', 'note:m4#4', 'note:m5#5']);
    channel.dispose();
  });

  it('sends an acked message once on the next connection when it was sent while the native socket was already closing', async () => {
    const { channel, socket, sockets } = setupJson<Record<string, unknown>, Outgoing>();
    await tick();
    sockets[0]!.open();
    sockets[0]!.readyState = 2; // the server's close frame arrived; the close event has not fired yet
    expect(socket.readyState).toBe(1);
    void channel.send('note', 'x', { ack: true }).catch(() => {});
    sockets[0]!.serverClose(1012);
    await tick(1000);
    sockets[1]!.open();
    await tick(1000);
    expect(wire(sockets[1]!)).toEqual(['note:x#1']);
    channel.dispose();
  });

  it('sends an acked message once on the next connection when plain sends filled the socket queue before it', async () => {
    const { channel, socket, sockets } = setupJson<Record<string, unknown>, Outgoing>({}, { highWaterMark: 150, lowWaterMark: 70 });
    await tick();
    growBuffer(sockets[0]!);
    sockets[0]!.open();
    for (let i = 0; i < 4; i++) socket.send('b'.repeat(100)); // 2 go to the browser, 2 wait in the socket's queue
    void channel.send('note', 'x', { ack: true }).catch(() => {});
    sockets[0]!.drop();
    await tick(1000);
    sockets[1]!.open();
    await tick(1000);
    expect(wire(sockets[1]!).filter((f) => f.startsWith('note'))).toEqual(['note:x#1']);
    expect(wire(sockets[1]!).filter((f) => f.startsWith('b'))).toHaveLength(2);
    channel.dispose();
  });

  it('hands held messages over, in order, once the buffer has drained', async () => {
    const { channel, sockets } = setupJson<Record<string, unknown>, Outgoing>({}, { highWaterMark: 150, lowWaterMark: 70 });
    await tick();
    const ws = sockets[0]!;
    growBuffer(ws);
    ws.open();
    for (let i = 1; i <= 5; i++) void channel.send('note', `m${i}`, { ack: true }).catch(() => {});
    expect(wire(ws)).toHaveLength(3);
    ws.bufferedAmount = 60; // the browser sent most of it: under the low-water mark
    await tick(300);
    expect(wire(ws)).toEqual(['note:m1#1', 'note:m2#2', 'note:m3#3', 'note:m4#4', 'note:m5#5']);
    channel.dispose();
  });

  it('keeps at most maxUnacked waiting: one more is refused with a drop event and OVERFLOW', async () => {
    const { channel, receive, last, drops } = setupJson<Record<string, unknown>, Outgoing>({ maxUnacked: 2 });
    await tick();
    last().open();
    const a = channel.send('note', 'a', { ack: true });
    const b = channel.request('echo', 'b');
    await expect(channel.send('note', 'c', { ack: true })).rejects.toEqual(failure('OVERFLOW'));
    await expect(channel.request('echo', 'd')).rejects.toEqual(failure('OVERFLOW'));
    expect(drops).toEqual([{ type: 'note', id: id(3), ack: true, data: 'c' }, { type: 'echo', id: id(4), data: 'd' }]);
    receive({ type: 'ack', re: id(1) });
    await a;
    const e = channel.send('note', 'e', { ack: true });
    expect(wire(last())).toEqual(['note:a#1', 'echo:b#2', 'note:e#5']);
    expect(channel.pendingCount).toBe(2);
    channel.dispose();
    await expect(b).rejects.toEqual(failure('CLOSED'));
    await expect(e).rejects.toEqual(failure('CLOSED'));
  });

  it('resolves 200 concurrent requests across a reconnect, each answered once', async () => {
    const { channel, sockets, receive } = setupJson<Record<string, unknown>, Outgoing>();
    await tick();
    sockets[0]!.open();
    const answers = Array.from({ length: 200 }, (_, i) => channel.request('echo', `q${i}`));
    const answer = (ws: FakeSocket, from: number, to: number) => {
      for (const f of frames(ws).slice(from, to)) receive({ type: f.type, re: f.id, data: f.data }, ws);
    };
    answer(sockets[0]!, 0, 50);
    sockets[0]!.drop();
    await tick(1000);
    sockets[1]!.open();
    expect(frames(sockets[1]!).map((f) => f.id)).toEqual(Array.from({ length: 150 }, (_, i) => id(i + 51)));
    answer(sockets[1]!, 0, 150);
    answer(sockets[1]!, 0, 150); // duplicate answers are ignored
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 200 }, (_, i) => `q${i}`));
    expect(channel.pendingCount).toBe(0);
  });

  it('waits for an ack without limit by default, and for ackTimeoutMs when set', async () => {
    const { channel, last } = setupJson<Record<string, unknown>, Outgoing>({ ackTimeoutMs: 5000 }, { connectTimeoutMs: 0 });
    const settled: unknown[] = [];
    channel.send('note', 'a', { ack: true }).catch((e) => settled.push(e));
    channel.send('note', 'b', { ack: true, timeoutMs: 0 }).catch((e) => settled.push(e));
    await tick(5000);
    expect(settled).toEqual([failure('TIMEOUT')]);
    last().open();
    expect(wire(last())).toEqual(['note:b#2']);
    channel.dispose();
  });
});
