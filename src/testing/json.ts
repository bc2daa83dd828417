import { JsonChannel } from '../json/channel';
import type { Envelope } from '../json/envelope';
import type { JsonChannelOptions } from '../json/types';
import type { SteadySocketOptions } from '../options';
import type { FakeSocket } from './fake-websocket';
import { setup } from './setup';

/** The id prefix a channel gets with `random: () => 0.5` (as `setupJson` passes). */
export const PREFIX = 'i'.repeat(16);
/** The n-th id such a channel hands out. */
export const id = (n: number) => `${PREFIX}-${n}`;

/** Every frame a fake socket was handed, parsed. */
export const frames = (ws: FakeSocket): Envelope[] => ws.sent.map((frame) => JSON.parse(frame as string) as Envelope);

const isPlain = (value: unknown) =>
  Array.isArray(value) || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype);

/** A JsonChannel on a SteadySocket on a fake WebSocket, logging the channel's own events. */
export function setupJson<In extends object = Record<string, unknown>, Out extends object = Record<string, unknown>, Answers extends object = Record<never, never>>(
  options: JsonChannelOptions = {},
  socketOptions: SteadySocketOptions = {},
) {
  const base = setup(socketOptions);
  const channel = new JsonChannel<In, Out, Answers>(base.socket, { random: () => 0.5, ...options });
  const invalid: { data: unknown; reason: string }[] = [];
  const errors: unknown[] = [];
  const drops: Envelope[] = [];
  channel.addEventListener('invalid', (e) => invalid.push({ data: e.data, reason: e.reason }));
  channel.addEventListener('error', (e) => errors.push(e.error));
  channel.addEventListener('drop', (e) => drops.push(e.envelope));
  /** The server sends `message` (a plain object or array is sent as JSON, anything else as is). */
  const receive = (message: unknown, ws = base.last()) =>
    ws.receive(isPlain(message) ? JSON.stringify(message) : message);
  return { ...base, channel, invalid, errors, drops, receive };
}
