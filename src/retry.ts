import { backoffDelay } from './backoff';
import type { Clock } from './clock';
import { makeEvent, type GiveupEvent, type ReconnectEvent } from './events';
import type { ReconnectPolicy } from './options';
import { subscribe, type WakeSource } from './wake';

/** What happens between two connections: the retry count, the decision, and the wait. */
export interface Retry {
  /** Retries since the last stable connection: 0 for a first attempt (and after `reset()`). */
  attempt(): number;
  /** A connection opened now; it resets the count once it has stayed open `resetAfterMs`. */
  opened(): void;
  /**
   * Decides what follows a close: schedules the next attempt (calling `connect` after the backoff
   * delay, or at once on a wake-up) and returns the `reconnect` event to fire, or returns `giveup`.
   */
  after(event: CloseEvent): ReconnectEvent | GiveupEvent;
  /** Stops waiting, if it was: the timer and the wake-up sources are released together. */
  cancel(): void;
  /** Stops waiting and starts counting from 0 again. */
  reset(): void;
}

/**
 * The retry policy of a socket (the TanStack Query "retryer" idea): a wait has two exits, its timer
 * and a wake-up, and whichever comes first closes both before `connect` runs, so a wake-up can
 * never start a second attempt beside the one the timer started.
 */
export function createRetry(
  policy: ReconnectPolicy | false,
  shouldReconnect: (event: CloseEvent) => boolean,
  clock: Clock,
  random: (() => number) | undefined,
  wake: readonly WakeSource[],
  connect: () => void,
): Retry {
  let attempt = 0;
  let openedAt = 0;
  let timer: unknown;
  let unwake: (() => void) | undefined;

  function cancel(): void {
    clock.clearTimeout(timer);
    timer = undefined;
    unwake?.();
    unwake = undefined;
  }

  const go = () => {
    cancel();
    connect();
  };

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
      const delayMs = backoffDelay(++attempt, policy, random);
      timer = clock.setTimeout(() => {
        timer = undefined; // spent: an id may be reused by a later timer, so it is never cleared again
        go();
      }, delayMs);
      unwake = subscribe(wake, go);
      return makeEvent<ReconnectEvent>('reconnect', { attempt, delayMs, closeEvent: event });
    },
    cancel,
    reset() {
      cancel();
      attempt = 0;
      openedAt = 0;
    },
  };
}
