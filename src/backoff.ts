import { DEFAULTS, withDefaults } from './defaults';

/** How long to wait before each retry. All durations in milliseconds. */
export interface BackoffPolicy {
  /** The shortest delay, and the first retry's starting point. @default 1000 */
  initialDelayMs: number;
  /** Upper bound of any delay: a hard cap, jitter included. @default 30000 */
  maxDelayMs: number;
  /** The most a delay grows over the previous one. @default 3 */
  factor: number;
  /**
   * How each delay is drawn. `'decorrelated'`: uniformly between `initialDelayMs` and `factor` times the
   * previous delay. A number from 0 to 1: the exponential curve `initialDelayMs * factor^(n-1)`, shortened
   * by up to that fraction of it (1 is "full jitter", 0 none). README "Backoff" has the measurements
   * behind the default. @default 'decorrelated'
   */
  jitter: number | 'decorrelated';
}

/**
 * The delay before retry number `retry` (1 for the first retry after a drop); fields left out of
 * `policy` take their defaults (`DEFAULTS.reconnect`). A new `random()` is drawn for every delay, so
 * clients that lost the same server spread out instead of coming back in lock-step.
 *
 * With `jitter: 'decorrelated'` a delay depends on the one before it: pass that as `previousMs`;
 * without it, the previous delay is taken from the curve, `min(maxDelayMs, initialDelayMs * factor^(retry-1)) / factor`.
 *
 * @example backoffDelay(1) // 1000 to 3000 ms
 * @example backoffDelay(3, { jitter: 0.5, factor: 2 }) // 2000 to 4000 ms
 */
export function backoffDelay(retry: number, policy?: Partial<BackoffPolicy>, random: () => number = Math.random, previousMs?: number): number {
  const { initialDelayMs: min, maxDelayMs: max, factor, jitter } = withDefaults(DEFAULTS.reconnect, policy);
  const curve = Math.min(max, min * factor ** Math.max(0, retry - 1));
  return Math.round(jitter == 'decorrelated'
    ? Math.min(max, min + random() * (factor * Math.max(min, previousMs ?? curve / factor) - min))
    : curve * (1 - jitter * random()));
}
