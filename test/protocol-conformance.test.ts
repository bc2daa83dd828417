/// <reference types="node" />
// PROTOCOL.md's conformance list, checked on the reference server (harness/server/json-protocol.mjs) with raw
// frames from a plain `ws` client: no JsonChannel involved. Each `it` is one entry of the list, by its number.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { attachJsonProtocol, createJsonProtocolState, sendAcked, sendRequest, type JsonProtocolState } from '../harness/server/json-protocol.mjs';
import { startServer } from '../harness/server/server.mjs';
import { until } from './ws-server';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** The reference server with a few handlers, one state per session (`?session=` in the URL, else a shared one). */
async function referenceServer() {
  const sessions = new Map<string, JsonProtocolState>();
  const runs: Record<string, number> = {};
  const handlers = {
    getUser: (data: { id: number }) => {
      runs.getUser = (runs.getUser ?? 0) + 1;
      return { id: data.id, name: 'Ann' };
    },
    slow: async (data: unknown) => {
      runs.slow = (runs.slow ?? 0) + 1;
      await new Promise((r) => setTimeout(r, 150));
      return data;
    },
    fail: () => {
      throw Object.assign(new Error('no user 404'), { code: 'NOT_FOUND' });
    },
  };
  const server = await startServer({
    routes: {
      '/': {
        record: false,
        connection(ws, req) {
          const key = new URL(req.url ?? '/', 'http://x').searchParams.get('session') ?? '';
          if (!sessions.has(key)) sessions.set(key, createJsonProtocolState({ prefix: 's' }));
          const detach = attachJsonProtocol(ws, sessions.get(key)!, handlers, {
            refuse: (e) => (e.type === 'forbidden' ? { code: 'FORBIDDEN', message: 'not for you' } : undefined),
          });
          ws.on('close', detach);
        },
      },
    },
  });
  cleanup.push(() => server.close());
  const state = (session = '') => sessions.get(session)!;
  return { server, runs, state };
}

/** A raw client: what it receives, as strings; `send` takes objects (as JSON) or raw strings. */
async function rawClient(port: number, session?: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/${session ? `?session=${session}` : ''}`);
  const got: string[] = [];
  ws.on('message', (data) => got.push(String(data)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  cleanup.push(() => ws.terminate());
  const send = (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  const parsed = () => got.filter((f) => f.startsWith('{')).map((f) => JSON.parse(f));
  /** Waits long enough for an answer that should not come (the server answers within a millisecond or so). */
  const settle = () => new Promise((r) => setTimeout(r, 80));
  return { ws, got, send, parsed, settle };
}

describe('PROTOCOL.md conformance of the reference server', () => {
  it('C1 skips every invalid frame without answering it, and keeps the connection open', async () => {
    const { server, state } = await referenceServer();
    const c = await rawClient(server.port);
    const bad: unknown[] = ['not json', '[1,2]', '"text"', 'null', { data: 1 }, { type: '' }, { type: '*' }, { type: 5 },
      { type: 'x', id: '' }, { type: 'x', id: 'a'.repeat(129) }, { type: 'x', id: 7 }, { type: 'x', id: 'i', ack: 'yes' },
      { type: 'x', re: 5 }, { type: 'x', re: 'r', error: { code: 1 } }, { type: 'ack' }];
    for (const frame of bad) c.send(frame);
    c.ws.send(Buffer.from([1, 2, 3]));
    c.send({ type: 'big', data: 'x'.repeat(1 << 20) }); // over the default 1 MiB
    c.send({ type: 'x', id: 'é'.repeat(128), ack: true }); // 128 UTF-16 code units (256 bytes): a valid id
    await until(() => c.got.length === 1, 'the ack of the one valid frame');
    await c.settle();
    expect(c.parsed()).toEqual([{ type: 'ack', re: 'é'.repeat(128) }]);
    expect(state().invalid.map((i) => i.reason)).toEqual(['not-json', 'not-object', 'not-object', 'not-object', 'bad-type',
      'bad-type', 'bad-type', 'bad-type', 'bad-field', 'bad-field', 'bad-field', 'bad-field', 'bad-field', 'bad-field',
      'bad-field', 'binary', 'too-large']);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('C2 answers the heartbeat ping with pong', async () => {
    const { server } = await referenceServer();
    const c = await rawClient(server.port);
    c.send('ping');
    await until(() => c.got.length === 1, 'pong');
    expect(c.got).toEqual(['pong']);
  });

  it('C3 delivers an acked message once and acks it', async () => {
    const { server, state } = await referenceServer();
    const c = await rawClient(server.port);
    c.send({ type: 'chat', id: 'p-1', ack: true, data: { text: 'hi' } });
    await until(() => c.got.length === 1, 'the ack');
    expect(c.parsed()).toEqual([{ type: 'ack', re: 'p-1' }]);
    expect(state().log).toEqual([{ type: 'chat', id: 'p-1', ack: true, data: { text: 'hi' } }]);
  });

  it('C4 answers every request exactly once: the reply, an error answer, or UNHANDLED', async () => {
    const { server } = await referenceServer();
    const c = await rawClient(server.port);
    c.send({ type: 'getUser', id: 'p-1', data: { id: 7 } });
    c.send({ type: 'fail', id: 'p-2' });
    c.send({ type: 'nobody', id: 'p-3' });
    await until(() => c.got.length === 3, 'three answers');
    await c.settle();
    expect(c.parsed()).toEqual([
      { type: 'getUser', re: 'p-1', data: { id: 7, name: 'Ann' } },
      { type: 'fail', re: 'p-2', error: { code: 'NOT_FOUND', message: 'no user 404' } },
      { type: 'nobody', re: 'p-3', error: { code: 'UNHANDLED', message: 'no handler for nobody' } },
    ]);
  });

  it('C5 gives every copy of an id the answer the first copy got, without delivering it or running a handler again', async () => {
    const { server, runs, state } = await referenceServer();
    const first = await rawClient(server.port);
    first.send({ type: 'chat', id: 'p-1', ack: true, data: 1 });
    first.send({ type: 'getUser', id: 'p-2', data: { id: 7 } });
    first.send({ type: 'slow', id: 'p-3', data: 'later' });
    await until(() => first.got.length === 2, 'the ack and the reply');
    first.ws.terminate(); // the client did not see the slow answer: it re-sends everything on a new connection
    const again = await rawClient(server.port);
    for (const frame of [{ type: 'chat', id: 'p-1', ack: true, data: 1 }, { type: 'getUser', id: 'p-2', data: { id: 7 } }, { type: 'slow', id: 'p-3', data: 'later' }])
      again.send(frame);
    await until(() => again.got.length === 3, 'the same three answers');
    expect(again.parsed()).toEqual([
      { type: 'ack', re: 'p-1' },
      { type: 'getUser', re: 'p-2', data: { id: 7, name: 'Ann' } },
      { type: 'slow', re: 'p-3', data: 'later' }, // not ready when the copy came: sent once it was
    ]);
    expect(runs).toEqual({ getUser: 1, slow: 1 });
    expect(state().log.map((m) => m.id)).toEqual(['p-1', 'p-2', 'p-3']);
    expect(state().wire).toEqual(['p-1', 'p-2', 'p-3', 'p-1', 'p-2', 'p-3']);
  });

  it('C6 refuses a message it will not take with an error answer, and gives its copies the same answer', async () => {
    const { server, state } = await referenceServer();
    const c = await rawClient(server.port);
    c.send({ type: 'forbidden', id: 'p-1', ack: true });
    c.send({ type: 'forbidden', id: 'p-1', ack: true });
    await until(() => c.got.length === 2, 'two answers');
    expect(c.parsed()).toEqual([
      { type: 'forbidden', re: 'p-1', error: { code: 'FORBIDDEN', message: 'not for you' } },
      { type: 'forbidden', re: 'p-1', error: { code: 'FORBIDDEN', message: 'not for you' } },
    ]);
    expect(state().log).toEqual([]);
  });

  it('C7 treats a frame with re as an answer: its id and ack are ignored, and it is never answered', async () => {
    const { server, state } = await referenceServer();
    const c = await rawClient(server.port);
    c.send({ type: 'ack', re: 'nothing-pending', id: 5, ack: 'yes', data: { extra: true } });
    c.send({ type: 'getUser', re: 'x-9', error: { code: 'E', message: 'm' } });
    await c.settle();
    expect(c.got).toEqual([]);
    expect(state().invalid).toEqual([]);
    expect(state().answers).toHaveLength(2);
  });

  it('C8 ignores unknown fields and drops __proto__, constructor and prototype keys', async () => {
    const { server, state } = await referenceServer();
    const c = await rawClient(server.port);
    c.send('{"type":"note","future":1,"data":{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"ok":1}}');
    await until(() => state().log.length === 1, 'the note');
    expect(state().log[0]!.data).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('C9 sends its own acked messages and requests again, first thing and in order, on the session\'s next connection', async () => {
    const { server, state } = await referenceServer();
    const first = await rawClient(server.port, 'client-1');
    const acked = sendAcked(state('client-1'), 'news', 'v2 is out');
    const asked = sendRequest(state('client-1'), 'whoami', undefined);
    await until(() => first.got.length === 2, 'both on the first connection');
    first.ws.terminate(); // before the client answered
    const other = await rawClient(server.port, 'client-2'); // another session gets none of it
    const again = await rawClient(server.port, 'client-1');
    await until(() => again.got.length === 2, 'both again');
    expect(again.parsed()).toEqual([
      { type: 'news', id: 's-1', ack: true, data: 'v2 is out' },
      { type: 'whoami', id: 's-2' },
    ]);
    again.send({ type: 'ack', re: 's-1' });
    again.send({ type: 'whoami', re: 's-2', data: { user: 'ann' } });
    await expect(acked).resolves.toBe('s-1');
    await expect(asked).resolves.toEqual({ user: 'ann' });
    const third = await rawClient(server.port, 'client-1');
    await third.settle();
    expect(third.got).toEqual([]); // answered: not sent again
    expect(other.got).toEqual([]);
  });
});
