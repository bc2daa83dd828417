// Bundles the bench page: bench/browser-cases.js with the built SDK (dist/, so `npm run build` first) and the three
// peer libraries as one browser ES module, plus its index.html, into bench/.build (gitignored), served by the harness.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

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
