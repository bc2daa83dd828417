import { byteLength } from './bytes';
import { domError } from './errors';
import { makeEvent } from './events';

/**
 * Close codes after which retrying would repeat the same failure: protocol error (1002),
 * unsupported data (1003), invalid payload (1007), policy violation (1008), message too
 * big (1009) and missing extension (1010).
 */
export const NO_RETRY_CODES: readonly number[] = [1002, 1003, 1007, 1008, 1009, 1010];

/** The default `shouldReconnect`: retry every close except {@link NO_RETRY_CODES}. */
export const retryUnlessFatal = (event: CloseEvent): boolean => !NO_RETRY_CODES.includes(event.code);

/**
 * The checks `WebSocket.close(code, reason)` makes, in the same order.
 *
 * @throws {DOMException} `InvalidAccessError` for a code other than 1000 or 3000-4999;
 *   `SyntaxError` for a reason longer than 123 bytes of UTF-8.
 */
export function checkClose(code?: number, reason?: string): void {
  if (code !== undefined && code !== 1000 && !(code >= 3000 && code < 5000 && code % 1 === 0))
    throw domError('InvalidAccessError', `close code ${code}`);
  if (reason !== undefined && byteLength(String(reason)) > 123)
    throw domError('SyntaxError', 'close reason > 123 bytes');
}

/**
 * A `CloseEvent` with the given fields. Where the platform has no `CloseEvent` (Node before
 * 23) it is a plain `Event` carrying the same fields.
 */
export function closeEvent(code: number, reason = '', wasClean: boolean): CloseEvent {
  const init = { code, reason, wasClean };
  return typeof CloseEvent === 'function' ? new CloseEvent('close', init) : makeEvent<CloseEvent>('close', init);
}
