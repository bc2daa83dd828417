import type { SendData } from './bytes';
import { systemClock } from './clock';
import { closeEvent, retryUnlessFatal } from './close';
import { DEFAULTS, withDefaults } from './defaults';
import { domError, SteadySocketError, type SteadySocketErrorCode } from './errors';
import { makeEvent, type ConnectingEvent, type SocketErrorEvent } from './events';
import { startHeartbeat, type Heartbeat } from './heartbeat';
import type { ProtocolsProvider, SteadySocketOptions, UrlProvider, WebSocketConstructor, WebSocketLike } from './options';
import { createOutbox, DIRECT, HELD, NONE, READY } from './outbox';
import { pageLifecycle, type LifecycleSignal } from './lifecycle';
import { createRetry } from './retry';
import { CLOSED, CLOSING, CONNECTING, OPEN } from './state';
import { toWebSocketUrl } from './url';

/**
 * The key of an internal option: a function that makes the socket's link instead of `createLink`
 * (`steadysocket/tabs` gives a `SteadySocket` a link shared between tabs). Not registered: only this
 * build's modules can use it.
 */
export const LINK: unique symbol = Symbol() as never;

/** The signature of `createLink`, for the `LINK` option. */
export type LinkFactory = typeof createLink;

/** The connection sequence behind a `SteadySocket`; see the class for what each call means. */
export interface Link {
  state(): number;
  ws(): WebSocketLike | undefined;
  href(): string;
  rttMs(): number | undefined;
  bufferedAmount(): number;
  send(data: SendData): boolean;
  /** The now-or-never send (`OFFER`); a link without one gives its socket none. */
  offer?(data: SendData): boolean;
  drained(): Promise<void>;
  close(code?: number, reason?: string): void;
  reconnect(code?: number, reason?: string): void;
}

/**
 * Runs connections one after another for `target`: connect (URL, native socket), open, handshake,
 * ready, flush; on a failure or a close it asks the retry policy what comes next. Every transition
 * bumps `gen` and every callback checks it, so a late answer from a URL function, a handshake or
 * an abandoned socket can never act twice.
 */
export function createLink(
  target: EventTarget & { readonly binaryType: BinaryType },
  url: UrlProvider,
  protocols: ProtocolsProvider | undefined,
  href: string,
  options: SteadySocketOptions = {},
): Link {
  const {
    clock = systemClock, connectTimeoutMs, shouldReconnect = retryUnlessFatal, highWaterMark, handshake, random,
    WebSocket = globalThis.WebSocket as WebSocketConstructor | undefined, lifecycle = [pageLifecycle],
  } = withDefaults(DEFAULTS as SteadySocketOptions, options);
  if (!WebSocket) throw new TypeError('no WebSocket');
  const high = highWaterMark!;
  const low = Math.min(high, options.lowWaterMark ?? high * (DEFAULTS.lowWaterMark / DEFAULTS.highWaterMark));
  const beat = options.heartbeat && withDefaults(DEFAULTS.heartbeat, options.heartbeat);
  const emit = (event: Event) => target.dispatchEvent(event);
  const outbox = createOutbox(options.queue !== false && withDefaults(DEFAULTS.queue, options.queue), high, low, clock, emit);
  const retry = createRetry(
    options.reconnect !== false && withDefaults(DEFAULTS.reconnect, options.reconnect), shouldReconnect, clock, random, () => void connect(),
  );
  let ws: WebSocketLike | undefined;
  let state = CONNECTING;
  let stopped = false;
  let suspended = false;
  let probing = false; // a wake-up probe is out: the app's sends wait until the connection proves alive
  let unwatch: (() => void) | undefined; // the lifecycle sources, from the first attempt until close()
  let gen = 0;
  let attemptTimer: unknown;
  let closing: unknown; // the deferred close events of a close() that had no native socket to close
  let heartbeat: Heartbeat | undefined;
  let rtt: number | undefined;

  /** Stops what belongs to the current attempt or connection (its timers); its late callbacks are void from now on. */
  function quiet(): void {
    gen++;
    probing = false;
    clock.clearTimeout(attemptTimer);
    attemptTimer = undefined;
    heartbeat?.stop();
    heartbeat = undefined;
  }

  /** Detaches from the current native socket and stops what belongs to it. */
  function release(): WebSocketLike | undefined {
    quiet();
    outbox.phase(undefined, NONE);
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
    unwatch ??= lifecycle.length ? watch() : undefined;
    emit(makeEvent<ConnectingEvent>('connecting', { attempt: retry.attempt() }));
    if (my !== gen) return;
    // The limit covers the whole attempt, the URL function included: a token service that hangs must not wedge the socket.
    if (connectTimeoutMs! > 0) {
      attemptTimer = clock.setTimeout(() => {
        attemptTimer = undefined;
        fail('CONNECT_TIMEOUT');
      }, connectTimeoutMs!);
    }
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
      if (ws !== socket) return;
      if (probing) {
        // Alive after all: what waited during the probe goes out now.
        probing = false;
        outbox.hold(false);
        outbox.pump();
      }
      if (!heartbeat?.seen(e.data)) emit(new MessageEvent('message', { data: e.data, origin: e.origin }));
    };
    socket.onerror = () => ws === socket && emit(new Event('error'));
    socket.onclose = (e) => ws === socket && closed(closeEvent(e.code, e.reason, e.wasClean));
  }

  async function opened(socket: WebSocketLike, my: number): Promise<void> {
    if (my !== gen) return;
    retry.opened();
    state = OPEN;
    outbox.phase(socket, DIRECT); // what `open` listeners send goes out first
    emit(new Event('open'));
    if (my !== gen) return;
    outbox.phase(socket, HELD);
    if (handshake) {
      try {
        await handshake((data) => {
          if (my !== gen || !outbox.priority(data)) throw domError('InvalidStateError', 'not open');
        });
      } catch (error) {
        if (my === gen) fail('HANDSHAKE', error);
        return;
      }
      if (my !== gen) return;
    }
    clock.clearTimeout(attemptTimer);
    attemptTimer = undefined;
    if (beat) {
      heartbeat = startHeartbeat(beat, clock, outbox.priority, () => fail('HEARTBEAT_TIMEOUT'),
        (rttMs) => emit(makeEvent('heartbeat', { rttMs: (rtt = rttMs) })));
    }
    outbox.phase(socket, READY);
    emit(new Event('ready'));
    if (my === gen) outbox.pump();
  }

  /** Abandons the current attempt or connection after a failure the native socket did not report. */
  function fail(code: SteadySocketErrorCode, cause?: unknown): void {
    // close() without arguments never throws, in any state (Node's `ws` reports an early close as 'error', ignored).
    release()?.close();
    const my = gen;
    emit(makeEvent<SocketErrorEvent>('error', { error: new SteadySocketError(code, cause) }));
    if (my === gen) closed(closeEvent(1006, '', false));
  }

  function closed(event: CloseEvent): void {
    release();
    const my = gen;
    const next = stopped ? undefined : retry.after(event);
    state = next?.type === 'reconnect' ? CONNECTING : CLOSED;
    emit(event);
    if (next && my === gen) emit(next);
  }

  function watch(): () => void {
    const stops = lifecycle.map((source) => source(signal));
    return () => stops.forEach((stop) => stop());
  }

  /** What the page's life means for the connection (see `LifecycleSignal`). */
  function signal(kind: LifecycleSignal): void {
    if (stopped) return;
    if (kind === 'suspend') suspend();
    else if (suspended) {
      if (kind === 'resume') {
        suspended = false;
        retry.reset();
        void connect(); // at once, with a fresh call of the URL function
      }
    } else {
      if (kind === 'offline' || kind === 'online') retry.offline(kind === 'offline');
      if (kind === 'offline' || !retry.now()) probe();
    }
  }

  /** A wake-up on an open connection (with a heartbeat): ping now, and hold new sends until something arrives. */
  function probe(): void {
    if (!heartbeat) return;
    heartbeat.probe();
    probing = true;
    outbox.hold(true);
  }

  /**
   * The page may go into the back/forward cache, be frozen or go away: close the connection cleanly
   * (a cached page's socket would be closed by the browser anyway, and an open one keeps the page out
   * of the cache) and keep everything queued; nothing is scheduled until `resume`.
   */
  function suspend(): void {
    if (suspended) return;
    suspended = true;
    retry.cancel();
    const old = release();
    state = CONNECTING;
    if (old) {
      old.close(1000, 'suspend');
      emit(closeEvent(1000, 'suspend', true));
    }
  }

  /** Fires what a native socket fires after close() while connecting: error, then close 1006. */
  function abandoned(): void {
    closing = undefined;
    state = CLOSED;
    emit(new Event('error'));
    emit(closeEvent(1006, '', false));
  }

  // Connect from a microtask, so that listeners added right after construction see `connecting`.
  queueMicrotask(() => gen === 0 && connect());

  return {
    state: () => state,
    ws: () => ws,
    href: () => href,
    rttMs: () => rtt,
    bufferedAmount: outbox.buffered,
    send(data) {
      if (stopped) throw domError('InvalidStateError', 'closed');
      return outbox.send(data);
    },
    offer: outbox.offer,
    drained: outbox.drained,
    close(code, reason) {
      if (stopped) return;
      stopped = true;
      suspended = false;
      unwatch?.();
      unwatch = undefined;
      retry.cancel();
      outbox.dispose();
      quiet();
      if (ws) {
        state = CLOSING;
        ws.close(code, reason); // its close event ends it, as a native socket's would
      } else if (state !== CLOSED) {
        // No connection yet (before the first attempt, waiting to retry, or a URL function pending):
        // as the native close() while connecting does, CLOSING now and the events from a later task.
        state = CLOSING;
        closing = clock.setTimeout(abandoned, 0);
      }
    },
    reconnect(code = 1000, reason) {
      if (closing !== undefined) {
        clock.clearTimeout(closing);
        abandoned(); // the close() before this one still gets its events, first
      }
      stopped = false;
      suspended = false;
      retry.reset();
      state = CONNECTING;
      const old = release();
      const my = gen;
      if (old) {
        old.close(code, reason); // checked by the caller: cannot throw
        emit(closeEvent(code, reason, true));
      }
      if (my === gen) void connect();
    },
  };
}
