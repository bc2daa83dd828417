// Builds the e2e ES module page. `steadysocket` resolves to the built package (dist/), not to src/,
// so the suite tests what npm would ship.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./esm'),
  base: '/build/',
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^steadysocket\/json$/, replacement: here('../dist/json.js') },
      { find: /^steadysocket\/tabs$/, replacement: here('../dist/tabs.js') },
      { find: /^steadysocket$/, replacement: here('../dist/steadysocket.js') },
    ],
  },
  build: {
    outDir: here('./.build'),
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    // The scenario page, and one tab of a shared connection (tab.html; its Worker is bundled from tab.ts).
    rolldownOptions: { input: { index: here('./esm/index.html'), tab: here('./esm/tab.html') } },
  },
});
