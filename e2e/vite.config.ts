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
      { find: /^steadysocket\/react$/, replacement: here('../dist/react.js') },
      { find: /^steadysocket$/, replacement: here('../dist/steadysocket.js') },
    ],
  },
  build: {
    outDir: here('./.build'),
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    // The scenario page, one tab of a shared connection (tab.html; its Worker is bundled from tab.ts), the React app.
    rolldownOptions: { input: { index: here('./esm/index.html'), tab: here('./esm/tab.html'), react: here('./esm/react.html') } },
  },
  // React's development build, for the React app (react.html): StrictMode's double mount happens only in it.
  define: { 'process.env.NODE_ENV': JSON.stringify('development') },
});
