import { describe, expect, it } from 'vitest';
import { checkClose, closeEvent, retryUnlessFatal } from './close';

describe('checkClose', () => {
  it.each([[undefined, undefined], [1000, ''], [3000, 'x'], [4999, 'é'.repeat(61)]])('accepts code %s', (code, reason) => {
    expect(() => checkClose(code, reason)).not.toThrow();
  });

  it.each([1001, 1005, 1006, 2999, 5000, 3000.5, 0, NaN])('throws InvalidAccessError for code %s', (code) => {
    expect(() => checkClose(code)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
  });

  it('throws SyntaxError for a reason over 123 UTF-8 bytes, counting bytes not characters', () => {
    expect(() => checkClose(1000, 'a'.repeat(123))).not.toThrow();
    expect(() => checkClose(1000, 'a'.repeat(124))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    expect(() => checkClose(1000, 'é'.repeat(62))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
  });

  it('checks the code before the reason, as the native close() does', () => {
    expect(() => checkClose(1001, 'a'.repeat(200))).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
  });
});

describe('retryUnlessFatal', () => {
  it.each([1000, 1001, 1005, 1006, 1011, 1012, 1013, 1014, 4000])('retries after %i', (code) => {
    expect(retryUnlessFatal(closeEvent(code, '', true))).toBe(true);
  });
  it.each([1002, 1003, 1007, 1008, 1009, 1010])('does not retry after %i', (code) => {
    expect(retryUnlessFatal(closeEvent(code, '', true))).toBe(false);
  });
});
