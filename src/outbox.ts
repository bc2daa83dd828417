import { byteLength, type SendData } from './bytes';
import type { Clock } from './clock';
import { domError, SteadySocketError } from './errors';
import { makeEvent, type DropEvent } from './events';
import type { SendOptions, WebSocketLike } from './options';
import { createQueue, type QueueLimits } from './queue';
import { OPEN } from './state';
import type { Stats } from './stats';

/**
 * How far the current connection is: `NONE` (no open connection), `DIRECT` (its `open` listeners
 * run: what they send goes first), `HELD` (the `handshake` hook runs: only its own sends go out),
 * `READY` (everything flows).
 */
export const NONE = 0;
export const DIRECT = 1;
export const HELD = 2;
export const READY = 3;

/** The send path: the one place that hands data to the native socket. */
export interface Outbox {
  /** The connection to write to and how far it is (see `NONE`...`READY`); `READY` does not flush yet. */
  phase(ws: WebSocketLike | undefined, phase: number): void;
  /**
   * While the connection is on probation (a wake-up probe is out), the app's sends wait in the queue
   * instead of going to a link that may be dead; `offer()` and `priority()` still go. Releasing it does
   * not flush: `pump()` does. No effect without a queue.
   */
  hold(on: boolean): void;
  /**
   * A `send()` of the app: handed over now if the connection is ready and the native buffer is
   * under the high-water mark (and nothing waits before it), otherwise queued; without a queue,
   * handed over whenever the connection is open, else `InvalidStateError`.
   * @returns whether the total buffered is still under the high-water mark.
   */
  send(data: SendData, options?: SendOptions): boolean;
  /**
   * Hands `data` over now, ahead of the queue, if the connection is ready (or in its `open` event)
   * and the native buffer is under the high-water mark; never queues it.
   * @returns whether it was handed over. When the buffer was full, `drain` follows.
   */
  offer(data: SendData): boolean;
  /** Writes to the open connection at once, whatever its phase (handshake, heartbeat). @returns whether it could. */
  priority(data: SendData): boolean;
  /** Hands queued messages over while the native buffer has room. */
  pump(): void;
  /** Whether the connection is past its handshake (`READY`). */
  isReady(): boolean;
  /** Bytes buffered in total: the native `bufferedAmount` plus what the SDK holds. */
  buffered(): number;
  /** Resolves once the total buffered falls to the low-water mark. */
  drained(): Promise<void>;
  /** Drops everything queued (reporting each message), rejects `drained()` waiters, stops polling. */
  dispose(): void;
}

const MIN_POLL_MS = 4;
// Chromium's bufferedAmount stays flat, then drops at once: a long wait would leave the link idle after it drains.
const MAX_POLL_MS = 32;

/**
 * Creates the send path. While the native `bufferedAmount` is at or above `high`, messages wait
 * here (or, with `limits === false`, `send()` returns `false` and the app waits); they are handed
 * over again once it has fallen to `low`. Browsers fire no event when their buffer drains, so it is
 * polled, but only while something waits, at an interval predicted from the drain rate seen so far.
 */
export function createOutbox(
  limits: QueueLimits | false, high: number, low: number, clock: Clock, emit: (event: Event) => void, stats: Stats,
): Outbox {
  // Without a queue nothing is ever added to it: it only keeps the code paths one.
  const queue = createQueue<SendData>(limits || ({} as QueueLimits));
  let ws: WebSocketLike | undefined;
  let phase = NONE;
  let held = false;
  let timer: unknown;
  let expiry: unknown; // the timer of the earliest `ttlMs` among what waits
  let expiresAt = Infinity;
  let lastBytes = 0;
  let lastAt = 0;
  let intervalMs = MIN_POLL_MS;
  let overHigh = false;
  let waiters: [() => void, (reason: unknown) => void][] = [];

  const drop = (data: SendData, reason: DropEvent['reason']) => {
    stats.dropped(reason);
    emit(makeEvent<DropEvent>('drop', { data, reason }));
  };
  /** The one call of the native send. */
  const write = (data: SendData, bytes = byteLength(data)) => {
    ws!.send(data);
    stats.sent(bytes);
  };
  const native = () => ws?.bufferedAmount ?? 0;
  const total = () => native() + queue.bytes;
  const open = () => ws?.readyState === OPEN;
  /** The connection takes the app's messages now: ready, in its `open` event, or open at all without a queue. */
  const flowing = () => open() && (limits ? !held && (phase === READY || phase === DIRECT) : phase > NONE);

  const drainIfLow = () => {
    if (total() > low) return false;
    if (overHigh) {
      overHigh = false;
      emit(new Event('drain'));
    }
    const ready = waiters;
    waiters = [];
    for (const [resolve] of ready) resolve();
    return true;
  };

  const poll = () => {
    timer = undefined;
    const bytes = native();
    const rate = (lastBytes - bytes) / (clock.now() - lastAt || 1);
    intervalMs = rate > 0 ? (bytes - low) / rate : intervalMs * 2;
    if (bytes <= low) pump();
    else watch();
  };

  const watch = () => {
    if (drainIfLow() && !queue.length) return;
    if (timer !== undefined || !flowing()) return;
    lastBytes = native();
    lastAt = clock.now();
    timer = clock.setTimeout(poll, Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, intervalMs)));
  };

  /** Over the high mark: `send()` says wait, and `drain` tells when to go on. */
  const full = () => {
    overHigh = true;
    watch();
    return false;
  };

  /** Drops what waited past its `ttlMs`, and sets the timer for the next such message. */
  const expire = () => {
    clock.clearTimeout(expiry);
    expiry = undefined;
    const [expired, next] = queue.expire(clock.now());
    for (const data of expired) drop(data, 'expired');
    if ((expiresAt = next) < Infinity) expiry = clock.setTimeout(expire, next - clock.now());
  };

  function pump(): void {
    if (expiresAt <= clock.now()) expire();
    while (queue.length && flowing() && native() < high) write(queue.shift()!);
    if (!queue.length && expiry !== undefined) {
      clock.clearTimeout(expiry);
      expiry = undefined;
      expiresAt = Infinity;
    }
    watch();
  }

  return {
    phase(next, to) {
      ws = next;
      phase = to;
      held = false;
      if (!next) {
        clock.clearTimeout(timer);
        timer = undefined;
      }
    },
    send(data, options) {
      const bytes = byteLength(data);
      if (options?.volatile) {
        // Now or never: never queued, so never late.
        if (flowing() && native() < high) write(data, bytes);
        else drop(data, 'volatile');
        return total() < high;
      }
      if (flowing() && (phase === DIRECT || !limits || (!queue.length && native() < high))) write(data, bytes);
      else if (!limits) throw domError('InvalidStateError', 'not open');
      else {
        const ttlMs = options?.ttlMs;
        const at = ttlMs === undefined ? undefined : clock.now() + ttlMs;
        const dropped = queue.add(data, bytes, at);
        if (!dropped) {
          drop(data, 'overflow');
          if (limits.overflow === 'error') throw new SteadySocketError('QUEUE_FULL');
          return false;
        }
        for (const old of dropped) drop(old, 'overflow');
        if (at !== undefined && at < expiresAt) {
          clock.clearTimeout(expiry);
          expiresAt = at;
          expiry = clock.setTimeout(expire, ttlMs!);
        }
        if (flowing()) watch();
      }
      return total() < high || full();
    },
    hold(on) {
      held = on;
    },
    offer(data) {
      if (!open() || !(phase === READY || phase === DIRECT)) return false;
      if (native() >= high) return full();
      write(data);
      return true;
    },
    priority(data) {
      if (!open()) return false;
      write(data);
      return true;
    },
    pump,
    isReady: () => phase === READY,
    buffered: total,
    drained: () => new Promise<void>((resolve, reject) => {
      waiters.push([resolve, reject]);
      watch(); // resolves now if low enough, else polls until it is
    }),
    dispose() {
      clock.clearTimeout(timer);
      clock.clearTimeout(expiry);
      timer = expiry = undefined;
      expiresAt = Infinity;
      overHigh = false;
      const stranded = waiters;
      waiters = [];
      for (const [, reject] of stranded) reject(domError('InvalidStateError', 'closed'));
      for (const data of queue.clear()) drop(data, 'closed');
    },
  };
}
