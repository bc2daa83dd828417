/**
 * Why a {@link SteadySocketError} was raised.
 *
 * - `URL`: the URL (or protocols) function threw, rejected or returned something that is not a ws/wss URL.
 * - `CONNECT_TIMEOUT`: an attempt did not open (and pass `handshake`) within `connectTimeoutMs`.
 * - `HANDSHAKE`: the `handshake` hook threw or rejected.
 * - `HEARTBEAT_TIMEOUT`: no sign of life from the server within the heartbeat's `timeoutMs`.
 * - `QUEUE_FULL`: the send queue is full and its overflow policy is `'error'`.
 * - `RETRY_HINT`: a server's close carried a malformed retry hint (`cause` is its reason); ignored, the
 *   socket retries with its usual backoff.
 * - `TAB_MESSAGE`: (`steadysocket/tabs`) a malformed message from another tab on the shared connection's
 *   channel; it was skipped (`cause` holds it).
 */
export type SteadySocketErrorCode = 'URL' | 'CONNECT_TIMEOUT' | 'HANDSHAKE' | 'HEARTBEAT_TIMEOUT' | 'QUEUE_FULL' | 'RETRY_HINT' | 'TAB_MESSAGE';

/**
 * An error of the SDK's own (problems the native WebSocket has no name for).
 *
 * Where steadysocket mirrors a native error it throws the same `DOMException` instead
 * (`SyntaxError`, `InvalidAccessError`, `InvalidStateError`).
 *
 * @example
 * socket.addEventListener('error', (e) => {
 *   if (e.error?.code === 'URL') refreshLogin(e.error.cause);
 * });
 */
export class SteadySocketError extends Error {
  /** Machine-readable reason. */
  declare readonly code: SteadySocketErrorCode;

  /** The message is the code itself; `cause` is what was thrown or rejected, when something was. */
  constructor(code: SteadySocketErrorCode, cause?: unknown) {
    super(code, { cause });
    this.name = 'SteadySocketError';
    this.code = code;
  }
}

/** A `DOMException` with the name the native WebSocket API uses for the same mistake. */
export const domError = (name: 'SyntaxError' | 'InvalidAccessError' | 'InvalidStateError', message: string): DOMException =>
  new DOMException(message, name);
