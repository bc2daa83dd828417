// @ts-check
// Reference server side of the steadysocket JSON protocol (PROTOCOL.md at the repository root), for the demo and
// the tests: validates each inbound frame, dedupes by id, acks, answers requests, and logs what it accepted.
// Uses nothing but what it is given: a `ws` WebSocket (or anything with on/off/send/readyState) and a state object.

/**
 * @typedef {{ type: string, data?: unknown, id?: string, re?: string, ack?: boolean, error?: { code: string, message: string } }} Envelope
 *
 * @typedef {(data: any, envelope: Envelope) => unknown} RequestHandler
 *   Returns (or resolves to) the answer's data; throwing (or rejecting) answers with an error:
 *   `{ code: error.code ?? 'ERROR', message: error.message }`.
 *
 * @typedef {{
 *   on(event: 'message', listener: (data: any, isBinary: boolean) => void): unknown,
 *   off(event: 'message', listener: (data: any, isBinary: boolean) => void): unknown,
 *   send(data: string): void,
 *   readonly readyState: number,
 * }} WsLike  The part of a `ws` WebSocket used here.
 *
 * @typedef {{
 *   seen: Map<string, string | Promise<string> | null>,
 *   log: Envelope[],
 *   wire: string[],
 *   answers: Envelope[],
 *   invalid: { reason: string, bytes: number }[],
 *   maxSeen: number,
 *   maxMessageBytes: number,
 * }} JsonProtocolState
 *   One per server (or per session), shared by all its connections so that dedupe works across reconnects.
 *   seen: ids accepted, oldest first (at most maxSeen), each with its answer: the encoded answer of a request
 *     (a promise while an async handler runs), null for a message that asked for an ack.
 *   log: every accepted message (messages without an id, and the first copy of each id), in arrival order.
 *   wire: the id of every inbound frame that had one, duplicates included, in arrival order.
 *   answers: inbound answers and acks (frames with `re`), which this server only records.
 *   invalid: frames that were not valid messages, with the reason (see InvalidReason in src/json/envelope.ts).
 */

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_ID_LENGTH = 128;

/**
 * A fresh state.
 * @param {{ maxSeen?: number, maxMessageBytes?: number }} [options]
 *   maxSeen: ids remembered for dedupe (default 100000; keep it at least the clients' maxUnacked).
 *   maxMessageBytes: larger frames are invalid (default 1 MiB, as the client's default).
 * @returns {JsonProtocolState}
 */
export function createJsonProtocolState(options = {}) {
  return {
    seen: new Map(), log: [], wire: [], answers: [], invalid: [],
    maxSeen: options.maxSeen ?? 100_000, maxMessageBytes: options.maxMessageBytes ?? 1 << 20,
  };
}

/** Default request handlers: `echo` answers with the request's data. @type {Record<string, RequestHandler>} */
export const defaultHandlers = { echo: (data) => data };

/**
 * Parses and checks one text frame, with the client's rules (src/json/envelope.ts).
 * @param {string} text
 * @returns {Envelope | string} the envelope, or why it is invalid.
 */
export function parseEnvelope(text) {
  let value;
  try {
    value = JSON.parse(text, (key, v) => (UNSAFE_KEYS.has(key) ? undefined : v));
  } catch {
    return 'not-json';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not-object';
  const { type, id, re, ack, error } = value;
  if (typeof type !== 'string' || !type || type === '*') return 'bad-type';
  const isId = (/** @type {unknown} */ v) => v === undefined || (typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH);
  if (!isId(id) || !isId(re) || (ack !== undefined && typeof ack !== 'boolean')) return 'bad-field';
  if (error !== undefined && !(typeof error === 'object' && error && typeof error.code === 'string' && typeof error.message === 'string'))
    return 'bad-field';
  if (type === 'ack' && re === undefined) return 'bad-field';
  return value;
}

/**
 * Speaks the protocol on one connection: for each inbound text frame, validate it (invalid: counted in
 * `state.invalid`, ignored), dedupe it by id against `state.seen`, log it, and answer: `{"type":"ack","re":id}`
 * for a message with `"ack": true` (again for every copy), the handler's answer for a request (a message with an
 * id and no ack; the same answer again for every copy, without running the handler twice), nothing otherwise.
 *
 * @param {WsLike} ws
 * @param {JsonProtocolState} state
 * @param {Record<string, RequestHandler>} [handlers] request handlers by type, added to `defaultHandlers`.
 * @returns {() => void} stops listening to `ws`.
 */
export function attachJsonProtocol(ws, state, handlers = {}) {
  const all = { ...defaultHandlers, ...handlers };
  const send = (/** @type {string} */ frame) => {
    if (ws.readyState === 1) ws.send(frame);
  };

  /** @param {any} raw @param {boolean} isBinary */
  const onMessage = (raw, isBinary) => {
    const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw).length : raw.byteLength ?? raw.length;
    if (isBinary) return void state.invalid.push({ reason: 'binary', bytes });
    if (bytes > state.maxMessageBytes) return void state.invalid.push({ reason: 'too-large', bytes });
    const message = parseEnvelope(String(raw));
    if (typeof message === 'string') return void state.invalid.push({ reason: message, bytes });
    if (message.re !== undefined) return void state.answers.push(message);
    const { id } = message;
    if (id === undefined) return void state.log.push(message);
    state.wire.push(id);
    if (state.seen.has(id)) {
      const seen = state.seen.get(id);
      if (message.ack) send(JSON.stringify({ type: 'ack', re: id }));
      else if (typeof seen === 'string') send(seen);
      else if (seen) seen.then(send);
      return;
    }
    state.log.push(message);
    if (message.ack) {
      remember(id, null);
      send(JSON.stringify({ type: 'ack', re: id }));
      return;
    }
    const answer = answerRequest(message, id, all[message.type]);
    remember(id, answer);
    if (typeof answer === 'string') send(answer);
    else {
      answer.then((frame) => {
        if (state.seen.get(id) === answer) state.seen.set(id, frame);
        send(frame);
      });
    }
  };

  /** @param {string} id @param {string | Promise<string> | null} value */
  const remember = (id, value) => {
    state.seen.set(id, value);
    if (state.seen.size > state.maxSeen) state.seen.delete(/** @type {string} */ (state.seen.keys().next().value));
  };

  ws.on('message', onMessage);
  return () => void ws.off('message', onMessage);
}

/**
 * The encoded answer to a request: at once for a synchronous handler, a promise for an asynchronous one.
 * @param {Envelope} request
 * @param {string} re the request's id
 * @param {RequestHandler | undefined} handler
 * @returns {string | Promise<string>}
 */
function answerRequest(request, re, handler) {
  const { type } = request;
  /** @param {any} error */
  const failed = (error) => JSON.stringify({
    type, re, error: { code: typeof error?.code === 'string' ? error.code : 'ERROR', message: String(error?.message ?? error) },
  });
  if (!handler) return JSON.stringify({ type, re, error: { code: 'UNHANDLED', message: `no handler for ${type}` } });
  try {
    const result = handler(request.data, request);
    if (result && typeof (/** @type {any} */ (result).then) === 'function')
      return Promise.resolve(result).then((data) => JSON.stringify({ type, re, data })).catch(failed);
    return JSON.stringify({ type, re, data: result });
  } catch (error) {
    return failed(error);
  }
}
