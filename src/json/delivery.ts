import type { Clock } from '../clock';
import { OFFER, type Offering } from '../offer';
import { CLOSED, OPEN } from '../state';
import type { Envelope } from './envelope';
import { JsonChannelError } from './errors';
import { PendingStore, type Pending } from './pending';
import type { JsonSocket } from './types';

/**
 * At-least-once delivery of acked messages and requests. They are kept here and only here: handed
 * to the socket through its now-or-never send (`OFFER`), which writes to the current connection at
 * once or refuses, never into the socket's queue. After a refusal nothing more is handed over
 * (that would overtake) until the socket says it can take more: `ready` (a connection is usable:
 * everything not yet on it is handed over, oldest first, same ids) or `drain` (the buffer that was
 * full has room). So each connection carries a prefix of the list, in order, each message once.
 */
export class Delivery {
  readonly pending: PendingStore;
  readonly #socket: JsonSocket;
  readonly #report: (error: unknown, envelope: Envelope) => void;
  /** Counts the socket's `close` events: the connection a message was handed to. */
  #connection = 0;
  /** A hand-over was refused: the rest waits for `ready` or `drain`. */
  #blocked = false;

  constructor(socket: JsonSocket, clock: Clock, report: (error: unknown, envelope: Envelope) => void) {
    this.#socket = socket;
    this.#report = report;
    this.pending = new PendingStore(clock);
  }

  /** Keeps a message until answered and hands it over now if the connection can take it. */
  add(message: Envelope & { id: string }, frame: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<unknown> {
    const { entry, promise } = this.pending.add(message, frame, timeoutMs, signal);
    if (!this.#blocked) this.#hand(entry);
    return promise;
  }

  /** From the socket's `ready` and `drain` listeners: hands over what the current connection lacks, in order. */
  flush(): void {
    this.#blocked = false;
    for (const entry of this.pending.list()) {
      if (entry.sentOn === this.#connection || !this.pending.has(entry.id)) continue;
      if (!this.#hand(entry)) break;
    }
  }

  /** From the socket's `close` and `giveup` listeners: a new connection follows, or, closed for good, everything fails. */
  closed(): void {
    this.#connection++;
    if (this.#socket.readyState === CLOSED) this.pending.failAll(() => new JsonChannelError('CLOSED', 'socket closed'));
  }

  /** Stops for good, rejecting everything with `CLOSED`. */
  stop(): void {
    this.pending.failAll(() => new JsonChannelError('CLOSED', 'channel disposed'));
  }

  #hand(entry: Pending): boolean {
    let handed: boolean;
    try {
      handed = this.#offer(entry.frame);
    } catch (error) {
      this.#report(error, entry.envelope);
      return true; // reported; the next connection gets it again
    }
    if (handed) entry.sentOn = this.#connection;
    else this.#blocked = true;
    return handed;
  }

  #offer(frame: string): boolean {
    const socket = this.#socket as JsonSocket & Partial<Offering>;
    if (socket[OFFER]) return socket[OFFER](frame);
    // A socket without the now-or-never send (not a SteadySocket): hand over while it says it is open.
    if (socket.readyState !== OPEN) return false;
    socket.send(frame);
    return true;
  }
}
