import type { LifecycleActions } from './lifecycle';
import type { Retry } from './retry';

/** What the page's life needs from the connection sequence. */
export interface PageHost {
  /** `close()` was called: the page's life concerns nothing any more. */
  stopped(): boolean;
  retry: Retry;
  /** Closes the connection (or attempt) cleanly and keeps everything, for a page that may be cached or frozen. */
  park(): void;
  /** Pings an open connection at once (with a heartbeat), holding new sends until it answers. */
  probe(): void;
  connect(): void;
}

/**
 * What a socket does with the page's life (README, "Page lifecycle"): a suspended page (back/forward cache,
 * frozen, going away) gets its connection closed cleanly and nothing scheduled, until `resume` connects at once
 * with a fresh URL; a wake-up ends a wait or probes an open connection; offline, retries wait long, uncounted.
 */
export function pageReactions(host: PageHost): LifecycleActions & { reset(): void } {
  const { retry } = host;
  let suspended = false;
  const quiet = () => host.stopped() || suspended;
  const wake = () => {
    if (!quiet() && !retry.now()) host.probe();
  };
  return {
    suspend() {
      if (quiet()) return;
      suspended = true;
      retry.cancel();
      host.park();
    },
    resume() {
      if (!suspended) return wake();
      suspended = false;
      retry.reset();
      if (!host.stopped()) host.connect();
    },
    wake,
    network(online) {
      if (quiet()) return;
      retry.offline(!online);
      if (!online || !retry.now()) host.probe();
    },
    /** `close()` or `reconnect()`: not suspended any more. */
    reset() {
      suspended = false;
    },
  };
}
