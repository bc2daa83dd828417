/// <reference types="node" />
// The README's examples must stay true: every ```js / ```ts / ```tsx block is type-checked, as an app would compile
// it, against the package's own sources (`steadysocket` and its subpaths map to src/; React's JSX for ```tsx). Names
// an example only alludes to (`chunks`, `file`, `url`, `getToken`...) are declared in a prelude; a block that
// declares one itself keeps its own.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, 'node_modules', '.cache', 'readme-examples');

const PRELUDE: Record<string, string> = {
  SteadySocket: "import { SteadySocket } from 'steadysocket';",
  pageLifecycle: "import { pageLifecycle } from 'steadysocket';",
  render: 'declare function render(data: unknown): void;',
  socket: 'declare const socket: SteadySocket;',
  chunks: 'declare const chunks: Uint8Array[];',
  file: 'declare const file: Blob;',
  url: 'declare const url: string;',
  token: 'declare const token: string;',
  getToken: 'declare function getToken(): Promise<string>;',
  addLine: 'declare function addLine(name: string, text: string): void;',
  showUsers: 'declare function showUsers(users: string[]): void;',
  log: 'declare function log(value: unknown): void;',
  report: 'declare function report(...values: unknown[]): void;',
};

/** The README's JavaScript and TypeScript blocks, each with the line number of its opening fence and its extension. */
function examples(): { line: number; code: string; ext: string }[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const found: { line: number; code: string; ext: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(js|ts|tsx)$/.exec(lines[i]!);
    if (!fence) continue;
    const start = i + 1;
    while (lines[++i] !== '```') if (i >= lines.length) throw new Error(`unclosed block at README.md:${start}`);
    found.push({ line: start, code: lines.slice(start, i).join('\n'), ext: fence[1] === 'tsx' ? 'tsx' : 'ts' });
  }
  return found;
}

/** The block as a module: the prelude lines for the names it uses but does not declare or import itself. */
function asModule(code: string): string {
  const declares = (name: string) =>
    new RegExp(`(const|let|function|class)\\s+${name}\\b|import\\s*\\{[^}]*\\b${name}\\b`).test(code);
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(code);
  const prelude = Object.entries(PRELUDE)
    .filter(([name]) => name === 'SteadySocket' ? uses('socket') || uses('SteadySocket') : uses(name))
    .filter(([name]) => !declares(name))
    .map(([, line]) => line);
  return [...prelude, code, 'export {};', ''].join('\n');
}

describe('README examples', () => {
  it('finds the examples it checks', () => {
    expect(examples().length).toBeGreaterThanOrEqual(8);
  });

  it('type-check against the package (tsc, strict, as an app compiles them)', () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = examples().map(({ line, code, ext }) => {
      const file = `readme-line-${line}.${ext}`;
      writeFileSync(join(dir, file), asModule(code));
      return file;
    });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      extends: '../../../tsconfig.json',
      compilerOptions: {
        noEmit: true,
        noUnusedLocals: false,
        jsx: 'react-jsx',
        paths: {
          steadysocket: ['../../../src/index.ts'],
          'steadysocket/json': ['../../../src/json/index.ts'],
          'steadysocket/tabs': ['../../../src/tabs/index.ts'],
          'steadysocket/react': ['../../../src/react/index.ts'],
          'steadysocket/testing': ['../../../src/testkit/index.ts'],
        },
      },
      files,
      include: [],
    }));
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // readme-line-N.ts(L,C): N is the README line of the block's opening fence; L counts the prelude lines too.
    expect(output).toBe('');
  }, 60_000);
});
