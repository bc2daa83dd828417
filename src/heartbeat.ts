import type { SendData } from './bytes';
import type { Clock } from './clock';

/** Dead-link detection. Durations in milliseconds. */
export interface HeartbeatOptions {
  /** Quiet time after which a ping is sent; any inbound message resets it. @default 25000 */
  intervalMs: number;
  /** How long to wait for any inbound message after a ping before the link is declared dead. @default 10000 */
  timeoutMs: number;
  /**
   * The same, for a ping sent at once on a wake-up (the page became visible, the network came back, a
   * detected sleep), when a connection that looks open may have died meanwhile. @default 3000
   */
  probeTimeoutMs: number;
  /** What to send as a ping (or a function making it, e.g. with a timestamp). @default 'ping' */
  message: SendData | (() => SendData);
  /** Which inbound message is the answer; it is not delivered as a `message` event. @default data === 'pong' */
  isPong: (data: unknown) => boolean;
}

/** A running heartbeat on one connection. */
export interface Heartbeat {
  /** Call for every inbound message; returns `true` when it is the pong (to be swallowed). */
  seen(data: unknown): boolean;
  /** A wake-up: ping now (or cut the wait for the pending pong) and declare the link dead after `probeTimeoutMs`. */
  probe(): void;
  stop(): void;
}

/**
 * Pings after `intervalMs` of silence and declares the link dead when nothing at all arrives
 * within `timeoutMs` of a ping. Time is read from the clock, never counted in ticks, so a timer
 * that a background tab delayed cannot fake a timeout: a check that runs late first gives the
 * messages queued behind it a moment to arrive. A check that runs more than `intervalMs` late means
 * the device slept or the tab was throttled for long: it probes, as a wake-up does.
 */
export function startHeartbeat(
  options: HeartbeatOptions,
  clock: Clock,
  ping: (data: SendData) => unknown,
  dead: () => void,
  rtt: (rttMs: number) => void,
): Heartbeat {
  const { intervalMs, timeoutMs, probeTimeoutMs, message, isPong } = options;
  const graceMs = Math.min(timeoutMs, 1000);
  let lastSeen = clock.now();
  let pingAt = 0;
  let waiting = false; // a ping is out and nothing has arrived since
  let limitMs = 0; // how long the pending ping may wait for an answer
  let dueAt = 0;
  let timer: unknown;

  const arm = (delayMs: number) => {
    clock.clearTimeout(timer);
    dueAt = clock.now() + delayMs;
    timer = clock.setTimeout(check, delayMs);
  };

  const send = (waitMs: number) => {
    pingAt = clock.now();
    waiting = true;
    limitMs = waitMs;
    ping(typeof message === 'function' ? message() : message);
    arm(waitMs);
  };

  function check(): void {
    timer = undefined; // spent: never cleared again (ids may be reused)
    const now = clock.now();
    const late = now - dueAt;
    if (waiting) {
      if (now - pingAt < limitMs) arm(pingAt + limitMs - now);
      else if (late > graceMs) arm(graceMs); // throttled: let queued messages in first
      else dead();
    } else if (late > intervalMs) send(probeTimeoutMs);
    else if (now - lastSeen >= intervalMs) send(timeoutMs);
    else arm(lastSeen + intervalMs - now);
  }

  arm(intervalMs);
  return {
    seen(data) {
      lastSeen = clock.now();
      waiting = false;
      if (!isPong(data)) return false;
      if (pingAt) rtt(lastSeen - pingAt);
      pingAt = 0;
      // Answered: the next ping is due `intervalMs` from now, not when the timeout check would have run.
      arm(intervalMs);
      return true;
    },
    probe() {
      const now = clock.now();
      if (!waiting) send(probeTimeoutMs);
      else if (now - pingAt + probeTimeoutMs < limitMs) {
        limitMs = now - pingAt + probeTimeoutMs;
        arm(probeTimeoutMs);
      }
    },
    stop: () => clock.clearTimeout(timer),
  };
}
