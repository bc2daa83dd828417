import { describe, expect, it } from 'vitest';
import { byteLength } from './bytes';

const utf8 = (s: string) => new TextEncoder().encode(s).length;

describe('byteLength', () => {
  it('counts UTF-8 bytes of text, not characters', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a😀b€é', '\u{10FFFF}', 'x'.repeat(1000)]) expect(byteLength(s)).toBe(utf8(s));
  });

  it('counts a lone surrogate as the 3 bytes of U+FFFD the browser sends', () => {
    for (const s of ['\ud800', '\udc00', 'a\ud83d', '\ud83dz', '\udc00\ud800']) expect(byteLength(s)).toBe(utf8(s));
  });

  it('agrees with TextEncoder on random strings', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 200; i++) {
      const s = String.fromCharCode(...Array.from({ length: 50 }, () => Math.floor(rand() * 0x10000)));
      expect(byteLength(s)).toBe(utf8(s));
    }
  });

  it('uses byteLength for buffers and views and size for blobs', () => {
    expect(byteLength(new ArrayBuffer(10))).toBe(10);
    expect(byteLength(new Uint16Array(8).subarray(2, 5))).toBe(6);
    expect(byteLength(new DataView(new ArrayBuffer(9), 1, 4))).toBe(4);
    expect(byteLength(new Blob(['héllo']))).toBe(6);
  });
});
