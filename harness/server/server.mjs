// @ts-check
// Test server: static files over HTTP plus `ws` endpoints (/echo, /sink, /json: PROTOCOL.md) that record everything and can be
// told to misbehave (reject or delay handshakes, close, terminate, go down and come back on the same port). Callers can
// mount their own endpoints (`routes`, e.g. the demo's chat on /chat, the Node tests' server on /); they go through the
// same faults, restarts and log.
import http from 'node:http';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { createStaticHandler, reply } from './static.mjs';
import { attachJsonProtocol, createJsonProtocolState } from './json-protocol.mjs';

/** Endpoints that upgrade; anything else is answered 404 (and still logged as an attempt). */
const WS_PATHS = new Set(['/echo', '/sink', '/json']);

/**
 * @typedef {{ t: number, kind: 'text', data: string } | { t: number, kind: 'binary', bytes: number, base64: string }} RecordedMessage
 * @typedef {{ id: number, t: number, url: string, path: string, messages: RecordedMessage[],
 *   close: { t: number, code: number, reason: string } | null }} RecordedConnection
 * @typedef {{ seq: number, t: number, url: string, path: string,
 *   outcome: 'pending' | 'upgrading' | 'upgraded' | 'rejected' | 'not-found' | 'aborted', status?: number, connId?: number }} UpgradeAttempt
 * @typedef {{ now: number, port: number, listening: boolean, attempts: UpgradeAttempt[], connections: RecordedConnection[] }} ServerLog
 * @typedef {(req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean} RequestHook
 *   Called before static serving; returns true when it answered the request.
 * @typedef {{
 *   connection: (ws: import('ws').WebSocket, req: http.IncomingMessage) => void,
 *   verify?: (req: http.IncomingMessage) => number | undefined,
 *   maxPayload?: number,
 *   record?: boolean,
 * }} WsRoute
 *   An extra WebSocket endpoint. connection: called for each accepted socket. verify: an HTTP status refuses the
 *   handshake (e.g. 403 for a foreign Origin), undefined accepts it. maxPayload: larger frames close the connection
 *   with 1009 (default 64 MiB, as the built-in endpoints). record: keep its messages in the log (default true; off
 *   for long-running servers such as the demo, whose log would otherwise grow without bound).
 * @typedef {{ static?: import('./static.mjs').StaticRoots, port?: number, host?: string, onRequest?: RequestHook,
 *   recordPayloads?: boolean, routes?: Record<string, WsRoute> }} ServerOptions
 */

/** Milliseconds on the process's monotonic clock (performance.now), the unit of every recorded time. */
export const now = () => performance.now();

/**
 * @param {ServerOptions} [options]
 * @returns {Promise<TestServer>}
 */
export async function startServer(options = {}) {
  const server = new TestServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

export class TestServer extends EventEmitter {
  host;
  port = 0;
  #http;
  #wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  /** Every TCP socket the HTTP server accepted: restart()/close() must drop them all or close() waits forever. */
  #sockets = new Set();
  /** Upgrade requests not answered yet (held by delayHandshake). */
  #handshaking = new Set();
  /** @type {Map<number, import('ws').WebSocket>} */
  #open = new Map();
  /** @type {UpgradeAttempt[]} */
  #attempts = [];
  /** @type {RecordedConnection[]} */
  #connections = [];
  #nextAttempt = 1;
  #nextConn = 1;
  #reject = { count: 0, status: 503 };
  #handshakeDelayMs = 0;
  #recordPayloads;
  /** @type {Map<string, WsRoute>} */
  #routes;
  /** One WebSocketServer per route, as maxPayload is a per-server setting. @type {Map<string, WebSocketServer>} */
  #routeServers = new Map();
  #closed = false;
  /** The PROTOCOL.md reference server's state for `/json`: one per server, so dedupe spans reconnects and restarts. */
  json = createJsonProtocolState();
  /** @type {Promise<void> | null} */
  #restarting = null;
  /** Pending sleeps, so close() can cancel them (no timer may outlive the harness). */
  #sleeps = new Set();

  /** @param {ServerOptions} options */
  constructor(options) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.#recordPayloads = options.recordPayloads ?? true;
    this.#routes = new Map(Object.entries(options.routes ?? {}));
    const serveStatic = createStaticHandler(options.static ?? {});
    this.#http = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (options.onRequest?.(req, res, url)) return;
      if (url.pathname === '/health') return reply(res, 200, 'ok');
      if (!serveStatic(req, res, url.pathname)) reply(res, 404, 'not found');
    });
    this.#http.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#http.on('upgrade', (req, socket, head) => void this.#onUpgrade(req, socket, head));
  }

  /** @param {number} port */
  listen(port) {
    return new Promise((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, this.host, () => {
        this.#http.off('error', reject);
        const address = this.#http.address();
        this.port = typeof address === 'object' && address ? address.port : port;
        resolve(undefined);
      });
    });
  }

  get listening() {
    return this.#http.listening;
  }

  /** The next `count` handshakes are answered with HTTP `status` instead of upgrading. */
  rejectNext(count = 1, status = 503) {
    this.#reject = { count, status };
  }

  /**
   * Hold every following upgrade request `ms` before answering it (0 = off).
   * @param {number} ms
   */
  delayHandshake(ms) {
    this.#handshakeDelayMs = Math.max(0, ms);
  }

  /** Server-initiated close handshake on every open connection; returns how many. */
  closeAll(code = 1000, reason = '') {
    for (const ws of this.#open.values()) ws.close(code, reason);
    return this.#open.size;
  }

  /** Drop every WebSocket connection (and held handshake) without a close frame; returns how many. */
  terminateAll() {
    const count = this.#open.size + this.#handshaking.size;
    for (const ws of this.#open.values()) ws.terminate();
    for (const socket of this.#handshaking) socket.destroy();
    return count;
  }

  /**
   * Stop listening, drop everything, listen again on the same port after `downMs`.
   * Resolves once the server accepts connections again. A restart while one is under way joins that one.
   */
  restart(downMs = 0) {
    this.#restarting ??= (async () => {
      try {
        await this.#stop();
        await this.#sleep(downMs);
        if (!this.#closed) await this.listen(this.port);
      } finally {
        this.#restarting = null;
      }
    })();
    return this.#restarting;
  }

  /**
   * Go down until start(): stop listening and drop every connection, as restart() does, but with a close frame
   * (`code`, `reason`) to each open WebSocket first, when `code` is given (then waits up to `waitMs` for the
   * close handshakes). Resolves once the port is free. Not to be mixed with a restart under way.
   * @param {number} [code]
   * @param {string} [reason]
   */
  async stop(code, reason = '', waitMs = 1000) {
    if (code !== undefined && this.#open.size) {
      const closed = [...this.#open.values()].map((ws) => new Promise((resolve) => ws.once('close', resolve)));
      this.closeAll(code, reason);
      /** @type {NodeJS.Timeout | undefined} */
      let timer;
      await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    await this.#stop();
  }

  /** Listen again on the same port, after stop(). */
  start() {
    return this.listen(this.port);
  }

  /**
   * Send to one connection (by recorded id) or to all. Strings go out as text frames, bytes as binary.
   * @param {number | 'all'} target
   * @param {string | Uint8Array | ArrayBuffer} data
   */
  send(target, data) {
    const targets = target === 'all' ? [...this.#open.values()] : [this.#open.get(target)].filter((ws) => !!ws);
    const payload = data instanceof ArrayBuffer ? Buffer.from(data) : data;
    for (const ws of targets) ws.send(payload, { binary: typeof payload !== 'string' });
    return targets.length;
  }

  /** @returns {ServerLog} a deep copy, safe to keep while the server goes on recording */
  log() {
    return structuredClone({
      now: now(),
      port: this.port,
      listening: this.listening,
      attempts: this.#attempts,
      connections: this.#connections,
    });
  }

  clearLog() {
    this.#attempts = [];
    this.#connections = [];
  }

  /** Ids of the connections that are open right now. */
  openConnections() {
    return [...this.#open.keys()];
  }

  async close() {
    this.#closed = true;
    for (const wake of this.#sleeps) wake();
    await this.#stop();
    this.#wss.close();
    for (const wss of this.#routeServers.values()) wss.close();
  }

  async #stop() {
    const closed = new Promise((resolve) => (this.#http.listening ? this.#http.close(() => resolve(undefined)) : resolve(undefined)));
    this.terminateAll();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** @param {number} ms */
  #sleep(ms) {
    if (ms <= 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleeps.delete(wake);
        resolve(undefined);
      };
      const timer = setTimeout(wake, ms);
      this.#sleeps.add(wake);
    });
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {import('node:stream').Duplex} socket
   * @param {Buffer} head
   */
  async #onUpgrade(req, socket, head) {
    const url = req.url ?? '/';
    const path = new URL(url, 'http://localhost').pathname;
    /** @type {UpgradeAttempt} */
    const attempt = { seq: this.#nextAttempt++, t: now(), url, path, outcome: 'pending' };
    this.#attempts.push(attempt);
    socket.on('error', () => {}); // a browser giving up mid-handshake must not crash the harness
    this.#handshaking.add(socket);
    await this.#sleep(this.#handshakeDelayMs);
    this.#handshaking.delete(socket);
    if (socket.destroyed) {
      attempt.outcome = 'aborted';
      return;
    }
    if (this.#reject.count > 0) {
      this.#reject.count--;
      attempt.outcome = 'rejected';
      attempt.status = this.#reject.status;
      return refuseHandshake(socket, this.#reject.status);
    }
    const route = this.#routes.get(path);
    if (!WS_PATHS.has(path) && !route) {
      attempt.outcome = 'not-found';
      attempt.status = 404;
      return refuseHandshake(socket, 404);
    }
    const refused = route?.verify?.(req);
    if (refused) {
      attempt.outcome = 'rejected';
      attempt.status = refused;
      return refuseHandshake(socket, refused);
    }
    attempt.outcome = 'upgrading'; // stays so if `ws` finds the request invalid and answers 400 itself
    const wss = route ? this.#routeServer(path, route) : this.#wss;
    wss.handleUpgrade(req, socket, head, (ws) => {
      attempt.outcome = 'upgraded';
      attempt.connId = this.#accept(ws, url, path, route);
      route?.connection(ws, req);
    });
  }

  /**
   * @param {string} path
   * @param {WsRoute} route
   */
  #routeServer(path, route) {
    let wss = this.#routeServers.get(path);
    if (!wss) this.#routeServers.set(path, (wss = new WebSocketServer({ noServer: true, maxPayload: route.maxPayload ?? 64 * 1024 * 1024 })));
    return wss;
  }

  /**
   * @param {import('ws').WebSocket} ws
   * @param {string} url
   * @param {string} path
   * @param {WsRoute} [route]
   */
  #accept(ws, url, path, route) {
    /** @type {RecordedConnection} */
    const conn = { id: this.#nextConn++, t: now(), url, path, messages: [], close: null };
    this.#connections.push(conn);
    this.#open.set(conn.id, ws);
    ws.on('error', () => {}); // protocol errors end in 'close' (recorded there)
    const record = route?.record ?? true;
    ws.on('message', (data, isBinary) => {
      if (!record) return;
      const buf = /** @type {Buffer} */ (data); // binaryType 'nodebuffer' (the default): always one Buffer
      const msg = this.#record(buf, isBinary);
      conn.messages.push(msg);
      this.emit('message', conn.id, msg);
      if (path === '/echo') ws.send(buf, { binary: isBinary });
    });
    if (path === '/json') attachJsonProtocol(ws, this.json);
    ws.on('close', (code, reason) => {
      conn.close = { t: now(), code, reason: reason.toString() };
      this.#open.delete(conn.id);
      this.emit('close', conn.id, conn.close);
    });
    this.emit('connection', conn.id, url);
    return conn.id;
  }

  /**
   * @param {Buffer} buf
   * @param {boolean} isBinary
   * @returns {RecordedMessage}
   */
  #record(buf, isBinary) {
    if (!isBinary) return { t: now(), kind: 'text', data: buf.toString('utf8') };
    return { t: now(), kind: 'binary', bytes: buf.length, base64: this.#recordPayloads ? buf.toString('base64') : '' };
  }
}

/**
 * Answer an upgrade request with a plain HTTP error, as a real server or load balancer would.
 * @param {import('node:stream').Duplex} socket
 * @param {number} status
 */
function refuseHandshake(socket, status) {
  const text = http.STATUS_CODES[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nCache-Control: no-store\r\n\r\n${text}`,
  );
}
