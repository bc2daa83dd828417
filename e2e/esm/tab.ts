import { createAgent } from './tab-agent';

// In a page: `self.tab` is the agent itself. `self.spawnWorker()` starts a Worker-tab and returns a proxy to it.
const scope = self as unknown as Record<string, unknown>;
scope.tab = createAgent();
scope.spawnWorker = () => {
  const worker = new Worker(new URL('./tab-worker.ts', import.meta.url), { type: 'module' });
  let seq = 0;
  const pending = new Map<number, (value: unknown) => void>();
  worker.onmessage = (e: MessageEvent<{ id: number; result: unknown }>) => {
    pending.get(e.data.id)?.(e.data.result);
    pending.delete(e.data.id);
  };
  const call = (method: string) => (...args: unknown[]) => new Promise((resolve) => {
    pending.set(++seq, resolve);
    worker.postMessage({ id: seq, method, args });
  });
  return { start: call('start'), send: call('send'), state: call('state'), close: call('close'), terminate: () => worker.terminate() };
};
scope.tabReady = true;
