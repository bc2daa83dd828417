/// <reference types="node" />
// A real `ws` server on an ephemeral loopback port that the Node tests can stop and start again on the same port
// (a server restart), and a polling `until` for conditions the tests wait on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RestartableServer {
  readonly port: number;
  /** Every connection accepted so far, across restarts. */
  readonly connections: WebSocket[];
  /** Closes every connection with `code` and stops listening. */
  stop(code?: number): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startWsServer(onConnection: (ws: WebSocket, n: number) => void): Promise<RestartableServer> {
  const connections: WebSocket[] = [];
  let port = 0;
  let http: Server;
  let wss: WebSocketServer;
  const start = () => new Promise<void>((resolve) => {
    http = createServer();
    wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws) => {
      connections.push(ws);
      onConnection(ws, connections.length);
    });
    http.listen(port, '127.0.0.1', () => {
      port = (http.address() as AddressInfo).port;
      resolve();
    });
  });
  await start();
  return {
    get port() { return port; },
    connections,
    start,
    stop: (code = 1012) => new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.close(code, 'restart');
      wss.close();
      http.close(() => resolve());
      http.closeAllConnections();
    }),
  };
}

/** Resolves once `check()` is true; rejects after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
