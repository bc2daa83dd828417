// @ts-check
// The demo's Vite setup, shared by the dev server (demo/start.mjs) and the build the e2e tests serve
// (`vite build -c demo/vite.config.mjs`, into demo/.build). `steadysocket` resolves to src/, so no library build
// is needed; only embed.html loads the built <script> file from dist/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (/** @type {string} */ p) => fileURLToPath(new URL(p, import.meta.url));

/** @type {import('vite').InlineConfig} */
export const demoConfig = {
  root: here('.'),
  base: '/',
  publicDir: here('public'),
  cacheDir: here('../node_modules/.vite-demo'),
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^steadysocket\/json$/, replacement: here('../src/json/index.ts') },
      { find: /^steadysocket$/, replacement: here('../src/index.ts') },
    ],
  },
  server: { fs: { allow: [here('..')] } },
  build: {
    outDir: here('.build'),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: { input: { index: here('index.html'), duo: here('duo.html'), embed: here('embed.html') } },
  },
};

export default defineConfig(demoConfig);
