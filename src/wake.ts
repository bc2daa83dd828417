/**
 * A source of wake-ups: it calls `wake` whenever waiting out a backoff delay would be a waste (the
 * network came back, the page became visible), and returns the function that stops it.
 *
 * @example
 * // reconnect at once when the app's own network monitor says so
 * const appOnline: WakeSource = (wake) => monitor.subscribe((up) => up && wake());
 */
export type WakeSource = (wake: () => void) => () => void;

type Scope = Partial<Pick<typeof globalThis, 'addEventListener' | 'removeEventListener' | 'document'>>;

/** Listens to `type` on `target` (if it can be listened to) and returns the function that stops. */
export function listen(target: Partial<EventTarget> | undefined, type: string, listener: (event: Event) => void): () => void {
  target?.addEventListener?.(type, listener);
  return () => target?.removeEventListener?.(type, listener);
}

/** The `online` event of a window or worker scope; nothing in Node. */
export const online: WakeSource = (wake) => listen(globalThis as Scope, 'online', wake);

/** The page becoming visible again (`visibilitychange`); nothing where there is no `document`. */
export const visible: WakeSource = (wake) => {
  const doc = (globalThis as Scope).document;
  return listen(doc, 'visibilitychange', () => doc!.visibilityState === 'visible' && wake());
};

/** Starts every source; returns the function that stops them all. */
export function subscribe(sources: readonly WakeSource[], wake: () => void): () => void {
  const stops = sources.map((source) => source(wake));
  return () => stops.forEach((stop) => stop());
}
