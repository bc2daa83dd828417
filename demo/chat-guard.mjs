// @ts-check
// What the chat server accepts, per MDN's WebSocket security notes: a whitelist of message types with the shape of
// each (kind, field types, string lengths), and per-connection rate limits. Kept apart from chat-server.mjs so the
// rules can be read (and tested) on their own. The limits themselves are in limits.mjs, shared with the page.
import { LIMITS } from './limits.mjs';

/** @typedef {'event' | 'acked' | 'request' | 'answer'} Kind */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
// C0 controls (but tab and newline), DEL, bidi overrides: nothing a chat line needs, and they make spoofable text.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u;

/** @param {unknown} v @param {number} max */
const isText = (v, max) => typeof v === 'string' && v.trim().length > 0 && v.length <= max && !CONTROL.test(v);

/** Message types a client may send, with the kind each must be and a check of its `data`. */
const RULES = /** @type {Record<string, { kind: Kind, data: (d: unknown) => boolean }>} */ ({
  join: { kind: 'request', data: (d) => isObject(d) && typeof d.name === 'string' && NAME.test(d.name.trim()) && isText(d.name, LIMITS.nameLength) },
  chat: {
    kind: 'acked',
    data: (d) => isObject(d) && isText(d.text, LIMITS.textLength) && (d.cid === undefined || (typeof d.cid === 'string' && /^[\w-]{1,64}$/.test(d.cid))),
  },
  flood: { kind: 'event', data: (d) => typeof d === 'string' && d.length <= LIMITS.floodChunk },
  ping: { kind: 'event', data: (d) => d === undefined },
});

/**
 * @param {{ id?: string, ack?: boolean, re?: string }} envelope
 * @returns {Kind}
 */
export function kindOf(envelope) {
  if (envelope.re !== undefined) return 'answer';
  if (envelope.id === undefined) return 'event';
  return envelope.ack ? 'acked' : 'request';
}

/**
 * Why a well-formed envelope (json-protocol's parseEnvelope passed it) is still not acceptable, or null.
 * @param {{ type: string, data?: unknown, id?: string, ack?: boolean, re?: string }} envelope
 */
export function rejectReason(envelope) {
  const rule = Object.hasOwn(RULES, envelope.type) ? RULES[envelope.type] : undefined;
  if (!rule) return `unknown type ${JSON.stringify(envelope.type.slice(0, 32))}`;
  const kind = kindOf(envelope);
  if (kind !== rule.kind) return `${envelope.type} must be sent as ${rule.kind === 'acked' ? 'an acked message' : `a ${rule.kind}`}, not ${kind === 'acked' ? 'an acked message' : `a ${kind}`}`;
  if (!rule.data(envelope.data)) return `${envelope.type}: bad data`;
  return null;
}

/** A name as the server compares them: "Ann", " ann" and "ＡＮＮ" are the same user. @param {string} name */
export const nameKey = (name) => name.trim().normalize('NFKC').toLowerCase();

/**
 * A token bucket that may go into debt: `take(n)` always succeeds and returns how long (ms) until the balance is
 * back at zero, so a caller can pause for exactly that long. 0 means within the limit.
 */
export class TokenBucket {
  #rate;
  #burst;
  #tokens;
  #at;
  #now;

  /**
   * @param {number} perSecond refill rate
   * @param {number} burst capacity
   * @param {() => number} [now] clock in ms
   */
  constructor(perSecond, burst, now = () => performance.now()) {
    this.#rate = perSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#now = now;
    this.#at = now();
  }

  /** @param {number} [n] */
  take(n = 1) {
    const t = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (t - this.#at) * this.#rate) - n;
    this.#at = t;
    return this.#tokens >= 0 ? 0 : -this.#tokens / this.#rate;
  }

  /** How long (ms) until the balance is back at zero; 0 when not in debt. */
  debtMs() {
    return this.take(0);
  }

  /** Whether `n` tokens are available now (taking them only if so): for limits that refuse instead of waiting. */
  tryTake(n = 1) {
    const wait = this.take(n);
    if (wait > 0) this.#tokens += n;
    return wait === 0;
  }
}

/**
 * Per-connection read limit: frames and bytes per second. Over the limit the server stops reading the connection
 * (`ws.pause()`) until the debt is paid, instead of dropping frames. TCP then pushes back on the client, whose
 * `bufferedAmount` grows; nothing is lost and the server never does more than this much work for one client.
 * @param {import('ws').WebSocket} ws
 * @param {{ framesPerSecond: number, bytesPerSecond: number }} limits
 */
export function createReadLimiter(ws, limits) {
  const frames = new TokenBucket(limits.framesPerSecond, limits.framesPerSecond * 2);
  const bytes = new TokenBucket(limits.bytesPerSecond, limits.bytesPerSecond);
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  // Frames already read from one TCP chunk are still delivered after pause(), adding to the debt: so when the
  // timer fires, wait again for whatever is still owed before reading on.
  const wake = () => {
    const owed = Math.max(frames.debtMs(), bytes.debtMs());
    timer = owed > 0 ? setTimeout(wake, Math.ceil(owed)) : undefined;
    if (!timer && ws.readyState === ws.OPEN) ws.resume();
  };
  return {
    /** @param {number} size bytes of the frame just read */
    count(size) {
      const wait = Math.max(frames.take(1), bytes.take(size));
      if (wait <= 0 || timer) return;
      ws.pause();
      timer = setTimeout(wake, Math.ceil(wait));
    },
    stop: () => clearTimeout(timer),
  };
}
