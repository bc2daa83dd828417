// @ts-check
// Reference server side of the steadysocket JSON protocol (PROTOCOL.md at the repository root), for the demo and
// the tests: validates each inbound frame, answers `ping`, dedupes by id, acks, answers requests, logs what it
// accepted, and sends its own acked messages and requests at least once across a client's reconnects (a session).
// Written from PROTOCOL.md alone, as a third party would: it shares no code with the client in src/.
// Uses nothing but what it is given: a `ws` WebSocket (or anything with on/off/send/readyState) and a state object.

/**
 * @typedef {{ type: string, data?: unknown, id?: string, re?: string, ack?: boolean, error?: { code: string, message: string } }} Envelope
 *
 * @typedef {(data: any, envelope: Envelope) => unknown} RequestHandler
 *   Returns (or resolves to) the answer's data; throwing (or rejecting) answers with an error:
 *   `{ code: error.code ?? 'ERROR', message: error.message }`.
 *
 * @typedef {(envelope: Envelope) => { code: string, message: string } | undefined} RefuseHook
 *   Called for the first copy of each acked message and request: an error refuses it (the error answer is sent and
 *   remembered for its copies; the message is not logged or handled), undefined accepts it.
 *
 * @typedef {{
 *   on(event: 'message', listener: (data: any, isBinary: boolean) => void): unknown,
 *   off(event: 'message', listener: (data: any, isBinary: boolean) => void): unknown,
 *   send(data: string): void,
 *   readonly readyState: number,
 * }} WsLike  The part of a `ws` WebSocket used here.
 *
 * @typedef {{ envelope: Envelope, frame: string, resolve: (value: unknown) => void, reject: (error: Error) => void }} Outbound
 *
 * @typedef {{
 *   seen: Map<string, string | Promise<string> | null>,
 *   log: Envelope[],
 *   wire: string[],
 *   answers: Envelope[],
 *   invalid: { reason: string, bytes: number }[],
 *   pings: number,
 *   outbound: Map<string, Outbound>,
 *   live: Set<WsLike>,
 *   prefix: string,
 *   counter: number,
 *   maxSeen: number,
 *   maxMessageBytes: number,
 * }} JsonProtocolState
 *   One per session: shared by all the connections of one client (or of all clients, for a server that dedupes
 *   across them), so that dedupe and the server's own re-sends work across reconnects.
 *   seen: ids accepted, oldest first (at most maxSeen), each with its answer: the encoded ack, error answer or reply
 *     (a promise while an async request handler runs; null until a request's answer is known).
 *   log: every accepted message (messages without an id, and the first copy of each id), in arrival order.
 *   wire: the id of every inbound frame that had one, duplicates included, in arrival order.
 *   answers: inbound answers and acks (frames with `re`), in arrival order.
 *   invalid: frames that were not valid messages, with the reason (the `invalid` reasons of PROTOCOL.md).
 *   pings: heartbeat pings answered.
 *   outbound: the server's own acked messages and requests not answered yet, in send order.
 *   live: the connections attached to this state (re-sends and new sends go to the open ones).
 */

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_ID_LENGTH = 128;
/** SteadySocket's default heartbeat: the text frame `ping`, answered with `pong` (PROTOCOL.md, "Heartbeat"). */
export const PING = 'ping';
export const PONG = 'pong';

/**
 * A fresh state.
 * @param {{ maxSeen?: number, maxMessageBytes?: number, prefix?: string }} [options]
 *   maxSeen: ids remembered for dedupe (default 100000; keep it at least maxUnacked per client it serves).
 *   maxMessageBytes: larger frames are invalid (default 1 MiB, as the client's default).
 *   prefix: the prefix of the ids of the server's own messages (default: random).
 * @returns {JsonProtocolState}
 */
export function createJsonProtocolState(options = {}) {
  return {
    seen: new Map(), log: [], wire: [], answers: [], invalid: [], pings: 0, outbound: new Map(), live: new Set(),
    prefix: options.prefix ?? `s${Math.random().toString(36).slice(2, 10)}`, counter: 0,
    maxSeen: options.maxSeen ?? 100_000, maxMessageBytes: options.maxMessageBytes ?? 1 << 20,
  };
}

/** Default request handlers: `echo` answers with the request's data. @type {Record<string, RequestHandler>} */
export const defaultHandlers = { echo: (data) => data };

/** @param {unknown} v */
const isId = (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH; // UTF-16 code units

/**
 * Parses and checks one text frame (PROTOCOL.md, "The envelope"). A message with `re` is an answer: its `id` and
 * `ack` are ignored, not checked.
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
  if (re !== undefined ? !isId(re) : (id !== undefined && !isId(id)) || (ack !== undefined && typeof ack !== 'boolean')) return 'bad-field';
  if (error !== undefined && !(typeof error === 'object' && error && typeof error.code === 'string' && typeof error.message === 'string'))
    return 'bad-field';
  if (type === 'ack' && re === undefined) return 'bad-field';
  return value;
}

/**
 * Speaks the protocol on one connection: answers `ping` with `pong`; validates every other inbound text frame
 * (invalid: counted in `state.invalid`, skipped); settles the server's own pending messages with inbound answers;
 * dedupes messages by id against `state.seen`; logs the accepted ones; and answers: an acked message with
 * `{"type":"ack","re":id}`, a request with its handler's answer (`UNHANDLED` without one), either with an error
 * answer when `refuse` says so. Every copy of an id gets the answer its first copy got, and nothing runs twice.
 * On attach, the server's own unanswered messages (`sendAcked`, `sendRequest`) go out first, in send order.
 *
 * @param {WsLike} ws
 * @param {JsonProtocolState} state
 * @param {Record<string, RequestHandler>} [handlers] request handlers by type, added to `defaultHandlers`.
 * @param {{ refuse?: RefuseHook }} [options]
 * @returns {() => void} stops listening to `ws`.
 */
export function attachJsonProtocol(ws, state, handlers = {}, options = {}) {
  const all = { ...defaultHandlers, ...handlers };
  const send = (/** @type {string} */ frame) => {
    if (ws.readyState === 1) ws.send(frame);
  };

  /** @param {any} raw @param {boolean} isBinary */
  const onMessage = (raw, isBinary) => {
    const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw).length : raw.byteLength ?? raw.length;
    if (isBinary) return void state.invalid.push({ reason: 'binary', bytes });
    if (bytes > state.maxMessageBytes) return void state.invalid.push({ reason: 'too-large', bytes });
    const text = String(raw);
    if (text === PING) {
      state.pings++;
      return send(PONG);
    }
    const message = parseEnvelope(text);
    if (typeof message === 'string') return void state.invalid.push({ reason: message, bytes });
    if (message.re !== undefined) return answered(state, message);
    const { id } = message;
    if (id === undefined) return void state.log.push(message);
    state.wire.push(id);
    if (state.seen.has(id)) {
      const first = state.seen.get(id);
      if (typeof first === 'string') send(first);
      else if (first) first.then(send); // a request whose answer is not ready yet: it goes out when it is
      return;
    }
    const refusal = options.refuse?.(message);
    if (refusal) return remember(id, error(message.type, id, refusal.code, refusal.message), send);
    state.log.push(message);
    if (message.ack) return remember(id, JSON.stringify({ type: 'ack', re: id }), send);
    const answer = answerRequest(message, id, all[message.type]);
    remember(id, answer, send);
    if (typeof answer !== 'string') {
      answer.then((frame) => {
        if (state.seen.get(id) === answer) state.seen.set(id, frame);
        send(frame);
      });
    }
  };

  /** @param {string} id @param {string | Promise<string>} answer @param {(frame: string) => void} sendNow */
  const remember = (id, answer, sendNow) => {
    state.seen.set(id, answer);
    if (state.seen.size > state.maxSeen) state.seen.delete(/** @type {string} */ (state.seen.keys().next().value));
    if (typeof answer === 'string') sendNow(answer);
  };

  ws.on('message', onMessage);
  state.live.add(ws);
  for (const pending of state.outbound.values()) send(pending.frame); // first thing on the new connection
  return () => {
    ws.off('message', onMessage);
    state.live.delete(ws);
  };
}

/**
 * Sends `{type, id, ack: true, data}` to the session's client at least once: kept in `state.outbound` and sent
 * again, with the same id and in send order, on every connection attached to `state` until the client acks it.
 * Resolves with the id on the ack; rejects on an error answer.
 * @param {JsonProtocolState} state
 * @param {string} type
 * @param {unknown} data
 * @returns {Promise<string>}
 */
export function sendAcked(state, type, data) {
  return /** @type {Promise<string>} */ (outbound(state, { type, id: `${state.prefix}-${++state.counter}`, ack: true, data }));
}

/**
 * Sends a request to the session's client at least once (as `sendAcked` does); resolves with the reply's data.
 * @param {JsonProtocolState} state
 * @param {string} type
 * @param {unknown} data
 * @returns {Promise<unknown>}
 */
export function sendRequest(state, type, data) {
  return outbound(state, { type, id: `${state.prefix}-${++state.counter}`, data });
}

/** @param {JsonProtocolState} state @param {Envelope & { id: string }} envelope */
function outbound(state, envelope) {
  const frame = JSON.stringify(envelope);
  return new Promise((resolve, reject) => {
    state.outbound.set(envelope.id, { envelope, frame, resolve, reject });
    for (const ws of state.live) if (ws.readyState === 1) ws.send(frame);
  });
}

/** An inbound answer: recorded, and settling the server's own message it names (if any is pending). */
function answered(/** @type {JsonProtocolState} */ state, /** @type {Envelope} */ answer) {
  state.answers.push(answer);
  const pending = state.outbound.get(/** @type {string} */ (answer.re));
  if (!pending) return; // an answer to nothing pending (a copy's second ack, say) is ignored
  state.outbound.delete(/** @type {string} */ (answer.re));
  if (answer.error) pending.reject(Object.assign(new Error(`${answer.error.code}: ${answer.error.message}`), { remote: answer.error }));
  else pending.resolve(pending.envelope.ack ? answer.re : answer.data);
}

/** @param {string} type @param {string} re @param {string} code @param {string} message */
const error = (type, re, code, message) => JSON.stringify({ type, re, error: { code, message } });

/**
 * The encoded answer to a request: at once for a synchronous handler, a promise for an asynchronous one.
 * @param {Envelope} request
 * @param {string} re the request's id
 * @param {RequestHandler | undefined} handler
 * @returns {string | Promise<string>}
 */
function answerRequest(request, re, handler) {
  const { type } = request;
  /** @param {any} e */
  const failed = (e) => error(type, re, typeof e?.code === 'string' ? e.code : 'ERROR', String(e?.message ?? e));
  if (!handler) return error(type, re, 'UNHANDLED', `no handler for ${type}`);
  try {
    const result = handler(request.data, request);
    if (result && typeof (/** @type {any} */ (result).then) === 'function')
      return Promise.resolve(result).then((data) => JSON.stringify({ type, re, data })).catch(failed);
    return JSON.stringify({ type, re, data: result });
  } catch (e) {
    return failed(e);
  }
}
