import type { Envelope, InvalidReason } from './envelope';

/** `invalid`: an inbound frame was not a valid message; it was skipped and the connection stays up. */
export interface JsonInvalidEvent extends Event {
  /** The frame as received (a string, or binary data). */
  readonly data: unknown;
  /** What is wrong with it. */
  readonly reason: InvalidReason;
}

/** `error`: a handler threw (or its promise rejected), or the channel could not send an ack or an answer. */
export interface JsonErrorEvent extends Event {
  /** What was thrown. */
  readonly error: unknown;
  /** The message being handled, when there was one. */
  readonly envelope?: Envelope;
}

/** `drop`: a message sent with `ack: true` (or a request) was refused because `maxUnacked` were waiting; its promise rejects with `OVERFLOW`. */
export interface JsonDropEvent extends Event {
  /** The message that was not sent. */
  readonly envelope: Envelope;
  /** Always `'overflow'`. */
  readonly reason: 'overflow';
}

/** Events of a `JsonChannel`, for typed `addEventListener`. */
export interface JsonChannelEventMap {
  invalid: JsonInvalidEvent;
  error: JsonErrorEvent;
  drop: JsonDropEvent;
}
