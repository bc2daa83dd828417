// The in-page half of `npm run bench:react`: one small React app per library, each with that library's documented
// usage for receiving messages, every message appended to a history in React state, the last one rendered. Bundled
// with React's production build by bench/react.mjs. `?lib=` picks the library, `?ws=` the server; `self.bench`
// reports handler calls, renders and the time from the first message to the render that shows the last one.
import { createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import useWebSocketExport from 'react-use-websocket';
import { useWebSocket as usePartyWebSocket } from 'partysocket/react';
import { useSocketEvent, useSocketState, useSteadySocket } from '../dist/react.js';

// react-use-websocket ships CommonJS: bundled from an ES module, its default import is the exports object.
const useWebSocket = typeof useWebSocketExport === 'function' ? useWebSocketExport : useWebSocketExport.default;
const params = new URLSearchParams(location.search);
const url = params.get('ws');
const expected = Number(params.get('n'));
const stats = { open: false, handlerCalls: 0, renders: 0, history: 0, firstMs: 0, lastCallMs: 0, lastMs: 0, activityMs: 0 };
const seen = () => {
  const now = performance.now();
  if (!stats.handlerCalls++) stats.firstMs = now;
  stats.activityMs = stats.lastCallMs = now;
};

/** Renders the history's size and last message; records when the last message is on screen. */
function View({ history, open }) {
  stats.renders++;
  stats.open = open;
  useEffect(() => {
    stats.history = history.length;
    stats.activityMs = performance.now();
    if (history.length === expected) stats.lastMs = stats.activityMs;
  }, [history]);
  return h('p', null, `${history.length} messages, last: ${history.at(-1) ?? '-'}`);
}

/** steadysocket/react: a handler per message (useSocketEvent) that appends to state. */
function Steady() {
  const [history, setHistory] = useState([]);
  const socket = useSteadySocket(url);
  const { readyState } = useSocketState(socket);
  useSocketEvent(socket, 'message', (event) => {
    seen();
    setHistory((prev) => prev.concat(event.data));
  });
  return h(View, { history, open: readyState === 1 });
}

/** react-use-websocket's README: `lastMessage`, appended to a history in an effect. */
function ReactUseWebSocket() {
  const [history, setHistory] = useState([]);
  const { lastMessage, readyState } = useWebSocket(url);
  useEffect(() => {
    if (lastMessage !== null) {
      seen();
      setHistory((prev) => prev.concat(lastMessage.data));
    }
  }, [lastMessage]);
  return h(View, { history, open: readyState === 1 });
}

/** partysocket/react's README: `onMessage` in the hook's options, appending to state. */
function PartySocket() {
  const [history, setHistory] = useState([]);
  const [open, setOpen] = useState(false);
  usePartyWebSocket(url, undefined, {
    onOpen: () => setOpen(true),
    onMessage: (event) => {
      seen();
      setHistory((prev) => prev.concat(event.data));
    },
  });
  return h(View, { history, open });
}

const App = { steadysocket: Steady, 'react-use-websocket': ReactUseWebSocket, 'partysocket/react': PartySocket }[params.get('lib')];
createRoot(document.getElementById('root')).render(h(App));
self.bench = () => ({ ...stats, callsMs: stats.lastCallMs - stats.firstMs, elapsedMs: stats.lastMs ? stats.lastMs - stats.firstMs : null, nowMs: performance.now() });
