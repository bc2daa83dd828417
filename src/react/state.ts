import { useSyncExternalStore } from 'react';
import type { ConnectingEvent, ReconnectEvent } from '../events';
import type { SteadySocket } from '../socket';
import { CONNECTING } from '../state';

/** A socket's connection state, for rendering: one immutable object per change. */
export interface SocketState {
  /** The socket's `readyState` at its last event (`CONNECTING` while waiting to retry, as the socket says). */
  readonly readyState: number;
  /** The attempt under way or scheduled next: 0 for the first connection, n for the n-th retry (as `connecting` and `reconnect` say). */
  readonly attempt: number;
  /** When the scheduled retry is due, in epoch milliseconds (`Date.now()`'s clock); `undefined` unless one is scheduled. */
  readonly retryAtMs: number | undefined;
  /** The code of the last connection's `close` event; `undefined` before any. */
  readonly closeCode: number | undefined;
}

/** What the state is before there is a socket, and while rendering on the server: `CONNECTING`, attempt 0. */
export const INITIAL_STATE: SocketState = Object.freeze({ readyState: CONNECTING, attempt: 0, retryAtMs: undefined, closeCode: undefined });

interface Store {
  subscribe(onChange: () => void): () => void;
  get(): SocketState;
}

const TYPES = ['connecting', 'open', 'close', 'reconnect', 'giveup'];
const stores = new WeakMap<SteadySocket, Store>();
const none: Store = { subscribe: () => () => {}, get: () => INITIAL_STATE };
const initial = () => INITIAL_STATE;

/** The state store of `socket`: one per socket, listening to it only while something is subscribed. */
function storeOf(socket: SteadySocket): Store {
  let store = stores.get(socket);
  if (store) return store;
  let state: SocketState = { ...INITIAL_STATE, readyState: socket.readyState };
  const subscribers = new Set<() => void>();
  const set = (next: SocketState) => {
    if (Object.keys(next).every((k) => next[k as keyof SocketState] === state[k as keyof SocketState])) return;
    state = next;
    for (const notify of [...subscribers]) notify();
  };
  const update = (event: Event) => {
    const next = { ...state, readyState: socket.readyState };
    if (event.type === 'connecting' || event.type === 'reconnect') next.attempt = (event as ConnectingEvent).attempt;
    next.retryAtMs = event.type === 'reconnect' ? Date.now() + (event as ReconnectEvent).delayMs : undefined;
    if (event.type === 'close') next.closeCode = (event as CloseEvent).code;
    set(next);
  };
  stores.set(socket, (store = {
    subscribe(onChange) {
      if (!subscribers.size) for (const type of TYPES) socket.addEventListener(type, update);
      subscribers.add(onChange);
      // Events missed while nobody listened: at least the readyState is the socket's own.
      if (state.readyState !== socket.readyState) state = { ...state, readyState: socket.readyState };
      return () => {
        if (subscribers.delete(onChange) && !subscribers.size) for (const type of TYPES) socket.removeEventListener(type, update);
      };
    },
    get: () => state,
  }));
  return store;
}

/**
 * The connection state of `socket` for rendering (`readyState`, `attempt`, `retryAtMs`, `closeCode`), through
 * `useSyncExternalStore`: every component reads the same snapshot in a render, never a torn one, and re-renders when
 * the socket's `connecting`, `open`, `close`, `reconnect` or `giveup` event changes it. Without a socket, and on
 * the server, it is `INITIAL_STATE`.
 * @example
 * const { readyState, attempt, retryAtMs } = useSocketState(socket);
 * if (retryAtMs) return <p>retry {attempt} in {Math.ceil((retryAtMs - Date.now()) / 1000)} s</p>;
 */
export function useSocketState(socket: SteadySocket | null | undefined): SocketState {
  const store = socket ? storeOf(socket) : none;
  return useSyncExternalStore(store.subscribe, store.get, initial);
}
