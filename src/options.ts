import type { SendData } from './bytes';
import type { Clock } from './clock';
import type { HeartbeatOptions } from './heartbeat';
import type { QueueLimits } from './queue';
import type { LifecycleSource } from './lifecycle';

type MaybePromise<T> = T | Promise<T>;
/**
 * A URL; a list of URLs to fail over between (attempts move to the next on failure and stay with the one that
 * works); or a function called before every attempt that returns either (for fresh credentials).
 */
export type UrlProvider = string | URL | readonly (string | URL)[] | (() => MaybePromise<string | URL | readonly (string | URL)[]>);
/** Subprotocols, or a function called before every attempt that returns them. */
export type ProtocolsProvider = string | string[] | (() => MaybePromise<string | string[]>);

/** The part of the native `WebSocket` that steadysocket drives (browsers' `WebSocket`, Node's `ws`, test doubles). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol: string;
  readonly extensions: string;
  binaryType: string;
  send(data: SendData): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => unknown) | null;
  onmessage: ((event: any) => unknown) | null;
  onerror: ((event: any) => unknown) | null;
  onclose: ((event: any) => unknown) | null;
}

/** A constructor with the native `WebSocket`'s signature. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** How long to wait before each retry. All durations in milliseconds. */
export interface BackoffPolicy {
  /** The shortest delay, and the first retry's starting point. @default 1000 */
  initialDelayMs: number;
  /** Upper bound of any delay: a hard cap, jitter included. @default 30000 */
  maxDelayMs: number;
  /** The most a delay grows over the previous one. @default 3 */
  factor: number;
  /**
   * How each delay is drawn. `'decorrelated'`: uniformly between `initialDelayMs` and `factor` times the
   * previous delay. A number from 0 to 1: the exponential curve `initialDelayMs * factor^(n-1)`, shortened
   * by up to that fraction of it (1 is "full jitter", 0 none). README "Backoff" has the measurements
   * behind the default. @default 'decorrelated'
   */
  jitter: number | 'decorrelated';
}

/** Reconnection policy. Delays in milliseconds; see {@link BackoffPolicy} for the formula. */
export interface ReconnectPolicy extends BackoffPolicy {
  /** Retries after which the socket gives up (`giveup` event, `readyState` CLOSED). @default Infinity */
  maxRetries: number;
  /**
   * How long a connection must stay open before the retry count goes back to 0, so that a
   * server that accepts and drops at once meets growing delays, not a reconnect storm. @default 5000
   */
  resetAfterMs: number;
  /**
   * The longest wait a server's retry hint (a close with `retry-after=<seconds>`, PROTOCOL.md) can ask for;
   * longer hints are cut to it. @default 300000 (5 minutes)
   */
  maxRetryAfterMs: number;
}

/**
 * Options of `send(data, options)`. Without them `send(data)` is the native send (queued while not open).
 * @example socket.send(cursor, { volatile: true }); // a position that is stale in a moment: now or never
 */
export interface SendOptions {
  /**
   * Never queued: sent now if the connection is open (past `handshake`) and the browser's buffer is under
   * `highWaterMark`, otherwise dropped (a `drop` event, reason `'volatile'`). Not with `ttlMs`.
   */
  volatile?: boolean;
  /**
   * Dropped (a `drop` event, reason `'expired'`) if it could not be handed to the browser within this many
   * milliseconds; it waits in the queue until then, as any message does.
   */
  ttlMs?: number;
}

/** Options of `new SteadySocket(url, protocols, options)`. Every field is optional. */
export interface SteadySocketOptions {
  /**
   * Backoff and retry limits, or `false` to never reconnect. (`reconnect: false` with `queue: false`
   * behaves like the native socket.) @default `DEFAULTS.reconnect`
   */
  reconnect?: Partial<ReconnectPolicy> | false;
  /**
   * An attempt that has not opened (and finished `handshake`) within this many milliseconds
   * is abandoned and retried. `0` disables the limit. @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * Decides whether a close is retried. A close asked for by `close()` never is.
   * @default retry unless the code is 1002, 1003, 1007, 1008, 1009 or 1010
   */
  shouldReconnect?: (event: CloseEvent) => boolean;
  /**
   * Bounds of the queue that holds what is sent while the socket is not open, or `false` for no
   * queue (then `send()` throws `InvalidStateError` unless open, like the native socket).
   */
  queue?: Partial<QueueLimits> | false;
  /**
   * Native `bufferedAmount` (bytes) above which new messages wait in the SDK's queue instead of
   * the browser's buffer, and `send()` returns `false`. @default 1048576 (1 MiB)
   */
  highWaterMark?: number;
  /**
   * Native `bufferedAmount` (bytes) under which waiting messages are handed over again and `drain`
   * fires; at most `highWaterMark`. The buffer is polled, so a low mark close to the high one keeps
   * enough in it to bridge a late poll (measured: ¾ of it keeps a fast link as busy as the native
   * socket does in Chromium and WebKit, ¼ of it lost 12-22%). @default ¾ of `highWaterMark` (768 KiB)
   */
  lowWaterMark?: number;
  /**
   * Runs after each `open` event and before queued messages are flushed; the flush waits for
   * the returned promise, and its rejection closes the connection and retries. `send` writes
   * straight to the new connection (ahead of the queue), for authentication messages.
   */
  handshake?: (send: (data: SendData) => void) => void | Promise<void>;
  /**
   * Ping after `intervalMs` of silence and treat the link as dead (close, then reconnect as usual)
   * when nothing arrives within `timeoutMs`. The server must answer the ping. Off unless given;
   * `true` uses every default.
   */
  heartbeat?: Partial<HeartbeatOptions> | boolean;
  /** The `WebSocket` implementation. @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
  /** Source of jitter, a number in [0, 1). @default Math.random */
  random?: () => number;
  /** Time source and timers. @default the platform's `performance.now` and `setTimeout` */
  clock?: Clock;
  /**
   * What the page's life tells the socket (see `LifecycleSignal`): a backoff wait ends at once when
   * the network comes back or the page becomes visible, an open connection is probed then (with a
   * heartbeat), the connection is closed cleanly when the page may enter the back/forward cache or is
   * frozen and reopened when it comes back, and retries are not counted while offline. `[]` turns all
   * of it off. @default `[pageLifecycle]` (the page's own events, feature-detected)
   */
  lifecycle?: readonly LifecycleSource[];
}
