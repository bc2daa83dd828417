/// <reference types="node" />
// JsonChannel on a SteadySocket in Node, against the reference protocol server (harness/server/json-protocol.mjs)
// on a real `ws` server on an ephemeral port.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWsServer, until, type RestartableServer } from './ws-server';
import { SteadySocket, type WebSocketConstructor } from '../src/index';
import { JsonChannel } from '../src/json/index';
import { startServer } from '../harness/server/server.mjs';
import {
  attachJsonProtocol,
  createJsonProtocolState,
  sendAcked,
  sendRequest,
  type JsonProtocolState as ProtocolState,
  type RequestHandler,
} from '../harness/server/json-protocol.mjs';

type Handlers = Record<string, RequestHandler>;

type JsonServer = RestartableServer;

/** A `ws` server speaking the protocol with one shared state; `onConnection` runs after the protocol is attached. */
const startJsonServer = (state: ProtocolState, handlers: Handlers = {}, onConnection?: (ws: WebSocket, n: number) => void): Promise<JsonServer> =>
  startWsServer((ws, n) => {
    attachJsonProtocol(ws, state, handlers);
    onConnection?.(ws, n);
  });

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

function connect(port: number) {
  const socket = new SteadySocket(`ws://127.0.0.1:${port}`, undefined, {
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  const channel = new JsonChannel<Record<string, unknown>, Record<string, unknown>>(socket);
  const closes: number[] = [];
  socket.addEventListener('close', (e) => closes.push(e.code));
  cleanup.push(() => {
    channel.dispose();
    socket.close();
  });
  return { socket, channel, closes };
}

describe('JsonChannel against the reference protocol server', () => {
  it('delivers 1,000 acked messages exactly once and in order across a connection reset and a server restart', async () => {
    const state = createJsonProtocolState();
    let dropAcks = false;
    const server = await startJsonServer(state, {}, (ws, n) => {
      // Lose the acks of some accepted messages, so that the client re-sends messages the server already has.
      const send = ws.send.bind(ws);
      ws.send = ((data: string) => (dropAcks && data.startsWith('{"type":"ack"') ? undefined : send(data))) as typeof ws.send;
      if (n === 1) {
        ws.on('message', () => {
          if (state.log.length === 200) dropAcks = true;
          if (state.log.length === 250) ws.terminate(); // a reset mid-stream
        });
      }
    });
    cleanup.push(() => server.stop());
    const { socket, channel, closes } = connect(server.port);
    let n = 0;
    const acked: Promise<string>[] = [];
    const sendSome = (count: number) => {
      for (let i = 0; i < count; i++) acked.push(channel.send('note', `m${++n}`, { ack: true }));
    };

    sendSome(300); // before the first open: held by the channel
    await until(() => closes.length === 1, 'the reset');
    dropAcks = false;
    await Promise.all(acked);
    expect(state.log.length).toBe(300);

    sendSome(400); // open: sent at once; the server stops when it has 500
    await until(() => state.log.length >= 500, '500 accepted');
    dropAcks = true;
    await server.stop(1012);
    await until(() => closes.length >= 2, 'the restart close');
    sendSome(300); // down: held by the channel
    await new Promise((r) => setTimeout(r, 150)); // a refused retry or two
    dropAcks = false;
    await server.start();
    await Promise.all(acked);

    const expected = Array.from({ length: 1000 }, (_, i) => `m${i + 1}`);
    expect(state.log.map((m) => m.data)).toEqual(expected); // exactly once after dedupe, in send order
    const ids = state.log.map((m) => m.id!);
    expect(new Set(ids).size).toBe(1000);
    expect(new Set(state.wire)).toEqual(new Set(ids)); // every id on the wire at least once...
    expect(state.wire.length).toBeGreaterThan(1000); // ...and some more than once: those whose ack was lost
    expect(state.invalid).toEqual([]);
    expect(server.connections.length).toBeGreaterThanOrEqual(3);
    expect(channel.pendingCount).toBe(0);
    expect(socket.readyState).toBe(SteadySocket.OPEN);
  });

  it('resolves 200 concurrent requests across a reset, running each handler once per id, with error answers', async () => {
    const state = createJsonProtocolState();
    const runs = new Map<number, number>();
    const handlers: Handlers = {
      square: async (x: number) => {
        runs.set(x, (runs.get(x) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 1));
        return x * x;
      },
      fail: () => {
        throw Object.assign(new Error('nope'), { code: 'BROKEN' });
      },
    };
    const server = await startJsonServer(state, handlers, (ws, n) => {
      if (n === 1) ws.on('message', () => state.log.length === 100 && ws.terminate());
    });
    cleanup.push(() => server.stop());
    const { channel, closes } = connect(server.port);
    const squares = Array.from({ length: 200 }, (_, i) => channel.request('square', i));
    expect(await Promise.all(squares)).toEqual(Array.from({ length: 200 }, (_, i) => i * i));
    expect(closes).toEqual([1006]);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect(runs.size).toBe(200);
    await expect(channel.request('fail', null)).rejects.toMatchObject({ code: 'REMOTE', remote: { code: 'BROKEN', message: 'nope' } });
    await expect(channel.request('nobody', null)).rejects.toMatchObject({ code: 'REMOTE', remote: { code: 'UNHANDLED' } });
    await expect(channel.request('echo', { a: [1, 'é'] })).resolves.toEqual({ a: [1, 'é'] });
  });

  it('keeps going through bad frames either way, dedupes what the server re-sends and acks each copy', async () => {
    const state = createJsonProtocolState();
    const server = await startJsonServer(state, {}, (ws) => {
      ws.send('not json');
      ws.send(Buffer.from([1, 2, 3]));
      const push = JSON.stringify({ type: 'news', id: 'srv-1', ack: true, data: 'hello' });
      ws.send(push);
      ws.send('{"type":"news","data":{"__proto__":{"polluted":true},"text":"plain"}}');
      ws.send(push);
    });
    cleanup.push(() => server.stop());
    const { socket, channel } = connect(server.port);
    const news: unknown[] = [];
    const invalid: string[] = [];
    channel.on('news', (data) => news.push(data));
    channel.addEventListener('invalid', (e) => invalid.push(e.reason));
    socket.send('garbage');
    socket.send(new Uint8Array([9]));
    await expect(channel.request('echo', 'still fine')).resolves.toBe('still fine');
    await until(() => state.answers.length === 2, 'two acks');
    expect(news).toEqual(['hello', { text: 'plain' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(invalid).toEqual(['not-json', 'binary']);
    expect(state.answers).toEqual([{ type: 'ack', re: 'srv-1' }, { type: 'ack', re: 'srv-1' }]);
    expect(state.invalid.map((i) => i.reason)).toEqual(['not-json', 'binary']);
  });

  it('gets the server\'s own acked messages and requests at least once across a reconnect of its session, each handled once', async () => {
    // One protocol state per session; the client names its session in the URL (PROTOCOL.md, "Sessions").
    const sessions = new Map<string, ProtocolState>();
    let lost = false;
    const server = await startServer({
      routes: {
        '/': {
          record: false,
          connection(ws, req) {
            const session = new URL(req.url ?? '/', 'http://x').searchParams.get('session') ?? '';
            if (!sessions.has(session)) sessions.set(session, createJsonProtocolState());
            const state = sessions.get(session)!;
            // The client's first answer is lost: the connection dies as it arrives, before the protocol reads it.
            const facade = {
              on: (_: 'message', listener: (data: unknown, isBinary: boolean) => void) =>
                ws.on('message', (data, isBinary) => {
                  if (!lost && String(data).includes('"re"')) {
                    lost = true;
                    ws.terminate();
                  } else listener(data, isBinary);
                }),
              off: () => {},
              send: (frame: string) => ws.send(frame),
              get readyState() {
                return ws.readyState;
              },
            };
            ws.on('close', attachJsonProtocol(facade, state));
          },
        },
      },
    });
    cleanup.push(() => server.close());
    const session = 'tab-' + Math.random().toString(36).slice(2);
    const socket = new SteadySocket(() => `ws://127.0.0.1:${server.port}/?session=${session}`, undefined, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    const channel = new JsonChannel<{ news: string; whoami: undefined }>(socket);
    cleanup.push(() => {
      channel.dispose();
      socket.close();
    });
    const news: string[] = [];
    let asked = 0;
    channel.on('news', (text) => news.push(text));
    channel.on('whoami', (_data, message) => {
      asked++;
      channel.reply(message, { user: 'ann' });
    });
    await until(() => sessions.has(session) && socket.readyState === SteadySocket.OPEN, 'the session');
    const state = sessions.get(session)!;
    const acked = sendAcked(state, 'news', 'v2 is out');
    const answer = sendRequest(state, 'whoami', undefined);
    await expect(acked).resolves.toMatch(/-1$/);
    await expect(answer).resolves.toEqual({ user: 'ann' });
    expect(news).toEqual(['v2 is out']); // delivered once, though it arrived twice
    expect(asked).toBe(1); // the copy of the request got the remembered answer
    // The lost first ack is not among them; the reply written as the first connection died went out on the second.
    expect(state.answers.map((a) => a.type)).toEqual(expect.arrayContaining(['ack', 'whoami']));
    expect(state.log).toEqual([]); // nothing from the client but answers
  });
});
