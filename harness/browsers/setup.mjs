#!/usr/bin/env node
// @ts-check
// Installs what the e2e browsers need on Debian 12 and builds the WebKitGTK preload library.
//
//   node harness/browsers/setup.mjs               apt-get install the browsers' packages (root), build harness/.cache/soup-ws-unlimit.so
//   node harness/browsers/setup.mjs --if-missing  the same, only if a browser the suite will use is missing (else one line)
//
// Playwright's own browsers count as present (see browsers.mjs for the choice per engine). Runs before `npm ci`
// in CI, so it imports nothing from node_modules (playwright-core is optional here). Quiet: apt's output goes to
// harness/.cache/setup.log; on failure its tail is printed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  APT_BUILD_PACKAGES,
  APT_PACKAGES,
  PRELOAD,
  SYSTEM,
  buildPreload,
  forceSystem,
  isExecutable,
  needsXvfb,
  preloadIsFresh,
} from './browser-env.mjs';

const LOG = path.join(path.dirname(PRELOAD.library), 'setup.log');
const ifMissing = process.argv.includes('--if-missing');
const started = Date.now();

/** @typedef {'chromium' | 'firefox' | 'webkit'} EngineName */
/** @typedef {{ engine: EngineName, route: string } | { engine: EngineName, route: null, lacks: string[] }} Found */

/** Playwright's own executables that exist on disk (none when playwright-core is not installed yet). */
async function playwrightBuilds() {
  /** @type {Partial<Record<EngineName, string>>} */
  const found = {};
  if (forceSystem()) return found;
  try {
    const pw = await import('playwright-core');
    for (const name of /** @type {EngineName[]} */ (['chromium', 'firefox', 'webkit'])) {
      const file = pw[name].executablePath();
      if (file && fs.existsSync(file)) found[name] = file;
    }
  } catch {
    // not installed yet (CI runs this before npm ci): Debian's browsers it is
  }
  return found;
}

/** @returns {Promise<Found[]>} how each engine would run, mirroring browsers.mjs */
async function survey() {
  const own = await playwrightBuilds();
  /** @type {(engine: EngineName, route: string | null, lacks: string[]) => Found} */
  const found = (engine, route, lacks) => (route ? { engine, route } : { engine, route: null, lacks });
  const webkitLacks = [
    ...(isExecutable(SYSTEM.minibrowser.path) ? [] : [SYSTEM.minibrowser.pkg]),
    ...(needsXvfb() && !isExecutable(SYSTEM.xvfb.path) ? [SYSTEM.xvfb.pkg] : []),
  ];
  return [
    own.chromium ? found('chromium', 'Playwright', []) : found('chromium', isExecutable(SYSTEM.chromium.path) ? 'Debian' : null, [SYSTEM.chromium.pkg]),
    own.firefox ? found('firefox', 'Playwright', []) : found('firefox', isExecutable(SYSTEM.firefox.path) ? 'Debian, WebDriver BiDi' : null, [SYSTEM.firefox.pkg]),
    own.webkit ? found('webkit', 'Playwright', []) : found('webkit', webkitLacks.length ? null : 'WebKitGTK MiniBrowser', webkitLacks),
  ];
}

/** @param {Found[]} engines */
const usesWebKitGTK = (engines) => engines.some((e) => e.route === 'WebKitGTK MiniBrowser');
const hasGcc = () => spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;
const isRoot = () => process.getuid?.() === 0;
const hasApt = () => spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Run a command with its output appended to the log; on failure print the log's tail and exit.
 * @param {string[]} argv
 * @param {number} [tries]
 */
function logged(argv, tries = 1) {
  for (let attempt = 1; attempt <= tries; attempt++) {
    fs.appendFileSync(LOG, `\n$ ${argv.join(' ')}\n`);
    const fd = fs.openSync(LOG, 'a');
    const result = spawnSync(argv[0], argv.slice(1), {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    fs.closeSync(fd);
    if (result.status === 0) return;
    if (attempt < tries) spawnSync('sleep', ['5']);
  }
  const tail = fs.readFileSync(LOG, 'utf8').split('\n').slice(-30).join('\n');
  fail(`\`${argv.join(' ')}\` failed. Last lines of ${LOG}:\n${tail}`);
}

/** @param {string} message */
function fail(message) {
  console.error(`harness/browsers/setup.mjs: ${message}`);
  process.exit(1);
}

/** @param {Found[]} engines */
function installPackages(engines) {
  const packages = [...APT_PACKAGES, ...(hasGcc() ? [] : APT_BUILD_PACKAGES)];
  if (!isRoot() || !hasApt()) {
    const lacking = engines.filter((e) => !e.route).map((e) => `${e.engine} (${'lacks' in e ? e.lacks.join(', ') : ''})`);
    fail(
      `${lacking.length ? `missing: ${lacking.join('; ')}. ` : ''}` +
        `Cannot install packages (${hasApt() ? 'not root' : 'no apt-get'}). Install them yourself, then rerun this script:\n` +
        `  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages.join(' ')}\n` +
        `or, where browser downloads work: npx playwright install --with-deps chromium firefox webkit`,
    );
  }
  fs.appendFileSync(LOG, `\n=== ${new Date().toISOString()} harness/browsers/setup.mjs\n`);
  const apt = ['apt-get', '-o', 'DPkg::Lock::Timeout=300', '-o', 'Dpkg::Use-Pty=0'];
  logged([...apt, 'update'], 2);
  logged([...apt, 'install', '-y', '--no-install-recommends', ...packages], 2);
  console.log(`e2e setup: apt packages in place: ${packages.join(" ")} (${seconds()} s; log: ${path.relative(process.cwd(), LOG)})`);
}

function buildPreloadOrFail() {
  if (preloadIsFresh()) return;
  if (!hasGcc()) fail(`gcc is needed to build ${PRELOAD.library}: apt-get install -y --no-install-recommends ${APT_BUILD_PACKAGES.join(' ')}`);
  try {
    buildPreload();
  } catch (e) {
    fail(`building ${PRELOAD.library} failed:\n${/** @type {{ stderr?: Buffer }} */ (e).stderr ?? e}`);
  }
}

/** @param {string} pkg */
function debVersion(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '?';
}

/** @param {Found[]} engines */
function summary(engines) {
  const versions = { chromium: debVersion('chromium'), firefox: debVersion('firefox-esr'), webkit: debVersion('libwebkit2gtk-4.1-0') };
  return engines
    .map((e) => (e.route === 'Playwright' || !e.route ? `${e.engine} (${e.route ?? 'MISSING'})` : `${e.engine} ${versions[e.engine]} (${e.route})`))
    .join(', ');
}

const seconds = () => ((Date.now() - started) / 1000).toFixed(0);

async function main() {
  fs.mkdirSync(path.dirname(LOG), { recursive: true });
  let engines = await survey();
  const complete = engines.every((e) => e.route) && (!usesWebKitGTK(engines) || preloadIsFresh() || hasGcc());
  // --if-missing: install only when something is missing. Plain: always (CI's fresh machine), unless there is no
  // way to (not root) and no need to.
  const mustInstall = ifMissing ? !complete : isRoot() || !complete;
  if (mustInstall) {
    installPackages(engines);
    engines = await survey();
  }
  const lacking = engines.filter((e) => !e.route);
  if (lacking.length) {
    fail(`still missing after install: ${lacking.map((e) => `${e.engine} (${'lacks' in e ? e.lacks.join(', ') : ''})`).join('; ')}`);
  }
  if (usesWebKitGTK(engines)) buildPreloadOrFail();
  console.log(`e2e browsers ready: ${summary(engines)}`);
}

await main();
