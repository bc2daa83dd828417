// Delivery control in real browsers (issue 17): a server's retry hint, endpoint failover, TTL and volatile sends
// through a dead link, and the ready point with an authenticating handshake. Checked at the server.
import type { Page } from '@playwright/test';
import type { Harness } from '../../harness/server/index.mjs';
import { expect, test } from '../fixtures';

/** The <script>-tag page (the global SteadySocket), where each test runs its own code. */
async function scriptPage(page: Page, harness: Harness) {
  await page.goto(`${harness.baseUrl}/pages/iife.html`);
  await page.waitForFunction(() => typeof (self as any).SteadySocket === 'function');
}

test('a server shedding load: 50 clients come back no earlier than its retry hint, spread over the jitter', async ({ page, harness }) => {
  await scriptPage(page, harness);
  await page.evaluate((wsUrl) => {
    const scope = self as any;
    scope.closes = [];
    scope.clients = Array.from({ length: 50 }, () => {
      const socket = new scope.SteadySocket(wsUrl, undefined, { reconnect: { initialDelayMs: 100 } });
      socket.addEventListener('close', (e: CloseEvent) => scope.closes.push(`${e.code} ${e.reason}`));
      return socket;
    });
  }, harness.wsUrl('/sink'));
  await expect.poll(() => harness.server.openConnections().length).toBe(50);
  const before = harness.server.log().attempts.length;
  const closedAt = harness.server.log().now;
  harness.server.closeAll(4013, 'retry-after=2'); // "come back in 2 s"
  await expect.poll(() => harness.server.log().connections.length, { timeout: 15_000 }).toBe(100);
  await expect.poll(() => harness.server.openConnections().length).toBe(50);
  // Every engine delivers 4013 with its reason (a 1013 would reach WebKitGTK as 1006, see the engine notes).
  expect(await page.evaluate(() => (self as any).closes)).toEqual(Array(50).fill('4013 retry-after=2'));
  const back = harness.server.log().attempts.slice(before).map((a) => a.t - closedAt);
  expect(back).toHaveLength(50);
  expect(Math.min(...back)).toBeGreaterThanOrEqual(2000); // none before the hint
  expect(Math.max(...back) - Math.min(...back)).toBeGreaterThan(200); // spread out (the jitter: up to 1 s for 2 s)
  await page.evaluate(() => (self as any).clients.forEach((s: any) => s.close()));
});

test('endpoint failover: the first endpoint refused, the second is used; the first back, it stays on the second until that fails', async ({ page, harness }) => {
  await scriptPage(page, harness);
  harness.proxy.refuse(true); // endpoint 0 (through the proxy) refuses
  const endpoints = [harness.wsUrl('/sink'), harness.directWsUrl('/sink')];
  await page.evaluate((urls) => {
    const scope = self as any;
    scope.used = [];
    scope.socket = new scope.SteadySocket(urls, undefined, { reconnect: { initialDelayMs: 100 } });
    scope.socket.addEventListener('connecting', (e: any) => scope.used.push(e.endpoint));
  }, endpoints);
  await page.waitForFunction(() => (self as any).socket.readyState === 1);
  expect(await page.evaluate(() => [(self as any).socket.url, (self as any).used])).toEqual([endpoints[1], [0, 1]]);
  harness.proxy.refuse(false); // endpoint 0 is back
  harness.server.terminateAll(); // the connection on endpoint 1 drops: endpoint 1 again first (it worked)
  await page.waitForFunction(() => (self as any).used.length === 3 && (self as any).socket.readyState === 1);
  expect(await page.evaluate(() => (self as any).used)).toEqual([0, 1, 1]);
  harness.server.rejectNext(1, 503); // endpoint 1 fails an attempt: on to endpoint 0
  harness.server.terminateAll();
  await page.waitForFunction(() => (self as any).used.length === 5 && (self as any).socket.readyState === 1);
  expect(await page.evaluate(() => [(self as any).socket.url, (self as any).used])).toEqual([endpoints[0], [0, 1, 1, 1, 0]]);
  expect(harness.proxy.log().connections.filter((c) => c.fate === 'passed')).toHaveLength(1); // endpoint 0 connected once, at the end
  await page.evaluate(() => (self as any).socket.close());
});

test('through a dead link: volatile sends and expired ones are dropped, the rest arrives once the link is back', async ({ page, harness }) => {
  await scriptPage(page, harness);
  await page.evaluate((wsUrl) => {
    const scope = self as any;
    scope.drops = [];
    scope.socket = new scope.SteadySocket(wsUrl, undefined, {
      heartbeat: { intervalMs: 300, timeoutMs: 300 }, reconnect: { initialDelayMs: 100, maxDelayMs: 200 },
    });
    scope.socket.addEventListener('drop', (e: any) => scope.drops.push(`${e.data} ${e.reason}`));
  }, harness.wsUrl('/sink'));
  await page.waitForFunction(() => (self as any).socket.readyState === 1);
  harness.proxy.blackhole(true); // the link dies, and new connections hang
  await page.waitForFunction(() => (self as any).socket.stats.closes[1006] === 1); // the heartbeat noticed
  await page.evaluate(() => {
    const { socket } = self as any;
    socket.send('cursor', { volatile: true }); // no open connection: dropped at once
    socket.send('typing', { ttlMs: 300 }); // waits, then expires
    socket.send('message'); // waits for the link
  });
  await page.waitForFunction(() => (self as any).drops.length === 2, undefined, { timeout: 5000 });
  harness.proxy.blackhole(false);
  await expect.poll(() => harness.server.log().connections.flatMap((c) => c.messages.map((m) => m.kind === 'text' && m.data)).filter((m) => m !== 'ping')).toEqual(['message']);
  expect(await page.evaluate(() => (self as any).drops)).toEqual(['cursor volatile', 'typing expired']);
  await page.evaluate(() => (self as any).socket.close());
});

test('the ready point: the server gets a handshake\'s credentials first, then the acked messages a JsonChannel sends again', async ({ page, harness }) => {
  await page.goto(`${harness.baseUrl}/build/index.html`);
  await page.waitForFunction(() => typeof (self as any).run === 'function');
  const r = await page.evaluate((wsUrl) => (self as any).run('readyOrder', { wsUrl, origin: location.origin }), harness.wsUrl('/json'));
  expect(r.acked).toEqual(['a1', 'a2']);
  const [, second] = harness.server.log().connections;
  const frames = second!.messages.map((m) => (m.kind === 'text' ? JSON.parse(m.data) : null));
  expect(frames.map((f) => f.type)).toEqual(['auth', 'note', 'note']); // credentials first, then the re-sent ones
  expect(frames.slice(1).map((f) => f.data)).toEqual(['a1', 'a2']);
});
