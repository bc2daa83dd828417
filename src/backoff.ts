import { DEFAULTS, withDefaults } from './defaults';

/** How long to wait before each retry. All durations in milliseconds. */
export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. @default 1000 */
  initialDelayMs: number;
  /** Upper bound of any delay; jitter only ever shortens a delay, so this is a hard cap. @default 30000 */
  maxDelayMs: number;
  /** Growth per retry. @default 2 */
  factor: number;
  /** Fraction of each delay that is randomised, 0 (none) to 1 ("full jitter"). @default 0.5 */
  jitter: number;
}

/**
 * The delay before retry number `retry` (1 for the first retry):
 * `min(maxDelayMs, initialDelayMs * factor ** (retry - 1)) * (1 - jitter * random())`.
 *
 * Fields left out of `policy` take their defaults (`DEFAULTS.reconnect`). `random` is drawn for every call, so clients that lost the same server spread out
 * instead of coming back in lock-step.
 *
 * @example backoffDelay(3) // 2000 to 4000 ms
 */
export function backoffDelay(retry: number, policy?: Partial<BackoffPolicy>, random: () => number = Math.random): number {
  const { initialDelayMs, maxDelayMs, factor, jitter } = withDefaults(DEFAULTS.reconnect, policy);
  return Math.max(0, Math.round(Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, retry - 1)) * (1 - jitter * random())));
}
