// JSON layer scenarios (steadysocket/json); the ES module page provides `self.JsonChannel`.
(function () {
  'use strict';
  const { sleep, control, next, until } = self.scenarioKit;

  /** A small seeded generator, so a failing run can be replayed with the same fault points. */
  const prng = (seed) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

  const channelFor = (SteadySocket, p, options) => {
    const socket = new SteadySocket(p.wsUrl, undefined, { reconnect: { initialDelayMs: 50, maxDelayMs: 300 } });
    return { socket, channel: new self.JsonChannel(socket, options) };
  };

  Object.assign(self.steadyScenarios, {
    /** p.count acknowledged messages while the link is reset p.resets times and the server restarts once. */
    async ackedStream(SteadySocket, p) {
      const { socket, channel } = channelFor(SteadySocket, p, { maxUnacked: p.count });
      const random = prng(p.seed);
      const faultAt = new Set();
      while (faultAt.size < p.resets + 1) faultAt.add(50 + Math.floor(random() * (p.count - 100)));
      const [restartAt] = [...faultAt];
      const pending = [];
      let resolved = 0;
      for (let i = 0; i < p.count; i++) {
        pending.push(channel.send('item', { i }, { ack: true }).then(() => resolved++));
        if (faultAt.has(i)) {
          // Fault a live connection each time (a reset while already down would change nothing).
          if (socket.readyState !== SteadySocket.OPEN) await next(socket, 'open');
          const closed = next(socket, 'close');
          await control(p.origin, i === restartAt ? 'server/restart?downMs=300' : 'proxy/reset');
          await closed;
        }
        if (i % 10 === 0) await sleep(5);
      }
      const outcomes = await Promise.allSettled(pending);
      const rejected = outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason));
      const opens = channel.pendingCount;
      channel.dispose();
      socket.close();
      return { resolved, rejected, faults: [...faultAt], restartAt, pendingAfter: opens };
    },

    /** p.count concurrent requests across a connection reset all resolve with the right answers. */
    async requestsAcrossReconnect(SteadySocket, p) {
      const { socket, channel } = channelFor(SteadySocket, p);
      await next(socket, 'open');
      // Reset first, then ask: whether or not the page has noticed yet, no answer can come over the first connection.
      await control(p.origin, 'proxy/reset');
      const answers = Array.from({ length: p.count }, (_, n) => channel.request('echo', { n }, { timeoutMs: 20_000 }));
      const outcomes = await Promise.allSettled(answers);
      const wrong = outcomes.filter((o, n) => o.status !== 'fulfilled' || o.value.n !== n).length;
      channel.dispose();
      socket.close();
      return { count: outcomes.length, wrong };
    },

    /** Malformed frames from the server are each reported as `invalid`; the connection stays up and valid ones arrive. */
    async malformed(SteadySocket, p) {
      const { socket, channel } = channelFor(SteadySocket, p, { maxMessageBytes: 1024 });
      const delivered = [];
      const invalid = [];
      channel.on('chat', (data) => delivered.push(data));
      channel.addEventListener('invalid', (e) => invalid.push(e.reason));
      const closes = [];
      socket.addEventListener('close', (e) => closes.push(e.code));
      await next(socket, 'open');
      for (const [body, encoding] of p.frames) {
        const res = await fetch(`${p.origin}/control/server/send?conn=all${encoding ? `&encoding=${encoding}` : ''}`, { method: 'POST', body });
        if (!res.ok) throw new Error(`control send: HTTP ${res.status}`);
      }
      await until(() => delivered.length + invalid.length >= p.frames.length, 'every frame to be handled');
      await sleep(100);
      const polluted = ({}).polluted !== undefined || Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted');
      const state = socket.readyState;
      channel.dispose();
      socket.close();
      return { delivered, invalid, closes, polluted, state };
    },

    /** A handshake that authenticates: after a reconnect, its credentials go out before the channel's re-sends. */
    async readyOrder(SteadySocket, p) {
      const { JsonChannel } = self;
      let connection = 0;
      const socket = new SteadySocket(p.wsUrl, undefined, {
        reconnect: { initialDelayMs: 100 },
        handshake: (send) => send(JSON.stringify({ type: 'auth', data: { token: 'secret', connection: ++connection } })),
      });
      const channel = new JsonChannel(socket);
      await next(socket, 'ready');
      const closed = next(socket, 'close');
      await control(p.origin, 'server/terminate');
      await closed;
      // Sent while down: kept by the channel, re-sent at the next `ready`, after the handshake's credentials.
      const ids = await Promise.all([channel.send('note', 'a1', { ack: true }), channel.send('note', 'a2', { ack: true })]);
      channel.dispose();
      socket.close();
      return { acked: ids.length === 2 ? ['a1', 'a2'] : ids };
    },
  });
})();
