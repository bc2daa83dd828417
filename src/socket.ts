import { backoffDelay } from './backoff';
import type { SendData } from './bytes';
import { checkClose, closeEvent } from './close';
import { domError, SteadySocketError } from './errors';
import {
  makeEvent, type ConnectingEvent, type GiveupEvent, type ReconnectEvent, type SocketErrorEvent, type SteadySocketEventMap,
} from './events';
import { resolveOptions, type ResolvedOptions, type SteadySocketOptions, type WebSocketLike } from './options';
import { createOutbox, type Outbox } from './outbox';
import { checkProtocols, toWebSocketUrl } from './url';
import { onWake } from './wake';

type MaybePromise<T> = T | Promise<T>;
/** A URL, or a function called before every attempt that returns one (for fresh credentials). */
export type UrlProvider = string | URL | (() => MaybePromise<string | URL>);
/** Subprotocols, or a function called before every attempt that returns them. */
export type ProtocolsProvider = string | string[] | (() => MaybePromise<string | string[]>);

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const ignore = () => {};

type Listener<K extends keyof SteadySocketEventMap> = (this: SteadySocket, event: SteadySocketEventMap[K]) => unknown;
type Handler<K extends keyof SteadySocketEventMap> = Listener<K> | null;

export interface SteadySocket {
  addEventListener<K extends keyof SteadySocketEventMap>(type: K, listener: Listener<K>, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SteadySocketEventMap>(type: K, listener: Listener<K>, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * A drop-in replacement for the browser's `WebSocket` that stays connected: it reconnects with
 * jittered exponential backoff, queues what is sent until the socket is open, and keeps the
 * browser's send buffer under a high-water mark.
 *
 * `open`, `message`, `error` and `close` fire for every underlying connection; `connecting`,
 * `reconnect`, `giveup`, `drop` and `drain` tell what the SDK does about it.
 *
 * @throws {DOMException} `SyntaxError` for a URL (given as a string or URL) or subprotocol the native constructor would refuse.
 * @throws {TypeError} when there is no `WebSocket` implementation (pass `options.WebSocket` in Node before 22).
 * @example
 * const socket = new SteadySocket('wss://example.com/live');
 * socket.onmessage = (event) => render(event.data);
 * socket.send('hello'); // queued until the socket is open
 */
export class SteadySocket extends EventTarget {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;

  readonly #opts: ResolvedOptions;
  readonly #url: UrlProvider;
  readonly #protocols: ProtocolsProvider | undefined;
  readonly #out: Outbox | undefined;
  #href = '';
  #ws: WebSocketLike | undefined;
  /** Set while `open` listeners run: what they send goes out first, ahead of the queue. */
  #direct: WebSocketLike | undefined;
  #state = CONNECTING;
  #stopped = false;
  #gated = true;
  #retry = 0;
  /** Bumped by every transition that makes pending callbacks stale. */
  #gen = 0;
  #openedAt = 0;
  #timer: unknown;
  #unwake: (() => void) | undefined;
  #binaryType: BinaryType = 'blob';
  #handlers: Record<string, ((event: Event) => unknown) | null> = {};

  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options?: SteadySocketOptions) {
    super();
    const opts = (this.#opts = resolveOptions(options));
    if (!(opts.WebSocket ??= globalThis.WebSocket as never))
      throw new TypeError('No WebSocket implementation: pass options.WebSocket');
    if (typeof url !== 'function') this.#href = toWebSocketUrl(url);
    if (typeof protocols !== 'function') checkProtocols(protocols);
    this.#url = url;
    this.#protocols = protocols;
    if (opts.queue) {
      this.#out = createOutbox({
        sink: () => (!this.#gated && this.#ws?.readyState === OPEN ? this.#ws : undefined),
        nativeBuffered: () => this.#ws?.bufferedAmount ?? 0,
        emit: (event) => this.dispatchEvent(event),
      }, opts.queue, opts.highWaterMark, opts.lowWaterMark, opts.clock);
    }
    // Connect from a microtask, so listeners added right after construction see `connecting`.
    const gen = this.#gen;
    queueMicrotask(() => gen === this.#gen && this.#connect());
  }

  /** The absolute ws/wss URL of the current (or last) connection; `''` until a URL function has answered. */
  get url(): string {
    return this.#href;
  }
  /** The subprotocol the server chose for the current connection. */
  get protocol(): string {
    return this.#ws?.protocol ?? '';
  }
  /** The extensions the server chose for the current connection. */
  get extensions(): string {
    return this.#ws?.extensions ?? '';
  }
  /**
   * `CONNECTING` while connecting or waiting to retry, `OPEN`, `CLOSING` after `close()`, and
   * `CLOSED` once closed for good (by `close()`, or when the socket gave up).
   */
  get readyState(): number {
    return this.#state;
  }
  /** Bytes not yet sent: the native `bufferedAmount` plus what waits in the SDK's queue (UTF-8 bytes for text). */
  get bufferedAmount(): number {
    return (this.#ws?.bufferedAmount ?? 0) + (this.#out?.bytes ?? 0);
  }
  /** How binary messages are delivered; kept across reconnects. @default 'blob' */
  get binaryType(): BinaryType {
    return this.#binaryType;
  }
  set binaryType(value: BinaryType) {
    if (value !== 'blob' && value !== 'arraybuffer') return; // the native setter ignores unknown values too
    this.#binaryType = value;
    if (this.#ws) this.#ws.binaryType = value;
  }

  get onopen(): Handler<'open'> { return this.#handlers.open as Handler<'open'> ?? null; }
  set onopen(fn: Handler<'open'>) { this.#setHandler('open', fn); }
  get onmessage(): Handler<'message'> { return this.#handlers.message as Handler<'message'> ?? null; }
  set onmessage(fn: Handler<'message'>) { this.#setHandler('message', fn); }
  get onerror(): Handler<'error'> { return this.#handlers.error as Handler<'error'> ?? null; }
  set onerror(fn: Handler<'error'>) { this.#setHandler('error', fn); }
  get onclose(): Handler<'close'> { return this.#handlers.close as Handler<'close'> ?? null; }
  set onclose(fn: Handler<'close'>) { this.#setHandler('close', fn); }

  /**
   * Sends `data` now if the socket is open and the browser's buffer is under the high-water mark,
   * otherwise queues it (in order) for the next open connection.
   *
   * @returns `true` while the total buffered stays under `highWaterMark`; `false` asks the producer to wait for `drain`.
   * @throws {DOMException} `InvalidStateError` after `close()`, or while not open when the queue is disabled.
   * @throws {SteadySocketError} `QUEUE_FULL` when the queue is full and its overflow policy is `'error'`.
   */
  send(data: SendData): boolean {
    if (this.#stopped) throw domError('InvalidStateError', 'send() after close()');
    if (typeof data !== 'object' || !data || !('byteLength' in data || 'size' in data)) data = String(data);
    const direct = this.#direct ?? (this.#out ? undefined : this.#state === OPEN ? this.#ws : undefined);
    if (direct) {
      direct.send(data);
      return this.bufferedAmount < this.#opts.highWaterMark;
    }
    if (!this.#out) throw domError('InvalidStateError', 'The socket is not open and queueing is disabled');
    return this.#out.send(data);
  }

  /**
   * Resolves once the total buffered (native plus queue) is at or under `lowWaterMark`, at once if it is.
   * Rejects with `InvalidStateError` if `close()` is called first.
   */
  drained(): Promise<void> {
    return this.#out ? this.#out.drained() : Promise.resolve();
  }

  /**
   * Closes the connection for good: no retry, no timer or listener left behind. Messages still
   * queued are dropped, each reported by a `drop` event. `reconnect()` starts again.
   *
   * @throws {DOMException} `InvalidAccessError` for a code other than 1000 or 3000-4999; `SyntaxError` for a reason over 123 UTF-8 bytes.
   */
  close(code?: number, reason?: string): void {
    checkClose(code, reason);
    if (this.#stopped) return;
    this.#stopped = true;
    this.#gen++;
    this.#clearTimer();
    this.#gated = true;
    this.#out?.dispose();
    if (this.#ws) {
      this.#state = CLOSING;
      this.#ws.close(code, reason);
    } else if (this.#state !== CLOSED) {
      this.#state = CLOSED;
      this.dispatchEvent(closeEvent(code ?? 1005, reason ?? '', true));
    }
  }

  /**
   * Starts a fresh connection now, from any state: after `close()`, after giving up, or to replace
   * a connection that looks stuck (it is closed with `code` and `reason`, and its `close` event fires).
   *
   * @throws {DOMException} as `close()` does for `code` and `reason`.
   */
  reconnect(code?: number, reason?: string): void {
    checkClose(code, reason);
    this.#stopped = false;
    this.#retry = 0;
    this.#state = CONNECTING;
    const old = this.#release();
    const gen = ++this.#gen;
    if (old) {
      try {
        old.close(code ?? 1000, reason);
      } catch {
        // The old connection is being replaced; a failure to close it changes nothing here.
      }
      this.dispatchEvent(closeEvent(code ?? 1000, reason ?? '', true));
    }
    if (gen === this.#gen) void this.#connect();
  }

  async #connect(): Promise<void> {
    const gen = ++this.#gen;
    const opts = this.#opts;
    this.#state = CONNECTING;
    this.dispatchEvent(makeEvent<ConnectingEvent>('connecting', { attempt: this.#retry }));
    if (gen !== this.#gen) return;
    let ws: WebSocketLike;
    try {
      const url = this.#url;
      const protocols = this.#protocols;
      const href = toWebSocketUrl(typeof url === 'function' ? await url() : url);
      const list = typeof protocols === 'function' ? await protocols() : protocols;
      if (gen !== this.#gen) return;
      this.#href = href;
      ws = new opts.WebSocket!(href, list);
    } catch (error) {
      if (gen === this.#gen) this.#fail(new SteadySocketError('URL', `Could not start a connection: ${error}`, error));
      return;
    }
    this.#ws = ws;
    ws.binaryType = this.#binaryType;
    ws.onopen = () => this.#opened(ws);
    ws.onmessage = (e) => this.#ws === ws && this.dispatchEvent(new MessageEvent('message', { data: e.data, origin: e.origin, lastEventId: e.lastEventId }));
    ws.onerror = () => this.#ws === ws && this.dispatchEvent(makeEvent<SocketErrorEvent>('error'));
    ws.onclose = (e) => this.#ws === ws && this.#closed(closeEvent(e.code, e.reason, e.wasClean));
    if (opts.connectTimeoutMs > 0)
      this.#timer = opts.clock.setTimeout(() => this.#fail(new SteadySocketError('CONNECT_TIMEOUT', `Not open after ${opts.connectTimeoutMs} ms`)), opts.connectTimeoutMs);
  }

  async #opened(ws: WebSocketLike): Promise<void> {
    if (this.#ws !== ws) return;
    const gen = this.#gen;
    this.#openedAt = this.#opts.clock.now();
    this.#state = OPEN;
    this.#direct = ws;
    this.dispatchEvent(new Event('open'));
    this.#direct = undefined;
    const hook = this.#opts.handshake;
    if (hook) {
      try {
        await hook((data) => {
          if (this.#ws !== ws) throw domError('InvalidStateError', 'The connection of this handshake is gone');
          ws.send(data);
        });
      } catch (error) {
        if (gen === this.#gen && this.#ws === ws) this.#fail(new SteadySocketError('HANDSHAKE', `handshake failed: ${error}`, error));
        return;
      }
    }
    if (gen !== this.#gen || this.#ws !== ws) return;
    this.#clearTimer();
    this.#gated = false;
    this.#out?.pump();
  }

  /** Abandons the current attempt or connection after a failure the native socket did not report. */
  #fail(error: SteadySocketError): void {
    try {
      this.#release()?.close();
    } catch {
      // Closing a socket that is being abandoned can only fail if it is already closed.
    }
    const gen = this.#gen;
    this.dispatchEvent(makeEvent<SocketErrorEvent>('error', { error }));
    if (gen === this.#gen) this.#closed(closeEvent(1006, '', false));
  }

  #closed(event: CloseEvent): void {
    const { reconnect, clock } = this.#opts;
    this.#release();
    if (this.#openedAt && reconnect && clock.now() - this.#openedAt >= reconnect.resetAfterMs) this.#retry = 0;
    this.#openedAt = 0;
    let next: Event | undefined;
    this.#state = CLOSED;
    if (this.#stopped) {
      // close() was called: nothing follows the close event.
    } else if (!reconnect || !this.#retryable(event)) next = makeEvent<GiveupEvent>('giveup', { reason: 'policy', closeEvent: event });
    else if (this.#retry >= reconnect.maxRetries) next = makeEvent<GiveupEvent>('giveup', { reason: 'retries', closeEvent: event });
    else {
      const delayMs = backoffDelay(++this.#retry, reconnect, this.#opts.random);
      this.#state = CONNECTING;
      this.#timer = clock.setTimeout(() => this.#connect(), delayMs);
      this.#unwake = onWake(() => {
        this.#clearTimer();
        void this.#connect();
      });
      next = makeEvent<ReconnectEvent>('reconnect', { attempt: this.#retry, delayMs, closeEvent: event });
    }
    const gen = this.#gen;
    this.dispatchEvent(event);
    if (next && gen === this.#gen) this.dispatchEvent(next);
  }

  #retryable(event: CloseEvent): boolean {
    try {
      return this.#opts.shouldReconnect(event);
    } catch (error) {
      // A broken policy must not wedge the socket: keep the default (retry) and report the bug.
      queueMicrotask(() => {
        throw error;
      });
      return true;
    }
  }

  /** Detaches from the current native socket (if any) and stops the timers that belong to it. */
  #release(): WebSocketLike | undefined {
    this.#clearTimer();
    this.#gated = true;
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      // Node's `ws` throws an unhandled 'error' when a socket closed while connecting has no error listener.
      ws.onerror = ignore;
    }
    return ws;
  }

  #clearTimer(): void {
    this.#opts.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unwake?.();
    this.#unwake = undefined;
  }

  #setHandler(type: string, fn: unknown): void {
    if (!(type in this.#handlers)) this.addEventListener(type, (event) => this.#handlers[type]?.call(this, event));
    this.#handlers[type] = typeof fn === 'function' ? (fn as (event: Event) => unknown) : null;
  }
}
