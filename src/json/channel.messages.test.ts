import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { SteadySocket } from '../socket';
import { frames, id, setupJson } from '../testing/json';
import { openFirst, tick } from '../testing/setup';
import { safeJsonParse, type Envelope } from './envelope';
import type { AnyJsonMessage, JsonMessage } from './types';

interface Incoming {
  chat: { text: string };
  presence: { user: string; online: boolean };
  getTime: { zone: string };
}
interface Outgoing {
  chat: { text: string };
  join: { room: string };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const openJson = (options: Parameters<typeof setupJson>[0] = {}) => openFirst(setupJson<Incoming, Outgoing>(options));

describe('typed send and on', () => {
  it('sends {type, data} envelopes without an id, through the socket queue while not open', async () => {
    const { channel, last } = setupJson<Incoming, Outgoing>();
    expect(channel.send('join', { room: 'lobby' })).toBe(true);
    await tick();
    last().open();
    expect(channel.send('chat', { text: 'hi' })).toBe(true);
    expect(frames(last())).toEqual([{ type: 'join', data: { room: 'lobby' } }, { type: 'chat', data: { text: 'hi' } }]);
    // @ts-expect-error: not an outgoing type
    expect(() => channel.send('nope', {})).not.toThrow();
    // @ts-expect-error: wrong payload for the type
    channel.send('chat', { room: 'x' });
  });

  it('routes each message to the handlers of its type, then to *, with typed data', async () => {
    const { channel, receive } = await openJson();
    const seen: string[] = [];
    channel.on('chat', (data, message) => {
      expectTypeOf(data).toEqualTypeOf<{ text: string }>();
      expectTypeOf(message).toEqualTypeOf<JsonMessage<'chat', { text: string }>>();
      seen.push(`chat:${data.text}`);
    });
    channel.on('presence', (data) => seen.push(`presence:${data.user}:${data.online}`));
    channel.on('*', (message) => {
      expectTypeOf(message).toEqualTypeOf<AnyJsonMessage<Incoming>>();
      if (message.type === 'presence') expectTypeOf(message.data).toEqualTypeOf<{ user: string; online: boolean }>();
      seen.push(`*:${message.type}`);
    });
    // @ts-expect-error: not an incoming type
    channel.on('join', () => {});
    receive({ type: 'chat', data: { text: 'hello' } });
    receive({ type: 'presence', data: { user: 'ann', online: true } });
    receive({ type: 'other', data: 1 });
    expect(seen).toEqual(['chat:hello', '*:chat', 'presence:ann:true', '*:presence', '*:other']);
  });

  it('removes handlers with off() and with the function on() returns, one registration at a time', async () => {
    const { channel, receive } = await openJson();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    channel.on('chat', a);
    channel.on('chat', a);
    const offB = channel.on('chat', b);
    receive({ type: 'chat', data: { text: '1' } });
    channel.off('chat', a);
    offB();
    channel.off('chat', b); // not registered any more: nothing else is removed
    receive({ type: 'chat', data: { text: '2' } });
    expect(calls).toEqual(['a', 'a', 'b', 'a']);
  });

  it('reports a throwing handler with an error event; the other handlers and the socket carry on', async () => {
    const { channel, receive, errors, socket } = await openJson();
    const boom = new Error('boom');
    const seen: string[] = [];
    let failedWith: Envelope | undefined;
    channel.addEventListener('error', (e) => (failedWith = e.envelope));
    channel.on('chat', () => {
      throw boom;
    });
    channel.on('chat', (data) => seen.push(data.text));
    channel.on('*', async () => {
      throw new Error('async boom');
    });
    receive({ type: 'chat', data: { text: 'one' } });
    receive({ type: 'chat', data: { text: 'two' } });
    await tick();
    expect(seen).toEqual(['one', 'two']);
    expect(errors).toEqual([boom, boom, new Error('async boom'), new Error('async boom')]); // rejections arrive a microtask later
    expect(failedWith).toEqual({ type: 'chat', data: { text: 'two' } });
    expect(socket.readyState).toBe(SteadySocket.OPEN);
  });

  it('ignores answers and acks that match nothing pending', async () => {
    const { channel, receive, invalid, errors } = await openJson();
    const all: unknown[] = [];
    channel.on('*', (m) => all.push(m));
    receive({ type: 'ack', re: 'unknown-1' });
    receive({ type: 'getUser', re: 'unknown-2', data: {} });
    expect([all, invalid, errors]).toEqual([[], [], []]);
  });
});

describe('bad input', () => {
  it('fires invalid for each kind of bad frame; the connection stays up and valid messages in between are delivered', async () => {
    const { channel, receive, invalid, last, socket } = await openJson({ maxMessageBytes: 64 });
    const texts: string[] = [];
    channel.on('chat', (data) => texts.push(data.text));
    const bad: [unknown, string][] = [
      [new ArrayBuffer(4), 'binary'],
      [new Blob(['{"type":"chat"}']), 'binary'],
      ['{"type":"chat",', 'not-json'],
      ['', 'not-json'],
      ['[1,2]', 'not-object'],
      ['"chat"', 'not-object'],
      ['null', 'not-object'],
      ['{"data":{"text":"x"}}', 'bad-type'],
      ['{"type":42}', 'bad-type'],
      ['{"type":"*"}', 'bad-type'],
      ['{"type":"chat","id":7}', 'bad-field'],
      ['{"type":"chat","id":"a","ack":"yes"}', 'bad-field'],
      ['{"type":"x","re":"a","error":"nope"}', 'bad-field'],
      [`{"type":"chat","data":{"text":"${'é'.repeat(24)}"}}`, 'too-large'], // 49 characters, 73 UTF-8 bytes
    ];
    bad.forEach(([frame], i) => {
      receive(frame);
      receive({ type: 'chat', data: { text: String(i) } });
    });
    expect(invalid.map((e) => e.reason)).toEqual(bad.map(([, reason]) => reason));
    expect(invalid.map((e) => e.data)).toEqual(bad.map(([frame]) => frame));
    expect(texts).toEqual(bad.map((_, i) => String(i)));
    expect(socket.readyState).toBe(SteadySocket.OPEN);
    expect(last().closeCalls).toEqual([]);
    expect(last().sent).toEqual([]);
  });

  it('makes a prototype pollution attempt harmless: the keys never reach handlers', async () => {
    const { channel, receive, invalid } = await openJson();
    const got: unknown[] = [];
    channel.on('chat', (data) => got.push(Object.assign({}, data), JSON.parse(JSON.stringify(data))));
    receive('{"type":"chat","__proto__":{"type":"admin"},"data":{"text":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}');
    receive('{"type":"chat","data":{"text":"y","\\u005f_proto__":{"polluted":true}}}');
    expect(got).toEqual([{ text: 'x' }, { text: 'x' }, { text: 'y' }, { text: 'y' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(got[0])).toBe(Object.prototype);
    expect(invalid).toEqual([]);
  });

  it('uses custom encode/decode to speak to a server with other field names', async () => {
    const { channel, receive, last } = await openJson({
      encode: (e) => JSON.stringify({ kind: e.type, payload: e.data, msgId: e.id, replyTo: e.re, wantAck: e.ack }),
      decode: (text) => {
        const raw = safeJsonParse(text) as Record<string, any>;
        return { type: raw.kind, data: raw.payload, id: raw.msgId, re: raw.replyTo, ack: raw.wantAck };
      },
    });
    const texts: string[] = [];
    channel.on('chat', (data) => texts.push(data.text));
    const acked = channel.send('chat', { text: 'out' }, { ack: true });
    receive({ kind: 'chat', payload: { text: 'in' }, msgId: 's-1', wantAck: true });
    receive({ kind: 'ack', replyTo: id(1) });
    await expect(acked).resolves.toBe(id(1));
    expect(texts).toEqual(['in']);
    expect(last().sent.map((f) => JSON.parse(f as string))).toEqual([
      { kind: 'chat', payload: { text: 'out' }, msgId: id(1), wantAck: true },
      { kind: 'ack', replyTo: 's-1' },
    ]);
  });
});

describe('inbound ids', () => {
  it('delivers a message whose id was seen within the window once, and acks every copy that asks', async () => {
    const { channel, receive, last } = await openJson({ dedupeWindow: 2 });
    const texts: string[] = [];
    channel.on('chat', (data) => texts.push(data.text));
    const m1 = { type: 'chat', id: 's-1', ack: true, data: { text: 'one' } };
    receive(m1);
    receive(m1);
    receive({ type: 'chat', id: 's-2', data: { text: 'two' } }); // no ack asked: a request
    receive({ type: 'chat', id: 's-2', data: { text: 'two' } });
    receive(m1);
    receive({ type: 'chat', id: 's-3', ack: true, data: { text: 'three' } }); // s-1 leaves the window of 2
    receive(m1);
    expect(texts).toEqual(['one', 'two', 'three', 'one']);
    expect(frames(last())).toEqual([
      { type: 'ack', re: 's-1' },
      { type: 'ack', re: 's-1' },
      { type: 'ack', re: 's-1' },
      { type: 'ack', re: 's-3' },
      { type: 'ack', re: 's-1' },
    ]);
  });

  it('lets handlers answer requests; a re-sent request gets the same answer without running the handler again', async () => {
    const { channel, receive, last } = await openJson();
    let runs = 0;
    channel.on('getTime', (data, message) => {
      runs++;
      if (data.zone === 'nowhere') expect(channel.replyError(message, 'BAD_ZONE', 'no such zone')).toBe(true);
      else expect(channel.reply(message, { time: `12:00 ${data.zone}` })).toBe(true);
      expect(channel.reply(message, 'again')).toBe(false); // answered already
    });
    receive({ type: 'getTime', id: 's-1', data: { zone: 'UTC' } });
    receive({ type: 'getTime', id: 's-2', data: { zone: 'nowhere' } });
    receive({ type: 'getTime', id: 's-1', data: { zone: 'UTC' } });
    receive({ type: 'getTime', id: 's-2', data: { zone: 'nowhere' } });
    expect(runs).toBe(2);
    const answer1 = { type: 'getTime', re: 's-1', data: { time: '12:00 UTC' } };
    const answer2 = { type: 'getTime', re: 's-2', error: { code: 'BAD_ZONE', message: 'no such zone' } };
    expect(frames(last())).toEqual([answer1, answer2, answer1, answer2]);
  });

  it('answers later when the handler replies asynchronously, also to copies that arrived meanwhile', async () => {
    const { channel, receive, last } = await openJson();
    const held: JsonMessage[] = [];
    channel.on('getTime', (_data, message) => void held.push(message));
    receive({ type: 'getTime', id: 's-1', data: { zone: 'UTC' } });
    receive({ type: 'getTime', id: 's-1', data: { zone: 'UTC' } }); // before the answer: nothing to repeat yet
    expect(last().sent).toEqual([]);
    channel.reply(held[0]!, 'noon');
    receive({ type: 'getTime', id: 's-1', data: { zone: 'UTC' } });
    expect(held).toHaveLength(1);
    expect(frames(last())).toEqual([{ type: 'getTime', re: 's-1', data: 'noon' }, { type: 'getTime', re: 's-1', data: 'noon' }]);
  });

  it('answers a request nobody handles with UNHANDLED; reply() refuses messages that are not requests', async () => {
    const { channel, receive, last } = await openJson();
    receive({ type: 'presence', id: 's-1', data: { user: 'ann', online: true } });
    receive({ type: 'presence', data: { user: 'bob', online: false } });
    expect(frames(last())).toEqual([{ type: 'presence', re: 's-1', error: { code: 'UNHANDLED', message: 'no handler for presence' } }]);
    expect(channel.reply({ type: 'presence' }, 1)).toBe(false);
    expect(channel.reply({ type: 'presence', id: 'x', ack: true }, 1)).toBe(false);
    expect(channel.reply({ type: 'presence', re: 'x' }, 1)).toBe(false);
  });
});
