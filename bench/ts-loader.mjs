// Node module hooks that let the plain-`node` benchmark import the e2e suite's TypeScript (e2e/browsers.ts,
// e2e/webkitgtk.ts, e2e/firefox-bidi-shim.ts) as is: `.ts` files are stripped of types by Rolldown's Oxc transform,
// and extensionless relative imports between them resolve to `.ts`. Registered by bench/launch.mjs.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/experimental';

export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && context.parentURL?.endsWith('.ts') && !/\.[cm]?[jt]s$/.test(specifier)) {
    const url = new URL(`${specifier}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const result = transformSync(file, await readFile(file, 'utf8'), { sourcemap: false });
  if (result.errors?.length) throw new Error(`${file}: ${result.errors.map((e) => e.message).join('; ')}`);
  return { format: 'module', source: result.code, shortCircuit: true };
}
