// The JSON layer (steadysocket/json) against the PROTOCOL.md reference server, with faults, in all three engines.
import type { Page } from '@playwright/test';
import type { Harness } from '../../harness/server/index.mjs';
import { runScenario } from './scenario';
import { expect, test } from '../fixtures';

const run = (page: Page, harness: Harness, name: string, params: object) =>
  runScenario(page, harness, 'esm', name, { wsUrl: harness.wsUrl('/json'), ...params });

test('1,000 acknowledged messages through 5 resets and a server restart: exactly once after dedupe, in order', async ({ page, harness }) => {
  test.setTimeout(90_000);
  const r = await run(page, harness, 'ackedStream', { count: 1000, resets: 5, seed: 20261123 });
  test.info().annotations.push({ type: 'faults', description: JSON.stringify(r.faults) });
  expect(r.rejected).toEqual([]);
  expect(r.resolved).toBe(1000);
  expect(r.pendingAfter).toBe(0);
  const state = harness.server.json;
  const items = state.log.filter((e) => e.type === 'item').map((e) => (e.data as { i: number }).i);
  expect(items).toEqual(Array.from({ length: 1000 }, (_, i) => i)); // exactly once, in send order
  const wireIds = new Set(state.wire);
  expect(wireIds.size).toBe(1000); // every id reached the server at least once
  expect(state.wire.length).toBeGreaterThanOrEqual(1000);
  expect(harness.server.log().connections.length).toBeGreaterThanOrEqual(7); // each of the 6 faults ended a live connection
});

test('200 concurrent requests across a reconnect all resolve with the right answers', async ({ page, harness }) => {
  const r = await run(page, harness, 'requestsAcrossReconnect', { count: 200 });
  expect(r).toEqual({ count: 200, wrong: 0 });
  expect(harness.server.log().connections.length).toBeGreaterThanOrEqual(2);
});

test('malformed frames from the server are reported as invalid; the connection stays up and valid messages arrive', async ({ page, harness }) => {
  const frames: [string, string?][] = [
    ['{"type":"chat","data":1}'],
    ['not json at all'],
    ['[1,2,3]'],
    ['{"data":"no type"}'],
    [JSON.stringify({ type: 'chat', data: 'x'.repeat(2000) })],
    [Buffer.from([1, 2, 3]).toString('base64'), 'base64'],
    ['{"type":"chat","data":2,"__proto__":{"polluted":true}}'],
    ['{"type":"chat","data":{"constructor":{"prototype":{"polluted":true}}}}'],
    ['{"type":"chat","data":3}'],
  ];
  const r = await run(page, harness, 'malformed', { frames });
  expect(r.delivered.length + r.invalid.length).toBe(frames.length);
  expect(r.invalid).toEqual(['not-json', 'not-object', 'bad-type', 'too-large', 'binary']);
  expect(r.delivered.slice(0, 2)).toEqual([1, 2]);
  expect(r.delivered.at(-1)).toBe(3);
  expect(r.polluted).toBe(false);
  expect(r.closes).toEqual([]);
  expect(r.state).toBe(1);
  expect(harness.server.log().connections).toHaveLength(1);
});
