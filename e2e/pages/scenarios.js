// The SDK scenarios, run inside the browser: in an ES module page (bundled by Vite), a plain <script> page (IIFE
// build) and a dedicated Worker. A classic script on purpose, so all three can load it. Each scenario drives the
// socket (and the fault injector, through the harness's same-origin /control API) and returns what the page saw;
// the test then checks that against what the server recorded.
(function () {
  'use strict';
  const scope = self;

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const control = async (origin, path) => {
    let res;
    // The control API lives on the test server: during a server restart it is briefly down too.
    for (let tries = 0; !res; tries++) {
      try {
        res = await fetch(`${origin}/control/${path}`, { method: 'POST' });
      } catch (error) {
        if (tries > 50) throw error;
        await sleep(100);
      }
    }
    if (!res.ok) throw new Error(`control ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  /** Resolves with the first event of `type` that `test` accepts (or rejects after `ms`). */
  const next = (target, type, ms = 10_000, test = () => true) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { target.removeEventListener(type, on); reject(new Error(`no ${type} within ${ms} ms`)); }, ms);
    const on = (e) => { if (!test(e)) return; clearTimeout(timer); target.removeEventListener(type, on); resolve(e); };
    target.addEventListener(type, on);
  });
  const until = async (check, what, ms = 10_000) => {
    const end = performance.now() + ms;
    while (!check()) {
      if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(10);
    }
  };
  /** Every event the socket fires, summarised, with its time. */
  const record = (socket) => {
    const t0 = performance.now();
    const log = [];
    for (const type of ['connecting', 'open', 'error', 'close', 'reconnect', 'giveup', 'drop', 'heartbeat']) {
      socket.addEventListener(type, (e) => log.push({
        type, t: Math.round(performance.now() - t0), attempt: e.attempt, delayMs: e.delayMs, code: e.code,
        reason: typeof e.reason === 'string' ? e.reason : undefined, wasClean: e.wasClean, error: e.error && e.error.code,
        rttMs: e.rttMs,
      }));
    }
    return log;
  };
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  const toHex = async (data) => hex(data instanceof ArrayBuffer ? data : await data.arrayBuffer());

  const scenarios = {
    /** Messages sent before open arrive in order after open; the open listener's message goes first. */
    async preopen(SteadySocket, p) {
      const socket = new SteadySocket(p.wsUrl);
      const echoes = [];
      socket.addEventListener('message', (e) => echoes.push(e.data));
      socket.addEventListener('open', () => socket.send('from-open-listener'));
      const states = [socket.readyState];
      for (let i = 1; i <= 20; i++) socket.send(`early-${i}`);
      const queuedBytes = socket.bufferedAmount;
      await until(() => echoes.length === 21, '21 echoes');
      socket.close(1000, 'done');
      await next(socket, 'close');
      return { echoes, states, queuedBytes, finalState: socket.readyState };
    },

    /** A server restart in the middle of a stream: everything sent while down arrives once, in order. */
    async restart(SteadySocket, p) {
      const socket = new SteadySocket(p.wsUrl, undefined, { reconnect: { initialDelayMs: 100, maxDelayMs: 400 } });
      const log = record(socket);
      const echoes = [];
      socket.addEventListener('message', (e) => echoes.push(e.data));
      await next(socket, 'open');
      const sentWhileDown = [];
      let closed = false;
      socket.addEventListener('close', () => { closed = true; });
      for (let i = 1; i <= 150; i++) {
        if (i === 50) await control(p.origin, 'server/restart?downMs=800');
        const down = socket.readyState !== SteadySocket.OPEN;
        socket.send(`n${i}`);
        if (down && closed) sentWhileDown.push(`n${i}`);
        await sleep(10);
      }
      await until(() => echoes.includes('n150'), 'the last echo');
      socket.close();
      return { log, echoes, sentWhileDown };
    },

    /** Reset, then refused connections: the SDK's delays (default decorrelated jitter) stay within their bounds. */
    async backoff(SteadySocket, p) {
      const policy = { initialDelayMs: 100, maxDelayMs: 800 };
      const socket = new SteadySocket(p.wsUrl, undefined, { reconnect: policy });
      const log = record(socket);
      await next(socket, 'open');
      await control(p.origin, 'proxy/refuse?on=1');
      await control(p.origin, 'proxy/reset');
      await until(() => log.filter((e) => e.type === 'reconnect').length >= 7, '7 retries', 20_000);
      const opened = next(socket, 'open', 5000);
      await control(p.origin, 'proxy/refuse?on=0');
      await opened;
      socket.close();
      return { log, policy };
    },

    /** Handshakes rejected with 401 and 503 are retried (the browser reports them as 1006). */
    async rejected(SteadySocket, p) {
      await control(p.origin, 'server/reject?status=401&count=1');
      const socket = new SteadySocket(p.wsUrl, undefined, { reconnect: { initialDelayMs: 100 } });
      const log = record(socket);
      await next(socket, 'open');
      await control(p.origin, 'server/reject?status=503&count=1');
      const reopened = next(socket, 'open');
      await control(p.origin, 'server/terminate');
      await reopened;
      socket.close();
      return { log };
    },

    /** Server-initiated close codes under the default policy, or under `shouldReconnect` when `p.policy` names one. */
    async closeCode(SteadySocket, p) {
      const shouldReconnect = p.policy === 'invert' ? (e) => e.code === 1008 : undefined;
      const socket = new SteadySocket(p.wsUrl, undefined, { reconnect: { initialDelayMs: 100, maxDelayMs: 200 }, shouldReconnect });
      const log = record(socket);
      await next(socket, 'open');
      const closed = next(socket, 'close'); // listen first: the close may beat the control call's answer
      await control(p.origin, `server/close?code=${p.code}&reason=${encodeURIComponent(`bye ${p.code}`)}`);
      await closed;
      await sleep(600); // three max delays: a retry would have happened
      const state = socket.readyState;
      socket.close();
      return { log, state };
    },

    /** close() stops for good; reconnect() afterwards works. */
    async closeStops(SteadySocket, p) {
      const socket = new SteadySocket(p.wsUrl, undefined, { reconnect: { initialDelayMs: 100, maxDelayMs: 300 } });
      const log = record(socket);
      const echoes = [];
      socket.addEventListener('message', (e) => echoes.push(e.data));
      await next(socket, 'open');
      socket.send('before-close');
      await until(() => echoes.length === 1, 'the first echo');
      socket.close(4000, 'user logout');
      await next(socket, 'close');
      let threw = null;
      try { socket.send('after-close'); } catch (e) { threw = e.name; }
      await sleep(1500); // five max delays
      const stateAfterWait = socket.readyState;
      socket.reconnect();
      socket.send('after-reconnect');
      await until(() => echoes.length === 2, 'the second echo');
      socket.close();
      return { log, echoes, threw, stateAfterWait };
    },

    /** binaryType survives reconnects; binary and non-ASCII text round-trip byte-exact. */
    async binary(SteadySocket, p) {
      const socket = new SteadySocket(p.wsUrl, undefined, { reconnect: { initialDelayMs: 100 } });
      socket.binaryType = 'arraybuffer';
      const echoes = [];
      socket.addEventListener('message', (e) => echoes.push(e.data));
      const round = async () => {
        const start = echoes.length;
        const bytes = new Uint8Array(256).map((_, i) => i);
        socket.send(bytes.buffer.slice(0));
        socket.send(bytes.subarray(250, 256)); // a view into a larger buffer: only its 6 bytes go
        socket.send(new Uint16Array([0x0102, 0xfffe]));
        socket.send(new Blob([new Uint8Array([7, 8, 9])]));
        socket.send('héllo wörld ✓ 😀');
        await until(() => echoes.length === start + 5, 'five echoes');
        const got = echoes.slice(start);
        return {
          types: got.map((d) => (typeof d === 'string' ? 'string' : Object.prototype.toString.call(d))),
          hex: await Promise.all(got.slice(0, 4).map(toHex)),
          text: got[4],
        };
      };
      await next(socket, 'open');
      const first = await round();
      const reopened = next(socket, 'open');
      await control(p.origin, 'proxy/reset');
      await reopened;
      const second = await round();
      const binaryType = socket.binaryType;
      socket.close();
      return { first, second, binaryType };
    },

    /** connectTimeoutMs abandons a handshake held by the proxy; a later attempt connects. */
    async connectTimeout(SteadySocket, p) {
      await control(p.origin, 'proxy/delay?ms=1500');
      const socket = new SteadySocket(p.wsUrl, undefined, { connectTimeoutMs: 500, reconnect: { initialDelayMs: 100, maxDelayMs: 200 } });
      const log = record(socket);
      await next(socket, 'error', 5000, (e) => !!e.error);
      const opened = next(socket, 'open', 5000);
      await control(p.origin, 'proxy/delay?ms=0');
      await opened;
      socket.close();
      return { log };
    },

    /** An `online` event cuts a long backoff wait short. */
    async online(SteadySocket, p) {
      const socket = new SteadySocket(p.wsUrl, undefined, { reconnect: { initialDelayMs: 20_000, jitter: 0 } });
      const log = record(socket);
      await next(socket, 'open');
      const reconnecting = next(socket, 'reconnect');
      await control(p.origin, 'proxy/reset');
      const scheduled = await reconnecting;
      await sleep(200);
      const t0 = performance.now();
      scope.dispatchEvent(new Event('online'));
      await next(socket, 'open', 5000);
      const afterOnlineMs = performance.now() - t0;
      socket.close();
      return { log, scheduledDelayMs: scheduled.delayMs, afterOnlineMs };
    },
  };

  // Other scenario files (scenarios-flow.js, scenarios-json.js) add to the same registry with the same helpers.
  scope.scenarioKit = { sleep, control, next, until, record, hex, toHex };
  scope.steadyScenarios = Object.assign(scope.steadyScenarios || {}, scenarios);

  /** Runs scenario `name` with the SteadySocket class this page loaded. */
  scope.runScenario = async (SteadySocket, name, params) => {
    const run = scope.steadyScenarios[name];
    if (!run) throw new Error(`no scenario ${name}`);
    return run(SteadySocket, params);
  };
})();
