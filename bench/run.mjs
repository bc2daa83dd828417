// `npm run bench [-- --quick] [--browsers=chromium,firefox,webkit] [--no-herd] [--no-size] [--out=DIR]`
//
// Runs every case in Chromium, Firefox and WebKit (bench/cases.mjs, in-page code in bench/browser-cases.js) for the
// native WebSocket, steadysocket, reconnecting-websocket, partysocket and sockette, against one local harness
// (harness/server), then the thundering-herd check in Node (bench/herd.mjs) and the bundle sizes (bench/size.mjs), and
// writes results.md + results.svg (bench/report.mjs, bench/chart.mjs). The full run writes into bench/, --quick into
// bench/.build/quick/ (so a check never overwrites the published numbers). Needs `npm run build` first.
//
// Measurements only mean something on an otherwise idle machine: on shared machines, take the browser lock,
// `flock /tmp/browser.lock npm run bench`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../harness/server/index.mjs';
import { buildPage } from './build.mjs';
import { plan, runBrowserCases } from './cases.mjs';
import { runHerd } from './herd.mjs';
import { launchBrowser } from './launch.mjs';
import { writeReport } from './report.mjs';
import { measureSizes } from './size.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');
const browsers = (option('browsers') ?? 'chromium,firefox,webkit').split(',').filter(Boolean);
const outDir = resolve(option('out') ?? (quick ? join(here, '.build', 'quick') : here));
const cfg = plan(quick);
const herdCfg = { clients: quick ? 200 : 1000, runs: quick ? 1 : 3, minDelayMs: cfg.minDelayMs, maxDelayMs: cfg.maxDelayMs };

const started = performance.now();
const say = (message) => console.log(`[${String(Math.round((performance.now() - started) / 1000)).padStart(3)} s] ${message}`);

const results = {
  quick,
  date: new Date().toISOString(),
  machine: machine(),
  config: { ...cfg, herd: herdCfg },
  browsers: {},
  herd: null,
  sizes: null,
};

say(`${quick ? 'quick' : 'full'} run: ${browsers.join(', ')}`);
await buildPage();
const harness = await startHarness({ static: { '/bench/': join(here, '.build') }, recordPayloads: false });
try {
  for (const name of browsers) {
    say(`${name}: starting`);
    let browser;
    try {
      browser = await launchBrowser(name);
      const { page } = browser;
      page.setDefaultTimeout(120_000);
      await page.goto(`${harness.baseUrl}/bench/index.html`);
      await page.waitForFunction(() => globalThis.bench?.ready);
      const info = await page.evaluate(() => ({ ua: navigator.userAgent, heap: globalThis.bench.heapAvailable, gc: globalThis.bench.gcAvailable }));
      const version = browser.version || webkitVersion(info.ua);
      results.browsers[name] = { version, label: browser.label, userAgent: info.ua, heapAvailable: info.heap, cases: null };
      say(`${name} ${version}`);
      results.browsers[name].cases = await runBrowserCases(page, harness, cfg, say, { freshPages: name === 'chromium' });
    } catch (e) {
      say(`${name}: failed: ${e.message}`);
      results.browsers[name] = { ...results.browsers[name], error: String(e.message ?? e).split('\n')[0] };
    } finally {
      await browser?.close().catch(() => {});
    }
  }
} finally {
  await harness.close();
}

if (!args.includes('--no-herd')) {
  say(`herd: ${herdCfg.clients} clients per library, ${herdCfg.runs} run(s)`);
  results.herd = await runHerd(herdCfg, say);
}
if (!args.includes('--no-size')) {
  results.sizes = (await measureSizes()).map(({ code, ...row }) => row);
  say('sizes done');
}

results.durationS = (performance.now() - started) / 1000;
mkdirSync(outDir, { recursive: true });
mkdirSync(join(here, '.build'), { recursive: true });
writeFileSync(join(here, '.build', quick ? 'results-quick.json' : 'results.json'), JSON.stringify(results, null, 2));
const written = writeReport(results, outDir);
say(`wrote ${written.map((f) => f.replace(`${process.cwd()}/`, '')).join(', ')} in ${results.durationS.toFixed(0)} s`);

function machine() {
  const cpus = os.cpus();
  let distro = os.type();
  try {
    distro = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? distro;
  } catch {}
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${distro}, Linux ${os.release()}`,
    node: process.version,
    playwright: JSON.parse(readFileSync(join(here, '..', 'node_modules', 'playwright-core', 'package.json'), 'utf8')).version,
  };
}

/** WebKitGTK's inspector reports no version: take the Debian package's, and the engine's from the user agent. */
function webkitVersion(ua) {
  let pkg = '';
  try {
    pkg = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' });
  } catch {}
  const engine = /AppleWebKit\/([\d.]+)/.exec(ua)?.[1];
  return [pkg && `WebKitGTK ${pkg}`, engine && `AppleWebKit/${engine}`].filter(Boolean).join(', ') || 'unknown';
}
