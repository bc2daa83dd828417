// Bundles the bench page: bench/browser-cases.js with the built SDK (dist/, so `npm run build` first) and the peer
// libraries as one browser ES module, plus its index.html, into bench/.build (gitignored); servePage() serves it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { contentType, resolveInside } from '../harness/server/static.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const BUILD_DIR = join(here, '.build');

export async function buildPage() {
  if (!existsSync(join(here, '..', 'dist', 'steadysocket.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  mkdirSync(BUILD_DIR, { recursive: true });
  const bundle = await rolldown({ input: join(here, 'browser-cases.js'), platform: 'browser', logLevel: 'warn' });
  // Not minified: profiles stay readable, and minification does not change what the engines run meaningfully.
  await bundle.write({ dir: BUILD_DIR, format: 'es', entryFileNames: 'cases.js', sourcemap: true });
  await bundle.close();
  writeFileSync(join(BUILD_DIR, 'index.html'),
    '<!doctype html>\n<meta charset="utf-8">\n<title>steadysocket bench</title>\n<script type="module" src="./cases.js"></script>\n<body>bench</body>\n');
  return BUILD_DIR;
}

/**
 * The harness's onRequest hook for /bench/: the page and its script. `/bench/index.html?isolated` is served
 * cross-origin isolated (COOP + COEP), which gives the page a finer performance.now() for timing the per-message
 * costs. Not for WebKitGTK: its MiniBrowser moves a COOP page to a new process, and Playwright loses the page.
 */
export function servePage(req, res, url) {
  if (!url.pathname.startsWith('/bench/')) return false;
  const file = resolveInside(BUILD_DIR, url.pathname.slice('/bench/'.length) || 'index.html');
  if (!file || !existsSync(file)) return false;
  const isolation = url.searchParams.has('isolated')
    ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
    : {};
  res.writeHead(200, { 'content-type': contentType(file), 'cache-control': 'no-store', ...isolation });
  res.end(readFileSync(file));
  return true;
}
