// The page-lifecycle page (e2e/tests/lifecycle.spec.ts): one SteadySocket to the URL in `?ws=`, and a record of
// what the page saw, kept in memory (a page restored from the back/forward cache keeps it) and reported to the
// test server (`POST /control/report`), because WebKitGTK's driver cannot evaluate in a restored page.
'use strict';
(() => {
  const params = new URLSearchParams(location.search);
  const t0 = performance.now();
  const id = Math.random().toString(36).slice(2); // which load of the page this is
  const now = () => Math.round(performance.now() - t0);
  const seen = [];
  const note = (type, fields = {}) => seen.push({ type, t: now(), ...fields });
  // A request in flight keeps Chromium from caching the page: the test leaves only once none is (`idle`).
  let inflight = 0;
  const report = () => {
    inflight++;
    return fetch('/control/report', { method: 'POST', body: JSON.stringify({ id, seen }) })
      .then((r) => r.text())
      .catch(() => {})
      .finally(() => inflight--);
  };
  const socket = new SteadySocket(params.get('ws'), undefined, {
    reconnect: { initialDelayMs: Number(params.get('delay') || 4000), jitter: 0 },
    heartbeat: params.has('heartbeat') ? { intervalMs: 60_000, timeoutMs: 10_000 } : undefined,
  });
  for (const type of ['connecting', 'open', 'close', 'error', 'reconnect'])
    socket.addEventListener(type, (e) => note(type, { code: e.code, reason: e.reason, attempt: e.attempt, readyState: socket.readyState }));
  let n = 0;
  const send = (label) => socket.send(`${label}-${++n}`);
  send('before');
  send('before');
  addEventListener('pagehide', (e) => {
    note('pagehide', { persisted: e.persisted, readyState: socket.readyState });
    send('in-pagehide');
    // A page that is not cached is gone after this: say so now (a beacon outlives the page).
    if (!e.persisted) navigator.sendBeacon('/control/report', JSON.stringify({ id, seen }));
  });
  addEventListener('pageshow', (e) => {
    note('pageshow', { persisted: e.persisted, readyState: socket.readyState });
    if (!e.persisted) return;
    const shownAt = performance.now();
    send('after-pageshow');
    socket.addEventListener('open', () => {
      note('reopened', { afterPageshowMs: Math.round(performance.now() - shownAt) });
      report();
    }, { once: true });
  });
  socket.addEventListener('open', () => report(), { once: true });
  self.lifecycle = { socket, seen, send, report, now, idle: () => inflight === 0 };
})();
