import type { Envelope, RemoteError } from './envelope';

/**
 * Why a request (or a message sent with `ack: true`) failed.
 *
 * - `TIMEOUT`: no answer within its `timeoutMs` (time spent waiting for a connection included).
 * - `ABORTED`: its `signal` was aborted; `cause` is the signal's reason.
 * - `REMOTE`: the other side answered with an error; `remote` holds its code and message.
 * - `CLOSED`: the channel was disposed or the socket closed for good (`close()`, or it gave up).
 * - `OVERFLOW`: `maxUnacked` messages were already waiting for an answer.
 */
export type JsonChannelErrorCode = 'TIMEOUT' | 'ABORTED' | 'REMOTE' | 'CLOSED' | 'OVERFLOW';

/**
 * How a `JsonChannel` request or acknowledged send fails.
 *
 * @example
 * try {
 *   await channel.request('getUser', { id: 7 });
 * } catch (error) {
 *   if (error instanceof JsonChannelError && error.code === 'REMOTE') show(error.remote?.message);
 * }
 */
export class JsonChannelError extends Error {
  /** Machine-readable reason. */
  readonly code: JsonChannelErrorCode;
  /** For `REMOTE`: the `error` the other side answered with. */
  declare readonly remote?: RemoteError;

  constructor(code: JsonChannelErrorCode, message: string, options?: { cause?: unknown; remote?: RemoteError }) {
    super(message, { cause: options?.cause });
    this.name = 'JsonChannelError';
    this.code = code;
    if (options?.remote) this.remote = options.remote;
  }
}

/** The `REMOTE` error for an error answer. */
export const remoteError = (answer: Envelope & { error: RemoteError }): JsonChannelError =>
  new JsonChannelError('REMOTE', `${answer.error.code}: ${answer.error.message}`, {
    cause: answer,
    remote: { code: answer.error.code, message: answer.error.message },
  });
