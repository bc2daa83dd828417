/// <reference types="node" />
// The repository's import graph outside src/: nothing imports from e2e/ but e2e itself (the harness, the demo and the
// benchmarks are its foundation, not the other way round), and there is no import cycle, between folders or within
// one. Static, dynamic and JSDoc `import('…')` references all count; only relative paths are followed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = new Set(['node_modules', 'dist', 'src', '.git', '.build', '.output', '.cache', 'playwright-report', 'test-results']);
const CODE = /\.(?:[cm]?js|[cm]?ts)$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return CODE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The file a relative specifier names (as Node, Vite or TypeScript would find it), or null. */
function resolve(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.mjs`, `${base}.js`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
const folderOf = (file: string) => rel(file).split('/')[0]!;

const graph = new Map<string, string[]>();
for (const file of files(root)) {
  const text = fs.readFileSync(file, 'utf8');
  const targets = [...text.matchAll(SPECIFIER)].map((m) => resolve(file, m[1]!)).filter((t): t is string => !!t);
  graph.set(rel(file), [...new Set(targets.map(rel))]);
}

/** Every cycle's path, one per strongly connected start (depth-first, iterative enough for this size). */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('import graph outside src/', () => {
  it('finds the files it checks', () => {
    expect(graph.get('demo/server.mjs')).toContain('harness/server/index.mjs');
  });

  it('nothing outside e2e/ imports from e2e/', () => {
    const offenders = [...graph].flatMap(([file, targets]) =>
      folderOf(file) === 'e2e' ? [] : targets.filter((t) => folderOf(t) === 'e2e').map((t) => `${file} -> ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has no cycle between files', () => {
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const folders = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      const to = targets.map(folderOf).filter((f) => f !== from);
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])]);
    }
    expect(cycles(folders).map((c) => c.join(' -> '))).toEqual([]);
  });
});
