import { defineConfig } from 'vite';

// Two builds, because library mode builds an IIFE from one entry only:
// `vite build` emits ESM + CJS for every entry point, `vite build --mode iife` the <script> build.
export default defineConfig(({ mode }) => ({
  build: {
    target: 'es2022',
    emptyOutDir: mode !== 'iife',
    sourcemap: true,
    minify: mode === 'iife',
    rolldownOptions: { external: ['mitt'] },
    lib: mode === 'iife'
      ? { entry: 'src/iife.ts', name: 'SteadySocket', formats: ['iife'], fileName: () => 'steadysocket.iife.js' }
      : { entry: { steadysocket: 'src/index.ts', json: 'src/json/index.ts' }, formats: ['es', 'cjs'] },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
}));
