// `npm run bench:react [-- --browsers=chromium,firefox,webkit --runs=3 --n=5000]`: a React app receiving a burst of
// `n` messages from the server, with steadysocket/react, react-use-websocket 4.13 and partysocket/react 1.3, each
// used as its README shows (bench/react-cases.js), React 19's production build, in each engine, in one run:
// how many times the app's handler ran, how many renders, how many messages reached React state, and the time from
// the first handler call to the render that shows the last message (median of `runs`). Writes bench/react.md.
// Needs `npm run build` first (the page imports dist/react.js).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { startHarness } from '../harness/server/index.mjs';
import { launchBrowser } from './launch.mjs';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Number(option('runs') ?? 3);
const n = Number(option('n') ?? 5000);
const browsers = (option('browsers') ?? 'chromium,firefox,webkit').split(',').filter(Boolean);
const LIBS = ['steadysocket', 'react-use-websocket', 'partysocket/react'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!existsSync(join(root, 'dist', 'react.js'))) throw new Error('dist/ is missing: run `npm run build` first');
const out = join(here, '.build', 'react');
mkdirSync(out, { recursive: true });
const bundle = await rolldown({
  input: join(here, 'react-cases.js'),
  platform: 'browser',
  logLevel: 'warn',
  transform: { define: { 'process.env.NODE_ENV': '"production"' } },
});
await bundle.write({ dir: out, format: 'es', entryFileNames: 'cases.js', minify: true });
await bundle.close();
writeFileSync(join(out, 'index.html'), '<!doctype html>\n<meta charset="utf-8">\n<title>bench:react</title>\n<div id="root"></div>\n<script type="module" src="./cases.js"></script>\n');

/** Polls `check` every 20 ms until it returns a truthy value (or throws after `ms`). */
async function until(check, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

/** Uncaught errors in the page, since the last burst started. */
const errors = [];

/** One run of one library: open, one burst of `n` messages, then its figures once nothing has happened for 1 s. */
async function burst(page, harness, lib) {
  harness.server.clearLog();
  errors.length = 0;
  await page.goto(`${harness.baseUrl}/bench-react/index.html?lib=${encodeURIComponent(lib)}&n=${n}&ws=${encodeURIComponent(harness.wsUrl('/sink'))}`);
  await until(() => page.evaluate(() => self.bench?.().open));
  await until(() => harness.server.openConnections().length === 1);
  const before = await page.evaluate(() => self.bench().renders);
  for (let i = 1; i <= n; i++) harness.server.send('all', `m${i}`);
  const r = await until(() => page.evaluate(() => {
    const s = self.bench();
    return s.handlerCalls && s.nowMs - s.activityMs > 1000 ? s : null;
  }), 180_000);
  const connections = harness.server.log().connections.length;
  await page.goto('about:blank');
  return { ...r, renders: r.renders - before, connections, error: errors[0]?.match(/error #\d+/)?.[0] ?? errors[0] ?? null };
}

const rows = [];
const harness = await startHarness({ static: { '/bench-react/': out }, recordPayloads: false });
try {
  for (const name of browsers) {
    const browser = await launchBrowser(name);
    browser.page.on('pageerror', (error) => {
      errors.push(error.message);
      console.error(`${name}: ${error.message}`);
    });
    try {
      const results = Object.fromEntries(LIBS.map((lib) => [lib, []]));
      for (let run = 0; run < runs; run++) for (const lib of LIBS) results[lib].push(await burst(browser.page, harness, lib));
      const version = browser.version || (await browser.page.evaluate(() => navigator.userAgent)).match(/AppleWebKit\/[\d.]+/)?.[0] || '';
      for (const lib of LIBS) {
        const all = results[lib];
        const row = {
          engine: `${name} ${version}`, lib,
          handlerCalls: median(all.map((r) => r.handlerCalls)), renders: median(all.map((r) => r.renders)),
          history: median(all.map((r) => r.history)),
          callsMs: Math.round(median(all.map((r) => r.callsMs))),
          elapsedMs: all.every((r) => r.elapsedMs !== null) ? Math.round(median(all.map((r) => r.elapsedMs))) : null,
          connections: Math.max(...all.map((r) => r.connections)),
          error: all.find((r) => r.error)?.error ?? null,
        };
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await harness.close();
}

const fmt = (x) => (x === null ? 'never' : x.toLocaleString('en-US'));
const table = [
  `Run of ${new Date().toISOString().slice(0, 10)}; loopback, this machine's browsers; React 19 production build; a burst of ${fmt(n)} text messages sent by the server at once; medians of ${runs} runs. Each app appends every message to a history in React state and renders its length and last entry (bench/react-cases.js).`,
  '',
  '| engine | library | handler calls | renders during the burst | messages in React state | first → last handler call | first message → last one rendered | uncaught error |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map((r) => `| ${r.engine} | ${r.lib} | ${fmt(r.handlerCalls)} | ${fmt(r.renders)} | ${fmt(r.history)} | ${fmt(r.callsMs)} ms | ${r.elapsedMs === null ? 'never' : `${fmt(r.elapsedMs)} ms`} | ${r.error ? `React ${r.error}` : 'none'} |`),
  '',
  'React error #185 is "Maximum update depth exceeded". react-use-websocket sets `lastMessage` inside `flushSync` for every message, so each message is a synchronous render whose effect (the app\'s, as its README writes it) sets state again; during the burst React counts these as nested updates, stops at its limit with this error and unmounts the root: the messages after it reach nothing.',
  '',
].join('\n');
writeFileSync(join(here, 'react.md'), `# React figures (\`npm run bench:react\`)\n\n${table}`);
console.log(table);
