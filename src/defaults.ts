import type { HeartbeatOptions } from './heartbeat';
import type { ReconnectPolicy } from './options';
import type { QueueLimits } from './queue';

/** The default of every `SteadySocketOptions` field that has one; the code reads them here and nowhere else. */
export interface SteadySocketDefaults {
  readonly reconnect: Readonly<ReconnectPolicy>;
  readonly connectTimeoutMs: number;
  readonly queue: Readonly<QueueLimits>;
  readonly highWaterMark: number;
  readonly lowWaterMark: number;
  readonly heartbeat: Readonly<HeartbeatOptions>;
}

/**
 * The options' defaults, frozen. `lowWaterMark` is ¾ of `highWaterMark`: when only `highWaterMark`
 * is given, the low mark is ¾ of that.
 *
 * @example backoffDelay(1, DEFAULTS.reconnect) // 1000 to 3000 ms
 */
export const DEFAULTS: SteadySocketDefaults = /* @__PURE__ */ freeze({
  reconnect: freeze({ initialDelayMs: 1000, maxDelayMs: 30_000, factor: 3, jitter: 'decorrelated' as const, maxRetries: Infinity, resetAfterMs: 5000, maxRetryAfterMs: 300_000 }),
  connectTimeoutMs: 10_000,
  queue: freeze({ maxMessages: 100_000, maxBytes: 1 << 24, overflow: 'drop-oldest' as const }),
  highWaterMark: 1 << 20,
  lowWaterMark: 3 << 18,
  heartbeat: freeze({ intervalMs: 25_000, timeoutMs: 10_000, probeTimeoutMs: 3000, message: 'ping', isPong: (data: unknown) => data === 'pong' }),
});

function freeze<T extends object>(value: T): T {
  return Object.freeze(value);
}

/**
 * `defaults` with every field of `given` that is not `undefined` (an option given as `undefined`
 * takes its default, as if left out).
 */
export function withDefaults<T extends object>(defaults: T, given?: Partial<T> | object | boolean | null): T {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(given || {})) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
