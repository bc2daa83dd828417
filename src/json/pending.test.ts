import { describe, expect, it } from 'vitest';
import { createIdSource } from './pending';

describe('ids', () => {
  it('are a 16-character prefix from the injected random source and a counter', () => {
    const next = createIdSource(() => 0.5);
    expect([next(), next(), next()]).toEqual(['iiiiiiiiiiiiiiii-1', 'iiiiiiiiiiiiiiii-2', 'iiiiiiiiiiiiiiii-3']);
  });

  it('get a random prefix per channel by default', () => {
    const a = createIdSource()();
    const b = createIdSource()();
    expect(a).toMatch(/^[0-9a-z]{16}-1$/);
    expect(a).not.toBe(b);
  });
});
