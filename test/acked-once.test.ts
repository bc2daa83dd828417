/// <reference types="node" />
// "Not sent twice" (PROTOCOL.md) in Node against a real `ws` server speaking the reference protocol: an acked
// message never appears twice on one connection, in the two situations where it used to (issue 11, defect 1).
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { attachJsonProtocol, createJsonProtocolState } from '../harness/server/json-protocol.mjs';
import { startServer } from '../harness/server/server.mjs';
import { SteadySocket, type WebSocketConstructor } from '../src/index';
import { JsonChannel } from '../src/json/index';
import { until } from './ws-server';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

type ServerSocket = import('ws').WebSocket & { _socket: import('node:net').Socket };

/** A reference-protocol server that keeps every frame of every connection, and the connections themselves. */
async function recordingServer() {
  const state = createJsonProtocolState();
  const frames: string[][] = [];
  const sockets: ServerSocket[] = [];
  const server = await startServer({
    routes: {
      '/': {
        record: false,
        connection(ws) {
          const mine: string[] = [];
          frames.push(mine);
          sockets.push(ws as ServerSocket);
          ws.on('message', (data, isBinary) => mine.push(isBinary ? `binary:${(data as Buffer).length}` : String(data)));
          attachJsonProtocol(ws, state);
        },
      },
    },
  });
  cleanup.push(() => server.close());
  /** How often each text frame's id appears on each connection. */
  const idsPerConnection = () => frames.map((list) => list.filter((f) => f.startsWith('{')).map((f) => JSON.parse(f).id as string));
  return { server, frames, sockets, idsPerConnection };
}

/** A socket whose native `ws` instances are kept, so the test can watch their readyState. */
function client(port: number, options = {}) {
  const natives: WebSocket[] = [];
  class Recorded extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      natives.push(this);
    }
  }
  const socket = new SteadySocket(`ws://127.0.0.1:${port}/`, undefined, {
    WebSocket: Recorded as unknown as WebSocketConstructor,
    reconnect: { initialDelayMs: 50, jitter: 0 },
    ...options,
  });
  const channel = new JsonChannel(socket);
  cleanup.push(() => {
    channel.dispose();
    socket.close();
  });
  return { socket, channel, natives };
}

const noRepeat = (ids: string[]) => new Set(ids).size === ids.length;

describe('an acked message is never twice on one connection', () => {
  it('when it is sent while the server is closing the connection (native CLOSING, SteadySocket still OPEN)', async () => {
    const { server, sockets, idsPerConnection } = await recordingServer();
    const { socket, channel, natives } = client(server.port);
    await until(() => socket.readyState === SteadySocket.OPEN, 'open');
    sockets[0]!.close(1012, 'restart');
    sockets[0]!._socket.pause(); // the server does not read the client's close frame yet: the client stays CLOSING
    await until(() => natives[0]!.readyState === WebSocket.CLOSING, 'the native socket to be closing');
    expect(socket.readyState).toBe(SteadySocket.OPEN);
    const acked = channel.send('note', 'in the closing window', { ack: true });
    sockets[0]!._socket.resume();
    const id = await acked;
    const ids = idsPerConnection();
    expect(ids.every(noRepeat)).toBe(true);
    expect(ids.flat().filter((x) => x === id)).toHaveLength(1);
    expect(ids[1]).toEqual([id]);
  });

  it('when plain sends filled the socket queue (flow control) before it and the connection then drops', async () => {
    const { server, sockets, frames, idsPerConnection } = await recordingServer();
    const { socket, channel, natives } = client(server.port, { highWaterMark: 64 * 1024, lowWaterMark: 48 * 1024 });
    await until(() => socket.readyState === SteadySocket.OPEN, 'open');
    sockets[0]!._socket.pause(); // the server stops reading: TCP pushes back, the native buffer grows
    const chunk = new Uint8Array(256 * 1024);
    let sent = 0;
    while (socket.bufferedAmount - natives[0]!.bufferedAmount === 0 && sent < 400) {
      socket.send(chunk);
      sent++;
      if (sent % 8 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(socket.bufferedAmount - natives[0]!.bufferedAmount).toBeGreaterThan(0); // some wait in the SDK's queue
    const acked = channel.send('note', 'behind a full buffer', { ack: true });
    sockets[0]!.terminate();
    const id = await acked;
    await until(() => frames.flat().filter((f) => f.startsWith('binary')).length >= sent - 64, 'the queued binaries');
    const ids = idsPerConnection();
    expect(ids.every(noRepeat)).toBe(true);
    expect(ids.flat().filter((x) => x === id)).toHaveLength(1);
  });
});
