/// <reference types="node" />
// The connection sequence in Node against the harness's real `ws` server: attempts that hang before a socket
// exists, and wake-ups that arrive while an attempt is under way (issue 11, defects 2 and 3).
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../harness/server/server.mjs';
import { SteadySocket, type WebSocketConstructor } from '../src/index';
import { until } from './ws-server';

const WS = WebSocket as unknown as WebSocketConstructor;
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
  vi.unstubAllGlobals();
});

async function server(): Promise<TestServer> {
  const s = await startServer();
  cleanup.push(() => s.close());
  return s;
}

/** Every event of `socket`, as `type` or `type:detail`. */
function record(socket: SteadySocket): string[] {
  const seen: string[] = [];
  for (const type of ['connecting', 'open', 'error', 'close', 'reconnect'])
    socket.addEventListener(type, (e: any) => seen.push(e.error ? `error:${e.error.code}` : type === 'close' ? `close:${e.code}` : type));
  return seen;
}

describe('the connection sequence against a real server', () => {
  it('abandons an attempt whose URL function never answers after connectTimeoutMs, retries, and connects once', async () => {
    const s = await server();
    let calls = 0;
    let late!: (url: string) => void;
    const socket = new SteadySocket(
      () => (++calls === 1 ? new Promise<string>((resolve) => (late = resolve)) : `ws://127.0.0.1:${s.port}/sink`),
      undefined,
      { WebSocket: WS, connectTimeoutMs: 300, reconnect: { initialDelayMs: 20 } },
    );
    cleanup.push(() => socket.close());
    const seen = record(socket);
    await until(() => socket.readyState === SteadySocket.OPEN, 'open after the hung URL function', 3000);
    expect(seen.slice(0, 4)).toEqual(['connecting', 'error:CONNECT_TIMEOUT', 'close:1006', 'reconnect']);
    late(`ws://127.0.0.1:${s.port}/sink?late`); // the abandoned attempt's answer comes in now
    await new Promise((r) => setTimeout(r, 200));
    expect(s.log().connections.map((c) => c.url)).toEqual(['/sink']);
    expect(calls).toBe(2);
  });

  it('opens one connection when a wake-up arrives during a slow handshake, and none is left after close()', async () => {
    const s = await server();
    // Node has no `online` event: give the global scope one, as a page has, for the default wake-up sources.
    const scope = new EventTarget();
    vi.stubGlobal('addEventListener', scope.addEventListener.bind(scope));
    vi.stubGlobal('removeEventListener', scope.removeEventListener.bind(scope));
    const socket = new SteadySocket(`ws://127.0.0.1:${s.port}/sink`, undefined, {
      WebSocket: WS, reconnect: { initialDelayMs: 50, jitter: 0 },
    });
    cleanup.push(() => socket.close());
    await until(() => socket.readyState === SteadySocket.OPEN, 'first open');
    s.delayHandshake(600);
    let retrying = false;
    socket.addEventListener('connecting', (e) => (retrying ||= e.attempt === 1));
    s.terminateAll();
    await until(() => retrying, 'the retry to start');
    await new Promise((r) => setTimeout(r, 100)); // its handshake is held by the server
    scope.dispatchEvent(new Event('online'));
    await until(() => socket.readyState === SteadySocket.OPEN, 'the retry to open');
    await new Promise((r) => setTimeout(r, 800)); // long enough for a second handshake to complete
    expect(s.openConnections()).toHaveLength(1);
    expect(s.log().attempts.filter((a) => a.outcome === 'upgraded')).toHaveLength(2); // the first connection and the retry
    socket.close();
    await until(() => s.openConnections().length === 0, 'no connection left after close()');
  });
});
