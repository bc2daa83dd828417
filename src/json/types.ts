import type { Clock } from '../clock';
import type { Envelope } from './envelope';

/**
 * What a `JsonChannel` needs from its socket: a `SteadySocket`, or anything with the same
 * `readyState`, `send` and `open`/`message`/`close`/`giveup` events. Over a `SteadySocket` the
 * channel also uses its `ready` and `drain` events and its now-or-never send, which keep acked
 * messages and requests out of the socket's queue (PROTOCOL.md, "Not sent twice"); over another
 * socket it hands them over whenever `readyState` is `OPEN`.
 */
export interface JsonSocket extends EventTarget {
  readonly readyState: number;
  /** With `options` only when the app passed send options (`volatile`, `ttlMs`) to the channel. */
  send(data: string, options?: { volatile?: boolean; ttlMs?: number }): boolean | void;
}

/**
 * Options of `new JsonChannel(socket, options)`. Every field is optional.
 * @example new JsonChannel(socket, { requestTimeoutMs: 10_000, maxUnacked: 200 });
 */
export interface JsonChannelOptions {
  /** How long `request()` waits for its answer, queued time included; 0 for no limit. @default 30000 */
  requestTimeoutMs?: number;
  /** How long `send(type, data, { ack: true })` waits for its ack, queued time included; 0 for no limit. @default 0 */
  ackTimeoutMs?: number;
  /**
   * Most messages waiting for an ack or an answer (kept for re-sending after a reconnect). One more
   * is refused: a `drop` event, and its promise rejects with `OVERFLOW`. @default 1000
   */
  maxUnacked?: number;
  /**
   * Largest message, in UTF-8 bytes of the encoded frame, either way: bigger inbound frames fire
   * `invalid`; sending a bigger one throws (or rejects with) a `RangeError`. @default 1048576 (1 MiB)
   */
  maxMessageBytes?: number;
  /** How many inbound ids are remembered to drop re-sent duplicates; 0 turns dedupe off. @default 1000 */
  dedupeWindow?: number;
  /**
   * Turns an envelope into the text frame to send, to adapt to a server with other field names.
   * @default encodeEnvelope (JSON with the field names of PROTOCOL.md)
   */
  encode?: (envelope: Envelope) => string;
  /**
   * Turns a text frame into an envelope (checked afterwards; throwing marks the frame `not-json`).
   * A custom decoder should parse with `safeJsonParse`. @default safeJsonParse
   */
  decode?: (text: string) => unknown;
  /** Timers for timeouts. @default the platform's timers */
  clock?: Clock;
  /** Source of the random id prefix, a number in [0, 1). @default crypto.randomUUID where present, else Math.random */
  random?: () => number;
}

/** Options of `send(type, data, { ack: true })`. */
export interface AckOptions {
  /** Ask the other side to acknowledge: keep the message, re-send it after a reconnect until acked. */
  ack: true;
  /** Give up after this many milliseconds, queued time included; 0 for no limit. @default the channel's `ackTimeoutMs` */
  timeoutMs?: number;
  /** Aborting it stops waiting (and re-sending): the promise rejects with `ABORTED`. */
  signal?: AbortSignal;
}

/** Options of `request()`. */
export interface RequestOptions {
  /** Give up after this many milliseconds, queued time included; 0 for no limit. @default the channel's `requestTimeoutMs` */
  timeoutMs?: number;
  /** Aborting it stops waiting (and re-sending): the promise rejects with `ABORTED`. */
  signal?: AbortSignal;
}

/** An inbound message as handlers see it: the envelope with its `type` and `data` typed. */
export interface JsonMessage<T extends string = string, D = unknown> extends Envelope {
  readonly type: T;
  readonly data: D;
}

/** Any message of the map `M` (type -> payload), as a union that `switch (message.type)` narrows. */
export type AnyJsonMessage<M> = { [K in keyof M & string]: JsonMessage<K, M[K]> }[keyof M & string];

/** A handler for one message type; it may return a promise (a rejection is reported like a throw). */
export type JsonHandler<T extends string, D> = (data: D, message: JsonMessage<T, D>) => unknown;

/** A handler for every message (`on('*', handler)`). */
export type JsonWildcardHandler<M> = (message: AnyJsonMessage<M>) => unknown;
