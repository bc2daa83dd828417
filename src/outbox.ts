import { byteLength, type SendData } from './bytes';
import type { Clock } from './clock';
import { domError, SteadySocketError } from './errors';
import { makeEvent, type DropEvent } from './events';
import type { WebSocketLike } from './options';
import { createQueue, type QueueLimits } from './queue';

/** What the outbox needs from the socket that owns it. */
export interface OutboxHost {
  /** The native socket when messages may be handed to it (open and past `handshake`), else undefined. */
  sink(): WebSocketLike | undefined;
  /** The current native socket's `bufferedAmount`, 0 when there is none. */
  nativeBuffered(): number;
  emit(event: Event): void;
}

/** The send path: hands messages to the browser while its buffer has room, holds them otherwise. */
export interface Outbox {
  /** Queues or sends `data`; returns whether the total buffered is still under the high-water mark. */
  send(data: SendData): boolean;
  /** Hands queued messages over while the native buffer has room. */
  pump(): void;
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
 * here; they are handed over again once it has fallen to `low`. Browsers fire no event when their
 * buffer drains, so it is polled, but only while something waits, at an interval predicted from
 * the drain rate seen so far.
 */
export function createOutbox(host: OutboxHost, limits: Partial<QueueLimits>, high: number, low: number, clock: Clock): Outbox {
  const queue = createQueue<SendData>(limits);
  let timer: unknown;
  let lastBytes = 0;
  let lastAt = 0;
  let intervalMs = MIN_POLL_MS;
  let overHigh = false;
  let waiters: [() => void, (reason: unknown) => void][] = [];

  const total = () => host.nativeBuffered() + queue.bytes;
  const drop = (data: SendData, reason: DropEvent['reason']) => host.emit(makeEvent<DropEvent>('drop', { data, reason }));

  const drainIfLow = () => {
    if (total() > low) return false;
    if (overHigh) {
      overHigh = false;
      host.emit(new Event('drain'));
    }
    const ready = waiters;
    waiters = [];
    for (const [resolve] of ready) resolve();
    return true;
  };

  const poll = () => {
    timer = undefined;
    const bytes = host.nativeBuffered();
    const rate = (lastBytes - bytes) / (clock.now() - lastAt || 1);
    intervalMs = rate > 0 ? (bytes - low) / rate : intervalMs * 2;
    if (bytes <= low) pump();
    else watch();
  };

  const watch = () => {
    if (drainIfLow() && !queue.length) return;
    if (timer !== undefined || !host.sink()) return;
    lastBytes = host.nativeBuffered();
    lastAt = clock.now();
    timer = clock.setTimeout(poll, Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, intervalMs)));
  };

  function pump(): void {
    let ws: WebSocketLike | undefined;
    while (queue.length && (ws = host.sink()) && ws.bufferedAmount < high) ws.send(queue.shift()!);
    watch();
  }

  function send(data: SendData): boolean {
    const ws = host.sink();
    if (ws && !queue.length && ws.bufferedAmount < high) ws.send(data);
    else {
      const dropped = queue.add(data, byteLength(data));
      if (!dropped) {
        drop(data, 'overflow');
        if (limits.overflow === 'error')
          throw new SteadySocketError('QUEUE_FULL');
        return false;
      }
      for (const old of dropped) drop(old, 'overflow');
      if (ws) watch();
    }
    const room = total() < high;
    if (!room) {
      overHigh = true;
      watch();
    }
    return room;
  }

  return {
    send,
    pump,
    buffered: total,
    drained: () => new Promise<void>((resolve, reject) => {
      waiters.push([resolve, reject]);
      watch(); // resolves now if low enough, else polls until it is
    }),
    dispose() {
      clock.clearTimeout(timer);
      timer = undefined;
      overHigh = false;
      const stranded = waiters;
      waiters = [];
      for (const [, reject] of stranded) reject(domError('InvalidStateError', 'closed'));
      for (const data of queue.clear()) drop(data, 'closed');
    },
  };
}
