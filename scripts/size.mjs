// Prints the minified + gzipped (and brotli) size of each entry point of the built package, the way an app bundler
// would ship it: the ESM build in dist/ re-bundled and minified by Rolldown (Vite's bundler), with its dependencies
// (mitt) and, for entries built on the core, the core included.
// Usage: npm run size [-- --json] [-- --check: exit 1 when an entry is over its budget]   (run `npm run build` first)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { rolldown } from 'rolldown';
import { PACKAGE, entries, specifier } from './entries.mjs';

/**
 * Gzip budgets in bytes, per entry (all exports). `overCore`: the budget is for what the entry adds to the core
 * (its size minus the core's), for entries that apps use together with it; `also`: the other entries it is built
 * on, bundled with the core for that subtraction (the React hooks sit on the JSON channel too). Kept here, next to
 * the measurement; the README's Size section says where each comes from.
 * @type {Record<string, { bytes: number, overCore?: boolean, also?: string[] }>}
 */
export const BUDGETS = {
  steadysocket: { bytes: 5632 },
  json: { bytes: 3400 },
  tabs: { bytes: 2112, overCore: true },
  testing: { bytes: 1024 },
  react: { bytes: 1024, overCore: true, also: ['json'] },
};

/** `code` (an ES module importing from the package root) bundled and minified; returns the output source. */
export async function minified(code) {
  const dir = resolve('node_modules/.cache/size');
  mkdirSync(dir, { recursive: true });
  const entry = resolve(dir, 'entry.mjs');
  writeFileSync(entry, code.replaceAll("'./", `'${resolve('.')}/`));
  const bundle = await rolldown({ input: entry, logLevel: 'silent', external: (id) => id === 'react' || id.startsWith('react/') });
  const { output } = await bundle.generate({ format: 'es', minify: true });
  await bundle.close();
  return output[0].code;
}

async function measure(name, code) {
  const buf = Buffer.from(await minified(code));
  return {
    entry: name,
    minBytes: buf.length,
    gzipBytes: gzipSync(buf, { level: 9 }).length,
    brotliBytes: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

// Run as a script (`npm run size`); imported (bench/size.mjs reuses minified()), it only defines.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const rows = [];
  const over = [];
  let core = 0;
  for (const entry of entries) {
    const file = `./dist/${entry.name}.js`;
    if (!existsSync(file)) continue;
    const row = await measure(`${specifier(entry)} (all exports)`, `export * from '${file}';`);
    const budget = BUDGETS[entry.name];
    if (entry.name === 'steadysocket') core = row.gzipBytes;
    const base = budget?.also?.length
      ? (await measure('base', [PACKAGE, ...budget.also].map((name) => `export * from './dist/${name}.js';`).join('\n'))).gzipBytes
      : core;
    const counted = budget?.overCore ? row.gzipBytes - base : row.gzipBytes;
    row.budget = budget ? `${counted} of ${budget.bytes} B${budget.overCore ? ` over the core${budget.also?.length ? ` and ${budget.also.join(', ')}` : ''}` : ''}` : 'none';
    if (budget && counted > budget.bytes) over.push(`${specifier(entry)} is ${counted - budget.bytes} B over its ${budget.bytes} B gzip budget`);
    rows.push(row);
    if (entry.name === 'steadysocket') rows.push(await measure('steadysocket: SteadySocket only', `export { SteadySocket } from '${file}';`));
    if (entry.name === 'react') {
      const hooks = await measure('steadysocket/react: the socket hooks only', `export { useSteadySocket, useSocketState, useSocketEvent } from '${file}';`);
      hooks.budget = `${hooks.gzipBytes - core} B over the core`;
      rows.push(hooks);
    }
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else {
    console.log('| entry | minified | gzip | brotli | gzip budget |\n|---|---:|---:|---:|---|');
    for (const r of rows) console.log(`| ${r.entry} | ${r.minBytes} B | ${r.gzipBytes} B | ${r.brotliBytes} B | ${r.budget ?? ''} |`);
  }
  if (process.argv.includes('--check') && over.length) {
    for (const line of over) console.error(`size: ${line}`);
    process.exitCode = 1;
  }
}
