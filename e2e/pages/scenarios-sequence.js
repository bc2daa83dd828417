// Scenarios of the connection sequence (issue 11): the native WebSocket and SteadySocket side by side on what a
// drop-in must match (fragments, close() right after the constructor), and a wake-up during a slow handshake.
// A classic script, loaded after scenarios.js by the ESM, IIFE and Worker hosts.
(function () {
  'use strict';
  const scope = self;
  const { sleep, control, next } = scope.scenarioKit;

  /** What `ctor` does with URLs that have a fragment: the exception's name, or 'none'. */
  function fragments(Ctor, wsUrl) {
    return [`${wsUrl}#frag`, `${wsUrl}#`, '#test'].map((url) => {
      try {
        new Ctor(url).close();
        return 'none';
      } catch (error) {
        return error && error.name;
      }
    });
  }

  /** Events and readyState around close() called right after the constructor. */
  async function immediateClose(Ctor, wsUrl) {
    const socket = new Ctor(wsUrl);
    const seen = [];
    for (const type of ['open', 'error', 'close'])
      socket.addEventListener(type, (e) => seen.push({ type, readyState: socket.readyState, code: e.code, wasClean: e.wasClean }));
    socket.close();
    const afterCall = { readyState: socket.readyState, events: seen.length };
    await Promise.resolve();
    const afterMicrotask = seen.length;
    await sleep(500);
    return { afterCall, afterMicrotask, events: seen, readyState: socket.readyState };
  }

  Object.assign(scope.steadyScenarios, {
    /** The native socket and SteadySocket (reconnect: false, queue: false) on the same inputs. */
    async fidelity(SteadySocket, p) {
      class NativeLike extends SteadySocket {
        constructor(url) {
          super(url, undefined, { reconnect: false, queue: false });
        }
      }
      const out = {};
      for (const [name, Ctor] of [['native', scope.WebSocket], ['sdk', NativeLike]])
        out[name] = { fragments: fragments(Ctor, p.wsUrl), immediateClose: await immediateClose(Ctor, p.wsUrl) };
      return out;
    },

    /** `online` and a visibility change while a retry's handshake is held by the server. */
    async wakeDuringHandshake(SteadySocket, p) {
      const socket = new SteadySocket(p.wsUrl, undefined, { reconnect: { initialDelayMs: 100, jitter: 0 } });
      await next(socket, 'open');
      await control(p.origin, 'server/delay?ms=800');
      const retrying = next(socket, 'connecting', 10_000, (e) => e.attempt === 1);
      await control(p.origin, 'server/terminate');
      await retrying;
      await sleep(200); // the retry's handshake is held by the server now
      scope.dispatchEvent(new Event('online'));
      if (scope.document) scope.document.dispatchEvent(new Event('visibilitychange'));
      await next(socket, 'open', 10_000);
      await sleep(1000); // a second attempt's handshake (held 800 ms) would have completed by now
      const live = async () => (await (await fetch(`${p.origin}/control/state`)).json()).openConnections.length;
      const liveBeforeClose = await live();
      const closed = next(socket, 'close');
      socket.close();
      await closed;
      let liveAfterClose = await live();
      for (let i = 0; i < 20 && liveAfterClose > 0; i++) {
        await sleep(50);
        liveAfterClose = await live();
      }
      return { liveBeforeClose, liveAfterClose, visible: scope.document ? scope.document.visibilityState : 'no document' };
    },
  });
})();
