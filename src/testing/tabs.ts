// Fakes of the platform pieces `steadysocket/tabs` builds on: Web Locks and BroadcastChannel, shared by every "tab"
// of a test (each tab is a SharedSteadySocket in the same process). Messages cross the fake channel a macrotask later,
// structured-cloned, as between real tabs.
import { vi } from 'vitest';

type Grant = () => Promise<void>;
interface Waiter { grant: Grant; resolve: (v: unknown) => void; reject: (e: unknown) => void; held: boolean }

/** Web Locks: exclusive locks by name, granted in request order, released when the granted callback's promise settles. */
export class FakeLocks {
  readonly #queues = new Map<string, Waiter[]>();

  request(name: string, options: { signal?: AbortSignal }, grant: Grant): Promise<unknown> {
    const queue = this.#queues.get(name) ?? [];
    this.#queues.set(name, queue);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { grant, resolve, reject, held: false };
      queue.push(waiter);
      options.signal?.addEventListener('abort', () => {
        if (waiter.held) return; // an abort after the grant does not release the lock (as in browsers)
        queue.splice(queue.indexOf(waiter), 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
      this.#next(name);
    });
  }

  query(): Promise<{ held: { name: string }[]; pending: { name: string }[] }> {
    const held: { name: string }[] = [];
    const pending: { name: string }[] = [];
    for (const [name, queue] of this.#queues) queue.forEach((w) => (w.held ? held : pending).push({ name }));
    return Promise.resolve({ held, pending });
  }

  /** Releases what `name`'s holder holds, as when its tab crashes or closes (its callback never returns). */
  crash(name: string): void {
    const queue = this.#queues.get(name)!;
    const holder = queue.find((w) => w.held);
    if (holder) queue.splice(queue.indexOf(holder), 1);
    this.#next(name);
  }

  #next(name: string): void {
    const queue = this.#queues.get(name)!;
    const first = queue[0];
    if (!first || first.held) return;
    first.held = true;
    queueMicrotask(() => {
      first.grant().then(first.resolve, first.reject).finally(() => {
        const i = queue.indexOf(first);
        if (i >= 0) queue.splice(i, 1);
        this.#next(name);
      });
    });
  }
}

const channels = new Map<string, Set<FakeBroadcastChannel>>();

/** BroadcastChannel: delivers to every other open channel of the same name, a macrotask later, cloned. */
export class FakeBroadcastChannel extends EventTarget {
  onmessage: ((event: MessageEvent) => void) | null = null;
  #closed = false;

  constructor(readonly name: string) {
    super();
    const set = channels.get(name) ?? new Set();
    channels.set(name, set);
    set.add(this);
  }

  postMessage(message: unknown): void {
    if (this.#closed) throw new DOMException('closed', 'InvalidStateError');
    const data = structuredClone(message);
    for (const other of channels.get(this.name) ?? []) {
      if (other === this) continue;
      setTimeout(() => other.#deliver(data));
    }
  }

  close(): void {
    this.#closed = true;
    channels.get(this.name)?.delete(this);
  }

  #deliver(data: unknown): void {
    if (this.#closed) return;
    this.onmessage?.(new MessageEvent('message', { data }));
  }
}

/** Installs the fakes as the globals (undo with `vi.unstubAllGlobals()`); returns the locks, to crash a holder. */
export function installTabFakes(): FakeLocks {
  channels.clear();
  const locks = new FakeLocks();
  vi.stubGlobal('BroadcastChannel', FakeBroadcastChannel);
  vi.stubGlobal('navigator', { locks });
  return locks;
}
