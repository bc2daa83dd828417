import type { SendData } from './bytes';

/**
 * The key of a socket's now-or-never send: `socket[OFFER](data)` hands `data` to the current
 * connection at once, ahead of the socket's queue, if the connection is ready and the browser's
 * buffer is under the high-water mark, and returns whether it did; it never queues. `JsonChannel`
 * sends acked messages and requests through it, so that they are kept in one place only (the
 * channel) and never also wait in the socket's queue. A registered symbol, so that separate
 * bundles (the `<script>` builds) agree on it.
 */
export const OFFER: unique symbol = Symbol.for('steadysocket.offer') as never;

/** A socket that has the now-or-never send. */
export interface Offering {
  [OFFER](data: SendData): boolean;
}
