// One connection for all the tabs of an origin (steadysocket/tabs), in Chromium, Firefox and WebKit. The tabs are
// same-origin iframes (e2e/pages/tabs.html; WebKitGTK's driver has one page, and iframes share Web Locks and
// BroadcastChannel as tabs do): removing one is what closing or crashing a tab looks like. Checked at the server.
import type { Page } from '@playwright/test';
import type { Harness } from '../../harness/server/index.mjs';
import { withBfcache } from '../../harness/browsers/chromium-unmanaged.mjs';
import { expect, test } from '../fixtures';

type TabState = { readyState: number; leader: boolean; buffered: number; messages: string[]; events: { type: string; t: number; code?: number }[]; acked: string[] };

/** The host page with `ids` tabs started on `path`. */
async function openTabs(page: Page, harness: Harness, ids: string[], params: { path?: string; json?: boolean; noLocks?: boolean } = {}) {
  await page.goto(`${harness.baseUrl}/pages/tabs.html`);
  for (const id of ids) await page.evaluate((tabId) => (self as any).addTab(tabId), id);
  await page.evaluate(({ list, wsUrl, json, noLocks }) => {
    for (const id of list) (self as any).tab(id).start({ wsUrl, json, noLocks });
  }, { list: ids, wsUrl: harness.wsUrl(params.path ?? '/sink'), json: params.json, noLocks: params.noLocks });
}

const states = (page: Page, ids: string[]) =>
  page.evaluate((list) => list.map((id) => (self as any).tab(id).state()), ids) as Promise<TabState[]>;
const texts = (harness: Harness) =>
  harness.server.log().connections.flatMap((c) => c.messages.map((m) => (m.kind === 'text' ? m.data : '<binary>')));

test('four tabs: one connection; every server message reaches each tab once, in order; each tab\'s 200 sends arrive in its order', async ({ page, harness }) => {
  const ids = ['a', 'b', 'c', 'd'];
  await openTabs(page, harness, ids);
  await expect.poll(async () => (await states(page, ids)).map((s) => s.readyState)).toEqual([1, 1, 1, 1]);
  expect(harness.server.openConnections()).toHaveLength(1);
  expect((await states(page, ids)).filter((s) => s.leader)).toHaveLength(1);
  for (let i = 1; i <= 50; i++) harness.server.send('all', `s-${i}`);
  const inbound = Array.from({ length: 50 }, (_, i) => `s-${i + 1}`);
  await expect.poll(async () => (await states(page, ids)).map((s) => s.messages)).toEqual(ids.map(() => inbound));
  await page.evaluate((list) => list.forEach((id) => (self as any).tab(id).send(id, 200)), ids);
  await expect.poll(() => texts(harness).length, { timeout: 15_000 }).toBe(800);
  for (const id of ids) expect(texts(harness).filter((m) => m.startsWith(`${id}-`))).toEqual(Array.from({ length: 200 }, (_, i) => `${id}-${i + 1}`));
  expect(harness.server.log().connections).toHaveLength(1);
});

test('the leader\'s tab goes away mid-stream: one new connection at once, every surviving tab\'s acked messages exactly once', async ({ page, harness }, testInfo) => {
  const ids = ['a', 'b', 'c'];
  await openTabs(page, harness, ids, { path: '/json', json: true });
  await expect.poll(async () => (await states(page, ids)).map((s) => s.readyState)).toEqual([1, 1, 1]);
  const leader = ids[(await states(page, ids)).findIndex((s) => s.leader)]!;
  const survivors = ids.filter((id) => id !== leader);
  await page.evaluate((list) => list.forEach((id) => (self as any).tab(id).send(id, 100, true)), survivors);
  const removedAt = Date.now();
  await page.evaluate((id) => (self as any).removeTab(id), leader); // the tab closes (or crashes): its lock goes
  await expect.poll(async () => (await states(page, survivors)).map((s) => s.acked.length), { timeout: 20_000 }).toEqual([100, 100]);
  const connections = harness.server.log().connections;
  expect(connections).toHaveLength(2); // the first, and exactly one new one
  testInfo.annotations.push({ type: 'figure', description: `takeover: the new connection ${Math.max(0, Math.round(connections[1]!.t - (connections[0]!.close?.t ?? 0)))} ms after the old one closed (${Date.now() - removedAt} ms to all acks)` });
  // Exactly once at the server, after its dedupe by id (PROTOCOL.md), in each tab's order.
  const accepted = harness.server.json.log.map((m) => String(m.data));
  for (const id of survivors) expect(accepted.filter((m) => m.startsWith(`${id}-`))).toEqual(Array.from({ length: 100 }, (_, i) => `${id}-${i + 1}`));
  for (const s of await states(page, survivors)) {
    expect(s.readyState).toBe(1);
    const after = s.events.map((e) => e.type).slice(s.events.findIndex((e) => e.type === 'close'));
    expect(after).toEqual(expect.arrayContaining(['close', 'connecting', 'open']));
  }
  expect((await states(page, survivors)).filter((s) => s.leader)).toHaveLength(1);
});

test('all tabs leave: the server sees one clean close with the last tab\'s code, and nothing is left', async ({ page, harness }) => {
  const ids = ['a', 'b', 'c'];
  await openTabs(page, harness, ids);
  await expect.poll(async () => (await states(page, ids)).map((s) => s.readyState)).toEqual([1, 1, 1]);
  // The followers first: the connection stays; the leader last: it closes with the leader's code.
  const leader = ids[(await states(page, ids)).findIndex((s) => s.leader)]!;
  const order = [...ids.filter((id) => id !== leader), leader];
  for (const [i, id] of order.entries()) await page.evaluate(({ tabId, code }) => (self as any).tab(tabId).close(code, `bye ${tabId}`), { tabId: id, code: 4000 + i });
  await expect.poll(() => harness.server.openConnections()).toEqual([]);
  const [connection] = harness.server.log().connections;
  expect(connection!.close).toMatchObject({ code: 4002, reason: `bye ${leader}` });
  expect(harness.server.log().connections).toHaveLength(1);
  await expect.poll(async () => (await states(page, ids)).map((s) => s.readyState)).toEqual([3, 3, 3]);
});

test('dedicated workers are tabs too: a page and two workers share one connection', async ({ page, harness }) => {
  await openTabs(page, harness, ['a']);
  const wsUrl = harness.wsUrl('/sink');
  await page.evaluate(async (url) => {
    const host = (self as any).tab('a');
    const frame = document.getElementById('a') as HTMLIFrameElement;
    const spawn = (frame.contentWindow as any).spawnWorker;
    (self as any).workers = [spawn(), spawn()];
    for (const worker of (self as any).workers) await worker.start({ wsUrl: url });
    return host;
  }, wsUrl);
  await expect.poll(() => page.evaluate(async () => Promise.all((self as any).workers.map((w: any) => w.state())).then((s: any[]) => s.map((x) => x.readyState)))).toEqual([1, 1]);
  expect(harness.server.openConnections()).toHaveLength(1);
  await page.evaluate(() => (self as any).workers.forEach((w: any, i: number) => w.send(`w${i}`, 20)));
  await expect.poll(() => texts(harness).length).toBe(40);
  for (const w of ['w0', 'w1']) expect(texts(harness).filter((m) => m.startsWith(`${w}-`))).toEqual(Array.from({ length: 20 }, (_, i) => `${w}-${i + 1}`));
  expect(harness.server.log().connections).toHaveLength(1);
});

test('without Web Locks (the fallback) every tab has a connection of its own', async ({ page, harness }) => {
  const ids = ['a', 'b', 'c'];
  await openTabs(page, harness, ids, { noLocks: true });
  await expect.poll(async () => (await states(page, ids)).map((s) => s.readyState)).toEqual([1, 1, 1]);
  expect(harness.server.openConnections()).toHaveLength(3);
  expect((await states(page, ids)).map((s) => s.leader)).toEqual([true, true, true]);
});

test('a leader whose tab goes into the back/forward cache hands over first, and rejoins as a follower when it comes back', async ({ page, harness, engine, playwright }) => {
  // Two top-level tabs: WebKitGTK's driver has one page (its cache is checked with one tab in lifecycle.spec).
  test.skip(engine.name === 'webkit', "WebKitGTK's driver has one page: no second top-level tab");
  let context = page.context();
  let close = async () => {};
  const notUsed: unknown[] = [];
  if (engine.name === 'chromium' && engine.route !== 'missing') {
    const browser = await withBfcache(playwright.chromium, engine.launch);
    close = () => browser.close();
    context = await browser.newContext();
  }
  try {
    const a = engine.name === 'chromium' ? await context.newPage() : page;
    const b = await context.newPage();
    if (engine.name === 'chromium') {
      const cdp = await context.newCDPSession(a);
      await cdp.send('Page.enable');
      cdp.on('Page.backForwardCacheNotUsed', (event) => notUsed.push(event));
    }
    const state = (tab: Page) => tab.evaluate(() => (self as any).tab.state()) as Promise<TabState>;
    const load = async (tab: Page) => {
      if (tab.url() !== `${harness.baseUrl}/build/tab.html`) await tab.goto(`${harness.baseUrl}/build/tab.html`);
      await tab.waitForFunction(() => (self as any).tabReady);
      await tab.evaluate((wsUrl) => (self as any).tab.start({ wsUrl }), harness.wsUrl('/sink'));
    };
    await load(a);
    await expect.poll(async () => (await state(a)).leader).toBe(true);
    await load(b);
    await expect.poll(async () => (await state(b)).readyState).toBe(1);
    expect(harness.server.log().connections).toHaveLength(1);
    await a.evaluate(() => ((self as any).restoredMarker = 'kept'));

    await a.goto(`${harness.baseUrl}/pages/native.html`); // the leader's tab leaves: into the cache, if it takes it
    await expect.poll(async () => (await state(b)).leader).toBe(true);
    await expect.poll(() => harness.server.openConnections().length).toBe(1);
    expect(harness.server.log().connections).toHaveLength(2); // the leader's, and exactly one new one

    await a.goBack({ waitUntil: 'commit' });
    await expect.poll(() => a.evaluate(() => (self as any).tabReady && ((self as any).restoredMarker ?? 'reloaded'))).toBeTruthy();
    const restored = await a.evaluate(() => (self as any).restoredMarker ?? 'reloaded');
    if (engine.name === 'chromium') {
      expect(restored).toBe('kept'); // restored from the cache, with its SharedSteadySocket
      expect(notUsed).toEqual([]); // neither the Web Lock nor the BroadcastChannel kept it out
    } else {
      // Firefox ESR does not cache a page with an open WebSocket (lifecycle.spec): the tab loads afresh.
      expect(restored).toBe('reloaded');
      await load(a);
    }
    await expect.poll(async () => (await state(a)).readyState).toBe(1);
    expect((await state(a)).leader).toBe(false);
    expect((await state(b)).leader).toBe(true);
    await a.evaluate(() => (self as any).tab.send('a', 20)); // through the new leader's connection
    await expect.poll(() => texts(harness).filter((m) => m.startsWith('a-'))).toEqual(Array.from({ length: 20 }, (_, i) => `a-${i + 1}`));
    expect(harness.server.log().connections).toHaveLength(2);
    expect(harness.server.openConnections()).toHaveLength(1);
  } finally {
    await close();
  }
});
