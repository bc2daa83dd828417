/**
 * What the page's life tells a socket:
 * - `wake`: a good moment to check (the page became visible): retry now if waiting, probe an open connection;
 * - `online` / `offline`: the browser's network state (offline: retries wait long and are not counted);
 * - `suspend`: the page may enter the back/forward cache or be frozen (`pagehide`, `freeze`), or is going away:
 *   close the connection cleanly and keep everything for later;
 * - `resume`: back from the cache or unfrozen (`pageshow` with `persisted`, `resume`): connect at once.
 */
export type LifecycleSignal = 'wake' | 'online' | 'offline' | 'suspend' | 'resume';

/**
 * A source of lifecycle signals: it calls `signal` when something happens and returns the function that stops it.
 *
 * @example
 * // reconnect at once when the app's own network monitor says the network is back
 * const appNetwork: LifecycleSource = (signal) => monitor.subscribe((up) => signal(up ? 'online' : 'offline'));
 * new SteadySocket(url, undefined, { lifecycle: [pageLifecycle, appNetwork] });
 */
export type LifecycleSource = (signal: (kind: LifecycleSignal) => void) => () => void;

type Scope = Partial<Pick<typeof globalThis, 'addEventListener' | 'removeEventListener' | 'document' | 'navigator'>>;

/**
 * The page's own events, each feature-detected (a Worker has `online`/`offline` only, Node nothing):
 * `online`, `offline` (and `offline` at once if the browser already is), the page becoming visible
 * (`wake`), `pagehide` (`suspend`: the page may be cached, or is going away), `pageshow` with
 * `persisted` (`resume`), and the Page Lifecycle API's `freeze` (`suspend`) and `resume`.
 * The default of the `lifecycle` option.
 */
export const pageLifecycle: LifecycleSource = (signal) => {
  const scope = globalThis as Scope;
  const doc = scope.document;
  const listen = (target: Partial<EventTarget> | undefined, type: string, map: (event: Event) => LifecycleSignal | false) => {
    const listener = (event: Event) => {
      const kind = map(event);
      if (kind) signal(kind);
    };
    target?.addEventListener?.(type, listener);
    return () => target?.removeEventListener?.(type, listener);
  };
  if (scope.navigator?.onLine === false) signal('offline');
  const stops = [
    listen(scope, 'online', () => 'online'),
    listen(scope, 'offline', () => 'offline'),
    listen(scope, 'pagehide', () => 'suspend'),
    listen(scope, 'pageshow', (event) => (event as PageTransitionEvent).persisted && 'resume'),
    listen(doc, 'visibilitychange', () => doc!.visibilityState === 'visible' && 'wake'),
    listen(doc, 'freeze', () => 'suspend'),
    listen(doc, 'resume', () => 'resume'),
  ];
  return () => stops.forEach((stop) => stop());
};

/** What a socket does for each lifecycle signal (see `LifecycleSignal`). */
export interface LifecycleActions {
  suspend(): void;
  resume(): void;
  wake(): void;
  network(online: boolean): void;
}

/** Starts every source, routing its signals to `actions`; returns the function that stops them all. */
export function watchLifecycle(sources: readonly LifecycleSource[], actions: LifecycleActions): () => void {
  const stops = sources.map((source) => source((kind) => {
    if (kind === 'suspend' || kind === 'resume' || kind === 'wake') actions[kind]();
    else actions.network(kind === 'online');
  }));
  return () => stops.forEach((stop) => stop());
}
