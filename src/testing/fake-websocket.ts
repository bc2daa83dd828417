import type { SendData } from '../bytes';
import { closeEvent } from '../close';
import type { WebSocketLike } from '../options';

/**
 * A scriptable stand-in for the native `WebSocket`: it records what the SDK does to it, and the
 * test decides what the "network" does (`open()`, `receive()`, `drop()`, `serverClose()`), in
 * the native order (error before an abnormal close, close after close()).
 */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  bufferedAmount = 0;
  protocol = '';
  extensions = '';
  binaryType = 'blob';
  /** What was handed to `send()` while open, in order. */
  readonly sent: SendData[] = [];
  /** Arguments of every `close()` call. */
  readonly closeCalls: [number | undefined, string | undefined][] = [];
  onopen: ((event: Event) => unknown) | null = null;
  onmessage: ((event: MessageEvent) => unknown) | null = null;
  onerror: ((event: Event) => unknown) | null = null;
  onclose: ((event: CloseEvent) => unknown) | null = null;

  constructor(readonly url: string, readonly protocols?: string | string[]) {}

  send(data: SendData): void {
    if (this.readyState === 0) throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
    if (this.readyState === 1) this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push([code, reason]);
    if (this.readyState < 2) this.readyState = 2;
  }

  /** The handshake succeeded. */
  open(protocol = ''): void {
    this.protocol = protocol;
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  /** A message arrived. */
  receive(data: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  /** The connection failed or broke (refused, reset, 401 handshake...): error, then close 1006. */
  drop(): void {
    this.readyState = 3;
    this.onerror?.(new Event('error'));
    this.onclose?.(closeEvent(1006, '', false));
  }

  /** The server closed the connection with `code`. */
  serverClose(code: number, reason = '', wasClean = true): void {
    this.readyState = 3;
    this.onclose?.(closeEvent(code, reason, wasClean));
  }

  /** The closing handshake started by `close()` completed. */
  closed(): void {
    const [code = 1005, reason = ''] = this.closeCalls.at(-1) ?? [];
    this.serverClose(code, reason, true);
  }
}

/** A fresh `WebSocket` constructor whose instances are recorded in `sockets`, newest last. */
export function fakeWebSocket() {
  const sockets: FakeSocket[] = [];
  class WebSocket extends FakeSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  return { WebSocket, sockets, last: () => sockets[sockets.length - 1]! };
}
