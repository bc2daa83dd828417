import type { SendData } from './bytes';
import { checkClose } from './close';
import type { SteadySocketEventMap } from './events';
import { createLink, LINK, type Link, type LinkFactory } from './link';
import { OFFER } from './offer';
import type { ProtocolsProvider, SendOptions, SteadySocketOptions, UrlProvider } from './options';
import type { SocketStats } from './stats';
import { CLOSED, CLOSING, CONNECTING, OPEN } from './state';
import { messageStream, sendStream } from './streams';
import { checkProtocols, toWebSocketUrl } from './url';

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
 * jittered exponential backoff, queues what is sent until the socket is open, keeps the browser's
 * send buffer under a high-water mark and, with `heartbeat`, notices a dead link.
 *
 * `open`, `message`, `error` and `close` fire for every underlying connection; `connecting`,
 * `reconnect`, `giveup`, `drop`, `drain` and `heartbeat` tell what the SDK does about it.
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

  readonly #link: Link;
  #binaryType: BinaryType = 'blob';
  #readable: ReadableStream | undefined;
  #writable: WritableStream<SendData> | undefined;

  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options?: SteadySocketOptions) {
    super();
    // A list of endpoints: every one checked now, as the native constructor checks its one URL.
    const list = typeof url === 'function' ? [] : [url].flat();
    if (typeof url !== 'function' && !list.length) throw new TypeError('url: an empty list');
    const href = list.map(toWebSocketUrl)[0] ?? '';
    if (typeof protocols !== 'function') checkProtocols(protocols);
    const make = (options as { [LINK]?: LinkFactory } | undefined)?.[LINK] ?? createLink;
    const link = (this.#link = make(this, url, protocols, href, options));
    if (link.offer) Object.defineProperty(this, OFFER, { value: link.offer });
    for (const type of ['open', 'message', 'error', 'close']) {
      // Like the native on* attributes: one listener, added at the first assignment, calls whatever is assigned now.
      let handler: ((event: Event) => unknown) | null = null;
      let listening = false;
      Object.defineProperty(this, 'on' + type, {
        get: () => handler,
        set: (fn: unknown) => {
          if (!listening) this.addEventListener(type, (event) => handler?.call(this, event));
          listening = true;
          handler = typeof fn === 'function' ? (fn as (event: Event) => unknown) : null;
        },
      });
    }
  }

  /** The absolute ws/wss URL of the current (or last) connection; `''` until a URL function has answered. */
  get url(): string {
    return this.#link.href();
  }
  /** The subprotocol the server chose for the current connection. */
  get protocol(): string {
    return this.#link.ws()?.protocol ?? '';
  }
  /** The extensions the server chose for the current connection. */
  get extensions(): string {
    return this.#link.ws()?.extensions ?? '';
  }
  /**
   * `CONNECTING` while connecting or waiting to retry, `OPEN`, `CLOSING` after `close()`, and
   * `CLOSED` once closed for good (by `close()`, or when the socket gave up).
   */
  get readyState(): number {
    return this.#link.state();
  }
  /** Bytes not yet sent: the native `bufferedAmount` plus what waits in the SDK's queue (UTF-8 bytes for text). */
  get bufferedAmount(): number {
    return this.#link.bufferedAmount();
  }
  /** The last round-trip time measured by the heartbeat, in milliseconds; `undefined` before the first pong. */
  get rttMs(): number | undefined {
    return this.#link.rttMs();
  }
  /**
   * What the socket did so far, as a frozen snapshot: connections, closes by code, retries, the current attempt,
   * when the next retry is due, time connected and not, messages and bytes each way, drops by reason, the last RTT.
   */
  get stats(): SocketStats {
    return this.#link.stats();
  }
  /** How binary messages are delivered; kept across reconnects. @default 'blob' */
  get binaryType(): BinaryType {
    return this.#binaryType;
  }
  set binaryType(value: BinaryType) {
    if (value !== 'blob' && value !== 'arraybuffer') return; // the native setter ignores unknown values too
    const ws = this.#link.ws();
    this.#binaryType = value;
    if (ws) ws.binaryType = value;
  }

  /** Listener for `open`, as on the native socket. */
  declare onopen: Handler<'open'>;
  /** Listener for `message`, as on the native socket. */
  declare onmessage: Handler<'message'>;
  /** Listener for `error`, as on the native socket. */
  declare onerror: Handler<'error'>;
  /** Listener for `close`, as on the native socket. */
  declare onclose: Handler<'close'>;

  /**
   * Every message's data as a stream, across reconnects; it ends when the socket closes for good.
   * @example for await (const data of socket.readable) handle(data);
   */
  get readable(): ReadableStream {
    return (this.#readable ??= messageStream(this));
  }

  /**
   * A stream that sends what is written to it; writes wait while the buffer is over `highWaterMark`.
   * @example await fileStream.pipeTo(socket.writable);
   */
  get writable(): WritableStream<SendData> {
    return (this.#writable ??= sendStream(this));
  }

  /**
   * Sends `data` now if the socket is open and the browser's buffer is under `highWaterMark`,
   * otherwise queues it (in order) for the next open connection. `options.ttlMs` drops it if it could not be
   * handed to the browser in time; `options.volatile` never queues it (see `SendOptions`).
   *
   * @returns `true` while the total buffered stays under `highWaterMark`; `false` asks the producer to wait for `drain`.
   * @throws {DOMException} `InvalidStateError` after `close()`, or while not open when the queue is disabled.
   * @throws {SteadySocketError} `QUEUE_FULL` when the queue is full and its overflow policy is `'error'`.
   * @throws {TypeError} for an unknown option, or `volatile` with `ttlMs`; {RangeError} for a `ttlMs` that is negative or not a number.
   * @example socket.send(JSON.stringify({ typing: true }), { volatile: true });
   */
  send(data: SendData, options?: SendOptions): boolean {
    if (typeof data !== 'object' || !data || !('byteLength' in data || 'size' in data)) data = String(data);
    if (options !== undefined) checkSendOptions(options);
    return this.#link.send(data, options);
  }

  /**
   * Resolves at the next `ready` (after `open` and the `handshake` hook, before the queue flushes), or at once
   * if the connection is ready now. Rejects with `InvalidStateError` if `close()` comes first or the socket gives up.
   * @example await socket.ready(); // the server has the handshake's credentials
   */
  ready(): Promise<void> {
    return this.#link.ready();
  }

  /**
   * Resolves once the total buffered (native plus queue) is at or under `lowWaterMark`, at once if
   * it is. Rejects with `InvalidStateError` if `close()` is called first.
   */
  drained(): Promise<void> {
    return this.#link.drained();
  }

  /**
   * Closes the connection for good: no retry, no timer or listener left behind. Messages still
   * queued are dropped, each reported by a `drop` event. `reconnect()` starts again.
   *
   * @throws {DOMException} `InvalidAccessError` for a code other than 1000 or 3000-4999; `SyntaxError` for a reason over 123 UTF-8 bytes.
   */
  close(code?: number, reason?: string): void {
    checkClose(code, reason);
    this.#link.close(code, reason);
  }

  /**
   * Starts a fresh connection now, from any state: after `close()`, after giving up, or to replace
   * a connection that looks stuck (it is closed with `code` and `reason`, and its `close` event fires).
   *
   * @throws {DOMException} as `close()` does for `code` and `reason`.
   */
  reconnect(code?: number, reason?: string): void {
    checkClose(code, reason);
    if (this.#readable && this.readyState === CLOSED) this.#readable = undefined; // the old one has ended
    this.#link.reconnect(code, reason);
  }

}

/** The checks of `send()`'s options. */
function checkSendOptions(options: SendOptions): void {
  const { ttlMs, volatile, ...rest } = options;
  for (const name in rest) throw new TypeError(`send(): unknown option ${name}`);
  if (ttlMs !== undefined && !(ttlMs >= 0)) throw new RangeError(`send(): ttlMs ${ttlMs}`);
  if (volatile && ttlMs !== undefined) throw new TypeError('send(): volatile with ttlMs');
}
