/// <reference types="node" />
// The README's option tables must say what DEFAULTS and CHANNEL_DEFAULTS hold, both ways: every default in the
// objects is in a table row, and every default a row states comes from the objects.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/index';
import { CHANNEL_DEFAULTS } from '../src/json/index';

const readme = readFileSync(join(resolve(import.meta.dirname, '..'), 'README.md'), 'utf8');

/** Rows of the markdown table whose header is `| option | default | meaning |` that follows `heading`: option → default. */
function optionRows(heading: string, withMeaning = false): Map<string, string> {
  const from = readme.indexOf(heading);
  expect(from, `README section ${heading}`).toBeGreaterThanOrEqual(0);
  const lines = readme.slice(readme.indexOf('| option | default | meaning |', from)).split('\n');
  const rows = new Map<string, string>();
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const [, option, value, meaning] = line.split('|').map((cell) => cell.trim());
    rows.set(option!, withMeaning ? `${value} ${meaning}` : value!);
  }
  return rows;
}

/** Every leaf of a defaults object, as `path` → value (`reconnect.initialDelayMs` → 1000). */
function leaves(object: object, prefix = ''): [string, unknown][] {
  return Object.entries(object).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? leaves(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]]);
}

/** How the README writes a value: numbers as digits (or Infinity), strings quoted. */
const written = (value: unknown) => (typeof value === 'string' ? `'${value}'` : String(value));

describe("README option tables agree with the code's defaults", () => {
  it('SteadySocket: every DEFAULTS leaf is in the table, with the same value', () => {
    const rows = optionRows('## Options');
    const heartbeatRow = optionRows('## Options', true).get('`heartbeat`');
    for (const [path, value] of leaves(DEFAULTS)) {
      if (typeof value === 'function') continue; // heartbeat.isPong: described in words
      if (path.startsWith('heartbeat.')) {
        // `heartbeat` is off by default; its row lists the values `true` turns on.
        expect(heartbeatRow, path).toContain(`${path.slice('heartbeat.'.length)}: ${written(value)}`);
      } else if (path === 'lowWaterMark') {
        expect(rows.get('`lowWaterMark`'), path).toContain(`(${value},`);
      } else {
        expect(rows.get(`\`${path}\``), path).toMatch(new RegExp(`^\`${written(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``));
      }
    }
  });

  it('SteadySocket: every default the table states is a DEFAULTS leaf', () => {
    const known = new Map(leaves(DEFAULTS));
    for (const [option, value] of optionRows('## Options')) {
      const stated = /^`([^`]+)`/.exec(value)?.[1];
      const path = option.replace(/`/g, '');
      if (stated === undefined || !/^[\d'I]/.test(stated)) continue; // none, or described in words
      expect(known.has(path), `${path} is not in DEFAULTS`).toBe(true);
      expect(stated, path).toBe(written(known.get(path)));
    }
  });

  it('JsonChannel: the table and CHANNEL_DEFAULTS agree both ways', () => {
    const rows = optionRows('## JSON messages');
    for (const [path, value] of leaves(CHANNEL_DEFAULTS)) expect(rows.get(`\`${path}\``), path).toMatch(new RegExp(`^\`${value}\``));
    for (const [option, value] of rows) {
      const stated = /^`(\d+)`/.exec(value)?.[1];
      if (stated !== undefined) expect(String(CHANNEL_DEFAULTS[option.replace(/`/g, '') as keyof typeof CHANNEL_DEFAULTS])).toBe(stated);
    }
  });
});
