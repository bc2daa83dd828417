import { useState } from 'react';
import type { ProtocolsProvider, SteadySocketOptions, UrlProvider } from '../options';
import { SteadySocket } from '../socket';
import { useClientEffect, useLatest } from './effects';
import { leases } from './lease';

/** Options of `useSteadySocket`: the socket's own, read when the socket is made, and `share`. */
export interface UseSteadySocketOptions extends SteadySocketOptions {
  /**
   * Components that pass the same `share` name (and the same URL and protocols) use one socket: made by the first
   * to mount, with its options, and closed when the last one unmounts. @default none: the socket is this hook's own
   */
  share?: string;
}

/** Every socket the hooks hold, by key: the shared ones by name, URL and protocols; the others by hook as well. */
const sockets = leases<string, SteadySocket>();
let hooks = 0;

/** What identifies a URL or protocols value: the value itself, or `'ƒ'` for a function (the latest one is called). */
const identify = (value: UrlProvider | ProtocolsProvider | undefined): string =>
  typeof value === 'function' ? 'ƒ' : value instanceof URL ? value.href : JSON.stringify(value ?? null);

/**
 * A `SteadySocket` for a component: made when it mounts, closed (code 1000) when it unmounts, the same instance across
 * re-renders. A new `url` or `protocols` value closes it and makes a new one; a function is called before every
 * attempt, and the latest one passed is the one called, so an inline function does not reconnect. `options` are read
 * when the socket is made. `null` or `undefined` as `url`: no socket.
 *
 * Returns `null` until the socket exists: during server rendering (which never makes one), in the first client
 * render, and while `url` is `null`. The socket is made in a layout effect, so it and the hooks over it are ready
 * before its first event; under StrictMode the development re-mount reuses it (the close is deferred by a task), so
 * the server sees one connection.
 *
 * @throws {DOMException} `SyntaxError`, from the effect, for a URL or protocols that `new SteadySocket()` refuses.
 * @example
 * const socket = useSteadySocket('wss://example.com/live');
 * useSocketEvent(socket, 'message', (event) => append(event.data));
 * const shared = useSteadySocket(url, undefined, { share: 'live' }); // one socket for every component that says 'live'
 */
export function useSteadySocket(url: UrlProvider | null | undefined, protocols?: ProtocolsProvider, options?: UseSteadySocketOptions): SteadySocket | null {
  const latest = useLatest({ url, protocols, options });
  const [own] = useState(() => `#${++hooks}`);
  const key = url == null ? null : `${options?.share == null ? own : `share:${options.share}`}\n${identify(url)}\n${identify(protocols)}`;
  const [held, setHeld] = useState<readonly [string, SteadySocket] | null>(null);
  useClientEffect(() => {
    if (key === null) return;
    const lease = sockets(key, () => {
      const { url: first, protocols: firstProtocols, options: opts } = latest.current;
      // A function is called through the latest function passed (this one, if a value came since); values are kept.
      const call = <T>(value: T, pick: (now: typeof latest.current) => unknown): T =>
        typeof value === 'function'
          ? ((() => {
              const now = pick(latest.current);
              return (typeof now === 'function' ? now : value)();
            }) as T)
          : value;
      return new SteadySocket(call(first!, (now) => now.url), call(firstProtocols, (now) => now.protocols), opts);
    }, (socket) => socket.close(1000));
    setHeld([key, lease.value]);
    return lease.release;
  }, [key]);
  return held && held[0] === key ? held[1] : null;
}
