import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SteadySocket } from './socket';
import { setup, tick } from './testing/setup';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('queue gated on open', () => {
  it('queues messages sent while connecting and flushes them in order after open', async () => {
    const { socket, last } = setup();
    expect(socket.send('a')).toBe(true);
    socket.send('b');
    await tick();
    socket.send('c');
    expect(last().sent).toEqual([]);
    last().open();
    expect(last().sent).toEqual(['a', 'b', 'c']);
    socket.send('d');
    expect(last().sent).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sends what open listeners send before the queued messages', async () => {
    const { socket, last } = setup();
    socket.send('queued-1');
    socket.send('queued-2');
    socket.addEventListener('open', () => socket.send('auth'));
    await tick();
    last().open();
    expect(last().sent).toEqual(['auth', 'queued-1', 'queued-2']);
  });

  it('holds the flush until the handshake hook resolves, and its own sends go first', async () => {
    let finish!: () => void;
    const { socket, last } = setup({
      handshake: (send) => {
        send('hello-server');
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    socket.send('queued');
    await tick();
    last().open();
    socket.send('during-handshake');
    expect(last().sent).toEqual(['hello-server']);
    expect(socket.readyState).toBe(SteadySocket.OPEN);
    finish();
    await tick();
    expect(last().sent).toEqual(['hello-server', 'queued', 'during-handshake']);
  });

  it('closes and retries when the handshake rejects, keeping the queue for the next connection', async () => {
    let calls = 0;
    const { socket, sockets, events } = setup({
      handshake: async () => {
        if (++calls === 1) throw new Error('bad token');
      },
    });
    const errors: unknown[] = [];
    socket.addEventListener('error', (e) => errors.push(e.error?.cause));
    socket.send('m');
    await tick();
    sockets[0]!.open();
    await tick();
    expect(sockets[0]!.closeCalls).toHaveLength(1);
    expect(sockets[0]!.sent).toEqual([]);
    expect(events.slice(0, 5)).toEqual(['connecting 0', 'open', 'error HANDSHAKE', 'close 1006', 'reconnect 1 1000']);
    expect((errors[0] as Error).message).toBe('bad token');
    await tick(1000);
    sockets[1]!.open();
    await tick();
    expect(sockets[1]!.sent).toEqual(['m']);
  });

  it('counts queued bytes (UTF-8) plus the native buffer in bufferedAmount', async () => {
    const { socket, last } = setup();
    socket.send('héllo'); // 6 bytes
    socket.send(new Uint8Array(10));
    socket.send(new Blob(['abc']));
    expect(socket.bufferedAmount).toBe(19);
    await tick();
    last().open();
    expect(socket.bufferedAmount).toBe(0);
    last().bufferedAmount = 7;
    expect(socket.bufferedAmount).toBe(7);
  });

  it('drops the oldest messages on overflow by default and reports each with a drop event', async () => {
    const { socket, last, events } = setup({ queue: { maxMessages: 2 } });
    socket.send('1');
    socket.send('2');
    socket.send('3');
    socket.send('4');
    expect(events).toEqual(['drop 1 overflow', 'drop 2 overflow']);
    await tick();
    last().open();
    expect(last().sent).toEqual(['3', '4']);
  });

  it('drops the new message under drop-newest', async () => {
    const { socket, last, events } = setup({ queue: { maxBytes: 4, overflow: 'drop-newest' } });
    socket.send('abc');
    expect(socket.send('de')).toBe(false);
    expect(events).toEqual(['drop de overflow']);
    await tick();
    last().open();
    expect(last().sent).toEqual(['abc']);
  });

  it("throws QUEUE_FULL under 'error', reports the drop, and keeps what was queued", async () => {
    const { socket, last, events } = setup({ queue: { maxMessages: 1, overflow: 'error' } });
    socket.send('kept');
    expect(() => socket.send('refused')).toThrow(expect.objectContaining({ name: 'SteadySocketError', code: 'QUEUE_FULL' }));
    expect(events).toEqual(['drop refused overflow']);
    await tick();
    last().open();
    expect(last().sent).toEqual(['kept']);
  });

  it('without a queue, send() throws InvalidStateError until open, like the native socket', async () => {
    const { socket, last } = setup({ queue: false });
    expect(() => socket.send('early')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    await tick();
    last().open();
    socket.send('now');
    expect(last().sent).toEqual(['now']);
  });

  it('drops what is still queued on close(), reporting each message', async () => {
    const { socket, events } = setup();
    socket.send('a');
    socket.send('b');
    socket.close();
    expect(events).toEqual(['drop a closed', 'drop b closed']);
    expect(socket.bufferedAmount).toBe(0);
    await tick();
    expect(events).toEqual(['drop a closed', 'drop b closed', 'error', 'close 1006']);
  });

  it('delivers what is sent while down once and in order on the next connection', async () => {
    const { socket, sockets } = setup();
    await tick();
    sockets[0]!.open();
    socket.send('1');
    sockets[0]!.drop();
    socket.send('2');
    socket.send('3');
    await tick(1000);
    socket.send('4');
    sockets[1]!.open();
    socket.send('5');
    expect(sockets[0]!.sent).toEqual(['1']);
    expect(sockets[1]!.sent).toEqual(['2', '3', '4', '5']);
  });

  it('keeps order when new messages arrive while the queue is being flushed', async () => {
    const { socket, last } = setup();
    socket.send('a');
    socket.addEventListener('drop', () => {});
    await tick();
    const ws = last();
    const originalSend = ws.send.bind(ws);
    ws.send = (data) => {
      originalSend(data);
      if (data === 'a') socket.send('from-inside');
    };
    socket.send('b');
    ws.open();
    expect(ws.sent).toEqual(['a', 'b', 'from-inside']);
  });
});
