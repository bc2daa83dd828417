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
   * delay) and returns the `reconnect` event to fire, or returns `giveup`.
   */
  after(event: CloseEvent): ReconnectEvent | GiveupEvent;
  /** Cuts a wait short: connects now if waiting. @returns whether it was waiting. */
  now(): boolean;
  /**
   * While the browser says it is offline, waits are `maxDelayMs` and retries are not counted (so
   * `maxRetries` is not spent on a network that is known to be down).
   */
  offline(on: boolean): void;
  /** Stops waiting, if it was. */
  cancel(): void;
  /** Stops waiting and starts counting from 0 again. */
  reset(): void;
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
): Retry {
  let attempt = 0;
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
    after(event) {
      if (policy && openedAt && clock.now() - openedAt >= policy.resetAfterMs) attempt = 0;
      openedAt = 0;
      let spent = false;
      if (!policy || (spent = attempt >= policy.maxRetries) || !retryable(event))
        return makeEvent<GiveupEvent>('giveup', { reason: spent ? 'retries' : 'policy', closeEvent: event });
      // Offline: the longest delay (a retry number past any growth), and the count stays where it is.
      const delayMs = backoffDelay(offline ? 64 : ++attempt, policy, random);
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
      openedAt = 0;
    },
  };
}
