import type { SendData } from './bytes';
import type { Clock } from './clock';

/** Dead-link detection. Durations in milliseconds. */
export interface HeartbeatOptions {
  /** Quiet time after which a ping is sent; any inbound message resets it. @default 25000 */
  intervalMs: number;
  /** How long to wait for any inbound message after a ping before the link is declared dead. @default 10000 */
  timeoutMs: number;
  /** What to send as a ping (or a function making it, e.g. with a timestamp). @default 'ping' */
  message: SendData | (() => SendData);
  /** Which inbound message is the answer; it is not delivered as a `message` event. @default data === 'pong' */
  isPong: (data: unknown) => boolean;
}

/** A running heartbeat on one connection. */
export interface Heartbeat {
  /** Call for every inbound message; returns `true` when it is the pong (to be swallowed). */
  seen(data: unknown): boolean;
  stop(): void;
}

/**
 * Pings after `intervalMs` of silence and declares the link dead when nothing at all arrives
 * within `timeoutMs` of a ping. Time is read from the clock, never counted in ticks, so a timer
 * that a background tab delayed cannot fake a timeout: a check that runs late first gives the
 * messages queued behind it a moment to arrive.
 */
export function startHeartbeat(
  options: HeartbeatOptions,
  clock: Clock,
  ping: (data: SendData) => unknown,
  dead: () => void,
  rtt: (rttMs: number) => void,
): Heartbeat {
  const { intervalMs, timeoutMs, message, isPong } = options;
  const graceMs = Math.min(timeoutMs, 1000);
  let lastSeen = clock.now();
  let pingAt = 0;
  let dueAt = 0;
  let timer: unknown;

  const arm = (delayMs: number) => {
    dueAt = clock.now() + delayMs;
    timer = clock.setTimeout(check, delayMs);
  };

  function check(): void {
    const now = clock.now();
    const late = now - dueAt;
    if (pingAt && lastSeen < pingAt) {
      if (now - pingAt < timeoutMs) arm(pingAt + timeoutMs - now);
      else if (late > graceMs) arm(graceMs); // throttled: let queued messages in first
      else dead();
    } else if (now - lastSeen >= intervalMs) {
      pingAt = now;
      ping(typeof message === 'function' ? message() : message);
      arm(timeoutMs);
    } else arm(lastSeen + intervalMs - now);
  }

  arm(intervalMs);
  return {
    seen(data) {
      lastSeen = clock.now();
      if (!isPong(data)) return false;
      if (pingAt) rtt(lastSeen - pingAt);
      pingAt = 0;
      // Answered: the next ping is due `intervalMs` from now, not when the timeout check would have run.
      clock.clearTimeout(timer);
      arm(intervalMs);
      return true;
    },
    stop: () => clock.clearTimeout(timer),
  };
}
