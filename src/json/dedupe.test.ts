import { describe, expect, it } from 'vitest';
import { IdWindow } from './dedupe';

describe('IdWindow', () => {
  it('remembers the last n ids and their answers, forgetting the oldest first', () => {
    const window = new IdWindow(2);
    window.add('a');
    window.add('b');
    window.setAnswer('a', 'answer-a');
    window.add('c');
    expect([window.has('a'), window.has('b'), window.has('c')]).toEqual([false, true, true]);
    window.setAnswer('a', 'late'); // forgotten: not remembered again
    expect(window.has('a')).toBe(false);
    window.setAnswer('b', 'answer-b');
    expect(window.answer('b')).toBe('answer-b');
    expect(window.answer('c')).toBeUndefined();
  });

  it('remembers nothing with size 0', () => {
    const window = new IdWindow(0);
    window.add('a');
    expect(window.has('a')).toBe(false);
  });
});
