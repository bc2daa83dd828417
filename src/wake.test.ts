import { afterEach, describe, expect, it, vi } from 'vitest';
import { online, subscribe, visible } from './wake';

afterEach(() => vi.unstubAllGlobals());

/** A window-like global scope with a document whose visibility the test sets. */
function fakePage() {
  const scope = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'hidden' as DocumentVisibilityState });
  vi.stubGlobal('addEventListener', scope.addEventListener.bind(scope));
  vi.stubGlobal('removeEventListener', scope.removeEventListener.bind(scope));
  vi.stubGlobal('document', doc);
  return { scope, doc };
}

describe('the default wake-up sources', () => {
  it('wake on the online event and on the page becoming visible, not hidden', () => {
    const { scope, doc } = fakePage();
    const woken: string[] = [];
    const stop = subscribe([online, visible], () => woken.push(doc.visibilityState));
    scope.dispatchEvent(new Event('online'));
    doc.dispatchEvent(new Event('visibilitychange'));
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(woken).toEqual(['hidden', 'visible']);
    stop();
    scope.dispatchEvent(new Event('online'));
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(woken).toHaveLength(2);
  });

  it('do nothing where there is no window, worker scope or document (Node)', () => {
    const stop = subscribe([online, visible], () => {
      throw new Error('no wake-up expected');
    });
    expect(typeof globalThis.addEventListener).toBe('undefined');
    stop();
  });
});
