// @ts-check
// The package's entry points: the one list that the build (vite.config.ts, scripts/build-types.mjs), package.json's
// entry fields (written from it by `npm run build`, checked by a unit test) and the package checks
// (scripts/check-package.mjs, test/types/) all read. Adding an entry point is one line here.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {object} Entry
 * @property {string} name the entry's file name in dist/ (`<name>.js`, `.cjs`, `.d.ts`, `.d.cts`) and its subpath
 *   (`steadysocket/<name>`); the root entry is the one named after the package
 * @property {string} source its module in src/
 */

export const PACKAGE = 'steadysocket';

/** @type {readonly Entry[]} */
export const entries = [
  { name: 'steadysocket', source: 'src/index.ts' },
  { name: 'json', source: 'src/json/index.ts' },
  { name: 'tabs', source: 'src/tabs/index.ts' },
  { name: 'testing', source: 'src/testkit/index.ts' },
  { name: 'react', source: 'src/react/index.ts' },
];

/**
 * @typedef {object} Script
 * @property {string} name the file's name in dist/ (`<name>.iife.js`), after the entry it carries
 * @property {string} source its module in src/, whose default export is the global
 * @property {string} global the one global it defines
 */

/**
 * The `<script>` builds (IIFE, minified), each self-contained: `vite build --mode iife` builds the first,
 * `--mode iife-<name>` the others. `unpkg` and `jsdelivr` name the first.
 * @type {readonly Script[]}
 */
export const scripts = [
  { name: 'steadysocket', source: 'src/iife.ts', global: 'SteadySocket' },
  { name: 'json', source: 'src/json/iife.ts', global: 'JsonChannel' },
];

/** The `<script>` build that `vite build --mode <mode>` makes: `iife` for the first, `iife-<name>` for the others. */
export const scriptFor = (/** @type {string} */ mode) => scripts.find((script, i) => mode === (i === 0 ? 'iife' : `iife-${script.name}`));

/** The import specifier of an entry: `steadysocket` or `steadysocket/<name>`. */
export const specifier = (/** @type {Entry} */ entry) => (entry.name === PACKAGE ? PACKAGE : `${PACKAGE}/${entry.name}`);

/** The key of an entry in package.json's `exports`: `.` or `./<name>`. */
export const subpath = (/** @type {Entry} */ entry) => (entry.name === PACKAGE ? '.' : `./${entry.name}`);

/**
 * package.json's fields that follow from the entries: `import` gets ESM JavaScript and `.d.ts` types, `require`
 * CommonJS and `.d.cts` types (each condition its own types, so TypeScript's node16/nodenext sees the right module
 * format); `main`/`module`/`types` and `typesVersions` serve resolvers that do not read `exports` (TypeScript's
 * node10 among them); `unpkg` and `jsdelivr` (a CDN's file for the bare package URL) name the first `<script>` build.
 */
export function packageFields() {
  const file = (/** @type {Entry} */ entry, /** @type {string} */ ext) => `./dist/${entry.name}${ext}`;
  const root = entries.find((entry) => entry.name === PACKAGE);
  if (!root) throw new Error(`scripts/entries.mjs: no entry is named ${PACKAGE}`);
  return {
    main: file(root, '.cjs'),
    module: file(root, '.js'),
    types: file(root, '.d.cts'),
    unpkg: `./dist/${scripts[0].name}.iife.js`,
    jsdelivr: `./dist/${scripts[0].name}.iife.js`,
    exports: {
      ...Object.fromEntries(entries.map((entry) => [subpath(entry), {
        import: { types: file(entry, '.d.ts'), default: file(entry, '.js') },
        require: { types: file(entry, '.d.cts'), default: file(entry, '.cjs') },
      }])),
      './package.json': './package.json',
    },
    typesVersions: {
      '*': Object.fromEntries(entries.filter((entry) => entry !== root).map((entry) => [entry.name, [file(entry, '.d.cts')]])),
    },
  };
}

const PACKAGE_JSON = fileURLToPath(new URL('../package.json', import.meta.url));

/**
 * Writes `packageFields()` into package.json when it differs (other fields and their order are kept; a new
 * field goes after `exports`). Returns the names of the fields it changed.
 */
export function syncPackageJson() {
  const text = readFileSync(PACKAGE_JSON, 'utf8');
  /** @type {Record<string, unknown>} */
  const pkg = JSON.parse(text);
  /** @type {Record<string, unknown>} */
  const fields = packageFields();
  const changed = Object.keys(fields).filter((key) => JSON.stringify(pkg[key]) !== JSON.stringify(fields[key]));
  if (!changed.length) return changed;
  /** @type {Record<string, unknown>} */
  const next = {};
  for (const [key, value] of Object.entries(pkg)) {
    next[key] = key in fields ? fields[key] : value;
    if (key === 'exports') for (const k of Object.keys(fields)) if (!(k in pkg)) next[k] = fields[k];
  }
  for (const k of Object.keys(fields)) if (!(k in next)) next[k] = fields[k];
  writeFileSync(PACKAGE_JSON, `${JSON.stringify(next, null, 2)}\n`);
  return changed;
}
