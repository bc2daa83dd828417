/** A value held by one or more users: `release()` gives this user's hold back (idempotent). */
export interface Lease<T> {
  readonly value: T;
  readonly release: () => void;
}

interface Entry<T> {
  value: T;
  users: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * A registry of reference-counted values by key: `take(key, create, destroy)` returns the live value of `key` (made
 * with `create()` if there is none) and counts one more user; when the last user releases it, `destroy(value)` runs
 * a task later, unless someone takes the key again first. That deferral is what lets React StrictMode's development
 * re-mount (cleanup, then the same effect again, in one task) keep the value: no close/open pair for a socket.
 * @example
 * const take = leases<string, SteadySocket>();
 * const lease = take('chat', () => new SteadySocket(url), (socket) => socket.close(1000));
 * lease.release(); // closed a task later, unless taken again before
 */
export function leases<K, T>(): (key: K, create: () => T, destroy: (value: T) => void) => Lease<T> {
  const entries = new Map<K, Entry<T>>();
  return (key, create, destroy) => {
    let entry = entries.get(key);
    if (entry) clearTimeout(entry.timer);
    else entries.set(key, (entry = { value: create(), users: 0 }));
    const held = entry;
    held.users++;
    let released = false;
    return {
      value: held.value,
      release: () => {
        if (released) return;
        released = true;
        if (--held.users) return;
        held.timer = setTimeout(() => {
          entries.delete(key);
          destroy(held.value);
        });
      },
    };
  };
}
