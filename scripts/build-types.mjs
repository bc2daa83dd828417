// @ts-check
// The type declarations of `npm run build`: one bundled file per entry point (scripts/entries.mjs) and condition,
// dist/<name>.d.ts for `import` and dist/<name>.d.cts for `require`, so that TypeScript resolves them under
// moduleResolution bundler, node16/nodenext (ESM and CommonJS) and node10, and no internal module is importable
// as a type by path. Types that two entries share go to one chunk (dist/<module>-<hash>.d.ts and .d.cts), so a
// class keeps one identity across entry points.
//
// TypeScript 7 (the project's `tsc`) emits per-module declarations into a cache folder; rolldown-plugin-dts
// (with `dtsInput`: it parses the emitted declarations and calls no TypeScript API, which TypeScript 7 does not
// have) bundles them with Rolldown. Then package.json's entry fields are brought in line with the entry list.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { rolldown } from 'rolldown';
import { dts } from 'rolldown-plugin-dts';
import { entries, syncPackageJson } from './entries.mjs';

const root = resolve(import.meta.dirname, '..');
const stage = resolve(root, 'node_modules/.cache/steadysocket-types');
const started = performance.now();

rmSync(stage, { recursive: true, force: true });
execFileSync(resolve(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', stage], { cwd: root, stdio: 'inherit' });

// Imports of the package's dependencies stay imports (never inlined).
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
const isDependency = (/** @type {string} */ id) => deps.some((dep) => id === dep || id.startsWith(`${dep}/`));

const bundle = await rolldown({
  cwd: stage, // the bundles' region comments name the module relative to it (`// socket.d.ts`), no machine path
  input: Object.fromEntries(entries.map((entry) => [entry.name, resolve(stage, entry.source.replace(/^src\//, '').replace(/\.ts$/, '.d.ts'))])),
  external: isDependency,
  plugins: [dts({ dtsInput: true, tsconfig: false })],
  logLevel: 'warn',
});
const written = [];
for (const ext of ['.d.ts', '.d.cts']) {
  const { output } = await bundle.write({
    dir: resolve(root, 'dist'),
    format: 'es',
    entryFileNames: `[name]${ext}`,
    chunkFileNames: `[name]-[hash]${ext}`,
  });
  written.push(...output.map((file) => file.fileName));
}
await bundle.close();

const changed = syncPackageJson();
console.log(`types: ${written.sort().map((file) => `dist/${file}`).join(', ')} in ${Math.round(performance.now() - started)} ms`);
if (changed.length) console.log(`types: package.json's ${changed.join(', ')} updated from scripts/entries.mjs`);
