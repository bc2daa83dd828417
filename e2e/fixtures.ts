// Playwright `test` for this suite:
//   - `engine` (set per project in playwright.config.ts) says how to get the browser; `browser` launches it, or
//     fails every test of the project with the install hint when it is missing (never a skip);
//   - one context and one tab per browser, reused by every test of the worker: `page` navigates it to about:blank
//     around each test, so no socket, worker or timer of one test outlives it. WebKitGTK's driver has a single tab
//     anyway; in Chromium and Firefox a new context and tab per test cost 0.5-0.7 s, a minute per run. Tests stay
//     apart because each one's harness has its own port, so its own origin (storage, Web Locks, BroadcastChannel);
//     what a test may change on the shared context or tab (extra tabs, offline, listeners) is undone after it;
//   - `harness`: a fresh test server + fault proxy per test (own ports, clean fault state and log), closed after.
import { test as base, expect, type Browser, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../harness/browsers/browsers.mjs';
import { installFirefoxBidiShim } from '../harness/browsers/firefox-bidi-shim.mjs';
import { startHarness, type Harness } from '../harness/server/index.mjs';
import { launchWebKitGTK } from '../harness/browsers/webkitgtk.mjs';

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(e2eDir);

/** What every test's harness serves: the probe pages, and the built SDK (npm run build) for the SDK suites. */
export const STATIC_ROOTS = {
  '/pages/': path.join(e2eDir, 'pages'),
  '/dist/': path.join(repoDir, 'dist'),
  '/build/': path.join(e2eDir, '.build'), // the ES module page, bundled by Vite (e2e/vite.config.ts)
};

type WorkerFixtures = {
  engine: Engine;
};

type TestFixtures = {
  harness: Harness;
};

/** Each browser's one tab; `context` and `page` use it instead of opening new ones. */
const tabs = new Map<Browser, Page>();

export const test = base.extend<TestFixtures, WorkerFixtures>({
  engine: [undefined as unknown as Engine, { option: true, scope: 'worker' }],

  browser: [
    async ({ playwright, engine, headless }, use, workerInfo) => {
      if (!engine) throw new Error(`project ${workerInfo.project.name} has no \`engine\`: see e2e/playwright.config.ts`);
      if (engine.route === 'missing') throw new Error(engine.error);
      const { browser, close } = await launch(playwright, engine, headless).catch((e: Error) => {
        throw new Error(`cannot start ${engine.label}: ${e.message}`);
      });
      await use(browser);
      await close();
      tabs.delete(browser);
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  context: async ({ browser }, use) => {
    await use(tabs.get(browser)!.context());
  },

  page: async ({ browser, engine }, use) => {
    const tab = tabs.get(browser)!;
    await tab.goto('about:blank');
    await use(tab);
    for (const other of tab.context().pages()) if (other !== tab) await other.close().catch(() => {});
    if (engine.name === 'chromium') await tab.context().setOffline(false);
    tab.removeAllListeners();
    await tab.goto('about:blank').catch(() => {});
  },

  harness: async ({}, use) => {
    const harness = await startHarness({ static: STATIC_ROOTS });
    await use(harness);
    await harness.close();
  },
});

type Launched = { browser: Browser; close: () => Promise<void> };

async function launch(playwright: PlaywrightWorkerArgs['playwright'], engine: Exclude<Engine, { route: 'missing' }>, headless: boolean): Promise<Launched> {
  if (engine.route === 'webkitgtk') {
    const wk = await launchWebKitGTK(playwright.webkit, { minibrowser: engine.minibrowser, timeout: 45_000 });
    tabs.set(wk.browser, wk.page);
    return { browser: wk.browser, close: wk.close };
  }
  if (engine.launch.channel === 'moz-firefox') installFirefoxBidiShim();
  const browser = await playwright[engine.name].launch({ ...engine.launch, headless });
  tabs.set(browser, await (await browser.newContext()).newPage());
  return { browser, close: () => browser.close() };
}

export { expect };
