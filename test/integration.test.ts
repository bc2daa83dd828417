/// <reference types="node" />
// SteadySocket in Node against a real `ws` server on an ephemeral port.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWsServer, until } from './ws-server';
import { SteadySocket, type WebSocketConstructor } from '../src/index';

/** A restartable `ws` server that records every text message it receives, in order. */
async function startServer() {
  const received: string[] = [];
  const server = await startWsServer((ws) => ws.on('message', (data) => received.push(String(data))));
  return Object.assign(server, { received });
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe('SteadySocket against a real ws server', () => {
  it('loses and reorders nothing queued across a server restart mid-stream', async () => {
    const server = await startServer();
    cleanup.push(() => server.stop());
    const socket = new SteadySocket(`ws://127.0.0.1:${server.port}`, undefined, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    cleanup.push(() => socket.close());
    const closes: number[] = [];
    socket.addEventListener('close', (e) => closes.push(e.code));
    let n = 0;
    const sendSome = (count: number) => { for (let i = 0; i < count; i++) socket.send(`m${++n}`); };

    sendSome(100); // before the first open: queued
    await until(() => server.received.length === 100, 'the first 100');
    await server.stop(1012);
    await until(() => closes.length === 1, 'the close');
    expect(closes).toEqual([1012]);
    expect(socket.readyState).toBe(SteadySocket.CONNECTING);
    sendSome(400); // while the server is down: queued
    await new Promise((r) => setTimeout(r, 300)); // a few refused retries
    sendSome(100);
    await server.start();
    await until(() => server.received.length === 600, 'all 600');
    sendSome(50); // open again: sent directly
    await until(() => server.received.length === 650, 'all 650');
    expect(server.received).toEqual(Array.from({ length: 650 }, (_, i) => `m${i + 1}`));
    expect(server.connections).toHaveLength(2);
  });

  it('abandons handshakes the server never answers, without crashing on the socket it closes while connecting', async () => {
    // A TCP listener that accepts and never replies: the HTTP upgrade hangs.
    const { createServer: createTcp } = await import('node:net');
    const held: import('node:net').Socket[] = [];
    const silent = createTcp((s) => held.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    cleanup.push(() => { held.forEach((s) => s.destroy()); silent.close(); });
    const socket = new SteadySocket(`ws://127.0.0.1:${port}`, undefined, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      connectTimeoutMs: 200,
      reconnect: { initialDelayMs: 20, maxRetries: 1 },
    });
    const seen: string[] = [];
    for (const type of ['error', 'close', 'giveup']) socket.addEventListener(type, (e: any) => seen.push(e.error?.code ?? e.code ?? e.reason ?? type));
    await until(() => seen.includes('retries'), 'giveup', 3000);
    expect(seen).toEqual(['CONNECT_TIMEOUT', 1006, 'CONNECT_TIMEOUT', 1006, 'retries']);
    expect(held.length).toBe(2);
  });
});
