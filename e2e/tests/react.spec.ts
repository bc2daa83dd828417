// steadysocket/react in a React 19 app (e2e/esm/react-app.tsx, React's development build) rendered in <StrictMode>,
// in Chromium, Firefox and WebKit, against the test server. Each test checks what the server saw.
import type { Page } from '@playwright/test';
import type { Harness } from '../../harness/server/index.mjs';
import { expect, test } from '../fixtures';

type Feed = { id: string; url: string; share?: string; hello?: string };
type Report = {
  received: Record<string, string[]>; states: Record<string, number>; renders: Record<string, number>;
  helloSentIn: Record<string, number>; mounts: number; now: { timers: number; listeners: string[] };
};

async function open(page: Page, harness: Harness) {
  await page.goto(`${harness.baseUrl}/build/react.html`);
  await page.waitForFunction(() => !!(self as any).app);
}
const show = (page: Page, feeds: Feed[]) => page.evaluate((list) => (self as any).app.show(list), feeds);
const report = (page: Page) => page.evaluate(() => structuredClone((self as any).app.report())) as Promise<Report>;
const texts = (harness: Harness) => harness.server.log().connections.map((c) => c.messages.map((m) => (m.kind === 'text' ? m.data : '<binary>')));

test('StrictMode mount: one connection; a message sent as the server accepts, then a 1,000-message burst: every one reaches the handler once, in order, with no render; unmount closes cleanly and leaves nothing running', async ({ page, harness }) => {
  await open(page, harness);
  const before = (await report(page)).now; // what runs without a socket (React's root, the automation's own listeners)
  harness.server.once('connection', (id: number) => harness.server.send(id, 'welcome')); // the moment it accepts
  await show(page, [{ id: 'a', url: harness.wsUrl('/sink') }]);
  await expect.poll(async () => (await report(page)).states).toEqual({ a: 1 });
  expect((await report(page)).now.listeners.length).toBeGreaterThan(before.listeners.length); // the socket's page-lifecycle listeners
  const mounted = await report(page);
  expect(mounted.mounts).toBe(2); // StrictMode's double mount happened
  const log = harness.server.log();
  expect(log.attempts).toHaveLength(1);
  expect(log.connections).toHaveLength(1);
  expect(log.connections[0]!.close).toBeNull(); // no close/open pair

  for (let i = 1; i <= 1000; i++) harness.server.send('all', `m${i}`);
  await expect.poll(async () => (await report(page)).received.a?.length ?? 0).toBe(1001);
  const after = await report(page);
  expect(after.received.a).toEqual(['welcome', ...Array.from({ length: 1000 }, (_, i) => `m${i + 1}`)]);
  expect(after.renders.a).toBe(mounted.renders.a); // the burst rendered nothing

  await show(page, []);
  await expect.poll(() => harness.server.openConnections()).toEqual([]);
  expect(harness.server.log().connections.map((c) => c.close?.code)).toEqual([1000]);
  await expect.poll(async () => (await report(page)).now).toEqual(before); // no timer, no listener left
  expect(harness.server.log().attempts).toHaveLength(1);
});

test('a new URL prop: one close of the old connection, one new connection to the new URL', async ({ page, harness }) => {
  await open(page, harness);
  await show(page, [{ id: 'a', url: harness.wsUrl('/sink?room=1') }]);
  await expect.poll(async () => (await report(page)).states).toEqual({ a: 1 });
  await show(page, [{ id: 'a', url: harness.wsUrl('/sink?room=2') }]);
  await expect.poll(() => harness.server.log().connections.map((c) => [c.url, c.close?.code ?? 'open'])).toEqual([['/sink?room=1', 1000], ['/sink?room=2', 'open']]);
  await expect.poll(async () => (await report(page)).states).toEqual({ a: 1 });
  expect(harness.server.log().attempts).toHaveLength(2);
  harness.server.send('all', 'to room 2');
  await expect.poll(async () => (await report(page)).received.a).toEqual(['to room 2']);
});

test('three components sharing a name: one connection; a message sent from one before open is delivered once; each gets every message', async ({ page, harness }) => {
  await open(page, harness);
  const url = harness.wsUrl('/sink');
  await show(page, [{ id: 'a', url, share: 'room' }, { id: 'b', url, share: 'room', hello: 'hello from b' }, { id: 'c', url, share: 'room' }]);
  await expect.poll(async () => (await report(page)).states).toEqual({ a: 1, b: 1, c: 1 });
  expect((await report(page)).helloSentIn).toEqual({ b: 0 }); // sent while CONNECTING
  expect(harness.server.log().attempts).toHaveLength(1);
  await expect.poll(() => texts(harness)).toEqual([['hello from b']]);
  harness.server.send('all', 'to everyone');
  await expect.poll(async () => (await report(page)).received).toEqual({ a: ['to everyone'], b: ['to everyone'], c: ['to everyone'] });
  // Two leave: the connection stays; the last one leaves: it closes.
  await show(page, [{ id: 'b', url, share: 'room', hello: 'hello from b' }]);
  expect(harness.server.openConnections()).toHaveLength(1);
  await show(page, []);
  await expect.poll(() => harness.server.log().connections.map((c) => c.close?.code)).toEqual([1000]);
  expect(texts(harness)).toEqual([['hello from b']]);
});
