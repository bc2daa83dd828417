/** An error answer's payload: a machine-readable `code` and a human-readable `message`. */
export interface RemoteError {
  code: string;
  message: string;
}

/**
 * One message on the wire (see PROTOCOL.md). `id` marks a message that wants an answer
 * (a request) or, with `ack: true`, an acknowledgement; `re` marks an answer or an ack and
 * names the `id` it answers; an error answer carries `error` instead of `data`.
 */
export interface Envelope {
  type: string;
  data?: unknown;
  id?: string;
  re?: string;
  ack?: boolean;
  error?: RemoteError;
}

/**
 * Why an inbound frame was not delivered:
 * - `binary`: a binary frame (the protocol is text only);
 * - `too-large`: over `maxMessageBytes` (UTF-8 bytes);
 * - `not-json`: `decode` threw (for the default, the frame is not JSON);
 * - `not-object`: the decoded value is not a plain object;
 * - `bad-type`: `type` is missing, not a string, empty or `'*'`;
 * - `bad-field`: `id`, `re`, `ack` or `error` has the wrong shape, or an `ack` names no `re`.
 */
export type InvalidReason = 'binary' | 'too-large' | 'not-json' | 'not-object' | 'bad-type' | 'bad-field';

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// Only text containing one of these can hold an unsafe key (`\u` covers escaped spellings).
const MAYBE_UNSAFE = /proto|constructor|\\u/;

function dropUnsafe(this: unknown, key: string, value: unknown): unknown {
  return UNSAFE_KEYS.has(key) ? undefined : value;
}

/**
 * `JSON.parse` that leaves out every `__proto__`, `constructor` and `prototype` key at any depth,
 * so that the result can be merged into other objects without polluting prototypes.
 *
 * @throws {SyntaxError} when `text` is not JSON.
 * @example
 * safeJsonParse('{"a":1,"__proto__":{"admin":true}}'); // { a: 1 }
 */
export function safeJsonParse(text: string): unknown {
  return MAYBE_UNSAFE.test(text) ? JSON.parse(text, dropUnsafe) : JSON.parse(text);
}

/**
 * The default `encode`: the envelope as JSON, fields in a fixed order (`type`, `id`, `re`, `ack`,
 * `data`, `error`), absent ones left out.
 *
 * @throws {TypeError} when `data` cannot be serialised (a BigInt, a cycle).
 * @example encodeEnvelope({ type: 'ack', re: 'x-1' }); // '{"type":"ack","re":"x-1"}'
 */
export function encodeEnvelope(envelope: Envelope): string {
  const { type, id, re, ack, data, error } = envelope;
  return JSON.stringify({ type, id, re, ack, data, error });
}
