// @ts-check
// Chromium for the page-lifecycle tests, launched without Playwright's defaults that would hide what is tested:
//   - Playwright's own launch passes --disable-back-forward-cache; `withBfcache` launches through Playwright without it;
//   - every page Playwright creates gets CDP focus emulation, which keeps it "visible", so Page.setWebLifecycleState
//     cannot freeze it (no `freeze`/`resume` events). `unmanaged` starts Chromium itself and attaches with
//     connectOverCDP(..., { noDefaults: true }), which leaves the default context's pages alone.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * @typedef {import('playwright-core').Browser} Browser
 * @typedef {import('playwright-core').BrowserType} BrowserType
 * @typedef {import('playwright-core').LaunchOptions} LaunchOptions
 */

/**
 * Chromium through Playwright, with the back/forward cache on.
 * @param {BrowserType} chromium
 * @param {LaunchOptions} launch the engine's launch options (browsers.mjs)
 */
export function withBfcache(chromium, launch) {
  return chromium.launch({ ...launch, headless: true, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
}

/**
 * Chromium started as a plain process (headless, its own profile) and attached over CDP without Playwright's
 * per-page overrides. Returns the browser and its first page; `close()` ends the process and removes the profile.
 * @param {BrowserType} chromium
 * @param {string} executablePath
 * @returns {Promise<{ browser: Browser, page: import('playwright-core').Page, close: () => Promise<void> }>}
 */
export async function unmanaged(chromium, executablePath) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'steadysocket-chromium-'));
  const proc = spawn(executablePath, [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true }); // its own process group, helpers included
  const close = async () => {
    const exited = new Promise((resolve) => (proc.exitCode !== null ? resolve(undefined) : proc.once('exit', resolve)));
    try {
      process.kill(-(/** @type {number} */ (proc.pid)), 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
    // The helpers may still hold files of the profile for a moment after the group is killed.
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 50, retryDelay: 100 });
  };
  try {
    const endpoint = await new Promise((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`chromium did not start: ${stderr.slice(-500)}`)), 20_000);
      proc.stderr.on('data', (chunk) => {
        stderr += chunk;
        const found = /DevTools listening on (ws:\S+)/.exec(stderr);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      proc.once('exit', (code) => reject(new Error(`chromium exited (${code}): ${stderr.slice(-500)}`)));
    });
    const browser = await chromium.connectOverCDP(/** @type {string} */ (endpoint), { noDefaults: true });
    const page = browser.contexts()[0]?.pages()[0] ?? (await browser.contexts()[0].newPage());
    return { browser, page, close: async () => { await browser.close().catch(() => {}); await close(); } };
  } catch (error) {
    await close();
    throw error;
  }
}
