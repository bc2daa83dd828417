import type { SendData } from './bytes';
import type { SteadySocketError } from './errors';

/** `connecting`: an attempt to connect starts. */
export interface ConnectingEvent extends Event {
  /** 0 for the first connection (and after `reconnect()`), n for the n-th retry since the last stable connection. */
  readonly attempt: number;
  /** Which URL of a `url` list this attempt uses (its index; 0 for a single URL). */
  readonly endpoint: number;
}

/** `reconnect`: a retry has been scheduled. */
export interface ReconnectEvent extends Event {
  /** The number of the retry that will follow, as its `connecting` event will report it. */
  readonly attempt: number;
  /** Wait before that retry, in milliseconds, jitter included. */
  readonly delayMs: number;
  /** The close that caused it. */
  readonly closeEvent: CloseEvent;
}

/** `giveup`: the socket stopped reconnecting on its own; `readyState` is now `CLOSED`. */
export interface GiveupEvent extends Event {
  /** `'retries'`: `maxRetries` reached; `'policy'`: `shouldReconnect` (or a fatal close code) said no. */
  readonly reason: 'retries' | 'policy';
  /** The close that ended it. */
  readonly closeEvent: CloseEvent;
}

/** `drop`: a message accepted by `send()` will never be sent. */
export interface DropEvent extends Event {
  /** The message, as given to `send()`. */
  readonly data: SendData;
  /**
   * `'overflow'`: the queue was full; `'closed'`: it was still queued when `close()` was called; `'expired'`: it
   * waited past its `ttlMs`; `'volatile'`: a volatile send found no open connection with room.
   */
  readonly reason: 'overflow' | 'closed' | 'expired' | 'volatile';
}

/**
 * `error`. When the native socket reported it, `error` is undefined (browsers give no detail, on
 * purpose); when steadysocket did, `error` says what went wrong.
 */
export interface SocketErrorEvent extends Event {
  /** What went wrong, when the SDK knows. */
  readonly error?: SteadySocketError;
}

/** `heartbeat`: a pong arrived. */
export interface HeartbeatEvent extends Event {
  /** Time from the ping to its pong, in milliseconds. */
  readonly rttMs: number;
}

/** Events of a `SteadySocket`, for typed `addEventListener`. */
export interface SteadySocketEventMap {
  open: Event;
  ready: Event;
  message: MessageEvent;
  error: SocketErrorEvent;
  close: CloseEvent;
  connecting: ConnectingEvent;
  reconnect: ReconnectEvent;
  giveup: GiveupEvent;
  drop: DropEvent;
  drain: Event;
  heartbeat: HeartbeatEvent;
}

/** An `Event` of `type` carrying `fields` (plain events keep the bundle small; the interfaces above type them). */
export const makeEvent = <T extends Event>(type: string, fields?: Omit<T, keyof Event>): T =>
  Object.assign(new Event(type), fields) as T;
