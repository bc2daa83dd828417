import { defineConfig } from 'vite';
import { entries, scriptFor } from './scripts/entries.mjs';

// Several builds, because library mode builds an IIFE from one entry only: `vite build` emits ESM + CJS for every
// entry point, `vite build --mode iife` and `--mode iife-json` the <script> builds (all listed in scripts/entries.mjs).
const lib = (mode: string) => {
  const script = scriptFor(mode);
  return script
    ? { entry: script.source, name: script.global, formats: ['iife' as const], fileName: () => `${script.name}.iife.js` }
    : { entry: Object.fromEntries(entries.map((e) => [e.name, e.source])), formats: ['es' as const, 'cjs' as const] };
};

export default defineConfig(({ mode }) => ({
  build: {
    target: 'es2022',
    emptyOutDir: !scriptFor(mode),
    sourcemap: true,
    minify: !!scriptFor(mode),
    rolldownOptions: { external: scriptFor(mode) ? [] : ['mitt', 'react'] }, // a <script> build carries its dependencies
    lib: lib(mode),
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Node 20 has a global WebSocket only behind this flag; MSW 3's interception (test/mocking-tools.test.ts) needs one.
    execArgv: ['--experimental-websocket'],
  },
}));
