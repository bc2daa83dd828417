/**
 * The time source and timers the socket uses, injectable for tests.
 * `now()` should be monotonic (milliseconds); timer ids are opaque.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(id: unknown): void;
}

/**
 * The platform's timers, looked up on each call so that fake timers installed after
 * import are honoured. `performance.now()` is monotonic, unlike `Date.now()`.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};
