import type { Clock } from './clock';
import type { DropEvent } from './events';

/** What a socket did so far: a read-only snapshot (`socket.stats`). Times in milliseconds. */
export interface SocketStats {
  /** Connections that opened. */
  readonly connectionsOpened: number;
  /** Connections and attempts that ended, by close code. */
  readonly closes: Readonly<Record<number, number>>;
  /** Retries scheduled. */
  readonly retries: number;
  /** The current attempt: 0 for a first one, n for the n-th retry since the last stable connection. */
  readonly attempt: number;
  /** When the next retry is due, on the socket's clock (`performance.now()` by default); `undefined` when none is. */
  readonly nextRetryAt: number | undefined;
  /** Total time with an open connection. */
  readonly connectedMs: number;
  /** Total time without one (connecting, waiting, closed), from construction. */
  readonly disconnectedMs: number;
  /** Messages and bytes (UTF-8 for text) handed to the browser, and received. */
  readonly messagesSent: number;
  readonly bytesSent: number;
  readonly messagesReceived: number;
  readonly bytesReceived: number;
  /** Messages dropped, by `drop` reason. */
  readonly drops: Readonly<Partial<Record<DropEvent['reason'], number>>>;
  /** The last heartbeat round trip. */
  readonly rttMs: number | undefined;
}

type Counters = { -readonly [K in keyof SocketStats]: SocketStats[K] } & { closes: Record<number, number>; drops: Record<string, number> };

/** The counters behind `socket.stats`, updated by the link and the outbox: a few additions per message. */
export function createStats(clock: Clock) {
  const c: Counters = {
    connectionsOpened: 0, closes: {}, retries: 0, attempt: 0, nextRetryAt: undefined, connectedMs: 0, disconnectedMs: 0,
    messagesSent: 0, bytesSent: 0, messagesReceived: 0, bytesReceived: 0, drops: {}, rttMs: undefined,
  };
  let since = clock.now();
  let open = false;
  /** Moves the time since the last change to the state it was spent in. */
  const spend = (nowOpen: boolean) => {
    const now = clock.now();
    c[open ? 'connectedMs' : 'disconnectedMs'] += now - since;
    since = now;
    open = nowOpen;
  };
  return {
    c,
    opened() {
      spend(true);
      c.connectionsOpened++;
    },
    closed(code: number) {
      spend(false);
      c.closes[code] = (c.closes[code] ?? 0) + 1;
    },
    sent(bytes: number) {
      c.messagesSent++;
      c.bytesSent += bytes;
    },
    received(bytes: number) {
      c.messagesReceived++;
      c.bytesReceived += bytes;
    },
    dropped(reason: string) {
      c.drops[reason] = (c.drops[reason] ?? 0) + 1;
    },
    /** A frozen copy, the time of the current state included. */
    snapshot(): SocketStats {
      spend(open);
      return Object.freeze({ ...c, closes: { ...c.closes }, drops: { ...c.drops } });
    },
  };
}

export type Stats = ReturnType<typeof createStats>;
