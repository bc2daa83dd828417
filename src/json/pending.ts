import type { Clock } from '../clock';
import type { Envelope } from './envelope';
import { JsonChannelError, remoteError } from './errors';

/** The longest delay `setTimeout` honours; longer ones fire at once in browsers and Node. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * A source of message ids: a random per-channel prefix (16 characters, so that ids of different
 * clients do not collide on a server that dedupes across them) and a counter, e.g. `3f9c…-42`.
 * The prefix comes from `random` when given, else from `crypto.randomUUID()` where present.
 */
export function createIdSource(random?: () => number): () => string {
  let prefix = '';
  if (!random && typeof globalThis.crypto?.randomUUID === 'function')
    prefix = globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  const rnd = random ?? Math.random;
  while (prefix.length < 16) prefix += Math.floor(rnd() * 36).toString(36);
  let counter = 0;
  return () => `${prefix}-${++counter}`;
}

/** A message waiting for its ack or answer, as the channel sees it. */
export interface Pending {
  readonly id: string;
  readonly envelope: Envelope;
  /** The encoded envelope, sent as is every time. */
  readonly frame: string;
  /** The connection (as numbered by the channel) it was last handed to the socket on; -1 for none. */
  sentOn: number;
}

interface Entry extends Pending {
  resolve(value: unknown): void;
  reject(error: JsonChannelError): void;
  timer: unknown;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * The messages waiting for an ack or an answer, in the order they were sent, each with its
 * timeout and abort listener. Settling an entry (answer, timeout, abort, failAll) removes it and
 * its timer and listener, so an empty store holds nothing alive.
 */
export class PendingStore {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** A snapshot of the waiting messages, oldest first. */
  list(): Pending[] {
    return [...this.#entries.values()];
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /**
   * Adds a message; the promise settles with its id (an acked message) or the answer's `data` (a request), or rejects with `TIMEOUT` after
   * `timeoutMs` (0 for none) or `ABORTED` when `signal` aborts. The caller checks `signal.aborted`.
   */
  add(envelope: Envelope & { id: string }, frame: string, timeoutMs: number, signal?: AbortSignal): { entry: Pending; promise: Promise<unknown> } {
    const { id } = envelope;
    let entry!: Entry;
    const promise = new Promise<unknown>((resolve, reject) => {
      entry = { id, envelope, frame, sentOn: -1, resolve, reject, timer: undefined, signal, onAbort: () => {} };
    });
    if (timeoutMs > 0 && timeoutMs !== Infinity) {
      entry.timer = this.#clock.setTimeout(
        () => this.#settle(id, new JsonChannelError('TIMEOUT', `no answer to ${envelope.type} ${id} within ${timeoutMs} ms`)),
        Math.min(timeoutMs, MAX_DELAY_MS),
      );
    }
    if (signal) {
      entry.onAbort = () => this.#settle(id, new JsonChannelError('ABORTED', `${envelope.type} ${id} aborted`, { cause: signal.reason }));
      signal.addEventListener('abort', entry.onAbort, { once: true });
    }
    this.#entries.set(id, entry);
    return { entry, promise };
  }

  /**
   * Settles the message `answer.re` names: rejects with `REMOTE` for an error answer; else resolves
   * an acked message with its id and a request with the answer's `data`.
   */
  answer(answer: Envelope & { re: string }): boolean {
    const { error, re } = answer;
    return this.#settle(re, error ? remoteError({ ...answer, error }) : undefined, this.#entries.get(re)?.envelope.ack ? re : answer.data);
  }

  /** Rejects every waiting message with the error `make` returns, oldest first. */
  failAll(make: (pending: Pending) => JsonChannelError): void {
    for (const entry of this.list()) this.#settle(entry.id, make(entry));
  }

  #settle(id: string, error: JsonChannelError | undefined, value?: unknown): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    if (entry.timer !== undefined) this.#clock.clearTimeout(entry.timer);
    entry.signal?.removeEventListener('abort', entry.onAbort);
    if (error) entry.reject(error);
    else entry.resolve(value);
    return true;
  }
}
