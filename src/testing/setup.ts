import { vi } from 'vitest';
import type { ProtocolsProvider, SteadySocketOptions, UrlProvider } from '../options';
import { SteadySocket } from '../socket';
import type { LifecycleSignal, LifecycleSource } from '../lifecycle';
import { fakeWebSocket } from './fake-websocket';

export const URL_ = 'ws://server.test/live';
const TYPES = ['connecting', 'open', 'message', 'error', 'close', 'reconnect', 'giveup', 'drop', 'drain'];

/** A one-line summary of an event, so tests can compare whole sequences. */
export function summary(e: any): string {
  switch (e.type) {
    case 'connecting': return `connecting ${e.attempt}`;
    case 'message': return `message ${String(e.data)}`;
    case 'error': return e.error ? `error ${e.error.code}` : 'error';
    case 'close': return `close ${e.code}${e.reason ? ' ' + e.reason : ''}`;
    case 'reconnect': return `reconnect ${e.attempt} ${e.delayMs}`;
    case 'giveup': return `giveup ${e.reason}`;
    case 'drop': return `drop ${String(e.data)} ${e.reason}`;
    default: return e.type;
  }
}

/**
 * A SteadySocket on a fake WebSocket, with every event it fires logged in order. `random` is 0: every
 * retry then waits exactly `initialDelayMs` (1000 ms by default) under the default decorrelated jitter.
 */
export function setup(options: SteadySocketOptions = {}, url: UrlProvider = URL_, protocols?: ProtocolsProvider) {
  const fake = fakeWebSocket();
  const socket = new SteadySocket(url, protocols, { WebSocket: fake.WebSocket, random: () => 0, ...options });
  const events: string[] = [];
  for (const type of TYPES) socket.addEventListener(type, (e) => events.push(summary(e)));
  return { socket, events, ...fake };
}

/** A lifecycle source the test drives by hand (`signal('wake')`, `signal('suspend')`...), counting who listens. */
export function fakeLifecycle() {
  const listeners = new Set<(kind: LifecycleSignal) => void>();
  const source: LifecycleSource = (signal) => {
    listeners.add(signal);
    return () => listeners.delete(signal);
  };
  return { source, signal: (kind: LifecycleSignal) => [...listeners].forEach((fn) => fn(kind)), listening: () => listeners.size };
}

/** Advances fake time (and runs the microtasks that follow). */
export const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

/** Lets the first attempt start, then opens its fake socket; returns `t` for destructuring. */
export async function openFirst<T extends { last(): { open(): void } }>(t: T): Promise<T> {
  await tick();
  t.last().open();
  return t;
}
