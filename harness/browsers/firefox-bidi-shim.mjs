// @ts-check
// Firefox ESR over WebDriver BiDi (Playwright's 'moz-firefox' channel) lacks one command Playwright 1.65 sends for
// every new context and page: `emulation.setMediaFeaturesOverride` (colour-scheme emulation). Firefox answers
// "unknown command" and browser.newContext() fails. This shim lets the command go to the browser as usual and, only
// when the browser answers "unknown command", turns that answer into an empty success (colour-scheme emulation
// becomes a no-op; these tests never use it). A browser that implements the command is untouched, and Playwright's
// own Firefox build does not use BiDi at all, so the shim is inert there.
//
// It patches playwright-core's internal WebSocketTransport (exact version pinned in package.json), in this process:
// the Playwright test worker, which is where browsers are launched.
import { createRequire } from 'node:module';

const COMMAND = 'emulation.setMediaFeaturesOverride';
const INSTALLED = Symbol.for('steadysocket.e2e.bidiShim');

/**
 * @typedef {{ id?: number, method?: string, type?: string, error?: string, result?: unknown }} BidiMessage
 * @typedef {{ send(message: BidiMessage): void, onmessage?: (message: BidiMessage) => void }} Transport
 * @typedef {{ pending: Set<number>, unsupported: boolean, handler?: (message: BidiMessage) => void }} ShimState
 */

/** @type {WeakMap<Transport, ShimState>} */
const states = new WeakMap();

/**
 * @param {Transport} transport
 * @returns {ShimState}
 */
function stateOf(transport) {
  let state = states.get(transport);
  if (!state) {
    state = { pending: new Set(), unsupported: false };
    states.set(transport, state);
  }
  return state;
}

/** @returns {void} */
export function installFirefoxBidiShim() {
  const require = createRequire(import.meta.url);
  // The same module instance @playwright/test uses: both resolve to node_modules/playwright-core.
  const core = /** @type {{ server?: { WebSocketTransport?: { prototype: Transport } } }} */ (require('playwright-core/lib/coreBundle'));
  const proto = /** @type {(Transport & { [INSTALLED]?: true }) | undefined} */ (core.server?.WebSocketTransport?.prototype);
  if (!proto) throw new Error('firefox-bidi-shim: playwright-core internals changed (no server.WebSocketTransport); check the pinned version');
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;

  const send = proto.send;
  /**
   * @this {Transport}
   * @param {BidiMessage} message
   */
  proto.send = function (message) {
    if (message?.method === COMMAND && typeof message.id === 'number') {
      const state = stateOf(this);
      if (state.unsupported) {
        // Already known to be missing on this connection: answer at once, save the round trip.
        const id = message.id;
        setImmediate(() => state.handler?.({ type: 'success', id, result: {} }));
        return;
      }
      state.pending.add(message.id);
    }
    return send.call(this, message);
  };

  // The transport's owner assigns `transport.onmessage = ...` once; an accessor on the prototype sees the answer first.
  Object.defineProperty(proto, 'onmessage', {
    configurable: true,
    /** @this {Transport} */
    get() {
      const state = stateOf(this);
      if (!state.handler) return undefined;
      return (/** @type {BidiMessage} */ message) => state.handler?.(rewrite(state, message));
    },
    /**
     * @this {Transport}
     * @param {((message: BidiMessage) => void) | undefined} handler
     */
    set(handler) {
      stateOf(this).handler = handler;
    },
  });
}

/**
 * @param {ShimState} state
 * @param {BidiMessage} message
 * @returns {BidiMessage}
 */
function rewrite(state, message) {
  if (typeof message?.id !== 'number' || !state.pending.delete(message.id)) return message;
  if (message.type !== 'error' || message.error !== 'unknown command') return message;
  state.unsupported = true;
  return { type: 'success', id: message.id, result: {} };
}
