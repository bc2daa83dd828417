import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setup, tick } from './testing/setup';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const KiB = 1024;

/** An open socket whose fake native buffer grows with every send and drains at `rate` bytes per ms. */
async function openWithLink(ratePerMs: number, options = {}) {
  const t = setup({ highWaterMark: 64 * KiB, lowWaterMark: 16 * KiB, ...options });
  await tick();
  const ws = t.last();
  const send = ws.send.bind(ws);
  ws.send = (data) => {
    send(data);
    ws.bufferedAmount += typeof data === 'string' ? data.length : (data as ArrayBuffer).byteLength;
  };
  ws.open();
  const peak = { native: 0 };
  const drain = setInterval(() => {
    peak.native = Math.max(peak.native, ws.bufferedAmount);
    ws.bufferedAmount = Math.max(0, ws.bufferedAmount - ratePerMs);
  }, 1);
  return { ...t, ws, peak, stop: () => clearInterval(drain) };
}

describe('flow control on bufferedAmount', () => {
  it('keeps the native buffer under the high-water mark plus one message, and delivers everything in order', async () => {
    const { socket, ws, peak, stop } = await openWithLink(8 * KiB);
    const chunk = 'x'.repeat(4 * KiB);
    for (let i = 0; i < 100; i++) socket.send(`${i}:`.padEnd(8) + chunk);
    expect(ws.bufferedAmount).toBeLessThanOrEqual(64 * KiB + chunk.length + 8);
    await tick(200);
    stop();
    expect(ws.sent.map((m) => String(m).split(':')[0])).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect(peak.native).toBeLessThanOrEqual(64 * KiB + chunk.length + 8);
    expect(socket.bufferedAmount).toBe(0);
  });

  it('returns false from send() over the high-water mark and fires drain once under the low-water mark', async () => {
    const { socket, events, stop } = await openWithLink(4 * KiB);
    const results: boolean[] = [];
    for (let i = 0; i < 40; i++) results.push(socket.send('y'.repeat(4 * KiB)));
    expect(results.slice(0, 15).every(Boolean)).toBe(true);
    expect(results.at(-1)).toBe(false);
    expect(events.filter((e) => e === 'drain')).toEqual([]);
    await tick(100);
    stop();
    expect(events.filter((e) => e === 'drain')).toEqual(['drain']);
  });

  it('resolves drained() at once when nothing is buffered, else once under the low-water mark', async () => {
    const { socket, ws, stop } = await openWithLink(2 * KiB);
    await expect(socket.drained()).resolves.toBeUndefined();
    for (let i = 0; i < 40; i++) socket.send('z'.repeat(4 * KiB));
    let done = false;
    void socket.drained().then(() => (done = true));
    await tick(10);
    expect(done).toBe(false);
    await tick(200);
    expect(done).toBe(true);
    expect(socket.bufferedAmount).toBeLessThanOrEqual(16 * KiB);
    expect(ws.sent).toHaveLength(40);
    stop();
  });

  it('rejects pending drained() promises when close() is called', async () => {
    const { socket, stop } = await openWithLink(0);
    for (let i = 0; i < 40; i++) socket.send('w'.repeat(4 * KiB));
    const pending = socket.drained();
    socket.close();
    await expect(pending).rejects.toMatchObject({ name: 'InvalidStateError' });
    stop();
  });

  it('polls the native buffer only while something waits', async () => {
    const { socket, stop } = await openWithLink(64 * KiB);
    stop();
    expect(vi.getTimerCount()).toBe(0);
    socket.send('small');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets awaited writes to socket.writable wait for room', async () => {
    const { socket, ws, peak, stop } = await openWithLink(4 * KiB);
    const writer = socket.writable.getWriter();
    const written = (async () => {
      for (let i = 0; i < 64; i++) await writer.write(`${i}`.padEnd(4 * KiB));
      await writer.close();
    })();
    await tick(500);
    await written;
    stop();
    expect(ws.sent).toHaveLength(64);
    expect(ws.sent.map((m) => String(m).trim())).toEqual(Array.from({ length: 64 }, (_, i) => String(i)));
    expect(peak.native).toBeLessThanOrEqual(68 * KiB);
    expect(socket.readyState).toBe(socket.OPEN);
  });
});

describe('flow control without a queue (queue: false)', () => {
  it('hands every message to the browser, returns false over the high-water mark and fires drain under the low one', async () => {
    const { socket, ws, events, stop } = await openWithLink(4 * KiB, { queue: false });
    const results: boolean[] = [];
    for (let i = 0; i < 40; i++) results.push(socket.send('y'.repeat(4 * KiB)));
    expect(ws.sent).toHaveLength(40); // nothing held back: there is no queue to hold it
    expect(results.slice(0, 15).every(Boolean)).toBe(true);
    expect(results.at(-1)).toBe(false);
    expect(events.filter((e) => e === 'drain')).toEqual([]);
    await tick(100);
    stop();
    expect(events.filter((e) => e === 'drain')).toEqual(['drain']);
  });

  it('resolves drained() only once the native buffer is under the low-water mark', async () => {
    const { socket, ws, stop } = await openWithLink(2 * KiB, { queue: false });
    for (let i = 0; i < 40; i++) socket.send('z'.repeat(4 * KiB));
    let done = false;
    void socket.drained().then(() => (done = true));
    await tick(10);
    expect(done).toBe(false);
    await tick(200);
    expect(done).toBe(true);
    expect(ws.bufferedAmount).toBeLessThanOrEqual(16 * KiB);
    stop();
  });

  it('makes awaited writes to socket.writable wait for room', async () => {
    const { socket, ws, peak, stop } = await openWithLink(4 * KiB, { queue: false });
    const writer = socket.writable.getWriter();
    const written = (async () => {
      for (let i = 0; i < 64; i++) await writer.write(`${i}`.padEnd(4 * KiB));
      await writer.close();
    })();
    await tick(500);
    await written;
    stop();
    expect(ws.sent.map((m) => String(m).trim())).toEqual(Array.from({ length: 64 }, (_, i) => String(i)));
    expect(peak.native).toBeLessThanOrEqual(68 * KiB);
  });

  it('still throws InvalidStateError before open and after close()', async () => {
    const { socket, ws, stop } = await openWithLink(4 * KiB, { queue: false });
    ws.drop();
    expect(() => socket.send('x')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    socket.close();
    expect(() => socket.send('x')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    stop();
  });
});

describe('socket.readable', () => {
  it('streams every message across reconnects and ends when the socket closes for good', async () => {
    const { socket, sockets } = setup();
    const reader = socket.readable.getReader();
    expect(socket.readable).toBe(socket.readable);
    await tick();
    sockets[0]!.open();
    sockets[0]!.receive('a');
    sockets[0]!.drop();
    await tick(1000);
    sockets[1]!.open();
    sockets[1]!.receive('b');
    socket.close();
    sockets[1]!.closed();
    const got: unknown[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) got.push(r.value);
    expect(got).toEqual(['a', 'b']);
  });
});

describe('drained() after a send that stayed under the high-water mark', () => {
  it('resolves once the native buffer drains, without another send to start the polling', async () => {
    vi.useFakeTimers();
    const t = setup({ highWaterMark: 64 * KiB, lowWaterMark: 16 * KiB });
    await tick();
    t.last().open();
    t.last().bufferedAmount = 40 * KiB; // between the marks: send() said true, nothing polls yet
    let done = false;
    void t.socket.drained().then(() => (done = true));
    await tick(50);
    expect(done).toBe(false);
    t.last().bufferedAmount = 10 * KiB;
    await tick(300);
    expect(done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('default water marks', () => {
  it('hands held messages over and resolves drained() once the buffer is at ¾ of highWaterMark', async () => {
    const t = setup({ highWaterMark: 64 * KiB });
    await tick();
    const ws = t.last();
    ws.open();
    ws.bufferedAmount = 64 * KiB; // full: the next message is held
    t.socket.send('held');
    let done = false;
    void t.socket.drained().then(() => (done = true));
    ws.bufferedAmount = 48 * KiB + 1;
    await tick(100);
    expect(ws.sent).toEqual([]);
    expect(done).toBe(false);
    ws.bufferedAmount = 48 * KiB;
    await tick(100);
    expect(ws.sent).toEqual(['held']);
    expect(done).toBe(true);
  });
});
