import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import type { BackoffPolicy } from './options';

const policy: BackoffPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 0.5 };

describe('backoffDelay with a numeric jitter', () => {
  it('grows by the factor per retry and stops at maxDelayMs', () => {
    const noJitter = { ...policy, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, noJitter, Math.random))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('only shortens a delay: jitter 0.5 keeps it within [base/2, base]', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(4000);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(2000);
    expect(backoffDelay(10, policy, () => 0)).toBe(30_000);
  });

  it('draws a new random number for every delay', () => {
    const draws = [0.1, 0.9, 0.4];
    let calls = 0;
    const random = () => draws[calls++]!;
    const delays = [1, 1, 1].map((n) => backoffDelay(n, policy, random));
    expect(calls).toBe(3);
    expect(delays).toEqual([950, 550, 800]);
  });

  it('full jitter (1) spreads delays over [0, base]', () => {
    const full = { ...policy, jitter: 1 };
    expect(backoffDelay(2, full, () => 0.999)).toBe(2);
    expect(backoffDelay(2, full, () => 0)).toBe(2000);
  });
});

describe('backoffDelay with decorrelated jitter', () => {
  const decorrelated: BackoffPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, factor: 3, jitter: 'decorrelated' };

  it('draws between initialDelayMs and factor times the previous delay', () => {
    expect(backoffDelay(2, decorrelated, () => 0, 5000)).toBe(1000);
    expect(backoffDelay(2, decorrelated, () => 0.5, 5000)).toBe(8000);
    expect(backoffDelay(2, decorrelated, () => 0.999999, 5000)).toBe(15_000);
  });

  it('never goes over maxDelayMs, however long the previous delay', () => {
    expect(backoffDelay(9, decorrelated, () => 0.999999, 29_000)).toBe(30_000);
    expect(backoffDelay(64, decorrelated, () => 0.5)).toBe(15_500); // offline: uniform over [initialDelayMs, maxDelayMs]
  });

  it('takes the capped curve divided by the factor as the previous delay when none is given', () => {
    expect(backoffDelay(1, decorrelated, () => 0.999999)).toBe(3000); // previous: initialDelayMs
    expect(backoffDelay(3, decorrelated, () => 0.5)).toBe(Math.round(1000 + 0.5 * (9000 - 1000)));
  });

  it('treats a previous delay shorter than initialDelayMs as initialDelayMs', () => {
    expect(backoffDelay(2, decorrelated, () => 0.999999, 10)).toBe(3000);
  });
});

describe('backoffDelay defaults', () => {
  it('fills missing or undefined policy fields with 1000 ms, 30 s, factor 3, decorrelated jitter', () => {
    expect(backoffDelay(1, {}, () => 0)).toBe(1000);
    expect(backoffDelay(1, { initialDelayMs: undefined, jitter: undefined }, () => 0.999999)).toBe(3000);
    expect(backoffDelay(3, undefined, () => 0.999999)).toBe(9000);
    expect(backoffDelay(9, { maxDelayMs: undefined }, () => 0.999999)).toBe(30_000);
    expect(backoffDelay(2, { jitter: 0 })).toBe(3000);
  });
});
