// The example of the README's "Testing your app" section, run as it is: an app's code (a tiny presence client)
// tested with steadysocket/testing and Vitest's fake timers. Imports go through the package's own entry points.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { SteadySocket, type WebSocketConstructor } from '../src/index';
import { createTestServer } from '../src/testkit/index';

// The app's code under test: says hello on every connection, keeps the last status it heard.
function presence(url: string, WebSocket?: WebSocketConstructor) {
  const socket = new SteadySocket(url, undefined, { WebSocket, reconnect: { initialDelayMs: 1000 } });
  const state = { status: 'offline' };
  socket.addEventListener('open', () => socket.send('hello'));
  socket.addEventListener('message', (e) => (state.status = String(e.data)));
  socket.addEventListener('close', () => (state.status = 'offline'));
  return { socket, state };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it('says hello again after the server sheds load and comes back when it said', async () => {
  const server = createTestServer();
  const { socket, state } = presence('ws://app.test/presence', server.WebSocket);
  await vi.advanceTimersByTimeAsync(0); // the test server accepts
  expect(server.last().sent).toEqual(['hello']);
  server.last().receive('busy');
  expect(state.status).toBe('busy');

  server.last().retryAfter(30); // close 4013 "retry-after=30": come back in 30 s (plus jitter)
  expect(state.status).toBe('offline');
  await vi.advanceTimersByTimeAsync(29_999);
  expect(server.connections).toHaveLength(1); // not before the server said
  await vi.advanceTimersByTimeAsync(15_001);
  expect(server.connections).toHaveLength(2);
  expect(server.last().sent).toEqual(['hello']);
  socket.close();
});

it('queues what the app sends while the server refuses, and delivers it once it accepts', async () => {
  const server = createTestServer();
  server.refuseNext(2);
  const { socket } = presence('ws://app.test/presence', server.WebSocket);
  socket.send('status: away');
  await vi.advanceTimersByTimeAsync(10_000);
  expect(server.connections).toHaveLength(3);
  expect(server.last().sent).toEqual(['hello', 'status: away']); // open listeners first, then the queue
  socket.close();
});

it('notices a link that went dead (black hole) with a heartbeat, and reconnects', async () => {
  const server = createTestServer();
  const socket = new SteadySocket('ws://app.test/live', undefined, {
    WebSocket: server.WebSocket, heartbeat: { intervalMs: 5000, timeoutMs: 2000 },
  });
  await vi.advanceTimersByTimeAsync(0);
  server.last().blackhole();
  await vi.advanceTimersByTimeAsync(7000);
  expect(server.connections).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(3000); // the new attempt, after the backoff (1-3 s)
  expect(server.connections).toHaveLength(2);
  expect(socket.stats.closes).toEqual({ 1006: 1 });
  socket.close();
});
