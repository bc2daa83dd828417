/// <reference types="node" />
// package.json's entry fields are made from scripts/entries.mjs (`npm run build` writes them): this catches a
// package.json edited by hand, or an entry added without building, before anything is packed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entries, packageFields } from '../scripts/entries.mjs';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const fields = packageFields() as Record<string, unknown>;

describe('package entry points', () => {
  it.each(Object.keys(fields))('package.json %s is what scripts/entries.mjs makes (npm run build writes it)', (key) => {
    expect(pkg[key]).toEqual(fields[key]);
  });

  it('every entry has its source and a subpath of its own', () => {
    const names = entries.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of entries) expect(() => readFileSync(resolve(root, entry.source))).not.toThrow();
  });
});
