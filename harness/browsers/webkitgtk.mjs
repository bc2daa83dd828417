// @ts-check
// Debian's WebKitGTK under Playwright, without Playwright's patched WebKit build (which cannot be downloaded here).
//
// WebKitGTK's MiniBrowser, started with WEBKIT_INSPECTOR_HTTP_SERVER=127.0.0.1:PORT, lists its web view at
// http://127.0.0.1:PORT/ and serves the stock WebKit inspector protocol on a WebSocket (/socket/N/N/WebPage).
// Playwright 1.65's webkit.connectOverCDP(transport) drives that protocol (its "webview" backend). Two fixes:
//   - libsoup drops inspector messages over 128 KiB, and Playwright's injected script is ~370 KB: MiniBrowser runs
//     with soup-ws-unlimit.c preloaded, which lifts the limit.
//   - MiniBrowser has no headless mode: without $DISPLAY we start our own Xvfb.
// The backend exposes exactly one context and one page (newContext/newPage answer "Not supported").
import { spawn } from 'node:child_process';
import net from 'node:net';
import WebSocket from 'ws';
import { buildPreload, preloadIsFresh, PRELOAD } from './browser-env.mjs';

/**
 * @typedef {import('@playwright/test').ConnectOverCDPTransport} ConnectOverCDPTransport
 *
 * @typedef {{
 *   browser: import('@playwright/test').Browser,
 *   page: import('@playwright/test').Page,
 *   version: string,
 *   close(): Promise<void>,
 * }} WebKitGTK  page: the one tab.
 *
 * @typedef {{ minibrowser: string, timeout?: number, debug?: boolean }} WebKitGTKOptions
 *   debug: log inspector traffic to stderr.
 */

/**
 * @param {import('@playwright/test').BrowserType} webkit
 * @param {WebKitGTKOptions} options
 * @returns {Promise<WebKitGTK>}
 */
export async function launchWebKitGTK(webkit, options) {
  const deadline = Date.now() + (options.timeout ?? 30_000);
  const preload = ensurePreload();
  const group = new ProcessGroup();
  try {
    const display = process.env.DISPLAY || (await group.startXvfb());
    const port = await freePort();
    const mini = group.spawn(options.minibrowser, ['about:blank'], {
      ...process.env,
      DISPLAY: display,
      WEBKIT_INSPECTOR_HTTP_SERVER: `127.0.0.1:${port}`,
      LD_PRELOAD: [preload, process.env.LD_PRELOAD].filter(Boolean).join(':'),
    });
    const endpoint = await Promise.race([waitForInspector(`127.0.0.1:${port}`, deadline), mini.exited]);
    const browser = await webkit.connectOverCDP(inspectorTransport(endpoint, !!options.debug), {
      timeout: Math.max(1000, deadline - Date.now()),
    });
    const page = browser.contexts()[0]?.pages()[0];
    if (!page) throw new Error('WebKitGTK: connected, but the inspector exposes no page');
    return {
      browser,
      page,
      version: browser.version(),
      async close() {
        await browser.close().catch(() => {});
        await group.stopAll();
      },
    };
  } catch (e) {
    await group.stopAll();
    throw e;
  }
}

/** @returns {string} */
function ensurePreload() {
  if (preloadIsFresh()) return PRELOAD.library;
  try {
    return buildPreload();
  } catch (e) {
    throw new Error(`WebKitGTK: cannot build ${PRELOAD.library} from ${PRELOAD.source} (needs gcc): run \`node harness/browsers/setup.mjs\`.\n${e}`);
  }
}

/**
 * Processes we started, each in its own process group (MiniBrowser forks WebKitWebProcess and
 * WebKitNetworkProcess): killing the group by its id ends them all, also when the worker exits abruptly.
 */
class ProcessGroup {
  /** @type {import('node:child_process').ChildProcess[]} */
  #children = [];
  #onExit = () => this.killAll();

  constructor() {
    process.once('exit', this.#onExit);
  }

  /**
   * @param {string} file
   * @param {string[]} args
   * @param {NodeJS.ProcessEnv} env
   */
  spawn(file, args, env, extraFd = false) {
    /** @type {import('node:child_process').StdioOptions} */
    const stdio = ['ignore', 'pipe', 'pipe', ...(extraFd ? /** @type {const} */ (['pipe']) : [])];
    const child = spawn(file, args, { env, detached: true, stdio });
    this.#children.push(child);
    let output = '';
    const keep = (/** @type {Buffer} */ d) => (output = (output + d).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    /** @type {Promise<never>} */
    const exited = new Promise((_, reject) => {
      child.once('error', (e) => reject(new Error(`${file}: ${e.message}`)));
      child.once('exit', (code, signal) => reject(new Error(`${file} exited (${code ?? signal}):\n${output}`)));
    });
    exited.catch(() => {}); // only awaited while starting up
    return { child, exited };
  }

  /**
   * Xvfb chooses a free display itself and writes its number to fd 3.
   * @returns {Promise<string>}
   */
  async startXvfb() {
    const { child, exited } = this.spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], process.env, true);
    const fd3 = /** @type {NodeJS.ReadableStream} */ (child.stdio[3]);
    /** @type {Promise<string>} */
    const display = new Promise((resolve) => {
      let text = '';
      fd3.on('data', (/** @type {Buffer} */ d) => {
        text += d;
        if (text.includes('\n')) resolve(`:${text.trim()}`);
      });
    });
    return Promise.race([display, exited]);
  }

  /** SIGTERM each group (MiniBrowser first, then Xvfb), SIGKILL what is still there after 2 s; reap our children. */
  async stopAll() {
    process.off('exit', this.#onExit);
    for (const child of [...this.#children].reverse()) {
      if (!(await this.#signal(child, 'SIGTERM', 2000))) await this.#signal(child, 'SIGKILL', 2000);
    }
    this.#children.length = 0;
  }

  /**
   * Signal the child's group; resolves true once the child has exited (and is reaped).
   * @param {import('node:child_process').ChildProcess} child
   * @param {NodeJS.Signals} signal
   * @param {number} waitMs
   * @returns {Promise<boolean>}
   */
  #signal(child, signal, waitMs) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve(true);
    /** @type {Promise<boolean>} */
    const exited = new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), waitMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    try {
      process.kill(-child.pid, signal);
    } catch {
      return Promise.resolve(true); // the group is gone already
    }
    return exited;
  }

  /** Synchronous last resort (worker exiting): SIGKILL every group. */
  killAll() {
    process.off('exit', this.#onExit);
    for (const child of this.#children.splice(0).reverse()) {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
      try {
        process.kill(-child.pid, 'SIGKILL'); // the group: this child and whatever it forked
      } catch {
        // already gone
      }
    }
  }
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Poll the inspector's HTTP listing until the web view's socket appears.
 * @param {string} hostPort
 * @param {number} deadline
 * @returns {Promise<string>}
 */
async function waitForInspector(hostPort, deadline) {
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const html = await (await fetch(`http://${hostPort}/`, { signal: AbortSignal.timeout(2000) })).text();
      const socket = html.match(/\/socket\/\d+\/\d+\/WebPage/)?.[0];
      if (socket) return `ws://${hostPort}${socket}`;
      last = 'listing has no WebPage target';
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`WebKitGTK: inspector at http://${hostPort}/ never listed a page (${last})`);
}

/**
 * Playwright's ConnectionTransport over the inspector WebSocket; messages sent before open are queued.
 * @param {string} url
 * @param {boolean} debug
 * @returns {ConnectOverCDPTransport}
 */
function inspectorTransport(url, debug) {
  /** @type {WebSocket | undefined} */
  let ws;
  /** @type {string[]} */
  const queue = [];
  const log = (/** @type {unknown[]} */ ...args) => debug && console.error('[webkitgtk]', ...args);
  /** @type {ConnectOverCDPTransport} */
  const transport = {
    open() {
      ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 ** 3 });
      ws.on('open', () => queue.splice(0).forEach((m) => ws?.send(m)));
      ws.on('message', (data) => {
        log('<<', String(data).slice(0, 200));
        transport.onmessage?.(JSON.parse(String(data)));
      });
      ws.on('close', (code, reason) => {
        log('closed', code, String(reason));
        transport.onclose?.(String(reason));
      });
      ws.on('error', (e) => log('error', e.message));
    },
    send(message) {
      const text = JSON.stringify(message);
      log('>>', text.slice(0, 200));
      if (ws?.readyState === WebSocket.OPEN) ws.send(text);
      else queue.push(text);
    },
    close() {
      ws?.close();
    },
  };
  return transport;
}
