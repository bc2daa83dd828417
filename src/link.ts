import { byteLength } from './bytes';
import { systemClock } from './clock';
import { closeEvent, retryUnlessFatal } from './close';
import { DEFAULTS, withDefaults } from './defaults';
import { createEndpoints } from './endpoints';
import { domError, SteadySocketError, type SteadySocketErrorCode } from './errors';
import { makeEvent, type ConnectingEvent, type ReconnectEvent, type SocketErrorEvent } from './events';
import { startHeartbeat, type Heartbeat } from './heartbeat';
import type { ProtocolsProvider, SteadySocketOptions, UrlProvider, WebSocketConstructor, WebSocketLike } from './options';
import { createOutbox, DIRECT, HELD, NONE, READY } from './outbox';
import { pageLifecycle, watchLifecycle } from './lifecycle';
import { pageReactions } from './page';
import { createRetry } from './retry';
import { CLOSED, CLOSING, CONNECTING, OPEN } from './state';
import { createStats } from './stats';
import type { Link } from './link-api';

export { LINK, type Link, type LinkFactory } from './link-api';

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
  const report = (code: SteadySocketErrorCode, cause?: unknown) =>
    emit(makeEvent<SocketErrorEvent>('error', { error: new SteadySocketError(code, cause) }));
  const stats = createStats(clock);
  const endpoints = createEndpoints();
  const outbox = createOutbox(options.queue !== false && withDefaults(DEFAULTS.queue, options.queue), high, low, clock, emit, stats);
  const retry = createRetry(
    options.reconnect !== false && withDefaults(DEFAULTS.reconnect, options.reconnect), shouldReconnect, clock, random,
    () => void connect(), (cause) => report('RETRY_HINT', cause),
  );
  let ws: WebSocketLike | undefined;
  let state = CONNECTING;
  let stopped = false;
  let probing = false; // a wake-up probe is out: the app's sends wait until the connection proves alive
  let unwatch: (() => void) | undefined; // the lifecycle sources, from the first attempt until close()
  let gen = 0;
  let attemptTimer: unknown;
  let closing: unknown; // the deferred close events of a close() that had no native socket to close
  let heartbeat: Heartbeat | undefined;
  let opened = false; // this attempt opened: its endpoint works
  let ready: [() => void, (reason: unknown) => void][] = []; // ready() waiting for the next `ready`

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
    opened = false;
    unwatch ??= watchLifecycle(lifecycle, page);
    emit(makeEvent<ConnectingEvent>('connecting', { attempt: (stats.c.attempt = retry.attempt()), endpoint: endpoints.index() }));
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
      const next = endpoints.pick(typeof url === 'function' ? await url() : url);
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
    socket.onopen = () => open(socket, my);
    socket.onmessage = (e) => {
      if (ws !== socket) return;
      // Read once: every `e.data` is a call into the browser's event object, a cost per message.
      const data = e.data;
      stats.received(typeof data === 'string' ? byteLength(data) : data.byteLength ?? data.size);
      if (probing) {
        // Alive after all: what waited during the probe goes out now.
        probing = false;
        outbox.hold(false);
        outbox.pump();
      }
      if (!heartbeat?.seen(data)) emit(new MessageEvent('message', { data, origin: e.origin }));
    };
    socket.onerror = () => ws === socket && emit(new Event('error'));
    socket.onclose = (e) => ws === socket && closed(closeEvent(e.code, e.reason, e.wasClean));
  }

  async function open(socket: WebSocketLike, my: number): Promise<void> {
    if (my !== gen) return;
    retry.opened();
    endpoints.opened();
    stats.opened();
    opened = true;
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
        (rttMs) => emit(makeEvent('heartbeat', { rttMs: (stats.c.rttMs = rttMs) })));
    }
    outbox.phase(socket, READY);
    settle(0);
    emit(new Event('ready'));
    if (my === gen) outbox.pump();
  }

  /** Resolves (`reason` 0) or rejects the `ready()` promises waiting. */
  function settle(reason: unknown): void {
    const waiting = ready;
    ready = [];
    for (const [resolve, reject] of waiting) reason ? reject(reason) : resolve();
  }

  /** Abandons the current attempt or connection after a failure the native socket did not report. */
  function fail(code: SteadySocketErrorCode, cause?: unknown): void {
    // close() without arguments never throws, in any state (Node's `ws` reports an early close as 'error', ignored).
    release()?.close();
    const my = gen;
    report(code, cause);
    if (my === gen) closed(closeEvent(1006, '', false));
  }

  function closed(event: CloseEvent): void {
    release();
    stats.closed(event.code);
    const my = gen;
    // An attempt that never opened moves on to the next endpoint; the backoff waits for a whole round to fail.
    const next = stopped ? undefined : retry.after(event, !opened && !endpoints.failed());
    if (next?.type === 'reconnect') {
      state = CONNECTING;
      stats.c.retries++;
      stats.c.nextRetryAt = clock.now() + (next as ReconnectEvent).delayMs;
    } else {
      state = CLOSED;
      if (next) settle(domError('InvalidStateError', 'gave up'));
    }
    emit(event);
    if (next && my === gen) emit(next);
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
  function park(): void {
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

  const page = pageReactions({ stopped: () => stopped, retry, park, probe, connect: () => void connect() });

  // Connect from a microtask, so that listeners added right after construction see `connecting`.
  queueMicrotask(() => gen === 0 && connect());

  return {
    state: () => state,
    ws: () => ws,
    href: () => href,
    rttMs: () => stats.c.rttMs,
    bufferedAmount: outbox.buffered,
    stats: stats.snapshot,
    send(data, options) {
      if (stopped) throw domError('InvalidStateError', 'closed');
      return outbox.send(data, options);
    },
    offer: outbox.offer,
    drained: outbox.drained,
    ready: () => new Promise<void>((resolve, reject) => {
      if (stopped) reject(domError('InvalidStateError', 'closed'));
      else if (state === OPEN && outbox.isReady()) resolve();
      else ready.push([resolve, reject]);
    }),
    close(code, reason) {
      if (stopped) return;
      stopped = true;
      page.reset();
      unwatch?.();
      unwatch = undefined;
      retry.cancel();
      outbox.dispose();
      settle(domError('InvalidStateError', 'closed'));
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
      page.reset();
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
