import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SteadySocket } from './socket';
import { setup, tick, URL_ } from './testing/setup';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SteadySocket as a drop-in WebSocket', () => {
  it('has the native readyState constants on the class and on instances', () => {
    const { socket } = setup();
    expect([SteadySocket.CONNECTING, SteadySocket.OPEN, SteadySocket.CLOSING, SteadySocket.CLOSED]).toEqual([0, 1, 2, 3]);
    expect([socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED]).toEqual([0, 1, 2, 3]);
    expect(socket).toBeInstanceOf(EventTarget);
  });

  it('connects from a microtask, so a listener added after construction sees connecting 0', async () => {
    const { socket, sockets, events } = setup();
    expect(sockets).toHaveLength(0);
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
    await tick();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toBe(URL_);
    expect(events).toEqual(['connecting 0']);
  });

  it('forwards open, message, error and close with the native data', async () => {
    const { socket, last, events } = setup({ reconnect: false });
    await tick();
    last().open('chat.v1');
    expect(socket.readyState).toBe(SteadySocket.OPEN);
    expect(socket.protocol).toBe('chat.v1');
    last().receive('héllo');
    const bytes = new Uint8Array([1, 2, 3]).buffer;
    let received: unknown;
    socket.addEventListener('message', (e) => (received = e.data));
    last().receive(bytes);
    expect(received).toBe(bytes);
    last().serverClose(4001, 'bye', true);
    expect(events).toEqual(['connecting 0', 'open', 'message héllo', 'message [object ArrayBuffer]', 'close 4001 bye', 'giveup policy']);
    expect(socket.readyState).toBe(SteadySocket.CLOSED);
  });

  it('reads a native message event\'s data once (a call into the browser per read) and forwards it with its origin', async () => {
    const { socket, last } = setup({ reconnect: false });
    await tick();
    last().open();
    let reads = 0;
    const native = { get data() { reads++; return 'payload'; }, origin: 'ws://server.test' } as MessageEvent;
    let forwarded: MessageEvent | undefined;
    socket.addEventListener('message', (e) => (forwarded = e));
    last().onmessage?.(native);
    expect(reads).toBe(1);
    expect(forwarded).toBeInstanceOf(MessageEvent);
    expect([forwarded?.data, forwarded?.origin]).toEqual(['payload', 'ws://server.test']);
    expect(socket.stats.bytesReceived).toBe(7);
  });

  it('passes wasClean through and fires error before an abnormal close', async () => {
    const { socket, last, events } = setup({ reconnect: false });
    let close: CloseEvent | undefined;
    socket.onclose = (e) => (close = e);
    await tick();
    last().drop();
    expect(events.slice(1, 3)).toEqual(['error', 'close 1006']);
    expect(close).toMatchObject({ code: 1006, reason: '', wasClean: false });
  });

  it('supports on* handlers, replacing one without adding a second listener', async () => {
    const { socket, last } = setup();
    const seen: string[] = [];
    socket.onmessage = (e) => seen.push(`a:${e.data}`);
    socket.onmessage = (e) => seen.push(`b:${e.data}`);
    expect(typeof socket.onmessage).toBe('function');
    await tick();
    last().open();
    last().receive('x');
    socket.onmessage = null;
    last().receive('y');
    expect(socket.onmessage).toBeNull();
    socket.onmessage = (e) => seen.push(`c:${e.data}`);
    last().receive('z');
    expect(seen).toEqual(['b:x', 'c:z']);
  });

  it('throws a SyntaxError from the constructor for a bad string or URL object', () => {
    for (const bad of ['nope', 'ftp://x.test/', new URL('file:///tmp/x')])
      expect(() => setup({}, bad)).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    expect(() => setup({}, URL_, ['a', 'a'])).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
  });

  it('maps http(s) to ws(s) and reports the URL it connects to', async () => {
    const { socket, last } = setup({}, 'https://server.test/live');
    expect(socket.url).toBe('wss://server.test/live');
    await tick();
    expect(last().url).toBe('wss://server.test/live');
  });

  it('throws a TypeError when there is no WebSocket implementation', () => {
    vi.stubGlobal('WebSocket', undefined);
    try {
      expect(() => new SteadySocket(URL_)).toThrow(TypeError);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('keeps binaryType across reconnects and ignores unknown values like the native setter', async () => {
    const { socket, sockets, last } = setup();
    expect(socket.binaryType).toBe('blob');
    socket.binaryType = 'arraybuffer';
    socket.binaryType = 'nodebuffer' as BinaryType;
    await tick();
    expect(last().binaryType).toBe('arraybuffer');
    last().open();
    last().drop();
    await tick(1000);
    expect(sockets).toHaveLength(2);
    expect(last().binaryType).toBe('arraybuffer');
    expect(socket.binaryType).toBe('arraybuffer');
  });

  it('validates close() arguments as the native close() does', () => {
    const { socket } = setup();
    expect(() => socket.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => socket.close(1000, 'x'.repeat(124))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    expect(() => socket.reconnect(2000)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
  });

  it('throws InvalidStateError from send() after close()', async () => {
    const { socket, last } = setup();
    await tick();
    last().open();
    socket.close();
    expect(() => socket.send('late')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    last().closed();
    expect(() => socket.send('later')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    expect(last().sent).toEqual([]);
  });

  it('sends text, ArrayBuffer, views and Blobs unchanged, and stringifies anything else', async () => {
    const { socket, last } = setup();
    await tick();
    last().open();
    const buffer = new ArrayBuffer(4);
    const view = new Uint8Array([1, 2]);
    const blob = new Blob(['b']);
    socket.send('t');
    socket.send(buffer);
    socket.send(view);
    socket.send(blob);
    socket.send(42 as unknown as string);
    expect(last().sent).toEqual(['t', buffer, view, blob, '42']);
    expect(last().sent[1]).toBe(buffer);
  });

  it('calls a protocols function before every attempt', async () => {
    let n = 0;
    const { last } = setup({}, URL_, () => [`v${++n}`]);
    await tick();
    expect(last().protocols).toEqual(['v1']);
    last().drop();
    await tick(1000);
    expect(last().protocols).toEqual(['v2']);
  });
});
