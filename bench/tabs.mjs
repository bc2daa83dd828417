// `npm run bench:tabs [-- --browsers=chromium,firefox,webkit --runs=10]`: the figures of the README's "One connection
// for all tabs" section, in each engine: server connections for 1, 4 and 16 tabs (shared, and one SteadySocket per
// tab), the takeover time when the leader's tab goes away (median and max of `runs`), and a follower's round trip
// against the leader's (send → echo → receive, medians of 200). Tabs are iframes of the e2e tab page (e2e/esm/tab.html,
// built into e2e/.build); the server is the harness's /echo. Writes bench/tabs.md.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../harness/server/index.mjs';
import { launchBrowser } from './launch.mjs';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Number(option('runs') ?? 10);
const browsers = (option('browsers') ?? 'chromium,firefox,webkit').split(',').filter(Boolean);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', join(root, 'e2e', 'vite.config.ts')], { stdio: 'ignore' });

async function until(check, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

/** A fresh host page with `count` tabs, started; resolves once every tab is open. */
async function tabs(page, harness, count, params = {}) {
  await page.goto(`${harness.baseUrl}/pages/tabs.html`);
  const ids = Array.from({ length: count }, (_, i) => `t${i}`);
  for (const id of ids) await page.evaluate((tabId) => self.addTab(tabId), id);
  await page.evaluate(({ list, p }) => list.forEach((id) => self.tab(id).start(p)), { list: ids, p: { wsUrl: harness.wsUrl('/echo'), ...params } });
  await until(() => page.evaluate((list) => list.every((id) => self.tab(id).state().readyState === 1), ids));
  return ids;
}

/** ms from removing the leader's iframe to a survivor's `open` of the next connection (the page's clock). */
async function takeover(page, harness) {
  const ids = await tabs(page, harness, 3);
  return page.evaluate(async (list) => {
    const leader = list.find((id) => self.tab(id).state().leader);
    const survivor = list.find((id) => id !== leader);
    const opens = () => self.tab(survivor).state().events.filter((e) => e.type === 'open').length;
    const before = opens();
    const t0 = performance.now();
    self.removeTab(leader);
    while (opens() === before) await new Promise((r) => setTimeout(r, 2));
    // The event's time is on the iframe's clock: move it to this page's.
    const offset = document.getElementById(survivor).contentWindow.performance.timeOrigin - performance.timeOrigin;
    return self.tab(survivor).state().events.filter((e) => e.type === 'open').at(-1).t + offset - t0;
  }, ids);
}

/** Median round trip (send → the echo back in the same tab) of 200 messages, from the leader's tab and a follower's. */
async function roundTrips(page, harness) {
  const ids = await tabs(page, harness, 2);
  return page.evaluate(async (list) => {
    const leader = list.find((id) => self.tab(id).state().leader);
    const follower = list.find((id) => id !== leader);
    const trip = (id, i) => self.tab(id).roundTrip(`${id}-rtt${i}`);
    const out = { leader: [], follower: [] };
    for (let i = 0; i < 200; i++) {
      out.leader.push(await trip(leader, i));
      out.follower.push(await trip(follower, i));
    }
    const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
    return { leader: med(out.leader), follower: med(out.follower) };
  }, ids);
}

const rows = [];
const harness = await startHarness({ static: { '/pages/': join(root, 'e2e', 'pages'), '/dist/': join(root, 'dist'), '/build/': join(root, 'e2e', '.build') }, recordPayloads: false });
try {
  for (const name of browsers) {
    const browser = await launchBrowser(name);
    try {
      const { page } = browser;
      const connections = {};
      for (const count of [1, 4, 16]) {
        harness.server.clearLog();
        await tabs(page, harness, count);
        const shared = harness.server.openConnections().length;
        await page.goto('about:blank');
        await until(() => harness.server.openConnections().length === 0);
        await tabs(page, harness, count, { noLocks: true });
        const perTab = harness.server.openConnections().length;
        await page.goto('about:blank');
        await until(() => harness.server.openConnections().length === 0);
        connections[count] = `${shared} vs ${perTab}`;
      }
      const takeovers = [];
      for (let i = 0; i < runs; i++) {
        takeovers.push(await takeover(page, harness));
        await page.goto('about:blank');
      }
      const rtt = await roundTrips(page, harness);
      await page.goto('about:blank');
      const row = {
        name, version: browser.version || (await page.evaluate(() => navigator.userAgent)).match(/AppleWebKit\/[\d.]+/)?.[0] || '',
        connections, takeoverMedian: Math.round(median(takeovers)), takeoverMax: Math.round(Math.max(...takeovers)),
        rttLeader: rtt.leader.toFixed(2), rttFollower: rtt.follower.toFixed(2),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    } finally {
      await browser.close();
    }
  }
} finally {
  await harness.close();
}

const table = [
  `Run of ${new Date().toISOString().slice(0, 10)}; loopback, this machine's browsers; tabs are same-origin iframes.`,
  '',
  '| engine | server connections, 1 / 4 / 16 tabs: shared vs one per tab | takeover after the leader\'s tab goes away (median, max of ' + runs + ') | round trip from the leader\'s tab / a follower\'s (median of 200) |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.name} ${r.version} | ${r.connections[1]} / ${r.connections[4]} / ${r.connections[16]} | ${r.takeoverMedian} ms, ${r.takeoverMax} ms | ${r.rttLeader} ms / ${r.rttFollower} ms |`),
  '',
].join('\n');
writeFileSync(join(here, 'tabs.md'), `# Shared-connection figures (\`npm run bench:tabs\`)\n\n${table}`);
console.log(table);
