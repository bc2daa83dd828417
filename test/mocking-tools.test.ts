/// <reference types="node" />
// SteadySocket under the tools apps already test WebSocket code with: MSW 3 (`ws.link`) and mock-socket 9. The README's
// "Testing your app" recipes are these tests.
import { afterEach, describe, expect, it } from 'vitest';
import { SteadySocket, type WebSocketConstructor } from '../src/index';

let cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

const until = async (check: () => boolean, what: string) => {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('under MSW 3 (ws.link)', () => {
  // MSW 3 is made for Node 22 (Promise.withResolvers); this project's tooling runs on Node 20 too.
  (Promise as unknown as { withResolvers?: unknown }).withResolvers ??= () => {
    let resolve!: (value: unknown) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };

  it('connects to the mocked server, sends and receives, and reconnects after the mock closes the connection', async () => {
    const { ws } = await import('msw');
    const { setupServer } = await import('msw/node');
    const chat = ws.link('ws://chat.test/live');
    const received: string[] = [];
    let connections = 0;
    const server = setupServer(
      chat.addEventListener('connection', ({ client }) => {
        connections++;
        client.addEventListener('message', (event) => {
          received.push(String(event.data));
          if (event.data === 'bye') client.close(4000, 'closed by the mock');
          else client.send(`echo ${event.data}`);
        });
      }),
    );
    server.listen();
    cleanup.push(() => server.close());
    const socket = new SteadySocket('ws://chat.test/live', undefined, {
      WebSocket: globalThis.WebSocket as unknown as WebSocketConstructor, reconnect: { initialDelayMs: 10 },
    });
    cleanup.push(() => socket.close());
    const echoes: string[] = [];
    socket.addEventListener('message', (e) => echoes.push(e.data));
    socket.send('hello'); // queued until the mock accepts
    await until(() => echoes.length === 1, 'the echo');
    socket.send('bye');
    await until(() => connections === 2 && socket.readyState === SteadySocket.OPEN, 'the reconnect');
    socket.send('again');
    await until(() => echoes.length === 2, 'the second echo');
    expect(received).toEqual(['hello', 'bye', 'again']);
    expect(echoes).toEqual(['echo hello', 'echo again']);
  });
});

describe('under mock-socket 9', () => {
  it('connects to the mock server, sends and receives, and reconnects after the server closes', async () => {
    const { Server, WebSocket: MockWebSocket } = await import('mock-socket');
    const server = new Server('ws://mock.test/live');
    cleanup.push(() => server.stop());
    const received: string[] = [];
    server.on('connection', (client) => {
      client.on('message', (data) => {
        received.push(String(data));
        client.send(`echo ${data}`);
      });
    });
    const socket = new SteadySocket('ws://mock.test/live', undefined, {
      WebSocket: MockWebSocket as unknown as WebSocketConstructor, reconnect: { initialDelayMs: 10 },
    });
    cleanup.push(() => socket.close());
    const echoes: string[] = [];
    socket.addEventListener('message', (e) => echoes.push(e.data));
    socket.send('hello');
    await until(() => echoes.length === 1, 'the echo');
    const closes: number[] = [];
    socket.addEventListener('close', (e) => closes.push(e.code));
    server.clients().forEach((client) => client.close({ code: 4000, reason: 'mock restart', wasClean: true }));
    await until(() => closes.length === 1 && socket.readyState === SteadySocket.OPEN, 'the reconnect');
    socket.send('again');
    await until(() => echoes.length === 2, 'the second echo');
    expect(received).toEqual(['hello', 'again']);
    expect(closes).toEqual([4000]);
  });
});
