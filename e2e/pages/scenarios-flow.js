// Flow control and heartbeat scenarios (loaded after scenarios.js, whose helpers they use).
(function () {
  'use strict';
  const { sleep, control, next, until, record } = self.scenarioKit;

  /** A WebSocket class that remembers its instances, so the page can sample the browser's own bufferedAmount. */
  const spying = () => {
    const natives = [];
    class Spy extends WebSocket {
      constructor(url, protocols) {
        super(url, protocols);
        natives.push(this);
      }
    }
    return { Spy, natives };
  };

  Object.assign(self.steadyScenarios, {
    /** p.totalBytes sent as p.messageBytes messages through a throttled link; the native buffer stays bounded. */
    async flood(SteadySocket, p) {
      const { Spy, natives } = spying();
      const socket = new SteadySocket(p.wsUrl, undefined, { WebSocket: Spy, highWaterMark: p.highWaterMark, lowWaterMark: p.lowWaterMark });
      await next(socket, 'open');
      let peakNative = 0;
      let peakTotal = 0;
      let samples = 0;
      const sample = () => {
        const native = natives.reduce((n, ws) => n + ws.bufferedAmount, 0);
        peakNative = Math.max(peakNative, native);
        peakTotal = Math.max(peakTotal, socket.bufferedAmount);
        samples++;
      };
      const sampler = setInterval(sample, 5);
      const count = p.totalBytes / p.messageBytes;
      const t0 = performance.now();
      let falses = 0;
      for (let i = 0; i < count; i++) {
        const message = new Uint8Array(p.messageBytes).fill(i & 0xff);
        new DataView(message.buffer).setUint32(0, i);
        const room = socket.send(message);
        sample();
        if (!room) {
          falses++;
          await socket.drained();
        }
      }
      await until(() => socket.bufferedAmount === 0 && natives.every((ws) => ws.bufferedAmount === 0), 'the buffer to empty', 60_000);
      const elapsedMs = performance.now() - t0;
      clearInterval(sampler);
      // Not closed here: an engine that hides its buffer (WebKitGTK reports 0) may still be sending. The test
      // waits for the server to have every byte; leaving the page closes the socket.
      self.floodSocket = socket;
      return { peakNative, peakTotal, samples, falses, elapsedMs, count };
    },

    /** A black-holed link is noticed by the heartbeat, the socket reconnects, and what was queued meanwhile arrives. */
    async blackhole(SteadySocket, p) {
      const heartbeat = { intervalMs: p.intervalMs, timeoutMs: p.timeoutMs, message: 'ping', isPong: (d) => d === 'ping' };
      const socket = new SteadySocket(p.wsUrl, undefined, { heartbeat, connectTimeoutMs: 1000, reconnect: { initialDelayMs: 200, maxDelayMs: 400 } });
      const log = record(socket);
      const echoes = [];
      socket.addEventListener('message', (e) => echoes.push(e.data));
      await next(socket, 'open');
      socket.send('before');
      await until(() => echoes.includes('before'), 'the first echo');
      await sleep(300);
      const dead = next(socket, 'error', 10_000, (e) => e.error && e.error.code === 'HEARTBEAT_TIMEOUT');
      const t0 = performance.now();
      await control(p.origin, `proxy/blackhole?ms=${p.blackholeMs}`);
      await dead;
      const noticedMs = performance.now() - t0;
      const stateAfter = socket.readyState;
      for (let i = 1; i <= 5; i++) socket.send(`queued-${i}`);
      await until(() => echoes.includes('queued-5'), 'the queued messages to come back', 15_000);
      socket.close();
      return { log, noticedMs, stateAfter, echoes, rtts: log.filter((e) => e.type === 'heartbeat').map((e) => e.rttMs) };
    },
  });
})();
