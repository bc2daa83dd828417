// Starts one browser for the benchmark the way the e2e suite does (harness/browsers: browsers.mjs decides between
// Playwright's own build and Debian's; webkitgtk.mjs drives WebKitGTK's MiniBrowser, which has one tab and no new
// contexts; firefox-bidi-shim.mjs lets Playwright open a page in Debian's Firefox over WebDriver BiDi).
import { chromium, firefox, webkit } from 'playwright-core';
import { resolveEngines } from '../harness/browsers/browsers.mjs';
import { installFirefoxBidiShim } from '../harness/browsers/firefox-bidi-shim.mjs';
import { launchWebKitGTK } from '../harness/browsers/webkitgtk.mjs';

const TYPES = { chromium, firefox, webkit };
/** Chromium only: exact (not bucketed) performance.memory, and gc() so each flow run starts from a collected heap. */
const CHROMIUM_ARGS = ['--enable-precise-memory-info', '--js-flags=--expose-gc'];

/** @returns {Promise<{ page: import('playwright-core').Page, version: string, label: string, close: () => Promise<void> }>} */
export async function launchBrowser(name) {
  const engine = resolveEngines()[name];
  if (engine.route === 'missing') throw new Error(engine.error);
  if (engine.route === 'webkitgtk') {
    const wk = await launchWebKitGTK(webkit, { minibrowser: engine.minibrowser, timeout: 45_000 });
    return { page: wk.page, version: wk.version, label: engine.label, close: wk.close };
  }
  if (engine.launch.channel === 'moz-firefox') installFirefoxBidiShim();
  const launch = { ...engine.launch, headless: true };
  if (name === 'chromium') launch.args = [...(launch.args ?? []), ...CHROMIUM_ARGS];
  const browser = await TYPES[name].launch(launch);
  const context = await browser.newContext();
  const page = await context.newPage();
  return { page, version: browser.version(), label: engine.label, close: () => browser.close() };
}
