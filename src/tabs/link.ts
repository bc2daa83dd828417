import { byteLength, type SendData } from '../bytes';
import { closeEvent } from '../close';
import { DEFAULTS, withDefaults } from '../defaults';
import { domError, SteadySocketError } from '../errors';
import { makeEvent, type DropEvent, type SocketErrorEvent } from '../events';
import { pageLifecycle } from '../lifecycle';
import type { Link } from '../link';
import type { ProtocolsProvider, UrlProvider, WebSocketLike } from '../options';
import { systemClock } from '../clock';
import { CLOSED, CLOSING, CONNECTING, OPEN } from '../state';
import { createStats } from '../stats';
import { lead, type Leader } from './leader';
import type { SharedSteadySocketOptions } from './options';
import { checkTabMessage, fromWire, type Snapshot, type TabMessage } from './wire';

type Locks = {
  request(name: string, options: { signal: AbortSignal }, grant: () => Promise<void>): Promise<unknown>;
  query(): Promise<{ pending?: { name?: string }[] }>;
};

/**
 * The link of a `SharedSteadySocket`: one tab (or worker) per name holds a Web Lock and runs the real socket (the
 * leader, see `lead`); the others follow over a `BroadcastChannel`. Every tab sees every event and message of the
 * shared connection; a follower keeps each of its sends until the leader confirms it is with the browser, and sends
 * what is unconfirmed again to a new leader. Without Web Locks or `BroadcastChannel` the tab leads alone.
 */
export function createSharedLink(
  target: EventTarget & { readonly binaryType: BinaryType },
  url: UrlProvider,
  protocols: ProtocolsProvider | undefined,
  href: string,
  options: SharedSteadySocketOptions = {},
): Link {
  const name = options.name ?? (typeof url === 'function' || typeof protocols === 'function' ? undefined : `${href} ${[protocols ?? []].flat()}`);
  if (!name) throw new TypeError('options.name is required with a URL or protocols function');
  const key = `steadysocket:${name}`;
  const tab = Math.random().toString(36).slice(2);
  const high = options.highWaterMark ?? DEFAULTS.highWaterMark;
  const low = Math.min(high, options.lowWaterMark ?? high * (DEFAULTS.lowWaterMark / DEFAULTS.highWaterMark));
  const { maxMessages, maxBytes, overflow } = withDefaults(DEFAULTS.queue, options.queue || undefined);
  const lifecycle = options.lifecycle ?? [pageLifecycle];
  const scope = globalThis as { navigator?: { locks?: Locks }; BroadcastChannel?: unknown };
  const locks = scope.BroadcastChannel ? scope.navigator?.locks : undefined;
  const emit = (event: Event) => target.dispatchEvent(event);
  const counts = createStats(options.clock ?? systemClock); // a follower's own view; a leader's socket has the real one
  /** A follower's drop: reported, and counted in its `stats`. */
  const drop = (data: SendData, reason: DropEvent['reason']) => {
    counts.dropped(reason);
    emit(makeEvent<DropEvent>('drop', { data, reason }));
  };
  // What this tab sent that the leader has not confirmed, oldest first: [number, data, bytes].
  let unconfirmed: [number, SendData, number][] = [];
  let bytes = 0;
  let snap: Snapshot = { state: CONNECTING, url: href, protocol: '', extensions: '' };
  let leader: Leader | undefined;
  let leaderTab: string | undefined;
  let channel: BroadcastChannel | undefined;
  let release: (() => void) | undefined; // gives the lock back
  let abort: AbortController | undefined;
  let seq = 0;
  let overHigh = false;
  let waiters: [() => void, (reason: unknown) => void][] = [];
  let local = 0; // this tab's own state once it called close(): CLOSING, then CLOSED
  let suspended = false;

  const post = (message: TabMessage) => channel?.postMessage(message);
  const repost = () => unconfirmed.forEach(([n, d]) => post({ k: 'o', t: tab, n, d }));

  function apply(message: TabMessage, fromSelf = false): void {
    if (local === CLOSED || suspended) return;
    if (local === CLOSING) {
      // Only this tab's own connection, closing because this tab asked, still has something to say: its close.
      if (fromSelf && message.k === 'e' && message.e.type === 'close') {
        local = CLOSED;
        emit(fromWire(message.e));
      }
      return;
    }
    switch (message.k) {
      case 'e': {
        const joined = snap.state !== OPEN && message.s.state === OPEN && message.e.type !== 'open';
        snap = message.s;
        if (message.e.type === 'open') counts.opened();
        if (message.e.type === 'close') counts.closed(message.e.code!);
        emit(fromWire(message.e));
        if (joined) emit(new Event('open'));
        return;
      }
      case 'm': {
        const data = message.d;
        counts.received(typeof data === 'string' ? byteLength(data) : data.byteLength);
        emit(new MessageEvent('message', { data: typeof data !== 'string' && target.binaryType === 'blob' ? new Blob([data]) : data }));
        return;
      }
      case 'a':
        if (message.t === tab) confirm(message.n);
        return;
      case 'l': {
        const joined = snap.state !== OPEN && message.s.state === OPEN;
        snap = message.s;
        if (joined) {
          emit(new Event('open'));
          emit(new Event('ready'));
        }
        // A new leader does not have what the previous one took but did not confirm: all of it goes to it again.
        if (message.t !== leaderTab && message.t !== tab) repost();
        leaderTab = message.t;
        return;
      }
      case 'h':
        if (leader) publish({ k: 'l', t: tab, s: leader.snapshot() });
        return;
      case 'o':
        leader?.take(message.t, message.n, message.d);
        return;
      case 'r':
        leader?.socket.reconnect(message.c, message.r);
    }
  }

  /** From the leader: to the other tabs, and to this one. */
  function publish(message: TabMessage): void {
    post(message);
    apply(message, true);
  }

  function confirm(n: number): void {
    let i = 0;
    while (i < unconfirmed.length && unconfirmed[i]![0] <= n) bytes -= unconfirmed[i++]![2];
    if (i) unconfirmed = unconfirmed.slice(i);
    if (bytes > low) return;
    if (overHigh) {
      overHigh = false;
      emit(new Event('drain'));
    }
    const ready = waiters;
    waiters = [];
    for (const [resolve] of ready) resolve();
  }

  function becomeLeader(): void {
    if (local || suspended) return release?.();
    const lost = snap.state === OPEN; // the previous leader went away without closing: its connection is gone
    leader = lead(url, protocols, options, lifecycle, publish);
    leaderTab = tab;
    emit(makeEvent('leader', { leader: true }));
    if (lost) publish({ k: 'e', e: { type: 'close', code: 1006, reason: '', wasClean: false }, s: { ...snap, state: CONNECTING } });
    publish({ k: 'l', t: tab, s: leader.snapshot() });
    // What this tab sent as a follower and nobody confirmed goes out through its own connection now.
    for (const [n, d] of unconfirmed) leader.take(tab, n, d);
  }

  function join(): void {
    if (!unwatch.length) unwatch = lifecycle.map((source) => source(onLifecycle));
    if (!locks) return becomeLeader(); // no Web Locks or BroadcastChannel (Node, old browsers): a socket of its own
    channel = new BroadcastChannel(key);
    channel.onmessage = (event) => {
      const message = checkTabMessage(event.data);
      if (message) apply(message);
      else emit(makeEvent<SocketErrorEvent>('error', { error: new SteadySocketError('TAB_MESSAGE', event.data) }));
    };
    post({ k: 'h', t: tab });
    abort = new AbortController();
    const granted = () => new Promise<void>((resolve) => {
      release = resolve;
      becomeLeader();
    });
    locks.request(key, { signal: abort.signal }, granted).catch(() => {});
  }

  /** Leaves the shared connection: hands leadership over (or, as the last tab, closes the connection). */
  async function leave(code?: number, reason?: string): Promise<void> {
    abort?.abort();
    const mine = leader;
    leader = undefined;
    leaderTab = undefined;
    if (mine) {
      // Tabs waiting for the lock remain: the connection moves to the next of them. Otherwise this tab was the last.
      const pending = (await locks?.query())?.pending ?? [];
      emit(makeEvent('leader', { leader: false }));
      mine.close(pending.some((lock) => lock.name === key), code, reason);
    }
    release?.();
    release = undefined;
    channel?.close();
    channel = undefined;
  }

  const onLifecycle = (kind: string) => {
    if (local) return;
    if (kind === 'suspend' && !suspended) {
      void leave(1000, 'suspend');
      suspended = true;
      snap = { ...snap, state: CONNECTING };
      emit(closeEvent(1000, 'suspend', true));
    } else if (kind === 'resume' && suspended) {
      suspended = false;
      join();
    }
  };
  let unwatch: (() => void)[] = [];

  // As a SteadySocket connects: from a microtask, so that listeners added right after construction see it all.
  queueMicrotask(() => !local && join());
  Object.defineProperty(target, 'leader', { get: () => !!leader });

  return {
    state: () => local || snap.state,
    ws: () => snap as unknown as WebSocketLike,
    href: () => snap.url,
    rttMs: () => snap.rtt,
    bufferedAmount: () => (leader ? leader.socket.bufferedAmount : bytes),
    stats: () => (leader ? leader.socket.stats : { ...counts.snapshot(), rttMs: snap.rtt }),
    ready: () => new Promise<void>((resolve, reject) => {
      if (local) return reject(domError('InvalidStateError', 'closed'));
      if (snap.state === OPEN) return resolve();
      const done = (event: Event) => {
        const ready = event.type === 'ready';
        if (!ready && !local && snap.state !== CLOSED) return; // a close with a retry to follow: wait on
        target.removeEventListener('ready', done);
        target.removeEventListener('close', done);
        if (ready) resolve();
        else reject(domError('InvalidStateError', 'closed'));
      };
      target.addEventListener('ready', done);
      target.addEventListener('close', done);
    }),
    send(data, options) {
      if (local) throw domError('InvalidStateError', 'closed');
      if (leader) return leader.socket.send(data, options);
      const size = byteLength(data);
      // A follower's volatile send goes only to an open connection. (`ttlMs` is not applied to a follower's sends.)
      if (options?.volatile && snap.state !== OPEN) {
        drop(data, 'volatile');
        return bytes < high;
      }
      if (unconfirmed.length >= maxMessages || bytes + size > maxBytes) {
        // Full: the new message is the one that goes (the ones before it may already be on their way).
        drop(data, 'overflow');
        if (overflow === 'error') throw new SteadySocketError('QUEUE_FULL');
        return false;
      }
      unconfirmed.push([++seq, data, size]);
      bytes += size;
      post({ k: 'o', t: tab, n: seq, d: data });
      counts.sent(size);
      if (bytes < high) return true;
      overHigh = true;
      return false;
    },
    drained: () => (leader ? leader.socket.drained() : new Promise<void>((resolve, reject) => {
      waiters.push([resolve, reject]);
      confirm(-1);
    })),
    close(code, reason) {
      if (local) return;
      const led = !!leader;
      local = CLOSING;
      unwatch.forEach((stop) => stop());
      unwatch = [];
      for (const [, data] of unconfirmed) drop(data, 'closed');
      unconfirmed = [];
      bytes = 0;
      const stranded = waiters;
      waiters = [];
      for (const [, reject] of stranded) reject(domError('InvalidStateError', 'closed'));
      void leave(code, reason);
      if (!led) {
        // A follower's connection is the leader's: for this tab it ends here, a task later, as a native close would.
        setTimeout(() => {
          local = CLOSED;
          emit(closeEvent(code ?? 1005, reason, true));
        });
      }
    },
    reconnect(code, reason) {
      if (local !== CLOSED) return publish({ k: 'r', c: code, r: reason });
      local = 0;
      join();
    },
  };
}
