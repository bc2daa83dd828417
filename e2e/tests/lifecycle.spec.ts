// The page's own life in real browsers (issue 14): the back/forward cache for real, freezing, offline, and a link
// that died while the page was away. Which engine proves what:
//   - bfcache: Chromium (Playwright's launch without --disable-back-forward-cache) and WebKitGTK restore the page
//     from the cache; Firefox ESR never caches a page with an open WebSocket (checked: it reloads it instead);
//   - freeze/resume: Chromium only (CDP Page.setWebLifecycleState; the other engines have no freezing);
//   - offline: Chromium through context.setOffline; in Firefox and WebKitGTK the proxy refuses connections and the
//     page gets synthetic offline/online events (WebKitGTK's driver cannot go offline; Firefox's, over BiDi, fires
//     `online` before or after the network is back, at random);
//   - half-open after a wake-up: all three.
import type { Page } from '@playwright/test';
import type { Harness } from '../../harness/server/index.mjs';
import { unmanaged, withBfcache } from '../../harness/browsers/chromium-unmanaged.mjs';
import { expect, test } from '../fixtures';

type Seen = { type: string; t: number; persisted?: boolean; code?: number; reason?: string; attempt?: number; afterPageshowMs?: number };
type Report = { id: string; seen: Seen[] };

/** Text frames the server received, connection by connection, and how each connection ended. */
const connections = (harness: Harness) =>
  harness.server.log().connections.map((c) => ({ frames: c.messages.map((m) => (m.kind === 'text' ? m.data : '<binary>')), close: c.close }));

const lifecyclePage = (harness: Harness) => `${harness.baseUrl}/pages/lifecycle.html?ws=${encodeURIComponent(harness.wsUrl('/sink'))}`;

/** The latest report of each page load, once `done` holds for one of them. */
async function reportsUntil(harness: Harness, done: (reports: Report[]) => boolean, what: string): Promise<Report[]> {
  const latest = () => {
    const byId = new Map<string, Report>();
    for (const r of harness.reports as Report[]) byId.set(r.id, r);
    return [...byId.values()];
  };
  await expect.poll(() => done(latest()), { message: what, timeout: 15_000 }).toBe(true);
  return latest();
}

/** Leave the lifecycle page for another one and come back with the browser's back button. */
async function awayAndBack(page: Page, harness: Harness) {
  await page.goto(lifecyclePage(harness));
  await expect.poll(() => harness.server.openConnections().length).toBe(1);
  // Leave once the page has loaded and its report is answered: Chromium does not cache a page with a request in flight.
  await expect.poll(() => harness.reports.length).toBeGreaterThan(0);
  await page.waitForFunction(() => document.readyState === 'complete' && (self as unknown as { lifecycle: { idle(): boolean } }).lifecycle.idle());
  await page.goto(`${harness.baseUrl}/pages/native.html`);
  // While the page is away: its connection must be closed cleanly (or, in Firefox, by the browser).
  await expect.poll(() => harness.server.openConnections().length).toBe(0);
  const whileAway = connections(harness);
  await page.goBack({ waitUntil: 'commit' }); // a restore from the cache has no load event
  return whileAway;
}

test.describe('back/forward cache', () => {
  test('a page restored from the cache reconnects at once; what was sent before, in pagehide and after pageshow arrives once, in order', async ({ page, harness, engine, playwright }, testInfo) => {
    let close = async () => {};
    const notUsed: unknown[] = [];
    if (engine.name === 'chromium' && engine.route !== 'missing') {
      const browser = await withBfcache(playwright.chromium, engine.launch);
      close = () => browser.close();
      page = await (await browser.newContext()).newPage();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Page.enable');
      cdp.on('Page.backForwardCacheNotUsed', (event) => notUsed.push(event));
    }
    try {
      const whileAway = await awayAndBack(page, harness);
      if (engine.name === 'firefox') {
        // Firefox ESR does not cache a page with an open WebSocket: it closes the socket itself (1001) before
        // pagehide (persisted false), and going back loads the page afresh.
        const reports = await reportsUntil(harness, (r) => r.length === 2 && r.every((x) => x.seen.some((s) => s.type === 'open')), 'two loads');
        const first = reports.find((r) => r.seen.some((s) => s.type === 'pagehide'))!;
        expect(first.seen.find((s) => s.type === 'pagehide')!.persisted).toBe(false);
        expect(whileAway[0]!.close!.code).toBe(1001);
        expect(reports.every((r) => r.seen.find((s) => s.type === 'pageshow')!.persisted === false)).toBe(true);
        // The second load's frames may still be on their way when its report arrives.
        await expect.poll(() => connections(harness).map((c) => c.frames)).toEqual([['before-1', 'before-2'], ['before-1', 'before-2']]);
        return;
      }
      // Chromium and WebKit: the page went into the cache, and SteadySocket closed its connection cleanly first.
      expect(whileAway).toHaveLength(1);
      // Chromium says why a page was not cached (Page.backForwardCacheNotUsed): shown if it was not.
      expect(whileAway[0]!.close, `not cached: ${JSON.stringify(notUsed)}`).toMatchObject({ code: 1000, reason: 'suspend' });
      const [report] = await reportsUntil(harness, (r) => r.some((x) => x.seen.some((s) => s.type === 'reopened')), 'the restored page to reconnect');
      const seen = report!.seen;
      expect(seen.find((s) => s.type === 'pagehide')!.persisted).toBe(true);
      expect(seen.filter((s) => s.type === 'pageshow').map((s) => s.persisted)).toEqual([false, true]);
      expect(seen.filter((s) => s.type === 'close').map((s) => `${s.code} ${s.reason}`)).toEqual(['1000 suspend']);
      expect(seen.filter((s) => s.type === 'error')).toEqual([]); // nothing reported on restore
      expect(seen.filter((s) => s.type === 'reconnect')).toEqual([]); // no backoff wait: connected at once
      // Sent before the report, but over another connection: they may reach the server after it.
      await expect.poll(() => connections(harness).flatMap((c) => c.frames)).toEqual(['before-1', 'before-2', 'in-pagehide-3', 'after-pageshow-4']);
      expect(connections(harness)).toHaveLength(2); // exactly one new connection
      if (engine.name === 'chromium') expect(notUsed).toEqual([]); // restored from the cache, nothing blocked it
      const ms = seen.find((s) => s.type === 'reopened')!.afterPageshowMs!;
      testInfo.annotations.push({ type: 'figure', description: `${engine.name}: pageshow → open ${ms} ms` });
    } finally {
      await close();
    }
  });
});

test.describe('freeze and resume', () => {
  test('freezing closes cleanly, resuming connects at once; nothing lost or sent twice (Chromium, CDP)', async ({ page, harness, engine, playwright }) => {
    if (engine.name !== 'chromium') {
      // Only Chromium freezes pages: elsewhere there is no freeze event to handle (the README's engine table says so).
      await page.goto(lifecyclePage(harness));
      expect(await page.evaluate(() => 'onfreeze' in document)).toBe(false);
      return;
    }
    if (engine.route === 'missing') throw new Error(engine.error);
    const executable = engine.launch.executablePath ?? playwright.chromium.executablePath();
    const { page: chromiumPage, close } = await unmanaged(playwright.chromium, executable);
    try {
      const page = chromiumPage;
      await page.goto(lifecyclePage(harness));
      await expect.poll(() => harness.server.openConnections().length).toBe(1);
      const cdp = await page.context().newCDPSession(page);
      // Freezing a page that is still loading (its report is in flight) is not reliable: wait until it settled.
      await expect.poll(() => harness.reports.length).toBe(1);
      await page.waitForFunction(() => document.readyState === 'complete');
      await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      await expect.poll(() => harness.server.openConnections().length).toBe(0);
      expect(connections(harness)[0]!.close).toMatchObject({ code: 1000, reason: 'suspend' });
      await cdp.send('Page.setWebLifecycleState', { state: 'active' });
      await expect.poll(() => harness.server.openConnections().length).toBe(1);
      await page.evaluate(() => (self as unknown as { lifecycle: { send(label: string): void } }).lifecycle.send('after-resume'));
      await expect.poll(() => connections(harness).flatMap((c) => c.frames)).toEqual(['before-1', 'before-2', 'after-resume-3']);
      const seen = await page.evaluate(() => (self as unknown as { lifecycle: { seen: Seen[] } }).lifecycle.seen);
      expect(seen.filter((s) => s.type === 'reconnect')).toEqual([]);
      expect(connections(harness)).toHaveLength(2);
    } finally {
      await close();
    }
  });
});

test.describe('offline', () => {
  test('maxRetries 3 is not spent while offline, and coming back online connects at once', async ({ page, harness, engine }) => {
    // Chromium proves the 20 s of the issue; the others a shorter spell (the suite stays well under 10 minutes).
    const offlineMs = engine.name === 'chromium' ? 20_000 : 6_000;
    test.setTimeout(offlineMs + 45_000);
    await page.goto(`${harness.baseUrl}/pages/iife.html`);
    await page.evaluate((wsUrl) => {
      const scope = self as unknown as Record<string, any>;
      const socket = new scope.SteadySocket(wsUrl, undefined, { reconnect: { maxRetries: 3, initialDelayMs: 200, maxDelayMs: 1200 } });
      const log: { type: string; t: number; attempt?: number; delayMs?: number }[] = [];
      for (const type of ['connecting', 'open', 'close', 'reconnect', 'giveup'])
        socket.addEventListener(type, (e: any) => log.push({ type, t: performance.now(), attempt: e.attempt, delayMs: e.delayMs }));
      // Registered before the socket's own listener (it subscribes at its first attempt): logged before it acts.
      for (const type of ['offline', 'online']) addEventListener(type, () => log.push({ type, t: performance.now() }));
      scope.offlineTest = { socket, log };
    }, harness.wsUrl('/sink'));
    await page.waitForFunction(() => (self as any).offlineTest.socket.readyState === 1);
    // WebKitGTK's driver has no context.setOffline; Firefox's (over WebDriver BiDi) fires `online` and restores the
    // network in either order. There the proxy refuses connections and the page gets the events.
    const synthetic = engine.name !== 'chromium';
    if (synthetic) {
      await fetch(`${harness.baseUrl}/control/proxy/refuse?on=1`, { method: 'POST' });
      await page.evaluate(() => dispatchEvent(new Event('offline')));
    } else {
      await page.context().setOffline(true);
      expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    }
    harness.server.terminateAll(); // the open connection dies too
    await page.waitForTimeout(offlineMs);
    const whileOffline = await page.evaluate(() => (self as any).offlineTest.log as { type: string }[]);
    expect(whileOffline.map((e) => e.type)).toContain('offline');
    expect(whileOffline.map((e) => e.type)).not.toContain('giveup');
    const retries = whileOffline.filter((e) => e.type === 'connecting').length - 1;
    expect(retries).toBeGreaterThan(3); // more failed retries than maxRetries, and no giveup
    // Back online while a retry wait (0.2-1.2 s) is pending, not while an attempt is under way: then the attempt that
    // follows at once can only have been started by `online`.
    await page.waitForFunction(() => {
      const last = (self as any).offlineTest.log.at(-1);
      return last.type === 'reconnect' && performance.now() < last.t + last.delayMs - 500;
    });
    if (synthetic) {
      await fetch(`${harness.baseUrl}/control/proxy/pass`, { method: 'POST' });
      await page.evaluate(() => dispatchEvent(new Event('online')));
    } else await page.context().setOffline(false);
    // Firefox itself holds a connection to a host back after failed ones, longer after each (README, Engine notes):
    // the attempt starts at once (checked below), it opens when Firefox lets it.
    await page.waitForFunction(() => (self as any).offlineTest.socket.readyState === 1, undefined, { timeout: 30_000 });
    const log = await page.evaluate(() => (self as any).offlineTest.log as { type: string; t: number; delayMs?: number }[]);
    const onlineAt = log.find((e) => e.type === 'online')!.t;
    const lastWait = log.filter((e) => e.type === 'reconnect' && e.t < onlineAt).at(-1)!;
    const attempt = log.find((e) => e.type === 'connecting' && e.t >= onlineAt)!;
    // The attempt came before the pending wait was due: `online` started it, not the timer.
    expect(attempt.t, JSON.stringify(log.slice(-6))).toBeLessThan(lastWait.t + lastWait.delayMs!);
    expect(log.filter((e) => e.type === 'reconnect').every((e: any) => e.attempt <= 1)).toBe(true); // not counted
    await page.evaluate(() => (self as any).offlineTest.socket.close());
  });
});

test.describe('half-open link after a wake-up', () => {
  test('the page becomes visible on a dead link: replaced within the probe timeout (+20%), nothing sent after the wake-up is lost', async ({ page, harness }, testInfo) => {
    await page.goto(`${harness.baseUrl}/pages/iife.html`);
    const r = await page.evaluate(async ({ wsUrl, origin }) => {
      const scope = self as unknown as Record<string, any>;
      const socket = new scope.SteadySocket(wsUrl, undefined, {
        heartbeat: { intervalMs: 60_000, timeoutMs: 10_000, probeTimeoutMs: 3000 },
        reconnect: { initialDelayMs: 100, jitter: 0 },
      });
      const next = (type: string) => new Promise<any>((resolve) => socket.addEventListener(type, resolve, { once: true }));
      await next('open');
      socket.send('before');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await fetch(`${origin}/control/proxy/blackhole-existing`, { method: 'POST' }); // the link died while away
      const closed = next('close');
      const t0 = performance.now();
      document.dispatchEvent(new Event('visibilitychange')); // the page is visible (again)
      socket.send('after-wake'); // held until the link proves alive, or sent on the new connection
      const close = await closed;
      const detectedMs = performance.now() - t0;
      await next('open');
      const replacedMs = performance.now() - t0;
      socket.send('after-reopen');
      await new Promise((resolve) => setTimeout(resolve, 300));
      socket.close();
      return { detectedMs, replacedMs, code: close.code, visible: document.visibilityState };
    }, { wsUrl: harness.wsUrl('/sink'), origin: harness.baseUrl });
    expect(r.visible).toBe('visible');
    expect(r.code).toBe(1006);
    expect(r.detectedMs).toBeGreaterThanOrEqual(2990); // not before the probe timeout
    expect(r.detectedMs).toBeLessThan(3600); // the probe timeout plus 20%
    const frames = connections(harness).map((c) => c.frames);
    expect(frames).toEqual([['before'], ['after-wake', 'after-reopen']]); // the ping and after-wake never reached the dead link's server side
    testInfo.annotations.push({ type: 'figure', description: `visible → replaced ${Math.round(r.replacedMs)} ms` });
  });
});
