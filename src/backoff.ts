import { DEFAULTS, withDefaults } from './defaults';
import type { BackoffPolicy } from './options';

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
