import { ACK_TYPE, MAX_ID_LENGTH } from './constants';
import type { Envelope, InvalidReason } from './envelope';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isId = (value: unknown) => value === undefined || (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH);

/**
 * Checks that a decoded value is an {@link Envelope} (PROTOCOL.md, "The envelope"): an object whose
 * `type` is a non-empty string other than `'*'`, whose `re` (if present) is an id, whose `error` (if
 * present) has string `code` and `message`, and which is not an `ack` without `re`. A message with
 * `re` is an answer: its `id` and `ack` are ignored, so they are not checked; otherwise `id` (if
 * present) must be an id and `ack` (if present) a boolean. Ids are strings of 1 to 128 UTF-16 code
 * units. Other fields are kept as they are.
 *
 * @returns the value, typed, or the reason it is invalid.
 */
export function checkEnvelope(value: unknown): Envelope | InvalidReason {
  if (!isObject(value)) return 'not-object';
  const { type, id, re, ack, error } = value;
  if (typeof type !== 'string' || !type || type === '*') return 'bad-type';
  if (!isId(re) || (re === undefined && (!isId(id) || (ack !== undefined && typeof ack !== 'boolean')))) return 'bad-field';
  if (error !== undefined && !(isObject(error) && typeof error.code === 'string' && typeof error.message === 'string'))
    return 'bad-field';
  if (type === ACK_TYPE && re === undefined) return 'bad-field';
  return value as unknown as Envelope;
}
