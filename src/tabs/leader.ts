import type { SendData } from '../bytes';
import { LINK } from '../link';
import type { LifecycleSource } from '../lifecycle';
import { OFFER, type Offering } from '../offer';
import type { ProtocolsProvider, SteadySocketOptions, UrlProvider } from '../options';
import { SteadySocket } from '../socket';
import { CONNECTING } from '../state';
import { toWire, type Snapshot, type TabMessage } from './wire';

/** The events of the real socket that every tab sees. */
const MIRRORED = ['connecting', 'open', 'ready', 'close', 'error', 'reconnect', 'giveup', 'heartbeat'];

/** The leader's half of a shared connection: the real socket, and the other tabs' sends waiting to go out. */
export interface Leader {
  readonly socket: SteadySocket;
  /** A follower's send number `n`: sent once the connection takes it, then confirmed to that tab. */
  take(tab: string, n: number, data: SendData): void;
  snapshot(): Snapshot;
  /** Ends the connection. `others`: other tabs remain, so they see it as a close to be followed by a new connection. */
  close(others: boolean, code?: number, reason?: string): void;
}

/**
 * Runs the real `SteadySocket` for every tab: each of its events and messages goes to `publish` (all the tabs,
 * this one included), and the other tabs' sends are handed to it in arrival order through its now-or-never send,
 * each confirmed once it is with the browser, so that a tab can forget it.
 */
export function lead(
  url: UrlProvider,
  protocols: ProtocolsProvider | undefined,
  options: SteadySocketOptions,
  lifecycle: readonly LifecycleSource[],
  publish: (message: TabMessage) => void,
): Leader {
  // Suspending is the shared layer's to decide (it hands leadership over); wake-ups and the network go to the socket.
  const forward = lifecycle.map((source): LifecycleSource => (signal) => source((kind) => kind !== 'suspend' && kind !== 'resume' && signal(kind)));
  const socket = new SteadySocket(url, protocols, { ...options, [LINK]: undefined, lifecycle: forward } as SteadySocketOptions);
  socket.binaryType = 'arraybuffer'; // each tab turns it into its own binaryType
  const waiting: { t: string; n: number; d: SendData }[] = [];
  let muted = false; // handed over: what the old connection still does concerns no tab

  const snapshot = (): Snapshot => ({
    state: socket.readyState, url: socket.url, protocol: socket.protocol, extensions: socket.extensions, rtt: socket.rttMs,
  });
  const tell = (message: TabMessage) => !muted && publish(message);

  const pump = () => {
    const done = new Map<string, number>();
    while (waiting.length && (socket as unknown as Offering)[OFFER](waiting[0]!.d)) {
      const { t, n } = waiting.shift()!;
      done.set(t, n);
    }
    for (const [t, n] of done) tell({ k: 'a', t, n });
  };

  for (const type of MIRRORED) socket.addEventListener(type, (event) => tell({ k: 'e', e: toWire(event), s: snapshot() }));
  socket.addEventListener('message', (event) => tell({ k: 'm', d: event.data }));
  socket.addEventListener('ready', pump);
  socket.addEventListener('drain', pump);

  return {
    socket,
    take(t, n, d) {
      waiting.push({ t, n, d });
      pump();
    },
    snapshot,
    close(others, code, reason) {
      if (others) {
        // The other tabs see this connection end now, and the next leader's connection follow; not the closing handshake.
        tell({ k: 'e', e: { type: 'close', code: code ?? 1005, reason, wasClean: true }, s: { ...snapshot(), state: CONNECTING } });
        muted = true;
      }
      socket.close(code, reason);
    },
  };
}
