// The `steadysocket/tabs` entry point: one connection for all the tabs (and workers) of an origin.
import { LINK } from '../link';
import type { ProtocolsProvider, SteadySocketOptions, UrlProvider } from '../options';
import { SteadySocket } from '../socket';
import type { SteadySocketEventMap } from '../events';
import { createSharedLink } from './link';
import type { SharedSteadySocketOptions } from './options';

export type { SharedSteadySocketOptions };

/** `leader`: this tab started or stopped running the shared connection. */
export interface LeaderEvent extends Event {
  /** Whether this tab is the leader now. */
  readonly leader: boolean;
}

/** Events of a `SharedSteadySocket`, for typed `addEventListener`: those of `SteadySocket`, and `leader`. */
export interface SharedSteadySocketEventMap extends SteadySocketEventMap {
  leader: LeaderEvent;
}

type Listener<K extends keyof SharedSteadySocketEventMap> = (this: SharedSteadySocket, event: SharedSteadySocketEventMap[K]) => unknown;

export interface SharedSteadySocket {
  addEventListener<K extends keyof SharedSteadySocketEventMap>(type: K, listener: Listener<K>, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SharedSteadySocketEventMap>(type: K, listener: Listener<K>, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * A `SteadySocket` whose connection is shared by every tab (and worker) of the origin that uses the same name: one
 * of them (the leader, holding a Web Lock) runs the real connection, the others talk to it over a
 * `BroadcastChannel`. Same constructor, properties, methods and events as `SteadySocket`, plus `leader`. Every tab
 * gets every message from the server; each tab's sends keep their order; when the leader's tab goes away another
 * takes over at once. Without Web Locks or `BroadcastChannel` it is a plain `SteadySocket` of this tab.
 *
 * @throws {TypeError} when the URL or the protocols are a function and `options.name` is missing.
 * @example
 * const socket = new SharedSteadySocket('wss://example.com/live'); // the same line in every tab: one connection
 * socket.addEventListener('message', (event) => render(event.data));
 * socket.send('hello'); // from any tab, through the leader
 */
export class SharedSteadySocket extends SteadySocket {
  /** Whether this tab runs the shared connection. */
  declare readonly leader: boolean;

  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options: SharedSteadySocketOptions = {}) {
    super(url, protocols, { ...options, [LINK]: createSharedLink } as SteadySocketOptions);
  }
}
