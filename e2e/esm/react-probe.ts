// Counts what the page has running: live timers (setTimeout/setInterval not yet fired or cleared) and listeners on
// window and document. Imported first by react-app.tsx, so it wraps the timers before React or the SDK can use them.
const live = new Set<unknown>();
const listeners = new Set<string>();
const keys = new WeakMap<object, number>();
let nextKey = 0;
const keyOf = (fn: unknown) => {
  if (typeof fn !== 'object' && typeof fn !== 'function') return String(fn);
  if (!keys.has(fn as object)) keys.set(fn as object, ++nextKey);
  return String(keys.get(fn as object));
};
const capture = (options: unknown) => (typeof options === 'boolean' ? options : !!(options as { capture?: boolean } | undefined)?.capture);

const { setTimeout: set, clearTimeout: clear, setInterval: every, clearInterval: stop } = globalThis;
globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const id = set(() => {
    live.delete(id);
    fn(...args);
  }, ms);
  live.add(id);
  return id;
}) as typeof setTimeout;
/** A clear function that also forgets the timer. */
const forgetting = (native: (id: number) => void) => (id: number) => {
  live.delete(id);
  native(id);
};
globalThis.clearTimeout = forgetting(clear) as typeof clearTimeout;
globalThis.setInterval = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const id = every(fn, ms, ...args);
  live.add(id);
  return id;
}) as typeof setInterval;
globalThis.clearInterval = forgetting(stop) as typeof clearInterval;

for (const [name, target] of [['window', window], ['document', document]] as const) {
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  target.addEventListener = (type: string, fn: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) => {
    listeners.add(`${name} ${type} ${keyOf(fn)} ${capture(options)}`);
    add(type, fn, options);
  };
  target.removeEventListener = (type: string, fn: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) => {
    listeners.delete(`${name} ${type} ${keyOf(fn)} ${capture(options)}`);
    remove(type, fn, options);
  };
}

/** What is running now: live timers, and the listeners on window and document (as `target type`). */
export const running = () => ({ timers: live.size, listeners: [...listeners].map((l) => l.split(' ').slice(0, 2).join(' ')).sort() });
