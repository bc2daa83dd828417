// @ts-check
// Everything the demo page talks to, on loopback: the test harness (harness/server: HTTP server with the control API,
// the fault-injecting TCP proxy in front of it) with the chat room mounted on /chat, and /config.json telling the
// page where to connect. Used by `npm run demo` (demo/start.mjs, with Vite serving the page) and by e2e/tests/demo.spec.ts
// (serving the built page itself, so the tests need no dev server).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../harness/server/index.mjs';
import { createChatServer } from './chat-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = path.join(here, '..', 'dist');
export const BUILD_DIR = path.join(here, '.build');

/**
 * @typedef {{
 *   host?: string,
 *   port?: number,
 *   proxyPort?: number,
 *   origins?: string[],
 *   pages?: string,
 *   chat?: Omit<import('./chat-server.mjs').ChatOptions, 'allowOrigin'>,
 * }} DemoOptions
 *   port: the HTTP server (control API, config, static files); proxyPort: the fault proxy the page connects through.
 *   Both 0 (default) for ephemeral ports. origins: the page origins the chat accepts (default: this server's own,
 *   for when it serves the pages). pages: a directory to serve at / (the Vite build), none by default.
 *
 * @typedef {Awaited<ReturnType<typeof startDemo>>} Demo
 */

/** @param {DemoOptions} [options] */
export async function startDemo(options = {}) {
  const host = options.host ?? '127.0.0.1';
  /** @type {Set<string>} filled once the server listens, as the default is its own origin */
  const origins = new Set();
  const chat = createChatServer({ ...options.chat, allowOrigin: (origin) => origins.has(origin) });
  /** @type {object} */
  let config = {};
  const harness = await startHarness({
    host,
    port: options.port ?? 0,
    proxyPort: options.proxyPort ?? 0,
    recordPayloads: false,
    static: { '/dist/': DIST_DIR, ...(options.pages ? { '/': options.pages } : {}) },
    routes: { '/chat': chat.route },
    onRequest(_req, res, url) {
      if (url.pathname !== '/config.json') return false;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(config));
      return true;
    },
  }).catch((e) => {
    chat.close();
    throw e;
  });
  for (const origin of options.origins ?? [harness.baseUrl]) origins.add(origin);
  // The page connects through the proxy, so that the fault buttons act on its connection.
  config = { wsUrl: harness.wsUrl('/chat') };
  return {
    /** The HTTP server: control API, /config.json, /dist/, and the pages when `pages` is set. */
    baseUrl: harness.baseUrl,
    /** The chat endpoint, through the fault proxy. */
    wsUrl: harness.wsUrl('/chat'),
    harness,
    chat,
    async close() {
      chat.close();
      await harness.close();
    },
  };
}
