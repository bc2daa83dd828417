// `npm run bench [-- --quick] [--case=echo64,flow,...] [--browsers=chromium,firefox,webkit] [--no-herd] [--no-size]
//  [--libs=native,steadysocket,...] [--rounds=N] [--set=echoLargeN=128,...] [--out=DIR] [--compare <saved results.json>]`
//
// Runs the cases (bench/cases.mjs, in-page code in bench/browser-*.js) in Chromium, Firefox and WebKit for the
// native WebSocket, steadysocket and its peers (reconnecting-websocket, partysocket, sockette, websocket-ts), in
// interleaved rounds, against one local harness (harness/server); then the thundering-herd check in Node
// (bench/herd.mjs) and the bundle sizes (bench/size.mjs); writes results.md + results.svg (bench/report.mjs,
// bench/chart.mjs) and the raw runs as JSON. A full run (no --quick, no --case) writes into bench/ and the README's
// summary; --quick into bench/.build/quick/, --case into bench/.build/partial/, so a check never overwrites the
// published figures. --libs, --rounds (every case's rounds) and --set (numbers of the plan in bench/cases.mjs)
// are for focused experiments, e.g. 25 rounds of one case for native and steadysocket only. --compare prints what moved against a saved raw results file
// (bench/compare.mjs).
// Needs `npm run build` first.
//
// Measurements only mean something on an otherwise idle machine: run nothing else that uses the cores meanwhile
// (no e2e suite, no second bench).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../harness/server/index.mjs';
import { buildPage, servePage } from './build.mjs';
import { CASES, plan, runBrowserCases } from './cases.mjs';
import { compareResults } from './compare.mjs';
import { herdPlan, runHerd } from './herd.mjs';
import { launchBrowser } from './launch.mjs';
import { writeReport } from './report.mjs';
import { measureSizes } from './size.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');
const browsers = (option('browsers') ?? 'chromium,firefox,webkit').split(',').filter(Boolean);
const cases = option('case')?.split(',').filter(Boolean);
const unknown = cases?.filter((c) => !CASES.includes(c));
if (unknown?.length) throw new Error(`unknown case ${unknown.join(', ')}: the cases are ${CASES.join(', ')}`);
const compareWith = option('compare') ?? (args.includes('--compare') ? args[args.indexOf('--compare') + 1] : undefined);
const kind = quick ? 'quick' : cases || args.some((a) => /^--(libs|rounds|set)=/.test(a)) ? 'partial' : 'full';
const outDir = resolve(option('out') ?? (kind === 'full' ? here : join(here, '.build', kind)));
const baseline = compareWith && JSON.parse(readFileSync(resolve(compareWith), 'utf8')); // read first: fail before running
const cfg = plan(quick);
if (option('rounds')) for (const name of Object.keys(cfg.rounds)) cfg.rounds[name] = Number(option('rounds'));
for (const pair of option('set')?.split(',') ?? []) {
  const [key, value] = pair.split('=');
  if (typeof cfg[key] !== 'number') throw new Error(`--set: ${key} is not a number of the plan`);
  cfg[key] = Number(value);
}
const libs = option('libs')?.split(',').filter(Boolean);
const herdCfg = herdPlan(quick);

const started = performance.now();
const say = (message) => console.log(`[${String(Math.round((performance.now() - started) / 1000)).padStart(3)} s] ${message}`);

const results = {
  quick,
  cases: cases ?? CASES,
  date: new Date().toISOString(),
  machine: machine(),
  versions: versions(),
  config: { ...cfg, herd: herdCfg },
  browsers: {},
  herd: null,
  sizes: null,
};

say(`${kind} run: ${browsers.join(', ')}`);
await buildPage();
const harness = await startHarness({ onRequest: servePage, recordPayloads: false });
try {
  for (const name of browsers) {
    say(`${name}: starting`);
    let browser;
    try {
      browser = await launchBrowser(name);
      const { page } = browser;
      page.setDefaultTimeout(120_000);
      await page.goto(`${harness.baseUrl}/bench/index.html${name === 'webkit' ? '' : '?isolated'}`); // see servePage()
      await page.waitForFunction(() => globalThis.bench?.ready);
      const info = await page.evaluate(() => ({
        ua: navigator.userAgent, heap: globalThis.bench.heapAvailable, gc: globalThis.bench.gcAvailable,
        isolated: globalThis.bench.isolated, tick: globalThis.bench.timerTick(),
      }));
      const version = browser.version || webkitVersion(info.ua);
      results.browsers[name] = {
        version, label: browser.label, userAgent: info.ua, heapAvailable: info.heap, isolated: info.isolated, timerTickUs: info.tick, cases: null,
      };
      say(`${name} ${version}${info.isolated ? ', cross-origin isolated' : ''}, performance.now() ticks ${info.tick} µs`);
      const t0 = performance.now();
      Object.assign(results.browsers[name], await runBrowserCases(page, harness, cfg, say, {
        heap: info.heap && info.gc, cases, libs,
      }));
      results.browsers[name].durationS = (performance.now() - t0) / 1000;
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

if (!args.includes('--no-herd') && !cases) {
  say(`herd: ${herdCfg.clients} clients per row, restart and ${herdCfg.outageMs / 1000} s outage, ${herdCfg.runs} run(s)`);
  results.herd = await runHerd(herdCfg, say);
}
if (!args.includes('--no-size') && !cases) {
  results.sizes = (await measureSizes()).map(({ code, ...row }) => row);
  say('sizes done');
}

results.durationS = (performance.now() - started) / 1000;
mkdirSync(outDir, { recursive: true });
mkdirSync(join(here, '.build'), { recursive: true });
const raw = join(here, '.build', kind === 'full' ? 'results.json' : `results-${kind}.json`);
writeFileSync(raw, JSON.stringify(results, null, 2));
const written = [raw, ...writeReport(results, outDir)];
say(`wrote ${written.map((f) => f.replace(`${process.cwd()}/`, '')).join(', ')} in ${results.durationS.toFixed(0)} s`);
if (baseline) process.exitCode = compareResults(baseline, results, console.log);

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

/** The peers' versions, as installed (steadysocket's is this checkout). */
function versions() {
  const read = (name) => JSON.parse(readFileSync(join(here, '..', 'node_modules', name, 'package.json'), 'utf8')).version;
  return Object.fromEntries(['reconnecting-websocket', 'partysocket', 'sockette', 'websocket-ts'].map((name) => [name, read(name)]));
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
