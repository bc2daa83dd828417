import { test, expect } from '../fixtures';
import { startHarness } from '../harness/index.mjs';
test('probe iframes', async ({ page }) => {
  const h = await startHarness({ static: { '/p/': '/tmp/probe' } });
  await page.goto(h.baseUrl + '/p/duo.html');
  const a = page.frameLocator('#a');
  await a.locator('#t').fill('hello');
  await a.locator('#go').click();
  await expect(a.locator('#out li')).toHaveText(['?u=a:hello']);
  const b = page.frameLocator('#b');
  await b.locator('#t').pressSequentially('yo');
  await b.locator('#t').press('Enter');
  await b.locator('#go').click();
  await expect(b.locator('#out li')).toHaveText(['?u=b:yo']);
  await h.close();
});
