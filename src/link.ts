import { backoffDelay } from './backoff';
import type { SendData } from './bytes';
import { systemClock } from './clock';
import { closeEvent, retryUnlessFatal } from './close';
import { domError, SteadySocketError, type SteadySocketErrorCode } from './errors';
import { makeEvent, type ConnectingEvent, type GiveupEvent, type ReconnectEvent, type SocketErrorEvent } from './events';
import { startHeartbeat, type Heartbeat } from './heartbeat';
import type { SteadySocketOptions, WebSocketConstructor, WebSocketLike } from './options';
import { createOutbox } from './outbox';
import { toWebSocketUrl } from './url';
import { onWake } from './wake';

type MaybePromise<T> = T | Promise<T>;
/** A URL, or a function called before every attempt that returns one (for fresh credentials). */
export type UrlProvider = string | URL | (() => MaybePromise<string | URL>);
/** Subprotocols, or a function called before every attempt that returns them. */
export type ProtocolsProvider = string | string[] | (() => MaybePromise<string | string[]>);

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;

/** The connection state machine behind a `SteadySocket`; see the class for what each call means. */
export interface Link {
  state(): number;
  ws(): WebSocketLike | undefined;
  href(): string;
  rttMs(): number | undefined;
  bufferedAmount(): number;
  send(data: SendData): boolean;
  drained(): Promise<void>;
  close(code?: number, reason?: string): void;
  reconnect(code?: number, reason?: string): void;
}

/**
 * Runs connections one after another for `target`: connect, open (handshake, flush), close,
 * decide, wait, connect again. Every callback checks `gen`, which each transition bumps, so a
 * late answer from a URL function, a handshake or an abandoned socket can never act twice.
 */
export function createLink(
  target: EventTarget & { readonly binaryType: BinaryType },
  url: UrlProvider,
  protocols: ProtocolsProvider | undefined,
  href: string,
  options: SteadySocketOptions = {},
): Link {
  // Defaults: see SteadySocketOptions (the policies' own fields default where they are used).
  const {
    clock = systemClock, reconnect: policy = {}, connectTimeoutMs = 10_000, shouldReconnect = retryUnlessFatal,
    queue = {}, highWaterMark = 1 << 20, lowWaterMark = highWaterMark * 0.75, handshake, heartbeat: beat, random,
    WebSocket = globalThis.WebSocket as WebSocketConstructor | undefined,
  } = options;
  const { maxRetries = Infinity, resetAfterMs = 5000 } = policy || {};
  if (!WebSocket) throw new TypeError('no WebSocket');
  const emit = (event: Event) => target.dispatchEvent(event);
  let ws: WebSocketLike | undefined;
  let direct: WebSocketLike | undefined; // set while `open` listeners run: what they send goes first
  let state = CONNECTING;
  let stopped = false;
  let gated = true;
  let retry = 0;
  let gen = 0;
  let openedAt = 0;
  let timer: unknown;
  let unwake: (() => void) | undefined;
  let heartbeat: Heartbeat | undefined;
  let rtt: number | undefined;

  const nativeBuffered = () => ws?.bufferedAmount ?? 0;
  const out = queue && createOutbox({
    sink: () => (!gated && ws?.readyState === OPEN ? ws : undefined),
    nativeBuffered,
    emit,
  }, queue, highWaterMark, Math.min(lowWaterMark, highWaterMark), clock);

  const bufferedAmount = () => (out ? out.buffered() : nativeBuffered());

  function clearTimer(): void {
    clock.clearTimeout(timer);
    // A spent id may be handed to another timer (the spec allows reuse): never clear it twice.
    timer = undefined;
    unwake?.();
    unwake = undefined;
  }

  /** Stops what belongs to the current connection (timers, heartbeat) and closes the gate of the queue. */
  function quiet(): void {
    clearTimer();
    heartbeat?.stop();
    heartbeat = undefined;
    gated = true;
  }

  /** Detaches from the current native socket and stops what belongs to it. */
  function release(): WebSocketLike | undefined {
    quiet();
    const old = ws;
    ws = undefined;
    if (old) {
      old.onopen = old.onmessage = old.onclose = null;
      // Node's `ws` throws an unhandled 'error' when a socket closed while connecting has no error listener.
      old.onerror = () => {};
    }
    return old;
  }

  async function connect(): Promise<void> {
    const my = ++gen;
    state = CONNECTING;
    emit(makeEvent<ConnectingEvent>('connecting', { attempt: retry }));
    if (my !== gen) return;
    let socket: WebSocketLike;
    try {
      const next = toWebSocketUrl(typeof url === 'function' ? await url() : url);
      const list = typeof protocols === 'function' ? await protocols() : protocols;
      if (my !== gen) return;
      href = next;
      socket = new WebSocket!(href, list);
    } catch (error) {
      if (my === gen) fail('URL', error);
      return;
    }
    ws = socket;
    socket.binaryType = target.binaryType;
    socket.onopen = () => opened(socket, my);
    socket.onmessage = (e) => {
      if (ws === socket && !heartbeat?.seen(e.data))
        emit(new MessageEvent('message', { data: e.data, origin: e.origin }));
    };
    socket.onerror = () => ws === socket && emit(new Event('error'));
    socket.onclose = (e) => ws === socket && closed(closeEvent(e.code, e.reason, e.wasClean));
    if (connectTimeoutMs > 0)
      timer = clock.setTimeout(() => fail('CONNECT_TIMEOUT'), connectTimeoutMs);
  }

  async function opened(socket: WebSocketLike, my: number): Promise<void> {
    if (ws !== socket) return;
    openedAt = clock.now();
    state = OPEN;
    direct = socket;
    emit(new Event('open'));
    direct = undefined;
    if (handshake) {
      try {
        await handshake((data) => {
          if (ws !== socket) throw domError('InvalidStateError', 'closed');
          socket.send(data);
        });
      } catch (error) {
        if (my === gen && ws === socket) fail('HANDSHAKE', error);
        return;
      }
    }
    if (my !== gen || ws !== socket) return;
    clearTimer();
    gated = false;
    if (beat) {
      heartbeat = startHeartbeat(beat, clock, (data) => socket.send(data),
        () => fail('HEARTBEAT_TIMEOUT'),
        (rttMs) => emit(makeEvent('heartbeat', { rttMs: (rtt = rttMs) })));
    }
    if (out) out.pump();
  }

  /** Abandons the current attempt or connection after a failure the native socket did not report. */
  function fail(code: SteadySocketErrorCode, cause?: unknown): void {
    // close() without arguments never throws, in any state (Node's `ws` reports an early close as 'error', ignored).
    release()?.close();
    const my = gen;
    emit(makeEvent<SocketErrorEvent>('error', { error: new SteadySocketError(code, cause) }));
    if (my === gen) closed(closeEvent(1006, '', false));
  }

  function retryable(event: CloseEvent): boolean {
    try {
      return shouldReconnect(event);
    } catch (error) {
      // A broken policy must not wedge the socket: keep retrying, and report the bug as uncaught.
      queueMicrotask(() => {
        throw error;
      });
      return true;
    }
  }

  function closed(event: CloseEvent): void {
    release();
    if (openedAt && clock.now() - openedAt >= resetAfterMs) retry = 0;
    openedAt = 0;
    state = CLOSED;
    let next: Event | undefined;
    let spent = false;
    if (stopped) {
      // close() was called: nothing follows the close event.
    } else if (!policy || (spent = retry >= maxRetries) || !retryable(event)) {
      next = makeEvent<GiveupEvent>('giveup', { reason: spent ? 'retries' : 'policy', closeEvent: event });
    } else {
      const delayMs = backoffDelay(++retry, policy, random);
      state = CONNECTING;
      timer = clock.setTimeout(connect, delayMs);
      unwake = onWake(() => {
        clearTimer();
        void connect();
      });
      next = makeEvent<ReconnectEvent>('reconnect', { attempt: retry, delayMs, closeEvent: event });
    }
    const my = gen;
    emit(event);
    if (next && my === gen) emit(next);
  }

  // Connect from a microtask, so that listeners added right after construction see `connecting`.
  queueMicrotask(() => gen === 0 && connect());

  return {
    state: () => state,
    ws: () => ws,
    href: () => href,
    rttMs: () => rtt,
    bufferedAmount,
    send(data) {
      const now = stopped ? undefined : direct ?? (out || state !== OPEN ? undefined : ws);
      if (now) {
        now.send(data);
        return bufferedAmount() < highWaterMark;
      }
      if (stopped || !out) throw domError('InvalidStateError', stopped ? 'closed' : 'not open');
      return out.send(data);
    },
    drained: () => (out ? out.drained() : Promise.resolve()),
    close(code, reason) {
      if (stopped) return;
      stopped = true;
      gen++;
      quiet();
      if (out) out.dispose();
      if (ws) {
        state = CLOSING;
        ws.close(code, reason);
      } else if (state !== CLOSED) {
        state = CLOSED;
        emit(closeEvent(code ?? 1005, reason, true));
      }
    },
    reconnect(code = 1000, reason) {
      stopped = false;
      retry = 0;
      state = CONNECTING;
      const old = release();
      const my = ++gen;
      if (old) {
        old.close(code, reason); // checked by the caller: cannot throw
        emit(closeEvent(code, reason, true));
      }
      if (my === gen) void connect();
    },
  };
}
