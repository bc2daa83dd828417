import { byteLength } from '../bytes';
import { ACK_TYPE, UNHANDLED } from './constants';
import { IdWindow } from './dedupe';
import type { Envelope, InvalidReason } from './envelope';
import { checkEnvelope } from './wire';

/** What the receiving side needs from its channel. */
export interface ReceiverHost {
  readonly maxMessageBytes: number;
  decode(text: string): unknown;
  /** Encodes an envelope for the wire (throws over `maxMessageBytes`). */
  encode(envelope: Envelope): string;
  /** Hands a message to the app's handlers; returns whether any handler took it. */
  deliver(message: Envelope): boolean;
  /** Settles the pending message an inbound answer names. */
  answered(answer: Envelope & { re: string }): void;
  /** Sends an answer or an ack. */
  send(frame: string): void;
  invalid(data: unknown, reason: InvalidReason): void;
  report(error: unknown, envelope: Envelope): void;
}

/**
 * The receiving half of the protocol: checks each frame, routes answers to the pending messages,
 * dedupes messages by id and answers them: an acked message is acked (or refused with
 * `UNHANDLED` when nothing handles its type) and a request without a handler gets `UNHANDLED`.
 * The answer given to an id is remembered with it, so a copy that arrives again gets the same
 * answer without being delivered again.
 */
export class Receiver {
  readonly #host: ReceiverHost;
  readonly #seen: IdWindow;
  readonly #answered = new WeakSet<Envelope>();

  constructor(host: ReceiverHost, dedupeWindow: number) {
    this.#host = host;
    this.#seen = new IdWindow(dedupeWindow);
  }

  /** One inbound frame. */
  receive(raw: unknown): void {
    const host = this.#host;
    const max = host.maxMessageBytes;
    if (typeof raw !== 'string') return host.invalid(raw, 'binary');
    if (raw.length > max || (raw.length * 3 > max && byteLength(raw) > max)) return host.invalid(raw, 'too-large');
    let decoded: unknown;
    try {
      decoded = host.decode(raw);
    } catch {
      return host.invalid(raw, 'not-json');
    }
    const message = checkEnvelope(decoded);
    if (typeof message === 'string') return host.invalid(raw, message);
    if (message.re !== undefined) return host.answered(message as Envelope & { re: string });
    const { id } = message;
    if (id !== undefined && this.#seen.has(id)) {
      // A copy: not delivered again, but answered again, as the first answer may have been lost.
      const again = this.#seen.answer(id);
      if (again !== undefined) this.#quietly(() => host.send(again), message);
      return;
    }
    if (id !== undefined) this.#seen.add(id);
    const handled = host.deliver(message);
    if (id === undefined) return;
    if (!handled) this.#quietly(() => this.respond(message, { type: message.type, re: id, error: { code: UNHANDLED, message: `no handler for ${message.type}` } }), message);
    else if (message.ack) this.#quietly(() => this.respond(message, { type: ACK_TYPE, re: id }), message);
  }

  /**
   * Answers an inbound acked message or request once, remembering the answer for its copies.
   * @returns `false` when `message` wants no answer or already has one.
   * @throws what `encode` throws.
   */
  respond(message: Envelope, answer: Envelope): boolean {
    const { id } = message;
    if (id === undefined || message.re !== undefined || this.#answered.has(message)) return false;
    const frame = this.#host.encode(answer);
    this.#answered.add(message);
    this.#seen.setAnswer(id, frame);
    this.#host.send(frame);
    return true;
  }

  clear(): void {
    this.#seen.clear();
  }

  #quietly(fn: () => unknown, message: Envelope): void {
    try {
      fn();
    } catch (error) {
      this.#host.report(error, message);
    }
  }
}
