// @ts-check
// `npm run test:package` (in `npm test`, after the build): checks the package as it would be published, on one
// packed tarball (`npm pack`):
//   1. its contents: every entry point of scripts/entries.mjs has its ESM, CommonJS, .d.ts and .d.cts files, and
//      every <script> build its .iife.js; no declaration file but those and the chunks they share; LICENSE and
//      README.md; every source map's sources are in the package or embedded (`sourcesContent`); package.json's entry
//      fields are those of scripts/entries.mjs;
//   2. arethetypeswrong (`attw`, as `attw --pack` would run it): no problem in any column;
//   3. publint --strict: no error, warning or suggestion;
//   4. a consumer's type check: the project in test/types/ with the tarball installed in its node_modules, checked
//      by `tsc` under moduleResolution bundler, node16, nodenext (ESM and CommonJS files) and node10, strict,
//      skipLibCheck false; with TypeScript 7 (the project's) and with TypeScript 5 (the one arethetypeswrong runs
//      on, which has no devDependency of its own to clash with `tsc`), which alone checks node10: TypeScript 7
//      removed it.
// Usage: node scripts/check-package.mjs [--keep]   (run `npm run build` first; --keep leaves the temporary folder)
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { entries, packageFields, scripts, specifier } from './entries.mjs';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const bin = (/** @type {string} */ name) => join(root, 'node_modules', '.bin', name);
const work = mkdtempSync(join(tmpdir(), 'steadysocket-package-'));
/** @type {string[]} */
const failures = [];
/** @type {string[]} */
const timings = [];

/** Runs `fn` as one named step, timing it; a thrown error fails the check. */
async function step(/** @type {string} */ name, /** @type {() => Promise<void> | void} */ fn) {
  const started = performance.now();
  try {
    await fn();
  } catch (error) {
    failures.push(`${name}: ${error instanceof Error ? error.message : error}`);
  }
  timings.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** A command's output; when it fails, an error with its output as the message. */
async function output(/** @type {string} */ file, /** @type {string[]} */ args, cwd = root) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, maxBuffer: 16 << 20 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = /** @type {{ stdout?: string, stderr?: string, message: string }} */ (error);
    throw new Error(`${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message);
  }
}

// The tarball every check reads.
/** @type {{ filename: string, files: { path: string }[] }} */
let packed = { filename: '', files: [] };
const unpacked = join(work, 'unpacked');
await step('npm pack', () => {
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  packed = JSON.parse(json)[0];
  execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
  renameSync(join(work, 'package'), unpacked);
});
const tarball = join(work, packed.filename);
if (failures.length) finish(); // nothing to check

await step('contents', () => {
  const files = new Set(packed.files.map((file) => file.path));
  const problems = [];
  for (const file of ['LICENSE', 'README.md', 'package.json']) if (!files.has(file)) problems.push(`${file} is not in the package`);
  const wanted = entries.flatMap((entry) => ['.js', '.cjs', '.d.ts', '.d.cts'].map((ext) => `dist/${entry.name}${ext}`));
  for (const file of wanted) if (!files.has(file)) problems.push(`${file} is missing`);
  for (const script of scripts) if (!files.has(`dist/${script.name}.iife.js`)) problems.push(`dist/${script.name}.iife.js (a <script> build) is missing`);
  // Declarations: the entries' files and the chunks they share (`<module>-<hash>.d.ts`), no per-module file.
  for (const file of files) {
    if (/\.d\.[cm]?ts$/.test(file) && !wanted.includes(file) && !/^dist\/[\w.]+-[\w-]{8}\.d\.c?ts$/.test(file)) problems.push(`${file}: a declaration file that is no entry point's`);
  }
  for (const file of files) {
    if (!file.endsWith('.map')) continue;
    /** @type {{ sources: string[], sourcesContent?: (string | null)[] }} */
    const map = JSON.parse(readFileSync(join(unpacked, file), 'utf8'));
    map.sources.forEach((source, i) => {
      const inPackage = files.has(join(dirname(file), source).split('\\').join('/'));
      if (!inPackage && typeof map.sourcesContent?.[i] !== 'string') problems.push(`${file}: source ${source} is neither in the package nor embedded`);
    });
  }
  const pkg = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
  for (const [key, value] of Object.entries(packageFields())) {
    if (JSON.stringify(pkg[key]) !== JSON.stringify(value)) problems.push(`package.json's ${key} is not what scripts/entries.mjs makes (run npm run build)`);
  }
  if (problems.length) throw new Error(`\n  ${problems.join('\n  ')}`);
  console.log(`contents: ${files.size} files, every entry's .js, .cjs, .d.ts and .d.cts, the <script> builds, LICENSE, README.md; source maps self-contained`);
});

await step('attw', async () => {
  // `attw --pack .` packs the folder and checks the tarball; this checks the same tarball as the other steps.
  console.log(await output(bin('attw'), [tarball, '--format', 'table', '--no-color']));
});

await step('publint', async () => {
  const text = await output(bin('publint'), ['--strict', tarball]);
  console.log(text.trim());
  if (!/All good!/.test(text)) throw new Error('publint has something to say (see above)');
});

await step('consumer types', async () => {
  const dir = join(work, 'consumer');
  const source = join(root, 'test', 'types');
  cpSync(source, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const pkgDir = join(dir, 'node_modules', 'steadysocket');
  cpSync(unpacked, pkgDir, { recursive: true });
  // The package's dependencies, from this repository's node_modules (offline).
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) {
    const target = join(dir, 'node_modules', dep);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), target, 'dir');
  }
  // Each .ts file also as .mts (an ES module) and .cts (a CommonJS module).
  for (const file of readdirSync(source).filter((name) => name.endsWith('.ts'))) {
    for (const ext of ['.mts', '.cts']) cpSync(join(source, file), join(dir, file.replace(/\.ts$/, ext)));
  }
  // It must use every entry point.
  const usage = readFileSync(join(source, 'usage.ts'), 'utf8');
  const unused = entries.map(specifier).filter((name) => !usage.includes(`from '${name}'`));
  if (unused.length) throw new Error(`test/types/usage.ts does not import ${unused.join(', ')}: add a use of each entry point`);

  const ts7 = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const ts5 = olderTypeScript();
  const runs = [
    ...['bundler', 'node16', 'nodenext'].map((config) => ({ tsc: ts7, config })),
    ...['bundler', 'node16', 'nodenext', 'node10'].map((config) => ({ tsc: ts5.tsc, config })),
  ];
  const versions = { [ts7]: JSON.parse(readFileSync(join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')).version, [ts5.tsc]: ts5.version };
  const results = await pool(runs, 2, async ({ tsc, config }) => {
    const label = `TypeScript ${versions[tsc]}, ${config}`;
    try {
      await output(process.execPath, [tsc, '-p', `tsconfig.${config}.json`], dir);
      return `  ok   ${label}`;
    } catch (error) {
      throw new Error(`  FAIL ${label} (test/types/tsconfig.${config}.json):\n${error instanceof Error ? error.message : error}`);
    }
  });
  const failed = results.filter((r) => r.status === 'rejected');
  for (const r of results) if (r.status === 'fulfilled') console.log(r.value);
  if (failed.length) throw new Error(failed.map((r) => (r.status === 'rejected' ? String(r.reason?.message ?? r.reason) : '')).join('\n'));
});

/** The TypeScript 5 that @arethetypeswrong/core depends on: the last major version with moduleResolution node10. */
function olderTypeScript() {
  const cli = createRequire(join(root, 'package.json')).resolve('@arethetypeswrong/cli/package.json');
  const core = createRequire(cli).resolve('@arethetypeswrong/core/package.json');
  const pkgJson = createRequire(core).resolve('typescript/package.json');
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  if (Number(version.split('.')[0]) >= 7) throw new Error(`@arethetypeswrong/core brings TypeScript ${version}, which has no node10`);
  return { tsc: join(dirname(pkgJson), 'bin', 'tsc'), version };
}

/** `fn` over `items`, at most `size` at a time, settled in order. */
async function pool(/** @type {any[]} */ items, /** @type {number} */ size, /** @type {(item: any) => Promise<string>} */ fn) {
  /** @type {PromiseSettledResult<string>[]} */
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]).then((value) => ({ status: 'fulfilled', value }), (reason) => ({ status: 'rejected', reason }));
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
  return results;
}

finish();

/** Reports the timings and the failures, and exits: 1 when something failed. */
function finish() {
  if (process.argv.includes('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  console.log(`\ntest:package: ${timings.join(', ')}`);
  if (failures.length) console.error(`\ntest:package failed:\n${failures.join('\n\n')}`);
  else console.log('test:package: the packed package passes attw, publint --strict and the consumer type check');
  process.exit(failures.length ? 1 : 0);
}
