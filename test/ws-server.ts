/// <reference types="node" />
// The Node tests' server: the harness's test server (harness/server) with one WebSocket endpoint at `/` on an
// ephemeral loopback port, which the tests can stop and start again on the same port (a server restart), and a
// polling `until` for conditions the tests wait on.
import type { WebSocket } from 'ws';
import { startServer } from '../harness/server/server.mjs';

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
  const server = await startServer({
    routes: {
      '/': {
        connection(ws) {
          connections.push(ws);
          onConnection(ws, connections.length);
        },
        record: false, // the tests keep what they need themselves
      },
    },
  });
  return {
    get port() {
      return server.port;
    },
    connections,
    stop: (code = 1012) => server.stop(code, 'restart'),
    start: async () => {
      await server.start();
    },
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
