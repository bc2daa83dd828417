import type { Clock } from '../clock';
import type { Envelope } from './envelope';
import { JsonChannelError } from './errors';
import { PendingStore, type Pending } from './pending';
import type { JsonSocket } from './types';

const OPEN = 1;
const CLOSED = 3;

/**
 * At-least-once delivery of acked messages and requests. They are kept here, never in the
 * socket's queue: handed to the socket only while it is open (and its buffer is under the
 * high-water mark), and all handed again, oldest first and with the same id, from the socket's
 * `open` listener, where the socket writes straight to the new connection ahead of its own queue.
 * So a message is on the wire once per connection at most, and never waits in the socket's
 * queue to be flushed there as well.
 */
export class Delivery {
  readonly pending: PendingStore;
  readonly #socket: JsonSocket;
  readonly #report: (error: unknown, envelope: Envelope) => void;
  /** Counts the socket's `open` events: which connection a message was last handed to. */
  #connection = 0;
  #open: boolean;
  /** False after `send()` reported a full buffer, until `drained()`: messages wait here meanwhile. */
  #flowing = true;
  #stopped = false;

  constructor(socket: JsonSocket, clock: Clock, report: (error: unknown, envelope: Envelope) => void) {
    this.#socket = socket;
    this.#report = report;
    this.pending = new PendingStore(clock);
    this.#open = socket.readyState === OPEN;
  }

  /** Keeps a message until answered and sends it now if the connection can take it. */
  add(message: Envelope & { id: string }, frame: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<unknown> {
    const { entry, promise } = this.pending.add(message, frame, timeoutMs, signal);
    if (this.#open && this.#flowing) this.#transmit(entry, false);
    return promise;
  }

  /** From the socket's `open` listener: re-sends everything unanswered, in order. */
  opened(): void {
    this.#connection++;
    this.#open = true;
    this.#flowing = true;
    for (const entry of this.pending.list()) if (this.pending.has(entry.id)) this.#transmit(entry, true);
  }

  /** From the socket's `close` and `giveup` listeners: fails everything if it closed for good. */
  closed(): void {
    this.#open = false;
    if (this.#socket.readyState === CLOSED) this.pending.failAll(() => new JsonChannelError('CLOSED', 'socket closed'));
  }

  /** A `send()` of the channel returned false: the buffer is full. */
  full(): void {
    if (this.#open && this.#flowing) this.#pause();
  }

  /** Stops for good, rejecting everything with `CLOSED`. */
  stop(): void {
    this.#stopped = true;
    this.#open = false;
    this.pending.failAll(() => new JsonChannelError('CLOSED', 'channel disposed'));
  }

  #transmit(entry: Pending, inOpenEvent: boolean): void {
    entry.sentOn = this.#connection;
    let room: boolean;
    try {
      room = this.#socket.send(entry.frame) !== false;
    } catch (error) {
      this.#report(error, entry.envelope);
      return;
    }
    // In the open event the socket writes straight to the connection, and no `drain` follows.
    if (!room && !inOpenEvent) this.#pause();
  }

  #pause(): void {
    this.#flowing = false;
    const connection = this.#connection;
    this.#socket.drained().then(() => {
      if (this.#stopped || connection !== this.#connection || this.#flowing) return;
      this.#flowing = true;
      if (!this.#open) return;
      for (const entry of this.pending.list()) {
        if (entry.sentOn === connection || !this.pending.has(entry.id)) continue;
        this.#transmit(entry, false);
        if (!this.#flowing) break;
      }
    }, () => {});
  }
}
