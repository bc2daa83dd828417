import { useEffect, useInsertionEffect, useLayoutEffect, useRef, type DependencyList, type EffectCallback, type RefObject } from 'react';

/**
 * `useLayoutEffect` in a browser, `useEffect` where there is no `document` (server rendering, where neither runs, and
 * React 18 warns about the first). The hooks subscribe in layout effects: a state update made there is rendered, and
 * its effects run, before the task ends, so a socket made in one is listened to before any of its events can fire.
 * @example useClientEffect(() => socket?.addEventListener('open', onOpen), [socket]);
 */
export function useClientEffect(effect: EffectCallback, deps: DependencyList): void {
  (typeof document === 'undefined' ? useEffect : useLayoutEffect)(effect, deps);
}

/**
 * A ref that holds the latest `value`, updated before any layout or passive effect of the render that passed it runs
 * (an insertion effect: no write during render), so a listener calling `ref.current` always calls the latest handler.
 * @example const latest = useLatest(handler); // then, in a listener: latest.current(event)
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useInsertionEffect(() => {
    ref.current = value;
  });
  return ref;
}
