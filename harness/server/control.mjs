// @ts-check
// HTTP control API under /control/..., so a page (the demo, or a test's page) can inject faults itself.
// JSON out, query parameters in; POST for actions, GET for reads. Same origin as the static pages.

/**
 * @typedef {import('./server.mjs').TestServer} TestServer
 * @typedef {import('./proxy.mjs').TcpProxy} TcpProxy
 * @typedef {{ server: TestServer, proxy: () => TcpProxy, timers: Set<NodeJS.Timeout>, reports: unknown[] }} ControlContext
 *   reports: what pages posted to /control/report (a page that the driver cannot evaluate in, such as one WebKitGTK
 *   restored from the back/forward cache, reports this way).
 * @typedef {(ctx: ControlContext, q: URLSearchParams, body: string) => object} Action
 */

/** @type {Record<string, Action>} */
const ROUTES = {
  'GET /control/log': ({ server, proxy }) => ({ server: server.log(), proxy: proxy().log() }),
  'GET /control/state': ({ server, proxy }) => ({ proxy: proxy().state(), openConnections: server.openConnections() }),
  'POST /control/log/clear': ({ server, proxy }) => {
    server.clearLog();
    proxy().clearLog();
    return {};
  },
  'POST /control/report': ({ reports }, _q, body) => {
    reports.push(JSON.parse(body));
    return { count: reports.length };
  },
  'GET /control/reports': ({ reports }) => ({ reports }),
  'POST /control/clear-faults': ({ server, proxy, timers }) => {
    clearTimers(timers);
    proxy().pass();
    server.rejectNext(0);
    server.delayHandshake(0);
    return {};
  },
  'POST /control/proxy/reset': ({ proxy }) => ({ reset: proxy().reset() }),
  'POST /control/proxy/pass': ({ proxy, timers }) => {
    clearTimers(timers);
    proxy().pass();
    return {};
  },
  'POST /control/proxy/blackhole': (ctx, q) => toggle(ctx, q, (on) => ctx.proxy().blackhole(on)),
  'POST /control/proxy/blackhole-existing': ({ proxy }) => ({ swallowed: proxy().blackholeExisting() }),
  'POST /control/proxy/refuse': (ctx, q) => toggle(ctx, q, (on) => ctx.proxy().refuse(on)),
  'POST /control/proxy/throttle': ({ proxy }, q) => {
    const bps = number(q, 'bps', 0);
    proxy().throttle(bps > 0 ? bps : null);
    return { throttleBps: bps > 0 ? bps : null };
  },
  'POST /control/proxy/delay': ({ proxy }, q) => {
    proxy().delay(number(q, 'ms', 0));
    return { delayMs: number(q, 'ms', 0) };
  },
  // Answered before the restart begins: the HTTP server itself goes down for downMs.
  'POST /control/server/restart': (_ctx, q) => ({ restarting: true, downMs: number(q, 'downMs', 1000) }),
  'POST /control/server/reject': ({ server }, q) => {
    server.rejectNext(number(q, 'count', 1), number(q, 'status', 503));
    return { count: number(q, 'count', 1), status: number(q, 'status', 503) };
  },
  'POST /control/server/delay': ({ server }, q) => {
    server.delayHandshake(number(q, 'ms', 0));
    return { delayMs: number(q, 'ms', 0) };
  },
  'POST /control/server/close': ({ server }, q) => ({
    closed: server.closeAll(number(q, 'code', 1000), q.get('reason') ?? ''),
  }),
  'POST /control/server/terminate': ({ server }) => ({ terminated: server.terminateAll() }),
  'POST /control/server/send': ({ server }, q, body) => {
    const conn = q.get('conn') ?? 'all';
    const target = conn === 'all' ? 'all' : Number(conn);
    const data = q.get('encoding') === 'base64' ? Buffer.from(body, 'base64') : body;
    return { sent: server.send(target, data) };
  },
};

/**
 * @param {ControlContext} ctx
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => boolean}
 */
export function createControlHandler(ctx) {
  return (req, res, url) => {
    if (!url.pathname.startsWith('/control/')) return false;
    const action = ROUTES[`${req.method} ${url.pathname}`];
    if (!action) {
      json(res, 404, { ok: false, error: `no control route ${req.method} ${url.pathname}` });
      return true;
    }
    readBody(req).then((body) => {
      try {
        json(res, 200, { ok: true, ...action(ctx, url.searchParams, body) });
      } catch (e) {
        json(res, 400, { ok: false, error: String(/** @type {Error} */ (e).message ?? e) });
        return;
      }
      if (url.pathname === '/control/server/restart') {
        // Only once the answer is on the wire: restarting drops every socket, this one included.
        res.once('finish', () => void ctx.server.restart(number(url.searchParams, 'downMs', 1000)).catch(() => {}));
      }
    });
    return true;
  };
}

/**
 * `?ms=N`: on now, off after N ms. Otherwise `?on=0|1` (default on).
 * @param {ControlContext} ctx
 * @param {URLSearchParams} q
 * @param {(on: boolean) => void} set
 */
function toggle(ctx, q, set) {
  const ms = number(q, 'ms', 0);
  const on = ms > 0 || !['0', 'false', 'off'].includes(q.get('on') ?? '1');
  set(on);
  if (ms > 0) {
    const timer = setTimeout(() => {
      ctx.timers.delete(timer);
      set(false);
    }, ms);
    ctx.timers.add(timer);
  }
  return { on, ms: ms || null };
}

/** @param {Set<NodeJS.Timeout>} timers */
export function clearTimers(timers) {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
}

/**
 * @param {URLSearchParams} q
 * @param {string} name
 * @param {number} fallback
 */
function number(q, name, fallback) {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}

/** @param {import('node:http').IncomingMessage} req */
function readBody(req) {
  return new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {object} body
 */
function json(res, status, body) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    // The demo may be served from a dev server on another port; the API only listens on loopback.
    'access-control-allow-origin': '*',
  });
  res.end(JSON.stringify(body));
}
