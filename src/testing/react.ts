// Renders React elements into a happy-dom document for the hooks' tests (`// @vitest-environment happy-dom`), in
// StrictMode by default, every step inside act() so effects and their updates have run when it returns.
import { StrictMode, act, createElement, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A mounted tree: `render()` replaces it, `unmount()` removes it. */
export async function mount(element: ReactElement, { strict = true } = {}) {
  const root = createRoot(document.createElement('div'));
  const wrap = (el: ReactElement) => (strict ? createElement(StrictMode, null, el) : el);
  await act(async () => root.render(wrap(element)));
  return {
    render: (next: ReactElement) => act(async () => root.render(wrap(next))),
    unmount: () => act(async () => root.unmount()),
  };
}

/** Runs `fn` inside act(), so the renders it causes have happened when it returns. */
export const step = (fn: () => unknown) => act(async () => void fn());
