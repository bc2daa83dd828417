// End-to-end tests in real Chromium, Firefox and WebKit: `npm run test:e2e` (or
// `npx playwright test -c e2e/playwright.config.ts [--project=webkit]`). Browsers: see harness/browsers/browsers.mjs; install
// with `node harness/browsers/setup.mjs`. The test server is a per-test fixture (fixtures.ts), so there is no webServer here.
import { defineConfig } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveEngines, type Engine } from '../harness/browsers/browsers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const engines = resolveEngines();

export default defineConfig<{ engine: Engine }>({
  testDir: path.join(here, 'tests'),
  outputDir: path.join(here, '.output'),
  // One browser at a time: the machines have 2 cores and the tests measure timings.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  globalTimeout: 15 * 60_000,
  expect: { timeout: 10_000 },
  use: { headless: true, actionTimeout: 10_000, navigationTimeout: 15_000 },
  projects: [
    { name: 'chromium', use: { browserName: 'chromium', engine: engines.chromium } },
    { name: 'firefox', use: { browserName: 'firefox', engine: engines.firefox } },
    { name: 'webkit', use: { browserName: 'webkit', engine: engines.webkit } },
  ],
});
