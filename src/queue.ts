/** What happens when a message would not fit in the send queue. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'error';

/** Bounds of the queue that holds messages until they can be handed to the browser. */
export interface QueueLimits {
  /** Most messages held. @default 10000 */
  maxMessages: number;
  /** Most bytes held (UTF-8 bytes for strings). @default 16777216 (16 MiB) */
  maxBytes: number;
  /**
   * `'drop-oldest'` makes room by dropping the oldest messages; `'drop-newest'` drops the
   * message being sent; `'error'` drops it too and makes `send()` throw. Every dropped
   * message is reported with a `drop` event. @default 'drop-oldest'
   */
  overflow: OverflowPolicy;
}

/**
 * A FIFO of messages with their byte sizes. `push` and `shift` are O(1) amortised: the head
 * advances over a plain array that is compacted only once half of it is consumed, so a flush
 * of 100,000 messages does not cost 100,000 array moves.
 */
export class ByteQueue<T> {
  #items: [T, number][] = [];
  #head = 0;
  /** Total bytes held. */
  bytes = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(data: T, bytes: number): void {
    this.#items.push([data, bytes]);
    this.bytes += bytes;
  }

  shift(): T | undefined {
    const items = this.#items;
    if (this.#head === items.length) return undefined;
    const [data, bytes] = items[this.#head++]!;
    this.bytes -= bytes;
    if (this.#head * 2 > items.length && this.#head > 1023) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return data;
  }

  /** Removes and returns everything, oldest first. */
  clear(): T[] {
    const all = this.#items.slice(this.#head).map((entry) => entry[0]);
    this.#items = [];
    this.#head = this.bytes = 0;
    return all;
  }
}

/**
 * Makes room for a message of `bytes` under `limits`, returning what must be dropped: the
 * oldest entries (`'drop-oldest'`), or `null` when the new message itself must go (it is
 * larger than `maxBytes`, or the policy is `'drop-newest'` / `'error'`).
 */
export function makeRoom<T>(queue: ByteQueue<T>, bytes: number, limits: QueueLimits): T[] | null {
  const fits = () => queue.length < limits.maxMessages && queue.bytes + bytes <= limits.maxBytes;
  if (fits()) return [];
  if (bytes > limits.maxBytes || limits.maxMessages < 1 || limits.overflow !== 'drop-oldest') return null;
  const dropped: T[] = [];
  while (!fits()) dropped.push(queue.shift() as T);
  return dropped;
}
