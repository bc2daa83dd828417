// The connection sequence in real browsers (issue 11): SteadySocket next to the native WebSocket where a drop-in
// must behave the same, and a wake-up during a slow handshake, checked at the server.
import { runScenario } from './scenario';
import { expect, test } from '../fixtures';

for (const host of ['esm', 'iife', 'worker'] as const) {
  test.describe(`${host}:`, () => {
    test('like the native socket: a URL with a fragment throws SyntaxError; close() right after the constructor', async ({ page, harness }) => {
      const r = await runScenario(page, harness, host, 'fidelity');
      expect(r.native.fragments).toEqual(['SyntaxError', 'SyntaxError', 'SyntaxError']);
      expect(r.sdk.fragments).toEqual(r.native.fragments);
      // Native: CLOSING at once, nothing inside the call or its microtasks, then error and close 1006 (not clean).
      expect(r.native.immediateClose.afterCall).toEqual({ readyState: 2, events: 0 });
      expect(r.native.immediateClose.afterMicrotask).toBe(0);
      expect(r.native.immediateClose.events.map((e: { type: string }) => e.type)).toEqual(['error', 'close']);
      expect(r.sdk.immediateClose).toEqual(r.native.immediateClose);
    });

    // The ES module page and the Worker (which has `online` only); the IIFE page runs the same code as the first.
    if (host !== 'iife') test('a wake-up during a slow handshake opens no second connection, and close() leaves none', async ({ page, harness }) => {
      const r = await runScenario(page, harness, host, 'wakeDuringHandshake');
      expect(r.liveBeforeClose).toBe(1);
      expect(r.liveAfterClose).toBe(0);
      const upgraded = harness.server.log().attempts.filter((a) => a.outcome === 'upgraded');
      expect(upgraded).toHaveLength(2); // the first connection and the one retry, nothing more
      if (host !== 'worker') expect(r.visible).toBe('visible');
    });
  });
}
