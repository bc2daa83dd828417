/// <reference types="node" />
// The test harness's node-side promises (no browser involved): what its static server serves, and that close()
// leaves nothing running. The browser-side checks of every fault are in e2e/tests/harness.spec.ts.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness } from '../harness/server/index.mjs';

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe('the test harness (node side)', () => {
  it('serves static files with their content types and no-cache (revalidated, bfcache-friendly), and no path traversal', async () => {
    const harness = await startHarness({ static: { '/pages/': path.join(repoDir, 'e2e', 'pages') } });
    cleanup.push(() => harness.close());
    const page = await fetch(`${harness.baseUrl}/pages/native.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('window.probe');
    const script = await fetch(`${harness.baseUrl}/pages/native-probe.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${harness.baseUrl}/pages/nope.html`)).status).toBe(404);
    // Raw paths: fetch() would normalise the dot segments away before they reach the server.
    for (const raw of ['/pages/..%2fplaywright.config.ts', '/pages/..%2f..%2fpackage.json', '/pages/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const res = await rawGet(harness.baseUrl, raw);
      expect(res.status, raw).toBe(403);
      expect(res.body, raw).not.toContain('devDependencies');
    }
    expect((await rawGet(harness.baseUrl, '/pages/../../package.json')).status).toBe(404);
  });

  it('releases every socket and timer on close(): a node process exits by itself', async () => {
    const script = `
      import { startHarness } from './harness/server/index.mjs';
      import WebSocket from 'ws';
      const h = await startHarness({ static: { '/pages/': 'e2e/pages' } });
      const open = (url) => new Promise((resolve) => { const ws = new WebSocket(url); ws.on('error', () => {}); ws.on('open', () => resolve(ws)); });
      const live = await open(h.wsUrl('/echo'));
      live.send('x');
      h.proxy.throttle(1024);
      live.send(Buffer.alloc(64 * 1024));
      h.server.delayHandshake(60_000);
      const held = new WebSocket(h.directWsUrl('/echo')); held.on('error', () => {});
      h.proxy.delay(60_000);
      const delayed = new WebSocket(h.wsUrl('/echo')); delayed.on('error', () => {});
      await fetch(h.baseUrl + '/control/proxy/blackhole?ms=60000', { method: 'POST' });
      const hole = new WebSocket(h.wsUrl('/sink')); hole.on('error', () => {});
      await new Promise((r) => setTimeout(r, 300));
      await h.close();
      console.log('closed');
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoDir, timeout: 20_000, encoding: 'utf8' });
    expect(child.signal, 'the child had to be killed: something kept it alive').toBeNull();
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim()).toBe('closed');
  });
});

function rawGet(baseUrl: string, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const req = http.get({ hostname, port, path: rawPath }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}
