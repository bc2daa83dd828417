import { describe, expect, it } from 'vitest';
import { ByteQueue, makeRoom, type QueueLimits } from './queue';

describe('ByteQueue', () => {
  it('keeps order and byte totals across many pushes and shifts', () => {
    const q = new ByteQueue<number>();
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) q.push(round * 100 + i, 2);
      for (let i = 0; i < 60; i++) expect(q.shift()).toBe(next++);
    }
    expect(q.length).toBe(50 * 40);
    expect(q.bytes).toBe(50 * 40 * 2);
    expect(q.clear()).toEqual(Array.from({ length: 2000 }, (_, i) => next + i));
    expect(q.length).toBe(0);
    expect(q.bytes).toBe(0);
    expect(q.shift()).toBeUndefined();
  });

  it('shifts 200,000 messages in linear time (no Array.shift)', () => {
    const q = new ByteQueue<number>();
    for (let i = 0; i < 200_000; i++) q.push(i, 1);
    let sum = 0;
    while (q.length) sum += q.shift()!;
    expect(sum).toBe((199_999 * 200_000) / 2);
  });
});

describe('makeRoom', () => {
  const limits = (overflow: QueueLimits['overflow']): QueueLimits => ({ maxMessages: 3, maxBytes: 10, overflow });
  const filled = () => {
    const q = new ByteQueue<string>();
    q.push('a', 4);
    q.push('b', 4);
    return q;
  };

  it('drops the oldest messages until the new one fits, under drop-oldest', () => {
    const q = filled();
    expect(makeRoom(q, 5, limits('drop-oldest'))).toEqual(['a']);
    expect(q.shift()).toBe('b');
  });

  it('refuses the new message under drop-newest and error', () => {
    expect(makeRoom(filled(), 5, limits('drop-newest'))).toBeNull();
    expect(makeRoom(filled(), 5, limits('error'))).toBeNull();
  });

  it('counts messages as well as bytes', () => {
    const q = filled();
    q.push('c', 0);
    expect(makeRoom(q, 0, limits('drop-oldest'))).toEqual(['a']);
  });

  it('refuses a message larger than maxBytes without emptying the queue', () => {
    const q = filled();
    expect(makeRoom(q, 11, limits('drop-oldest'))).toBeNull();
    expect(q.length).toBe(2);
  });

  it('refuses everything when maxMessages is 0', () => {
    expect(makeRoom(new ByteQueue(), 1, { maxMessages: 0, maxBytes: 10, overflow: 'drop-oldest' })).toBeNull();
  });
});
