import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { leases } from './lease';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('leases', () => {
  it('one value per key for every user; destroyed a task after the last release, once', () => {
    const take = leases<string, { n: number }>();
    const destroyed: number[] = [];
    let made = 0;
    const make = () => ({ n: ++made });
    const a = take('k', make, (v) => destroyed.push(v.n));
    const b = take('k', make, (v) => destroyed.push(v.n));
    expect(b.value).toBe(a.value);
    a.release();
    a.release(); // idempotent: b still holds it
    vi.runAllTimers();
    expect(destroyed).toEqual([]);
    b.release();
    expect(destroyed).toEqual([]); // not yet: a task later
    vi.runAllTimers();
    expect(destroyed).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('taken again before the deferred destroy runs (StrictMode\'s re-mount): the same value, never destroyed', () => {
    const take = leases<string, object>();
    const destroy = vi.fn();
    const first = take('k', () => ({}), destroy);
    first.release();
    const again = take('k', () => ({}), destroy);
    expect(again.value).toBe(first.value);
    vi.runAllTimers();
    expect(destroy).not.toHaveBeenCalled();
    again.release();
    vi.runAllTimers();
    expect(destroy).toHaveBeenCalledTimes(1);
    // After that the key makes a new value.
    expect(take('k', () => ({ fresh: true }), destroy).value).toEqual({ fresh: true });
  });
});
