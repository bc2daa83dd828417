import { describe, expect, it } from 'vitest';
import { DEFAULTS } from './defaults';
import { createQueue, type QueueLimits } from './queue';

const roomy: QueueLimits = { maxMessages: 1e9, maxBytes: 1e12, overflow: 'drop-oldest' };

describe('createQueue', () => {
  it('keeps order and byte totals across many adds and shifts', () => {
    const q = createQueue<number>(roomy);
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) expect(q.add(round * 100 + i, 2)).toEqual([]);
      for (let i = 0; i < 60; i++) expect(q.shift()).toBe(next++);
    }
    expect(q.length).toBe(50 * 40);
    expect(q.bytes).toBe(50 * 40 * 2);
    expect(q.clear()).toEqual(Array.from({ length: 2000 }, (_, i) => next + i));
    expect(q.length).toBe(0);
    expect(q.bytes).toBe(0);
    expect(q.shift()).toBeUndefined();
  });

  it('is usable again after it was emptied', () => {
    const q = createQueue<string>(roomy);
    q.add('a', 1);
    q.shift();
    q.add('b', 1);
    q.add('c', 1);
    expect(q.clear()).toEqual(['b', 'c']);
  });

  it('shifts 200,000 messages in linear time (no Array.shift)', () => {
    const q = createQueue<number>(roomy);
    for (let i = 0; i < 200_000; i++) q.add(i, 1);
    let sum = 0;
    while (q.length) sum += q.shift()!;
    expect(sum).toBe((199_999 * 200_000) / 2);
  });

  it('holds 100,000 messages and 16 MiB with drop-oldest under the defaults', () => {
    const q = createQueue<number>(DEFAULTS.queue);
    for (let i = 0; i < 100_000; i++) q.add(i, 1);
    expect(q.add(100_000, 1)).toEqual([0]);
    expect(q.add(-1, 16 * 1024 * 1024 + 1)).toBeNull();
    expect(q.add(-2, 16 * 1024 * 1024 - 100_000)).toHaveLength(1);
  });
});

describe('bounds', () => {
  const filled = (overflow: QueueLimits['overflow']) => {
    const q = createQueue<string>({ maxMessages: 3, maxBytes: 10, overflow });
    q.add('a', 4);
    q.add('b', 4);
    return q;
  };

  it('drops the oldest messages until the new one fits, under drop-oldest', () => {
    const q = filled('drop-oldest');
    expect(q.add('c', 5)).toEqual(['a']);
    expect(q.clear()).toEqual(['b', 'c']);
  });

  it('refuses the new message and keeps the queue under drop-newest and error', () => {
    for (const policy of ['drop-newest', 'error'] as const) {
      const q = filled(policy);
      expect(q.add('c', 5)).toBeNull();
      expect(q.clear()).toEqual(['a', 'b']);
    }
  });

  it('counts messages as well as bytes', () => {
    const q = filled('drop-oldest');
    q.add('c', 0);
    expect(q.add('d', 0)).toEqual(['a']);
    expect(q.length).toBe(3);
  });

  it('refuses a message larger than maxBytes without emptying the queue', () => {
    const q = filled('drop-oldest');
    expect(q.add('big', 11)).toBeNull();
    expect(q.length).toBe(2);
    expect(q.bytes).toBe(8);
  });

  it('refuses everything when maxMessages is 0', () => {
    expect(createQueue({ maxMessages: 0, maxBytes: 10, overflow: 'drop-oldest' }).add('x', 1)).toBeNull();
  });
});
