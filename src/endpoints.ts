import { toWebSocketUrl } from './url';

/** One URL, or a list to fail over between. */
export type Endpoint = string | URL;

/**
 * Which URL each attempt uses when `url` is a list (or a function returning one): attempts move to the next
 * endpoint on failure and stay with the one that works; a round ends when every endpoint failed once, and only
 * then does the backoff grow. A single URL is a list of one: every failure ends a round.
 */
export function createEndpoints() {
  let current = 0;
  let start = 0; // where the current round began
  let size = 1;
  return {
    /** The endpoint in use: its index in the list. */
    index: () => current,
    /** The URL for this attempt, out of what the URL option (or function) gave. @throws {DOMException} `SyntaxError` */
    pick(given: Endpoint | readonly Endpoint[]): string {
      const list = [given].flat();
      size = list.length;
      if (!size) throw new TypeError('url: an empty list');
      return toWebSocketUrl(list[(current %= size)]!);
    },
    /** The attempt failed before opening: the next endpoint. @returns whether that ended a round. */
    failed(): boolean {
      current = (current + 1) % size;
      return current === start;
    },
    /** The attempt opened: later failures start their round here. */
    opened(): void {
      start = current;
    },
  };
}
