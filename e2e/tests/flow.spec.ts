// Flow control on the browser's real bufferedAmount, and heartbeat dead-link detection, in all three engines.
import type { Page } from '@playwright/test';
import type { Harness } from '../../harness/server/index.mjs';
import { runScenario } from './scenario';
import { expect, test } from '../fixtures';

const KiB = 1024;
const MiB = 1024 * KiB;

const run = (page: Page, harness: Harness, name: string, params: object) => runScenario(page, harness, 'esm', name, params);

test('4 MiB as 16 KiB messages through a 1 MiB/s link: the native buffer stays under the high-water mark plus one message', async ({ page, harness, browserName }) => {
  test.setTimeout(120_000);
  harness.proxy.throttle(MiB);
  const highWaterMark = MiB;
  const r = await run(page, harness, 'flood', {
    wsUrl: harness.wsUrl('/sink'), totalBytes: 4 * MiB, messageBytes: 16 * KiB, highWaterMark, lowWaterMark: MiB / 4,
  });
  test.info().annotations.push({ type: 'flood', description: JSON.stringify(r) });
  expect(r.samples).toBeGreaterThan(100);
  expect(r.peakNative).toBeLessThanOrEqual(highWaterMark + 16 * KiB);
  // WebKitGTK keeps unsent data in its network process and always reports 0 (see README): nothing to hold back there.
  if (browserName !== 'webkit') expect(r.falses).toBeGreaterThan(0);
  // Every byte, in order, once (the last ones may still be in the kernel's and the proxy's buffers).
  await expect.poll(() => harness.server.log().connections.flatMap((c) => c.messages).length, { timeout: 30_000 }).toBe(256);
  const messages = harness.server.log().connections.flatMap((c) => c.messages);
  expect(messages).toHaveLength(256);
  messages.forEach((m, i) => {
    expect(m.kind).toBe('binary');
    const bytes = Buffer.from((m as { base64: string }).base64, 'base64');
    expect(bytes.length).toBe(16 * KiB);
    expect(bytes.readUInt32BE(0)).toBe(i);
    expect(bytes.subarray(4).every((b) => b === (i & 0xff))).toBe(true);
  });
  expect(harness.server.log().connections).toHaveLength(1);
});

test('black hole: the heartbeat notices within intervalMs + timeoutMs (+20%), reconnects, and what was queued arrives', async ({ page, harness }) => {
  test.setTimeout(60_000);
  const intervalMs = 1000;
  const timeoutMs = 1000;
  const r = await run(page, harness, 'blackhole', { wsUrl: harness.wsUrl('/echo'), intervalMs, timeoutMs, blackholeMs: 3000 });
  test.info().annotations.push({ type: 'blackhole', description: JSON.stringify({ noticedMs: r.noticedMs, rtts: r.rtts }) });
  expect(r.noticedMs).toBeLessThanOrEqual((intervalMs + timeoutMs) * 1.2);
  expect(r.stateAfter).toBe(0); // CONNECTING: it will retry
  const close = r.log.find((e: any) => e.type === 'close');
  expect(close).toMatchObject({ code: 1006 });
  const connections = harness.server.log().connections;
  expect(connections.length).toBeGreaterThanOrEqual(2);
  const last = connections.at(-1)!.messages.filter((m) => m.kind === 'text').map((m) => (m as { data: string }).data);
  expect(last.filter((d) => d.startsWith('queued-'))).toEqual(['queued-1', 'queued-2', 'queued-3', 'queued-4', 'queued-5']);
  // The pings the server answered before the black hole were swallowed, not delivered as messages.
  expect(r.echoes.filter((d: string) => d === 'ping')).toEqual([]);
});
