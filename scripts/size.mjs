// Prints the minified + gzipped (and brotli) size of each entry point of the built package, the
// way an app bundler would ship it: the ESM build in dist/ re-bundled and minified by Rolldown (Vite's bundler).
// Usage: npm run size [-- --json] [-- --check: exit 1 when the core entry is over budget]   (run `npm run build` first)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { rolldown } from 'rolldown';

const BUDGET_BYTES = 3.5 * 1024; // gzip, whole package (issue budget)

/** Entry points and what an app imports from them. */
const cases = [
  { name: 'steadysocket (all exports)', code: "export * from './dist/steadysocket.js';" },
  { name: 'steadysocket: SteadySocket only', code: "export { SteadySocket } from './dist/steadysocket.js';" },
];
if (existsSync('dist/json.js')) cases.push({ name: 'steadysocket/json (all exports)', code: "export * from './dist/json.js';" });

/** `code` (an ES module importing from the package root) bundled and minified; returns the output source. */
export async function minified(code) {
  const dir = resolve('node_modules/.cache/size');
  mkdirSync(dir, { recursive: true });
  const entry = resolve(dir, 'entry.mjs');
  writeFileSync(entry, code.replaceAll("'./", `'${resolve('.')}/`));
  const bundle = await rolldown({ input: entry, logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'es', minify: true });
  await bundle.close();
  return output[0].code;
}

// Run as a script (`npm run size`); imported (bench/size.mjs reuses minified()), it only defines.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const rows = [];
  for (const c of cases) {
    const code = await minified(c.code);
    const buf = Buffer.from(code);
    rows.push({
      entry: c.name,
      minBytes: buf.length,
      gzipBytes: gzipSync(buf, { level: 9 }).length,
      brotliBytes: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else {
    console.log('| entry | minified | gzip | brotli |\n|---|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.entry} | ${r.minBytes} B | ${r.gzipBytes} B | ${r.brotliBytes} B |`);
    const total = rows.filter((r) => r.entry.endsWith('(all exports)')).reduce((n, r) => n + r.gzipBytes, 0);
    console.log(`\nBudget: ${rows[0].gzipBytes} B gzip for the core entry, ${BUDGET_BYTES} B allowed for the whole package (${total} B for all entries).`);
  }
  if (process.argv.includes('--check') && rows[0].gzipBytes > BUDGET_BYTES) {
    console.error(`size: the core entry is ${rows[0].gzipBytes - BUDGET_BYTES} B over its ${BUDGET_BYTES} B gzip budget`);
    process.exitCode = 1;
  }
}
