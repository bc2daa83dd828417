/** What happens when a message would not fit in the send queue. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'error';

/** Bounds of the queue that holds messages until they can be handed to the browser. */
export interface QueueLimits {
  /**
   * Most messages held. Each costs about 28 B of heap besides its data (Chromium, `npm run bench`),
   * so 100,000 cost far less than the 16 MiB byte bound allows, and a burst that the native socket
   * would have buffered while open is not dropped just for its count. @default 100000
   */
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

/** A bounded FIFO of messages with their byte sizes. */
export interface ByteQueue<T> {
  /** Messages held. */
  readonly length: number;
  /** Total bytes held. */
  readonly bytes: number;
  /**
   * Adds `data` (of `bytes`, expiring at clock time `expiresAt` if given) within the limits. Returns the messages
   * dropped to make room (the oldest, under `'drop-oldest'`), or `null` when `data` itself must go: it is larger
   * than `maxBytes`, or the policy is `'drop-newest'` / `'error'`; the queue is then unchanged.
   */
  add(data: T, bytes: number, expiresAt?: number): T[] | null;
  /**
   * Removes every message that expired by clock time `now`, keeping the order of the others. Returns them, and
   * the earliest expiry of what remains (`Infinity` for none).
   */
  expire(now: number): [expired: T[], next: number];
  /** Removes and returns the oldest message. */
  shift(): T | undefined;
  /** Removes and returns everything, oldest first. */
  clear(): T[];
}

/**
 * Creates a queue bounded by `limits`. A linked list: `add` and `shift` are O(1), so a flush of
 * 100,000 messages costs no array moves.
 */
export function createQueue<T>(limits: QueueLimits): ByteQueue<T> {
  const { maxMessages, maxBytes, overflow } = limits;
  type Node = { data: T; bytes: number; expiresAt?: number; next?: Node };
  let first: Node | undefined;
  let last: Node | undefined;
  const queue = {
    length: 0,
    bytes: 0,
    add(data: T, bytes: number, expiresAt?: number) {
      const fits = () => queue.length < maxMessages && queue.bytes + bytes <= maxBytes;
      if (!fits() && (bytes > maxBytes || maxMessages < 1 || overflow !== 'drop-oldest')) return null;
      const dropped: T[] = [];
      while (!fits()) dropped.push(queue.shift()!);
      const node: Node = { data, bytes, expiresAt, next: undefined }; // every field from the start: one object shape, no extra property store
      last = first ? (last!.next = node) : (first = node);
      queue.length++;
      queue.bytes += bytes;
      return dropped;
    },
    shift() {
      const node = first;
      if (!node) return undefined;
      first = node.next;
      queue.length--;
      queue.bytes -= node.bytes;
      return node.data;
    },
    clear() {
      const all: T[] = [];
      while (first) all.push(queue.shift()!);
      return all;
    },
    expire(now: number) {
      const expired: T[] = [];
      let next = Infinity;
      let prev: Node | undefined;
      for (let node = first; node; node = node.next) {
        if (node.expiresAt === undefined || node.expiresAt > now) {
          if (node.expiresAt !== undefined) next = Math.min(next, node.expiresAt);
          prev = node;
          continue;
        }
        expired.push(node.data);
        queue.length--;
        queue.bytes -= node.bytes;
        if (prev) prev.next = node.next;
        else first = node.next;
        if (last === node) last = prev;
      }
      return [expired, next] as [T[], number];
    },
  };
  return queue;
}
