// Typed handle on e2e/pages/native.html's window.probe (the browser's own WebSocket), used through page.evaluate.
import { expect, test, type Page } from '@playwright/test';
import type { Harness } from '../../harness/server/index.mjs';

export type ProbeEvent = {
  type: 'open' | 'error' | 'close' | 'message';
  /** ms since the WebSocket was constructed, on the page's clock */
  t: number;
  code?: number;
  reason?: string;
  wasClean?: boolean;
  kind?: 'text' | 'binary';
  text?: string;
  bytes?: number;
  head?: number[];
  readyState?: number;
};

type ProbeApi = {
  open(url: string, binaryType?: 'arraybuffer' | 'blob'): number;
  events(id: number): ProbeEvent[];
  waitFor(id: number, type: ProbeEvent['type'], timeoutMs?: number): Promise<ProbeEvent | null>;
  waitForCount(id: number, type: ProbeEvent['type'], count: number, timeoutMs?: number): Promise<ProbeEvent[] | null>;
  state(id: number): { readyState: number; bufferedAmount: number; protocol: string; extensions: string };
  send(id: number, text: string): number;
  sendBytes(id: number, bytes: number[]): number;
  close(id: number, code?: number, reason?: string): void;
  flood(id: number, count: number, size: number): number;
  sampleBuffered(id: number, forMs: number, everyMs?: number): Promise<{ t: number; bufferedAmount: number }[]>;
  control(path: string, method?: 'GET' | 'POST'): Promise<{ ok: boolean; [key: string]: unknown }>;
};

declare global {
  interface Window {
    probe: ProbeApi;
  }
}

export class NativeProbe {
  private constructor(readonly page: Page) {}

  static async load(page: Page, harness: Harness): Promise<NativeProbe> {
    await page.goto(`${harness.baseUrl}/pages/native.html`);
    await page.waitForFunction(() => typeof window.probe === 'object');
    return new NativeProbe(page);
  }

  open(url: string, binaryType: 'arraybuffer' | 'blob' = 'arraybuffer') {
    return this.page.evaluate(([u, b]) => window.probe.open(u, b), [url, binaryType] as const);
  }

  /** open() and insist that it opens. */
  async connect(url: string): Promise<number> {
    const id = await this.open(url);
    const open = await this.waitFor(id, 'open');
    expect(open, `socket to ${url} did not open; events: ${JSON.stringify(await this.events(id))}`).not.toBeNull();
    return id;
  }

  events(id: number) {
    return this.page.evaluate((i) => window.probe.events(i), id);
  }

  waitFor(id: number, type: ProbeEvent['type'], timeoutMs = 10_000) {
    return this.page.evaluate(([i, ty, ms]) => window.probe.waitFor(i, ty, ms), [id, type, timeoutMs] as const);
  }

  waitForCount(id: number, type: ProbeEvent['type'], count: number, timeoutMs = 10_000) {
    return this.page.evaluate(([i, ty, n, ms]) => window.probe.waitForCount(i, ty, n, ms), [id, type, count, timeoutMs] as const);
  }

  state(id: number) {
    return this.page.evaluate((i) => window.probe.state(i), id);
  }

  send(id: number, text: string) {
    return this.page.evaluate(([i, t]) => window.probe.send(i, t), [id, text] as const);
  }

  sendBytes(id: number, bytes: number[]) {
    return this.page.evaluate(([i, b]) => window.probe.sendBytes(i, b), [id, bytes] as const);
  }

  close(id: number, code?: number, reason?: string) {
    return this.page.evaluate(([i, c, r]) => window.probe.close(i, c, r), [id, code, reason] as const);
  }

  flood(id: number, count: number, size: number) {
    return this.page.evaluate(([i, n, s]) => window.probe.flood(i, n, s), [id, count, size] as const);
  }

  sampleBuffered(id: number, forMs: number, everyMs = 50) {
    return this.page.evaluate(([i, f, e]) => window.probe.sampleBuffered(i, f, e), [id, forMs, everyMs] as const);
  }

  control(path: string, method: 'GET' | 'POST' = 'POST') {
    return this.page.evaluate(([p, m]) => window.probe.control(p, m), [path, method] as const);
  }

  /** Send text and wait for the echo of it (the /echo endpoint). */
  async echo(id: number, text: string) {
    const before = (await this.events(id)).filter((e) => e.type === 'message').length;
    await this.send(id, text);
    const messages = await this.waitForCount(id, 'message', before + 1);
    return messages?.[before] ?? null;
  }
}

/** Message `index` of probe.flood(): the same bytes as native-probe.js's patterned(). */
export function patterned(index: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let j = 0; j < size; j++) bytes[j] = (index * 31 + j * 7) & 255;
  bytes.writeUInt32BE(index, 0);
  return bytes;
}

/** Facts about how this engine behaved: kept as a test annotation, printed with E2E_OBSERVE=1. */
export function observe(label: string, data: unknown) {
  const description = JSON.stringify(data);
  test.info().annotations.push({ type: `observed: ${label}`, description });
  if (process.env.E2E_OBSERVE) console.log(`[${test.info().project.name}] ${label}: ${description}`);
}

/** How a failed or dropped socket ended, as the page saw it. */
export function ending(events: ProbeEvent[]) {
  const errorAt = events.findIndex((e) => e.type === 'error');
  const closeAt = events.findIndex((e) => e.type === 'close');
  const close = events[closeAt];
  return {
    opened: events.some((e) => e.type === 'open'),
    code: close?.code,
    reason: close?.reason,
    wasClean: close?.wasClean,
    error: errorAt >= 0,
    errorBeforeClose: errorAt >= 0 && errorAt < closeAt,
    closeT: close ? Math.round(close.t) : null,
  };
}
