import { describe, expect, it } from 'vitest';
import { encodeEnvelope, safeJsonParse } from './envelope';
import { checkEnvelope } from './wire';

/** A naive deep merge, the kind of app code prototype pollution attacks go through. */
function merge(target: any, source: any): any {
  for (const key in source) {
    if (typeof source[key] === 'object' && source[key] !== null) merge((target[key] ??= {}), source[key]);
    else target[key] = source[key];
  }
  return target;
}

describe('safeJsonParse', () => {
  it('parses JSON like JSON.parse', () => {
    expect(safeJsonParse('{"a":[1,{"b":"c"}],"d":null}')).toEqual({ a: [1, { b: 'c' }], d: null });
    expect(() => safeJsonParse('{nope')).toThrow(SyntaxError);
  });

  it('drops __proto__, constructor and prototype keys at any depth, also when spelled with escapes', () => {
    const text = '{"a":1,"__proto__":{"polluted":1},"x":{"constructor":{"prototype":{"polluted":1}},"prototype":2,"y":[{"\\u005f_proto__":{"polluted":1}}]}}';
    const parsed = safeJsonParse(text) as any;
    expect(parsed).toEqual({ a: 1, x: { y: [{}] } });
    expect(Object.keys(parsed)).toEqual(['a', 'x']);
    expect(Object.prototype.hasOwnProperty.call(parsed, '__proto__')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(parsed.x.y[0], '__proto__')).toBe(false);
    const escaped = safeJsonParse('{"\\u005f\\u005f\\u0070roto\\u005f\\u005f":{"polluted":1},"ok":1}');
    expect(escaped).toEqual({ ok: 1 });
  });

  it('makes a naive deep merge of the result harmless (JSON.parse alone would not)', () => {
    const text = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}';
    merge({}, safeJsonParse(text));
    expect(({} as any).polluted).toBeUndefined();
    // The control: plain JSON.parse keeps "__proto__" as an own key, and the merge pollutes.
    try {
      merge({}, JSON.parse(text));
      expect(({} as any).polluted).toBe('yes');
    } finally {
      delete (Object.prototype as any).polluted;
    }
  });

  it('keeps keys that only look similar', () => {
    expect(safeJsonParse('{"proto":1,"__proto":2,"constructors":3}')).toEqual({ proto: 1, __proto: 2, constructors: 3 });
  });
});

describe('checkEnvelope', () => {
  it('accepts well-formed envelopes and returns them as they are', () => {
    const ok = [
      { type: 'chat' },
      { type: 'chat', data: { text: 'hi' }, id: 'a-1', ack: true },
      { type: 'getUser', re: 'a-2', data: null },
      { type: 'getUser', re: 'a-3', error: { code: 'NOT_FOUND', message: 'no' } },
      { type: 'ack', re: 'a-4' },
      { type: 'x', extra: 1 },
    ];
    for (const value of ok) expect(checkEnvelope(value)).toBe(value);
  });

  it('names what is wrong', () => {
    expect(checkEnvelope([1])).toBe('not-object');
    expect(checkEnvelope(null)).toBe('not-object');
    expect(checkEnvelope('chat')).toBe('not-object');
    expect(checkEnvelope({ data: 1 })).toBe('bad-type');
    expect(checkEnvelope({ type: 7 })).toBe('bad-type');
    expect(checkEnvelope({ type: '' })).toBe('bad-type');
    expect(checkEnvelope({ type: '*' })).toBe('bad-type');
    expect(checkEnvelope({ type: 'x', id: 5 })).toBe('bad-field');
    expect(checkEnvelope({ type: 'x', id: '' })).toBe('bad-field');
    expect(checkEnvelope({ type: 'x', id: 'a'.repeat(129) })).toBe('bad-field');
    expect(checkEnvelope({ type: 'x', id: 'a'.repeat(128) })).toEqual({ type: 'x', id: 'a'.repeat(128) });
    expect(checkEnvelope({ type: 'x', re: {} })).toBe('bad-field');
    expect(checkEnvelope({ type: 'x', id: 'a', ack: 'yes' })).toBe('bad-field');
    expect(checkEnvelope({ type: 'x', re: 'a', error: 'boom' })).toBe('bad-field');
    expect(checkEnvelope({ type: 'x', re: 'a', error: { code: 1, message: 'm' } })).toBe('bad-field');
    expect(checkEnvelope({ type: 'ack' })).toBe('bad-field');
  });
});

describe('encodeEnvelope', () => {
  it('writes the fields in a fixed order and leaves absent ones out', () => {
    expect(encodeEnvelope({ data: { a: 1 }, ack: true, id: 'p-1', type: 'chat' })).toBe('{"type":"chat","id":"p-1","ack":true,"data":{"a":1}}');
    expect(encodeEnvelope({ type: 'ack', re: 'p-1' })).toBe('{"type":"ack","re":"p-1"}');
    expect(encodeEnvelope({ type: 'q', re: 'p-2', error: { code: 'E', message: 'm' } })).toBe('{"type":"q","re":"p-2","error":{"code":"E","message":"m"}}');
  });

  it('throws for data JSON cannot hold', () => {
    expect(() => encodeEnvelope({ type: 'x', data: 1n })).toThrow(TypeError);
  });
});
