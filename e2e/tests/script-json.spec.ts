// The <script> builds together: dist/json.iife.js's global `JsonChannel` over dist/steadysocket.iife.js's sockets (they
// meet on Symbol.for('steadysocket.offer')), in a page and in a dedicated Worker, against the PROTOCOL.md server.
import { runScenario } from './scenario';
import { expect, test } from '../fixtures';

for (const host of ['iife', 'worker'] as const) {
  test(`${host}: 150 acknowledged messages through a server restart: every promise resolves, each message reaches the server once, in order`, async ({ page, harness }) => {
    const r = await runScenario(page, harness, host, 'ackedStream', { wsUrl: harness.wsUrl('/json'), count: 150, resets: 0, seed: 16 });
    expect(r.rejected).toEqual([]);
    expect(r.resolved).toBe(150);
    expect(r.pendingAfter).toBe(0);
    if (host === 'worker') expect(r.inWorker).toBe(true);
    const items = harness.server.json.log.filter((e) => e.type === 'item').map((e) => (e.data as { i: number }).i);
    expect(items).toEqual(Array.from({ length: 150 }, (_, i) => i)); // after the server's dedupe by id: exactly once
    expect(harness.server.log().connections.length).toBeGreaterThanOrEqual(2); // the restart ended the first one
  });
}
