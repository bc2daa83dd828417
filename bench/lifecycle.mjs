// `npm run bench:lifecycle [-- --runs=5 --browsers=chromium,firefox,webkit]`: the page-lifecycle figures of the
// README's "Page lifecycle" section, in each engine, median of several runs, next to what the native WebSocket does:
//   1. back/forward cache: from `pageshow` (persisted) to `open` of the new connection. Native: the readyState after
//      the restore, and whether a message sent right then reaches the server.
//   2. half-open link after a wake-up: the proxy black-holes the connection, the page becomes visible; the time until
//      the dead connection is replaced (open again). Native: whether it notices at all within 10 s.
// Uses the e2e pages (e2e/pages, the built dist/) and the harness. Writes bench/lifecycle.md.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { withBfcache } from '../harness/browsers/chromium-unmanaged.mjs';
import { resolveEngines } from '../harness/browsers/browsers.mjs';
import { startHarness } from '../harness/server/index.mjs';
import { launchBrowser } from './launch.mjs';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Number(option('runs') ?? 5);
const browsers = (option('browsers') ?? 'chromium,firefox,webkit').split(',').filter(Boolean);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A page in `name` that can go into the bfcache (Chromium: launched without Playwright's --disable-back-forward-cache). */
async function open(name) {
  if (name !== 'chromium') return launchBrowser(name);
  const engine = resolveEngines().chromium;
  if (engine.route === 'missing') throw new Error(engine.error);
  const browser = await withBfcache(chromium, engine.launch);
  const page = await (await browser.newContext()).newPage();
  return { page, version: browser.version(), close: () => browser.close() };
}

/** WebKitGTK's version, from its user agent when the driver does not say. */
const versionOf = async (browser) => browser.version || (await browser.page.evaluate(() => navigator.userAgent)).match(/AppleWebKit\/[\d.]+/)?.[0] || '';

/** Polls `check` every 20 ms until it returns something, for at most `ms`. */
async function until(check, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) return null;
    await sleep(20);
  }
}

/** SteadySocket after a bfcache restore: ms from pageshow to open, or null when the engine did not cache the page. */
async function bfcacheSdk(page, harness) {
  harness.reports.length = 0;
  await page.goto(`${harness.baseUrl}/pages/lifecycle.html?ws=${encodeURIComponent(harness.wsUrl('/sink'))}`);
  await until(() => harness.server.openConnections().length === 1);
  await page.goto(`${harness.baseUrl}/pages/native.html`);
  await sleep(300);
  await page.goBack({ waitUntil: 'commit' });
  // Restored from the cache: the page reports `reopened`. Not cached (Firefox): a second load of the page opens instead.
  const done = await until(() => harness.reports.find((r) => r.seen.some((s) => s.type === 'reopened'))
    ?? (new Set(harness.reports.map((r) => r.id)).size > 1 ? 'reloaded' : null), 8000);
  return done && done !== 'reloaded' ? done.seen.find((s) => s.type === 'reopened').afterPageshowMs : null;
}

/** The native WebSocket after a bfcache restore: its readyState, and whether a message sent right then arrives. */
async function bfcacheNative(page, harness) {
  harness.reports.length = 0;
  await page.goto(`${harness.baseUrl}/pages/native.html`);
  await page.evaluate(({ wsUrl }) => {
    const ws = new WebSocket(wsUrl);
    const seen = [];
    const report = () => fetch('/control/report', { method: 'POST', body: JSON.stringify({ seen }) });
    ws.onclose = (e) => seen.push(`close ${e.code}`);
    ws.onerror = () => seen.push('error');
    addEventListener('pageshow', (e) => {
      if (!e.persisted) return;
      seen.push(`restored, readyState ${ws.readyState}`);
      try {
        ws.send('sent-after-restore');
        seen.push('send() did not throw');
      } catch (error) {
        seen.push(`send() threw ${error.name}`);
      }
      setTimeout(report, 1500);
    });
  }, { wsUrl: harness.wsUrl('/sink') });
  await until(() => harness.server.openConnections().length === 1);
  await page.goto(`${harness.baseUrl}/pages/iife.html`);
  await sleep(300);
  await page.goBack({ waitUntil: 'commit' });
  const report = await until(() => harness.reports[0], 6000);
  const arrived = harness.server.log().connections.some((c) => c.messages.some((m) => m.data === 'sent-after-restore'));
  return report ? `${report.seen.join(', ')}; the message ${arrived ? 'arrived' : 'never arrived'}` : 'not restored from the cache';
}

/** ms from the page becoming visible to a new open connection, the old one being black-holed; native: noticed or not. */
async function halfOpen(page, harness, native) {
  await page.goto(`${harness.baseUrl}/pages/iife.html`);
  return page.evaluate(async ({ wsUrl, origin, native }) => {
    const socket = native ? new WebSocket(wsUrl)
      : new self.SteadySocket(wsUrl, undefined, { heartbeat: { intervalMs: 60_000, timeoutMs: 10_000, probeTimeoutMs: 3000 }, reconnect: { initialDelayMs: 100, jitter: 0 } });
    await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
    await fetch(`${origin}/control/proxy/blackhole-existing`, { method: 'POST' });
    const t0 = performance.now();
    const reopened = native ? new Promise(() => {}) : new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
    const closed = new Promise((resolve) => socket.addEventListener('close', resolve, { once: true }));
    document.dispatchEvent(new Event('visibilitychange'));
    const outcome = await Promise.race([reopened.then(() => 'open'), new Promise((r) => setTimeout(r, 10_000, 'timeout'))]);
    const ms = performance.now() - t0;
    const noticed = await Promise.race([closed.then(() => true), Promise.resolve(false)]);
    const state = socket.readyState;
    socket.close();
    return native ? (noticed ? 'noticed' : `not noticed in 10 s (readyState ${state})`) : outcome === 'open' ? Math.round(ms) : null;
  }, { wsUrl: harness.wsUrl('/sink'), origin: harness.baseUrl, native });
}

const fmt = (values) => {
  const ok = values.filter((v) => typeof v === 'number');
  if (!ok.length) return 'n/a';
  return `${Math.round(median(ok))} ms (${Math.min(...ok)}-${Math.max(...ok)}, ${ok.length} runs)`;
};

const rows = [];
const harness = await startHarness({ static: { '/pages/': join(root, 'e2e', 'pages'), '/dist/': join(root, 'dist') } });
try {
  for (const name of browsers) {
    const browser = await open(name);
    try {
      const { page } = browser;
      const restore = [];
      const replaced = [];
      for (let i = 0; i < runs; i++) {
        harness.server.clearLog();
        restore.push(await bfcacheSdk(page, harness));
        harness.server.clearLog();
        replaced.push(await halfOpen(page, harness, false));
        await fetch(`${harness.baseUrl}/control/clear-faults`, { method: 'POST' });
      }
      harness.server.clearLog();
      const nativeRestore = await bfcacheNative(page, harness);
      harness.server.clearLog();
      const nativeHalfOpen = await halfOpen(page, harness, true);
      await fetch(`${harness.baseUrl}/control/clear-faults`, { method: 'POST' });
      const cached = restore.some((v) => typeof v === 'number');
      rows.push({ name, version: await versionOf(browser), restore: cached ? fmt(restore) : 'not cached (the engine keeps pages with a WebSocket out)', nativeRestore, replaced: fmt(replaced), nativeHalfOpen });
      console.log(name, JSON.stringify(rows.at(-1)));
    } finally {
      await browser.close();
    }
  }
} finally {
  await harness.close();
}

const table = [
  `Run of ${new Date().toISOString().slice(0, 10)}, ${runs} runs per engine, medians (min-max); loopback, this machine's browsers.`,
  '',
  '| engine | bfcache: `pageshow` → `open` | native `WebSocket` after the restore | black-holed link: visible → replaced (probe 3 s) | native `WebSocket` on it |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.name} ${r.version} | ${r.restore} | ${r.nativeRestore} | ${r.replaced} | ${r.nativeHalfOpen} |`),
  '',
].join('\n');
writeFileSync(join(here, 'lifecycle.md'), `# Page-lifecycle figures (\`npm run bench:lifecycle\`)\n\n${table}`);
console.log(table);
