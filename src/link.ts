import { backoffDelay } from './backoff';
import type { SendData } from './bytes';
import { closeEvent } from './close';
import { domError, SteadySocketError } from './errors';
import { makeEvent, type ConnectingEvent, type GiveupEvent, type ReconnectEvent, type SocketErrorEvent } from './events';
import { startHeartbeat, type Heartbeat } from './heartbeat';
import type { ResolvedOptions, WebSocketLike } from './options';
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
  setBinaryType(type: BinaryType): void;
  send(data: SendData): boolean;
  drained(): Promise<void>;
  close(code?: number, reason?: string): void;
  reconnect(code?: number, reason?: string): void;
}

const ignore = () => {};

/**
 * Runs connections one after another for `target`: connect, open (handshake, flush), close,
 * decide, wait, connect again. Every callback checks `gen`, which each transition bumps, so a
 * late answer from a URL function, a handshake or an abandoned socket can never act twice.
 */
export function createLink(
  target: EventTarget,
  url: UrlProvider,
  protocols: ProtocolsProvider | undefined,
  href: string,
  opts: ResolvedOptions,
): Link {
  const { clock, reconnect: policy, highWaterMark } = opts;
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
  let binaryType: BinaryType = 'blob';

  const out = opts.queue && createOutbox({
    sink: () => (!gated && ws?.readyState === OPEN ? ws : undefined),
    nativeBuffered: () => ws?.bufferedAmount ?? 0,
    emit,
  }, opts.queue, highWaterMark, opts.lowWaterMark, clock);

  const bufferedAmount = () => (ws?.bufferedAmount ?? 0) + (out ? out.bytes : 0);

  function clearTimer(): void {
    clock.clearTimeout(timer);
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
      old.onerror = ignore;
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
      socket = new opts.WebSocket!(href, list);
    } catch (error) {
      if (my === gen) fail(new SteadySocketError('URL', 'URL failed', error));
      return;
    }
    ws = socket;
    socket.binaryType = binaryType;
    socket.onopen = () => opened(socket, my);
    socket.onmessage = (e) => {
      if (ws === socket && !heartbeat?.seen(e.data))
        emit(new MessageEvent('message', { data: e.data, origin: e.origin }));
    };
    socket.onerror = () => ws === socket && emit(makeEvent<SocketErrorEvent>('error'));
    socket.onclose = (e) => ws === socket && closed(closeEvent(e.code, e.reason, e.wasClean));
    const limitMs = opts.connectTimeoutMs;
    if (limitMs > 0)
      timer = clock.setTimeout(() => fail(new SteadySocketError('CONNECT_TIMEOUT', 'connect timeout')), limitMs);
  }

  async function opened(socket: WebSocketLike, my: number): Promise<void> {
    if (ws !== socket) return;
    openedAt = clock.now();
    state = OPEN;
    direct = socket;
    emit(new Event('open'));
    direct = undefined;
    const hook = opts.handshake;
    if (hook) {
      try {
        await hook((data) => {
          if (ws !== socket) throw domError('InvalidStateError', 'connection gone');
          socket.send(data);
        });
      } catch (error) {
        if (my === gen && ws === socket) fail(new SteadySocketError('HANDSHAKE', 'handshake failed', error));
        return;
      }
    }
    if (my !== gen || ws !== socket) return;
    clearTimer();
    gated = false;
    if (opts.heartbeat) {
      heartbeat = startHeartbeat(opts.heartbeat, clock, (data) => socket.send(data),
        () => fail(new SteadySocketError('HEARTBEAT_TIMEOUT', 'heartbeat timeout')),
        (rttMs) => emit(makeEvent('heartbeat', { rttMs: (rtt = rttMs) })));
    }
    if (out) out.pump();
  }

  /** Abandons the current attempt or connection after a failure the native socket did not report. */
  function fail(error: SteadySocketError): void {
    try {
      release()?.close();
    } catch {
      // Closing a socket that is being abandoned can only fail if it is closed already.
    }
    const my = gen;
    emit(makeEvent<SocketErrorEvent>('error', { error }));
    if (my === gen) closed(closeEvent(1006, '', false));
  }

  function retryable(event: CloseEvent): boolean {
    try {
      return opts.shouldReconnect(event);
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
    if (openedAt && policy && clock.now() - openedAt >= policy.resetAfterMs) retry = 0;
    openedAt = 0;
    state = CLOSED;
    let next: Event | undefined;
    if (stopped) {
      // close() was called: nothing follows the close event.
    } else if (!policy || !retryable(event) || retry >= policy.maxRetries) {
      next = makeEvent<GiveupEvent>('giveup', { reason: policy && retry >= policy.maxRetries ? 'retries' : 'policy', closeEvent: event });
    } else {
      const delayMs = backoffDelay(++retry, policy, opts.random);
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
    setBinaryType(type) {
      binaryType = type;
      if (ws) ws.binaryType = type;
    },
    send(data) {
      if (stopped) throw domError('InvalidStateError', 'closed');
      const now = direct ?? (out || state !== OPEN ? undefined : ws);
      if (now) {
        now.send(data);
        return bufferedAmount() < highWaterMark;
      }
      if (!out) throw domError('InvalidStateError', 'not open');
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
        emit(closeEvent(code ?? 1005, reason ?? '', true));
      }
    },
    reconnect(code, reason) {
      stopped = false;
      retry = 0;
      state = CONNECTING;
      const old = release();
      const my = ++gen;
      if (old) {
        try {
          old.close(code ?? 1000, reason);
        } catch {
          // The old connection is being replaced; failing to close it changes nothing here.
        }
        emit(closeEvent(code ?? 1000, reason ?? '', true));
      }
      if (my === gen) void connect();
    },
  };
}
