// The `steadysocket/testing` entry point: a scriptable server for unit tests of apps that use steadysocket.
import type { SendData } from '../bytes';
import { closeEvent } from '../close';
import type { WebSocketConstructor, WebSocketLike } from '../options';

/**
 * One connection to a {@link createTestServer}: the `WebSocket` the socket under test holds, driven by the test
 * from the server's side. Events follow the native order (`error` before an abnormal close; `close` after the
 * closing handshake of a `close()`).
 */
export class TestConnection implements WebSocketLike {
  readyState = 0;
  bufferedAmount = 0;
  protocol = '';
  extensions = '';
  binaryType = 'blob';
  /** What the client sent while the connection was open, in order (nothing while black-holed). */
  readonly sent: SendData[] = [];
  /** The arguments of every `close()` the client called. */
  readonly closeCalls: [number | undefined, string | undefined][] = [];
  onopen: ((event: Event) => unknown) | null = null;
  onmessage: ((event: MessageEvent) => unknown) | null = null;
  onerror: ((event: Event) => unknown) | null = null;
  onclose: ((event: CloseEvent) => unknown) | null = null;
  #blackholed = false;

  constructor(readonly url: string, readonly protocols?: string | string[]) {}

  /** The client's `send()`: recorded while open; throws `InvalidStateError` while connecting, as the native one. */
  send(data: SendData): void {
    if (this.readyState === 0) throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
    if (this.readyState === 1 && !this.#blackholed) this.sent.push(data);
  }

  /** The client's `close()`: the connection is closing; `closed()` completes the handshake. */
  close(code?: number, reason?: string): void {
    this.closeCalls.push([code, reason]);
    if (this.readyState < 2) this.readyState = 2;
  }

  /** The server accepts the handshake (with `protocol`): `open`. */
  open(protocol = ''): void {
    this.protocol = protocol;
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** The server sends `data` (a string, or binary): `message`. Nothing arrives while black-holed. */
  receive(data: unknown): void {
    if (!this.#blackholed) this.onmessage?.(new MessageEvent('message', { data }));
  }

  /** The handshake is refused, or the connection breaks (a reset, a 401): `error`, then `close` 1006. */
  drop(): void {
    this.readyState = 3;
    this.onerror?.(new Event('error'));
    this.onclose?.(closeEvent(1006, '', false));
  }

  /** The server closes the connection with `code` and `reason`. */
  serverClose(code: number, reason = '', wasClean = true): void {
    this.readyState = 3;
    this.onclose?.(closeEvent(code, reason, wasClean));
  }

  /** The server closes with a retry hint (PROTOCOL.md): code 4013 (or `code`) and `retry-after=<seconds>`. */
  retryAfter(seconds: number, code = 4013): void {
    this.serverClose(code, `retry-after=${seconds}`);
  }

  /** The link goes dead without a word (a sleeping laptop, a NAT that forgot): nothing moves either way. */
  blackhole(): void {
    this.#blackholed = true;
  }

  /** The closing handshake that the client's `close()` started completes: `close` with its code and reason. */
  closed(): void {
    const [code = 1005, reason = ''] = this.closeCalls.at(-1) ?? [];
    this.serverClose(code, reason, true);
  }
}

/** Options of {@link createTestServer}. */
export interface TestServerOptions {
  /** Accept every handshake by itself (after `handshakeDelayMs`); `false`: the test calls `open()`. @default true */
  accept?: boolean;
  /** How long an automatic accept (or refusal) takes, in milliseconds, on the global timers. @default 0 */
  handshakeDelayMs?: number;
}

/** A test server: the `WebSocket` to give the socket under test, and every connection made to it. */
export interface TestServer {
  /** Pass as `options.WebSocket`. */
  readonly WebSocket: WebSocketConstructor;
  /** Every connection attempt so far, oldest first. */
  readonly connections: readonly TestConnection[];
  /** The newest connection. @throws {Error} when there is none */
  last(): TestConnection;
  /** Refuses the next `count` handshakes: `error`, then `close` 1006. */
  refuseNext(count?: number): void;
  /** Calls `listener` for every new connection (before it is accepted), e.g. to answer what the client sends. */
  onConnection(listener: (connection: TestConnection) => void): void;
}

/**
 * A scriptable server for unit tests of code that uses a `SteadySocket` (or `JsonChannel`): hand its `WebSocket` to
 * the socket, then refuse, accept, close with a code, drop, black-hole or send a retry hint from the test. Its own
 * delays use the global `setTimeout` when they run, so Vitest's and Jest's fake timers drive them.
 *
 * @example
 * const server = createTestServer();
 * const socket = new SteadySocket('ws://app.test/live', undefined, { WebSocket: server.WebSocket });
 * await vi.advanceTimersByTimeAsync(0); // connected
 * server.last().retryAfter(30);         // the server sheds load: come back in 30 s
 */
export function createTestServer(options: TestServerOptions = {}): TestServer {
  const { accept = true, handshakeDelayMs = 0 } = options;
  const connections: TestConnection[] = [];
  const listeners: ((connection: TestConnection) => void)[] = [];
  let refusals = 0;
  class WebSocket extends TestConnection {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      connections.push(this);
      for (const listener of listeners) listener(this);
      const refuse = refusals > 0 && refusals--;
      if (accept || refuse) setTimeout(() => this.readyState === 0 && (refuse ? this.drop() : this.open()), handshakeDelayMs);
    }
  }
  return {
    WebSocket,
    connections,
    last() {
      const connection = connections.at(-1);
      if (!connection) throw new Error('no connection yet');
      return connection;
    },
    refuseNext(count = 1) {
      refusals += count;
    },
    onConnection(listener) {
      listeners.push(listener);
    },
  };
}
