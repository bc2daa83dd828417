import { backoffDelay } from './backoff';
import type { Clock } from './clock';
import { makeEvent, type GiveupEvent, type ReconnectEvent } from './events';
import type { ReconnectPolicy } from './options';

/** What happens between two connections: the retry count, the decision, and the wait. */
export interface Retry {
  /** Retries since the last stable connection: 0 for a first attempt (and after `reset()`). */
  attempt(): number;
  /** A connection opened now; it resets the count once it has stayed open `resetAfterMs`. */
  opened(): void;
  /**
   * Decides what follows a close: schedules the next attempt (calling `connect` after the backoff
   * delay) and returns the `reconnect` event to fire, or returns `giveup`. `nextEndpoint`: the attempt
   * failed and another endpoint of the round is left to try: at once, and not counted.
   */
  after(event: CloseEvent, nextEndpoint?: boolean): ReconnectEvent | GiveupEvent;
  /** Cuts a wait short: connects now if waiting. @returns whether it was waiting. */
  now(): boolean;
  /**
   * While the browser says it is offline, waits are those of a fully grown backoff (up to `maxDelayMs`) and retries are not counted (so
   * `maxRetries` is not spent on a network that is known to be down).
   */
  offline(on: boolean): void;
  /** Stops waiting, if it was. */
  cancel(): void;
  /** Stops waiting and starts counting from 0 again. */
  reset(): void;
}

/** Close codes that can carry a retry hint (PROTOCOL.md, "Retry hints"): 1013 Try Again Later, and 4013. */
const HINT_CODES = [1013, 4013];

/**
 * The delay a close asks for with a reason `retry-after=<seconds>` on code 1013 or 4013, in milliseconds;
 * `undefined` for none. A malformed hint is reported and ignored: it never stops the socket from retrying.
 */
export function retryAfter(event: CloseEvent, report: (cause: string) => void): number | undefined {
  if (!HINT_CODES.includes(event.code) || !event.reason.startsWith('retry-after')) return undefined;
  const seconds = /^retry-after=(\d+(\.\d+)?)$/.exec(event.reason)?.[1];
  if (seconds === undefined) return void report(event.reason);
  return Number(seconds) * 1000;
}

/**
 * The retry policy of a socket (the TanStack Query "retryer" idea). A wait has one timer and ends
 * once: by the timer or by `now()`, whichever comes first, so a wake-up can never start a second
 * attempt beside the one the timer started.
 */
export function createRetry(
  policy: ReconnectPolicy | false,
  shouldReconnect: (event: CloseEvent) => boolean,
  clock: Clock,
  random: (() => number) | undefined,
  connect: () => void,
  report: (cause: string) => void,
): Retry {
  let attempt = 0;
  /** The last backoff delay: decorrelated jitter draws the next one from it. */
  let previousMs: number | undefined;
  let openedAt = 0;
  let offline = false;
  let timer: unknown;

  function cancel(): void {
    clock.clearTimeout(timer);
    timer = undefined;
  }

  function retryable(event: CloseEvent): boolean {
    try {
      return shouldReconnect(event);
    } catch (error) {
      // A broken policy must not wedge the socket: keep retrying, and report the bug as uncaught.
      queueMicrotask(() => {
        throw error;
      });
      return true;
    }
  }

  return {
    attempt: () => attempt,
    opened() {
      openedAt = clock.now();
    },
    after(event, nextEndpoint) {
      if (policy && openedAt && clock.now() - openedAt >= policy.resetAfterMs) {
        attempt = 0;
        previousMs = undefined;
      }
      openedAt = 0;
      let spent = false;
      if (!policy || (!nextEndpoint && (spent = attempt >= policy.maxRetries)) || !retryable(event))
        return makeEvent<GiveupEvent>('giveup', { reason: spent ? 'retries' : 'policy', closeEvent: event });
      // Offline: the longest delay (a retry number past any growth); the count and the previous delay stay.
      let delayMs = nextEndpoint ? 0 : offline ? backoffDelay(64, policy, random) : (previousMs = backoffDelay(++attempt, policy, random, previousMs));
      const hintMs = retryAfter(event, report);
      if (hintMs !== undefined) {
        // The server said when to come back: no sooner, spread over a part of it (a numeric `jitter`, else half)
        // so that its clients do not return together.
        const atLeast = Math.min(hintMs, policy.maxRetryAfterMs);
        const spread = typeof policy.jitter == 'number' ? policy.jitter : 0.5;
        delayMs = Math.max(delayMs, atLeast) + Math.round(atLeast * spread * (random ?? Math.random)());
      }
      timer = clock.setTimeout(() => {
        timer = undefined; // spent: an id may be reused by a later timer, so it is never cleared again
        connect();
      }, delayMs);
      return makeEvent<ReconnectEvent>('reconnect', { attempt, delayMs, closeEvent: event });
    },
    now() {
      if (timer === undefined) return false;
      cancel();
      connect();
      return true;
    },
    offline(on) {
      offline = on;
    },
    cancel,
    reset() {
      cancel();
      attempt = 0;
      previousMs = undefined;
      openedAt = 0;
    },
  };
}
