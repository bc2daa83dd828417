import { defineConfig } from 'vite';
import { entries } from './scripts/entries.mjs';

// Two builds, because library mode builds an IIFE from one entry only:
// `vite build` emits ESM + CJS for every entry point (scripts/entries.mjs), `vite build --mode iife` the <script> build.
export default defineConfig(({ mode }) => ({
  build: {
    target: 'es2022',
    emptyOutDir: mode !== 'iife',
    sourcemap: true,
    minify: mode === 'iife',
    rolldownOptions: { external: ['mitt', 'react'] },
    lib: mode === 'iife'
      ? { entry: 'src/iife.ts', name: 'SteadySocket', formats: ['iife'], fileName: () => 'steadysocket.iife.js' }
      : { entry: Object.fromEntries(entries.map((e) => [e.name, e.source])), formats: ['es', 'cjs'] },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
}));
