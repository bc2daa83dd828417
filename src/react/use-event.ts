import type { SteadySocketEventMap } from '../events';
import type { JsonChannelEventMap } from '../json/events';
import type { JsonChannel } from '../json/channel';
import type { SteadySocket } from '../socket';
import { useClientEffect, useLatest } from './effects';

/**
 * Calls `handler` for every `type` event of `socket` (or of a `JsonChannel`: `invalid`, `error`, `drop`), the latest
 * handler passed, outside React state: no event is lost to batching and none causes a render unless the handler sets
 * state. Listens from the socket's first event on (a layout effect), stops on unmount or when `socket` changes.
 * @example
 * useSocketEvent(socket, 'message', (event) => lines.current.push(event.data));
 * useSocketEvent(channel, 'invalid', (event) => report(event.reason));
 */
export function useSocketEvent<K extends keyof SteadySocketEventMap>(socket: SteadySocket | null | undefined, type: K, handler: (event: SteadySocketEventMap[K]) => void): void;
export function useSocketEvent<K extends keyof JsonChannelEventMap>(channel: JsonChannel<any, any, any> | null | undefined, type: K, handler: (event: JsonChannelEventMap[K]) => void): void;
export function useSocketEvent(target: EventTarget | null | undefined, type: string, handler: (event: never) => void): void {
  const latest = useLatest(handler);
  useClientEffect(() => {
    if (!target) return;
    const listener = (event: Event) => latest.current(event as never);
    target.addEventListener(type, listener);
    return () => target.removeEventListener(type, listener);
  }, [target, type]);
}
