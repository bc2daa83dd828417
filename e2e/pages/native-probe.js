// window.probe: drives the browser's own WebSocket for e2e/tests/harness.spec.ts (via page.evaluate) and records
// every event with its time since the socket was constructed, so the test can read what this engine reported.
// Plain script, no build step: it must run unchanged in Chromium, Firefox and WebKitGTK.
'use strict';
(() => {
  /** @type {Map<number, { ws: WebSocket, t0: number, events: object[], listeners: Set<(ev: object) => void> }>} */
  const sockets = new Map();
  let nextId = 1;

  /** @param {string | ArrayBuffer} data */
  function describe(data) {
    if (typeof data === 'string') return { kind: 'text', text: data };
    const bytes = new Uint8Array(data);
    return { kind: 'binary', bytes: bytes.length, head: Array.from(bytes.subarray(0, 64)) };
  }

  /** @param {number} id */
  function get(id) {
    const rec = sockets.get(id);
    if (!rec) throw new Error(`probe: no socket ${id}`);
    return rec;
  }

  /** Message `index` of a flood: 4-byte big-endian index, then (index * 31 + j * 7) & 255. Same as in the tests. */
  function patterned(index, size) {
    const bytes = new Uint8Array(size);
    for (let j = 0; j < size; j++) bytes[j] = (index * 31 + j * 7) & 255;
    new DataView(bytes.buffer).setUint32(0, index);
    return bytes;
  }

  const probe = {
    /** Construct a WebSocket; returns its id. */
    open(url, binaryType = 'arraybuffer') {
      const id = nextId++;
      const t0 = performance.now();
      const ws = new WebSocket(url);
      ws.binaryType = binaryType;
      const rec = { ws, t0, events: [], listeners: new Set() };
      const push = (ev) => {
        const event = { ...ev, t: performance.now() - t0 };
        rec.events.push(event);
        for (const listener of [...rec.listeners]) listener(event);
      };
      ws.onopen = () => push({ type: 'open' });
      ws.onerror = () => push({ type: 'error', readyState: ws.readyState });
      ws.onclose = (e) => push({ type: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
      ws.onmessage = (e) => push({ type: 'message', ...describe(e.data) });
      sockets.set(id, rec);
      return id;
    },

    events(id) {
      return get(id).events;
    },

    /** First event of `type` (already seen or coming), or null after `timeoutMs`. */
    waitFor(id, type, timeoutMs = 10000) {
      return probe.waitForCount(id, type, 1, timeoutMs).then((events) => (events ? events[0] : null));
    },

    /** The first `count` events of `type`, or null after `timeoutMs`. */
    waitForCount(id, type, count, timeoutMs = 10000) {
      const rec = get(id);
      const matching = () => rec.events.filter((e) => e.type === type);
      return new Promise((resolve) => {
        if (matching().length >= count) return resolve(matching().slice(0, count));
        const timer = setTimeout(() => done(null), timeoutMs);
        const listener = () => matching().length >= count && done(matching().slice(0, count));
        const done = (value) => {
          clearTimeout(timer);
          rec.listeners.delete(listener);
          resolve(value);
        };
        rec.listeners.add(listener);
      });
    },

    state(id) {
      const { ws } = get(id);
      return { readyState: ws.readyState, bufferedAmount: ws.bufferedAmount, protocol: ws.protocol, extensions: ws.extensions };
    },

    /** Send text; returns bufferedAmount right after. */
    send(id, text) {
      const { ws } = get(id);
      ws.send(text);
      return ws.bufferedAmount;
    },

    /** Send bytes (array of numbers) as one binary message; returns bufferedAmount right after. */
    sendBytes(id, bytes) {
      const { ws } = get(id);
      ws.send(new Uint8Array(bytes));
      return ws.bufferedAmount;
    },

    close(id, code, reason) {
      get(id).ws.close(code, reason);
    },

    /** Send `count` patterned binary messages of `size` bytes in one go (no await in between). */
    flood(id, count, size) {
      const { ws } = get(id);
      for (let i = 0; i < count; i++) ws.send(patterned(i, size));
      return ws.bufferedAmount;
    },

    /** bufferedAmount every `everyMs` for `forMs`. */
    sampleBuffered(id, forMs, everyMs = 50) {
      const { ws, t0 } = get(id);
      const samples = [];
      const end = performance.now() + forMs;
      return new Promise((resolve) => {
        const tick = () => {
          samples.push({ t: performance.now() - t0, bufferedAmount: ws.bufferedAmount });
          if (performance.now() >= end) resolve(samples);
          else setTimeout(tick, everyMs);
        };
        tick();
      });
    },

    /** Control API of the harness that served this page (same origin). */
    async control(path, method = 'POST') {
      const res = await fetch(path, { method });
      return res.json();
    },
  };

  window.probe = probe;
})();
