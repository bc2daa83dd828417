// One "tab" of a shared connection, for e2e/tests/tabs.spec.ts: a SharedSteadySocket (and a JsonChannel on it) that
// records what it sees. Runs in an iframe (tab.html) or in a dedicated Worker (tab-worker.ts); the test drives it
// from the host page through `self.tab` (or postMessage, for a Worker).
import { JsonChannel } from 'steadysocket/json';
import { SharedSteadySocket } from 'steadysocket/tabs';

export interface StartParams {
  wsUrl: string;
  name?: string;
  /** Remove Web Locks first: the fallback path, a socket per tab. */
  noLocks?: boolean;
  json?: boolean;
}

export function createAgent() {
  let socket: SharedSteadySocket | undefined;
  let channel: JsonChannel | undefined;
  const messages: string[] = [];
  const events: { type: string; t: number; code?: number; leader?: boolean }[] = [];
  const acked: string[] = [];
  return {
    start(p: StartParams) {
      if (p.noLocks) Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
      socket = new SharedSteadySocket(p.wsUrl, undefined, { name: p.name, reconnect: { initialDelayMs: 4000 } });
      for (const type of ['open', 'close', 'connecting', 'leader', 'error'])
        socket.addEventListener(type, (e: any) => events.push({ type, t: performance.now(), code: e.code, leader: e.leader }));
      socket.addEventListener('message', (e) => messages.push(String(e.data)));
      if (p.json) channel = new JsonChannel(socket);
    },
    /** Sends `prefix-1` … `prefix-count`, as plain messages or acknowledged JSON ones. */
    send(prefix: string, count: number, json = false) {
      for (let i = 1; i <= count; i++) {
        if (!json) socket!.send(`${prefix}-${i}`);
        else void channel!.send('note', `${prefix}-${i}`, { ack: true }).then(() => acked.push(`${prefix}-${i}`), () => {});
      }
    },
    /** ms from send() to the echo of `label` coming back (the server must echo it, as the harness's /echo does). */
    roundTrip: (label: string) => new Promise<number>((resolve) => {
      const t0 = performance.now();
      const back = (e: MessageEvent) => {
        if (e.data !== label) return;
        socket!.removeEventListener('message', back);
        resolve(performance.now() - t0);
      };
      socket!.addEventListener('message', back);
      socket!.send(label);
    }),
    state: () => ({ readyState: socket?.readyState, leader: socket?.leader, buffered: socket?.bufferedAmount, messages, events, acked }),
    close: (code?: number, reason?: string) => socket?.close(code, reason),
  };
}
