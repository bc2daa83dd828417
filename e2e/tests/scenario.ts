// Runs one of the in-page scenarios (e2e/pages/scenarios*.js) and returns what the page saw.
import type { Page } from '@playwright/test';
import type { Harness } from '../../harness/server/index.mjs';

/** The pages that host the scenarios: Vite-bundled ES module, plain <script> IIFE, dedicated Worker. */
export const HOST_PAGES = { esm: '/build/index.html', iife: '/pages/iife.html', worker: '/pages/worker.html' } as const;
export type Host = keyof typeof HOST_PAGES;

export async function runScenario<T = any>(page: Page, harness: Harness, host: Host, name: string, params: object = {}): Promise<T> {
  await page.goto(harness.baseUrl + HOST_PAGES[host]);
  await page.waitForFunction(() => typeof (self as any).run === 'function');
  return page.evaluate(
    ([n, p]) => (self as any).run(n, p),
    [name, { wsUrl: harness.wsUrl('/echo'), origin: harness.baseUrl, ...params }] as const,
  );
}
