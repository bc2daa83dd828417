/**
 * Calls `callback` when the network comes back (`online`, fired on windows and worker scopes)
 * or the page becomes visible again, the moments when waiting out a backoff delay is a waste.
 * Every listener is feature-detected, so this is a no-op in Node. Returns the function that
 * removes the listeners.
 */
export function onWake(callback: () => void): () => void {
  const scope = globalThis as Partial<typeof globalThis>;
  const doc = scope.document;
  const onVisible = () => {
    if (doc?.visibilityState === 'visible') callback();
  };
  scope.addEventListener?.('online', callback);
  doc?.addEventListener?.('visibilitychange', onVisible);
  return () => {
    scope.removeEventListener?.('online', callback);
    doc?.removeEventListener?.('visibilitychange', onVisible);
  };
}
