// A React 19 app on steadysocket/react, rendered in <StrictMode> with React's development build (e2e/vite.config.ts
// defines NODE_ENV as development for it), so the double mount happens. Driven by e2e/tests/react.spec.ts through
// `self.app`: it renders feeds (components that own or share a socket), records what each handler received, and
// reports what is still running.
import { running } from './react-probe';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { useSocketEvent, useSocketState, useSteadySocket } from 'steadysocket/react';

/** A component with a socket: `url` (its own), `share` (shared by name), `hello` (sent once the socket exists). */
type FeedProps = { id: string; url: string; share?: string; hello?: string };

const received: Record<string, string[]> = {};
const states: Record<string, number> = {};
const renders: Record<string, number> = {};
const helloSentIn: Record<string, number> = {};
let mounts = 0;

function Feed({ id, url, share, hello }: FeedProps) {
  const socket = useSteadySocket(url, undefined, { share, reconnect: { initialDelayMs: 100 } });
  const { readyState } = useSocketState(socket);
  useSocketEvent(socket, 'message', (event) => (received[id] ??= []).push(String(event.data)));
  useEffect(() => {
    mounts++;
  }, []);
  useEffect(() => {
    if (!socket || !hello) return;
    helloSentIn[id] = socket.readyState;
    socket.send(hello);
  }, [socket, hello, id]);
  states[id] = socket ? readyState : -1;
  renders[id] = (renders[id] ?? 0) + 1;
  return <p data-id={id}>{id}: {readyState}</p>;
}

const root = createRoot(document.getElementById('root')!);
const show = (feeds: FeedProps[]) => root.render(<StrictMode>{feeds.map((feed) => <Feed key={feed.id} {...feed} />)}</StrictMode>);
show([]);

(self as unknown as { app: unknown }).app = {
  show,
  report: () => ({ received, states, renders, helloSentIn, mounts, now: running() }),
};
