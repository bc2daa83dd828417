// @ts-check
// The test harness: test server + fault-injecting proxy in front of it + HTTP control API, all on loopback.
// Plain JavaScript so the demo (plain `node`) and the benchmarks can use it without a TypeScript runner.
import { startServer } from './server.mjs';
import { startProxy } from './proxy.mjs';
import { createControlHandler, clearTimers } from './control.mjs';

export { startServer, TestServer, now } from './server.mjs';
export { startProxy, TcpProxy } from './proxy.mjs';

/**
 * @typedef {{
 *   static?: import('./static.mjs').StaticRoots,
 *   port?: number,
 *   proxyPort?: number,
 *   host?: string,
 *   control?: boolean,
 *   recordPayloads?: boolean,
 *   routes?: Record<string, import('./server.mjs').WsRoute>,
 *   onRequest?: import('./server.mjs').RequestHook,
 * }} HarnessOptions
 *   port/proxyPort: 0 (default) = ephemeral. control: mount /control/... (default true).
 *   recordPayloads: keep binary payloads (base64) in the log (default true; benchmarks may turn it off).
 *   routes: extra WebSocket endpoints by path (see WsRoute in server.mjs), behind the proxy like the built-in ones.
 *   onRequest: answers HTTP requests before the control API and the static files (returns true when it did).
 *
 * @typedef {{
 *   baseUrl: string,
 *   wsUrl: (path?: string) => string,
 *   directWsUrl: (path?: string) => string,
 *   server: import('./server.mjs').TestServer,
 *   proxy: import('./proxy.mjs').TcpProxy,
 *   reports: unknown[],
 *   close: () => Promise<void>,
 * }} Harness
 */

/**
 * @param {HarnessOptions} [options]
 * @returns {Promise<Harness>}
 */
export async function startHarness(options = {}) {
  const host = options.host ?? '127.0.0.1';
  /** @type {import('./proxy.mjs').TcpProxy | undefined} */
  let proxy;
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();
  const getProxy = () => {
    if (!proxy) throw new Error('proxy not started yet');
    return proxy;
  };
  /** @type {import('./server.mjs').RequestHook | undefined} */
  let control;
  /** @type {import('./server.mjs').RequestHook} */
  const onRequest = (req, res, url) => !!options.onRequest?.(req, res, url) || !!control?.(req, res, url);
  const server = await startServer({
    static: options.static,
    port: options.port,
    host,
    recordPayloads: options.recordPayloads,
    routes: options.routes,
    onRequest,
  });
  /** @type {unknown[]} */
  const reports = [];
  if (options.control !== false) control = createControlHandler({ server, proxy: getProxy, timers, reports });
  try {
    proxy = await startProxy({ target: { host, port: server.port }, port: options.proxyPort, host });
  } catch (e) {
    await server.close();
    throw e;
  }
  const live = proxy;
  /** @param {number} port @param {string} path */
  const ws = (port, path) => `ws://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
  return {
    baseUrl: `http://${host}:${server.port}`,
    wsUrl: (path = '/echo') => ws(live.port, path),
    directWsUrl: (path = '/echo') => ws(server.port, path),
    server,
    proxy: live,
    reports,
    async close() {
      clearTimers(timers);
      await live.close();
      await server.close();
    },
  };
}
