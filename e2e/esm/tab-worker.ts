// A Worker as a tab of a shared connection: the agent of tab-agent.ts, driven over postMessage.
import { createAgent } from './tab-agent';

const agent = createAgent() as unknown as Record<string, (...args: unknown[]) => unknown>;
self.onmessage = async (e: MessageEvent<{ id: number; method: string; args: unknown[] }>) => {
  const result = await agent[e.data.method]!(...e.data.args);
  self.postMessage({ id: e.data.id, result: result === undefined ? null : structuredClone(result) });
};
