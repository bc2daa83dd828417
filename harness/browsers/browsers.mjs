// @ts-check
// Which browser each Playwright project runs, decided when the config loads:
//   1. Playwright's own build, when `npx playwright install` put it on this machine (developer laptops);
//   2. otherwise Debian's: chromium, firefox-esr (through WebDriver BiDi), WebKitGTK's MiniBrowser (through its
//      remote inspector, see webkitgtk.mjs). CI and these dev boxes cannot download browsers, so this is the norm.
// A browser that is found nowhere does not skip its tests: the project's browser fixture throws `error` and every
// test of that project fails with it.
import fs from 'node:fs';
import { chromium, firefox, webkit } from 'playwright-core';
import { SYSTEM, forceSystem, isExecutable, needsXvfb } from './browser-env.mjs';

/**
 * @typedef {'chromium' | 'firefox' | 'webkit'} EngineName
 *
 * @typedef {{ name: EngineName, route: 'playwright', launch: import('playwright-core').LaunchOptions, label: string }
 *   | { name: 'chromium' | 'firefox', route: 'debian', launch: import('playwright-core').LaunchOptions, label: string }
 *   | { name: 'webkit', route: 'webkitgtk', minibrowser: string, label: string }
 *   | { name: EngineName, route: 'missing', error: string, label: string }} Engine
 *   route 'playwright': Playwright's own browser build, plain `browserType.launch(launch)`.
 *   route 'debian': Debian's chromium, or Debian's firefox-esr over WebDriver BiDi (channel 'moz-firefox').
 *   route 'webkitgtk': Debian's WebKitGTK MiniBrowser, driven over its remote inspector.
 *   route 'missing': not installed; `error` says how to install it.
 */

const SETUP = 'node harness/browsers/setup.mjs';

/**
 * Playwright's own executable for `name`, if it is installed.
 * @param {EngineName} name
 * @returns {string | null}
 */
function playwrightBuild(name) {
  if (forceSystem()) return null;
  const types = { chromium, firefox, webkit };
  try {
    const file = types[name].executablePath();
    return file && fs.existsSync(file) ? file : null;
  } catch {
    return null; // playwright-core throws for browsers it has no build of on this platform
  }
}

/**
 * @param {EngineName} name
 * @param {string} debianPart
 * @returns {Engine}
 */
function missing(name, debianPart) {
  return {
    name,
    route: 'missing',
    label: `${name}: not installed`,
    error:
      `No ${name} browser on this machine: Playwright's own build is not installed ` +
      `and ${debianPart}. Install it with \`${SETUP}\` (as root; it runs apt-get), ` +
      `or \`npx playwright install ${name}\` where browser downloads work.`,
  };
}

/** @returns {Engine} */
export function resolveChromium() {
  const own = playwrightBuild('chromium');
  if (own) return { name: 'chromium', route: 'playwright', launch: { executablePath: own }, label: `Playwright chromium (${own})` };
  const { path, pkg } = SYSTEM.chromium;
  if (!isExecutable(path)) return missing('chromium', `Debian's \`${pkg}\` package is not (${path} missing)`);
  // Playwright adds --no-sandbox itself (root has no usable sandbox); no GPU on these machines.
  return { name: 'chromium', route: 'debian', launch: { executablePath: path, args: ['--disable-gpu'] }, label: `Debian chromium (${path})` };
}

/** @returns {Engine} */
export function resolveFirefox() {
  const own = playwrightBuild('firefox');
  if (own) return { name: 'firefox', route: 'playwright', launch: { executablePath: own }, label: `Playwright firefox (${own})` };
  const { path, pkg } = SYSTEM.firefox;
  if (!isExecutable(path)) return missing('firefox', `Debian's \`${pkg}\` package is not (${path} missing)`);
  // Stock Firefox has no Juggler; Playwright's 'moz-firefox' channel speaks WebDriver BiDi to it instead.
  return {
    name: 'firefox',
    route: 'debian',
    launch: { executablePath: path, channel: 'moz-firefox' },
    label: `Debian firefox-esr over WebDriver BiDi (${path})`,
  };
}

/** @returns {Engine} */
export function resolveWebKit() {
  const own = playwrightBuild('webkit');
  if (own) return { name: 'webkit', route: 'playwright', launch: { executablePath: own }, label: `Playwright webkit (${own})` };
  /** @type {string[]} */
  const lacking = [];
  if (!isExecutable(SYSTEM.minibrowser.path)) lacking.push(`\`${SYSTEM.minibrowser.pkg}\` (${SYSTEM.minibrowser.path})`);
  if (needsXvfb() && !isExecutable(SYSTEM.xvfb.path)) lacking.push(`\`${SYSTEM.xvfb.pkg}\` (${SYSTEM.xvfb.path}; DISPLAY is unset)`);
  if (lacking.length) return missing('webkit', `Debian's WebKitGTK route lacks ${lacking.join(' and ')}`);
  return {
    name: 'webkit',
    route: 'webkitgtk',
    minibrowser: SYSTEM.minibrowser.path,
    label: `Debian WebKitGTK MiniBrowser over its inspector (${SYSTEM.minibrowser.path})`,
  };
}

/** @returns {Record<EngineName, Engine>} */
export function resolveEngines() {
  return { chromium: resolveChromium(), firefox: resolveFirefox(), webkit: resolveWebKit() };
}
