import { useState } from 'react';
import { JsonChannel } from '../json/channel';
import type { JsonChannelOptions, JsonHandler, JsonWildcardHandler } from '../json/types';
import type { SteadySocket } from '../socket';
import { useClientEffect, useLatest } from './effects';
import { leases } from './lease';

/** One channel per socket, whoever asks for it: two channels on one socket would both answer every acked message. */
const channels = leases<SteadySocket, JsonChannel<any, any, any>>();

/**
 * The `JsonChannel` of `socket`: made when the first component asks for it (with that component's `options`),
 * disposed a task after the last one unmounts or moves to another socket. Every component asking for the channel of
 * one socket gets the same channel, so each acked message is acked once. `null` while `socket` is.
 * @example
 * const socket = useSteadySocket(url);
 * const chat = useJsonChannel<In, Out>(socket);
 * useJsonMessage(chat, 'message', (data) => append(data));
 * const send = (text: string) => chat?.send('message', { text }, { ack: true });
 */
export function useJsonChannel<In extends object = Record<string, unknown>, Out extends object = Record<string, unknown>, Answers extends object = Record<never, never>>(
  socket: SteadySocket | null | undefined, options?: JsonChannelOptions,
): JsonChannel<In, Out, Answers> | null {
  const latest = useLatest(options);
  const [held, setHeld] = useState<readonly [SteadySocket, JsonChannel<any, any, any>] | null>(null);
  useClientEffect(() => {
    if (!socket) return;
    const lease = channels(socket, () => new JsonChannel(socket, latest.current), (channel) => channel.dispose());
    setHeld([socket, lease.value]);
    return lease.release;
  }, [socket]);
  return held && held[0] === socket ? held[1] : null;
}

/**
 * Calls `handler(data, message)` for every inbound message of `type` on `channel` (`'*'`: `handler(message)` for
 * every message), the latest handler passed, outside React state: a burst of 1,000 messages makes 1,000 calls and
 * no render unless the handler sets state. Subscribed from the channel's creation on; removed on unmount.
 * @example
 * useJsonMessage(chat, 'message', (data) => setLines((lines) => [...lines, data]));
 * useJsonMessage(chat, '*', (message) => log(message.type));
 */
export function useJsonMessage<In extends object>(channel: JsonChannel<In, any, any> | null | undefined, type: '*', handler: JsonWildcardHandler<In>): void;
export function useJsonMessage<In extends object, K extends keyof In & string>(channel: JsonChannel<In, any, any> | null | undefined, type: K, handler: JsonHandler<K, In[K]>): void;
export function useJsonMessage(channel: JsonChannel<any, any, any> | null | undefined, type: string, handler: (...args: any[]) => unknown): void {
  const latest = useLatest(handler);
  useClientEffect(() => channel?.on(type, (...args: unknown[]) => latest.current(...args)), [channel, type]);
}
