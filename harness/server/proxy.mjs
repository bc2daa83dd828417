// @ts-check
// Loopback TCP proxy between the browser and the test server. It injects the network faults a WebSocket client
// meets in the field, identically in every browser engine: connection resets, black holes (half-open links),
// refused connections, slow links (a slow reader, so backpressure builds up in the browser) and slow handshakes.
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const now = () => performance.now();

/**
 * @typedef {'passed' | 'refused' | 'blackholed' | 'reset' | 'upstream-failed'} Fate
 * @typedef {{ id: number, t: number, fate: Fate, delayedMs: number, up: number, down: number, closedAt: number | null }} ProxyRecord
 *   up = bytes browser -> server, down = bytes server -> browser; times in performance.now() ms.
 * @typedef {{ blackhole: boolean, refuse: boolean, throttleBps: number | null, delayMs: number }} ProxyState
 * @typedef {{ now: number, port: number, state: ProxyState, totals: { up: number, down: number }, connections: ProxyRecord[] }} ProxyLog
 * @typedef {{ target: { host?: string, port: number }, port?: number, host?: string }} ProxyOptions
 * @typedef {{ rec: ProxyRecord, client: net.Socket, upstream: net.Socket | null, nextUpAt: number,
 *   blackholed: boolean, timers: Set<NodeJS.Timeout> }} Conn
 */

/**
 * @param {ProxyOptions} options
 * @returns {Promise<TcpProxy>}
 */
export async function startProxy(options) {
  const proxy = new TcpProxy(options);
  await proxy.listen(options.port ?? 0);
  return proxy;
}

export class TcpProxy {
  host;
  port = 0;
  target;
  /** @type {Set<Conn>} */
  #conns = new Set();
  /** @type {ProxyRecord[]} */
  #records = [];
  #totals = { up: 0, down: 0 };
  /** @type {ProxyState} */
  #state = { blackhole: false, refuse: false, throttleBps: null, delayMs: 0 };
  #nextId = 1;
  #server;

  /** @param {ProxyOptions} options */
  constructor(options) {
    this.host = options.host ?? '127.0.0.1';
    this.target = { host: options.target.host ?? '127.0.0.1', port: options.target.port };
    this.#server = net.createServer((socket) => this.#onClient(socket));
  }

  /** @param {number} port */
  listen(port) {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, this.host, () => {
        this.#server.off('error', reject);
        this.port = /** @type {net.AddressInfo} */ (this.#server.address()).port;
        resolve(undefined);
      });
    });
  }

  /** Abruptly RST every current connection, both towards the browser and towards the server. Returns how many. */
  reset() {
    const count = this.#conns.size;
    for (const conn of this.#conns) this.#kill(conn, 'reset');
    return count;
  }

  /**
   * On: every current and new connection stays accepted but nothing moves in either direction (a half-open link:
   * the browser's bytes are never read, so they are never acknowledged). Off: those connections are reset.
   * @param {boolean} on
   */
  blackhole(on) {
    this.#state.blackhole = on;
    for (const conn of this.#conns) {
      if (on && !conn.blackholed) this.#swallow(conn);
      else if (!on && conn.blackholed) this.#kill(conn, 'blackholed');
    }
  }

  /**
   * Black-hole the connections that exist now and leave new ones alone: a link that died while the page slept (the
   * old connection looks open and swallows everything, while a new one works). Returns how many were swallowed.
   */
  blackholeExisting() {
    let count = 0;
    for (const conn of this.#conns) {
      if (conn.blackholed) continue;
      this.#swallow(conn);
      count++;
    }
    return count;
  }

  /** On: each new connection is accepted, recorded, then reset at once (as a crashed or firewalled port looks). */
  refuse(on = true) {
    this.#state.refuse = on;
  }

  /**
   * Limit browser -> server bytes to `bytesPerSecond` per connection (null = unlimited). The proxy reads the browser's
   * socket only as fast as that, so its TCP window closes and the browser's own send buffer grows (bufferedAmount).
   * @param {number | null} bytesPerSecond
   */
  throttle(bytesPerSecond) {
    this.#state.throttleBps = bytesPerSecond && bytesPerSecond > 0 ? bytesPerSecond : null;
    if (this.#state.throttleBps) return;
    for (const conn of this.#conns) {
      conn.nextUpAt = 0;
      release(conn.client, 'throttle');
    }
  }

  /**
   * Hold the first bytes (the handshake) of every new connection `ms` before forwarding them (0 = off).
   * @param {number} ms
   */
  delay(ms) {
    this.#state.delayMs = Math.max(0, ms);
  }

  /** All faults off (existing black-holed connections are reset, as blackhole(false) does). */
  pass() {
    this.blackhole(false);
    this.refuse(false);
    this.throttle(null);
    this.delay(0);
  }

  /** @returns {ProxyState} */
  state() {
    return { ...this.#state };
  }

  /** @returns {ProxyLog} a deep copy */
  log() {
    return structuredClone({ now: now(), port: this.port, state: this.#state, totals: this.#totals, connections: this.#records });
  }

  clearLog() {
    this.#records = [];
    this.#totals = { up: 0, down: 0 };
  }

  async close() {
    const closed = new Promise((resolve) => this.#server.close(() => resolve(undefined)));
    for (const conn of this.#conns) this.#kill(conn, null);
    await closed;
  }

  /** @param {net.Socket} client */
  #onClient(client) {
    /** @type {ProxyRecord} */
    const rec = { id: this.#nextId++, t: now(), fate: 'passed', delayedMs: 0, up: 0, down: 0, closedAt: null };
    this.#records.push(rec);
    client.on('error', () => {}); // resets are the point of this proxy; 'close' does the bookkeeping
    if (this.#state.refuse) {
      rec.fate = 'refused';
      rec.closedAt = now();
      client.resetAndDestroy();
      return;
    }
    /** @type {Conn} */
    const conn = { rec, client, upstream: null, nextUpAt: 0, blackholed: false, timers: new Set() };
    this.#conns.add(conn);
    client.on('data', (/** @type {Buffer} */ chunk) => this.#forwardUp(conn, chunk));
    client.on('end', () => conn.upstream?.end());
    client.on('close', (hadError) => this.#onSideClosed(conn, conn.upstream, hadError));
    if (this.#state.blackhole) return this.#swallow(conn); // no upstream at all: the server never hears of it
    if (this.#state.delayMs > 0) this.#hold(conn, 'delay', this.#state.delayMs);
    this.#connectUpstream(conn);
  }

  /** @param {Conn} conn */
  #connectUpstream(conn) {
    const upstream = net.connect(this.target.port, this.target.host);
    conn.upstream = upstream;
    let connected = false;
    upstream.on('connect', () => (connected = true));
    // Server down (restart): the browser gets a reset, like a connection to a dead backend behind a balancer.
    upstream.on('error', () => {
      if (!connected) conn.rec.fate = 'upstream-failed';
    });
    upstream.on('data', (/** @type {Buffer} */ chunk) => this.#forwardDown(conn, chunk));
    upstream.on('end', () => conn.client.end());
    upstream.on('close', (hadError) => this.#onSideClosed(conn, conn.client, hadError));
  }

  /**
   * @param {Conn} conn
   * @param {Buffer} chunk
   */
  #forwardUp(conn, chunk) {
    const upstream = conn.upstream;
    if (conn.blackholed || !upstream) {
      conn.client.unshift(chunk); // read in the same tick the hole opened: put it back, forward nothing
      return;
    }
    conn.rec.up += chunk.length;
    this.#totals.up += chunk.length;
    if (!upstream.write(chunk)) {
      hold(conn.client, 'backpressure');
      upstream.once('drain', () => release(conn.client, 'backpressure'));
    }
    const bps = this.#state.throttleBps;
    if (!bps) return;
    // Token bucket: this chunk "costs" length/bps seconds; stop reading until that time is paid off.
    const t = now();
    conn.nextUpAt = Math.max(conn.nextUpAt, t) + (chunk.length / bps) * 1000;
    if (conn.nextUpAt - t > 1) this.#hold(conn, 'throttle', conn.nextUpAt - t);
  }

  /**
   * @param {Conn} conn
   * @param {Buffer} chunk
   */
  #forwardDown(conn, chunk) {
    const upstream = /** @type {net.Socket} */ (conn.upstream);
    conn.rec.down += chunk.length;
    this.#totals.down += chunk.length;
    if (!conn.client.write(chunk)) {
      hold(upstream, 'backpressure');
      conn.client.once('drain', () => release(upstream, 'backpressure'));
    }
  }

  /**
   * Pause reading the browser's socket for `ms` for `reason`.
   * @param {Conn} conn
   * @param {string} reason
   * @param {number} ms
   */
  #hold(conn, reason, ms) {
    if (reason === 'delay') conn.rec.delayedMs = ms;
    hold(conn.client, reason);
    const timer = setTimeout(() => {
      conn.timers.delete(timer);
      release(conn.client, reason);
    }, ms);
    conn.timers.add(timer);
  }

  /** @param {Conn} conn */
  #swallow(conn) {
    conn.blackholed = true;
    conn.rec.fate = 'blackholed';
    hold(conn.client, 'blackhole');
    if (conn.upstream) hold(conn.upstream, 'blackhole');
  }

  /**
   * @param {Conn} conn
   * @param {Fate | null} fate null = harness shutdown, keep the recorded fate
   */
  #kill(conn, fate) {
    if (fate) conn.rec.fate = fate;
    rst(conn.client);
    if (conn.upstream) rst(conn.upstream);
    this.#forget(conn);
  }

  /**
   * One side closed: close the other the same way (error -> reset, clean -> FIN after pending data).
   * @param {Conn} conn
   * @param {net.Socket | null} other
   * @param {boolean} hadError
   */
  #onSideClosed(conn, other, hadError) {
    if (other && !other.destroyed) {
      if (hadError) rst(other);
      else other.end();
    }
    if ((!conn.upstream || conn.upstream.destroyed) && conn.client.destroyed) this.#forget(conn);
  }

  /** @param {Conn} conn */
  #forget(conn) {
    for (const timer of conn.timers) clearTimeout(timer);
    conn.timers.clear();
    if (conn.rec.closedAt === null) conn.rec.closedAt = now();
    this.#conns.delete(conn);
  }
}

/** @type {WeakMap<net.Socket, Set<string>>} */
const holds = new WeakMap();

/**
 * Reading a socket stops while any reason holds it (throttle, delay, blackhole, backpressure overlap).
 * @param {net.Socket} socket
 * @param {string} reason
 */
function hold(socket, reason) {
  const reasons = holds.get(socket) ?? new Set();
  holds.set(socket, reasons);
  reasons.add(reason);
  socket.pause();
}

/**
 * @param {net.Socket} socket
 * @param {string} reason
 */
function release(socket, reason) {
  const reasons = holds.get(socket);
  if (!reasons?.delete(reason) || reasons.size > 0) return;
  if (!socket.destroyed) socket.resume();
}

/** @param {net.Socket} socket */
function rst(socket) {
  if (socket.destroyed) return;
  // Node 20: resetAndDestroy() while an end() (FIN) is still being flushed makes libuv spin forever at exit.
  // A FIN is already on its way then, so a plain destroy is the honest equivalent.
  if (socket.writableEnded && !socket.writableFinished) socket.destroy();
  else socket.resetAndDestroy();
}
