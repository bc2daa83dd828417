// Dedicated worker: loads the IIFE builds (the core and JSON) and the scenarios with importScripts, runs what the page asks.
importScripts('/dist/steadysocket.iife.js', '/dist/json.iife.js', '/pages/scenarios.js', '/pages/scenarios-flow.js', '/pages/scenarios-json.js', '/pages/scenarios-sequence.js');
self.onmessage = async (e) => {
  const { id, name, params } = e.data;
  try {
    const inWorker = typeof window === 'undefined' && typeof document === 'undefined';
    const result = await runScenario(SteadySocket, name, params);
    postMessage({ id, result: { ...result, inWorker } });
  } catch (error) {
    postMessage({ id, error: String((error && error.stack) || error) });
  }
};
