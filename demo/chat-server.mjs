// @ts-check
// The demo's chat room on /chat. The JSON envelope, acks, replies and dedupe by id come from the harness's reference
// server (harness/server/json-protocol.mjs); this file adds what a chat needs on top: names, sessions that survive
// reconnects, the room's history, and the checks of chat-guard.mjs in front of everything.
//
// Sessions: `join` answers with a session token. The page's URL function puts it (and the last line it has seen)
// into every reconnect's URL, so the server knows who is on a new connection before its first frame: the chat
// messages the page re-sends first thing after a reconnect are attributed, and what the user missed is sent again.
import { attachJsonProtocol, createJsonProtocolState, parseEnvelope } from '../harness/server/json-protocol.mjs';
import { TokenBucket, createReadLimiter, kindOf, nameKey, rejectReason } from './chat-guard.mjs';
import { LIMITS } from './limits.mjs';

/**
 * @typedef {{ seq: number, t: number, kind: 'chat' | 'system', from?: string, text: string, cid?: string }} Line
 * @typedef {{ token: string, name: string, key: string, conns: Set<Conn>, grace?: NodeJS.Timeout, chat: TokenBucket }} Session
 * @typedef {{ ws: import('ws').WebSocket, session: Session | null, deliver: (raw: string) => void, noticeAt: number, refused: boolean,
 *   flood: { bytes: number, frames: number, timer?: NodeJS.Timeout } }} Conn
 * @typedef {{
 *   allowOrigin: (origin: string) => boolean,
 *   graceMs?: number,
 *   historySize?: number,
 *   read?: { framesPerSecond: number, bytesPerSecond: number },
 *   chatRate?: { perSecond: number, burst: number },
 * }} ChatOptions
 */

export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';
/** A client that has this much waiting to be sent to it is not reading: it is dropped rather than buffered for. */
const MAX_OUTBOUND = 4 * 1024 * 1024;

/** @param {ChatOptions} options */
export function createChatServer(options) {
  const graceMs = options.graceMs ?? 30_000;
  const historySize = options.historySize ?? 200;
  const read = options.read ?? { framesPerSecond: 200, bytesPerSecond: 1024 * 1024 };
  const chatRate = options.chatRate ?? { perSecond: 2, burst: 20 };
  // One dedupe memory for all connections: a message re-sent after a reconnect is recognised on the new one.
  const protocol = createJsonProtocolState({ maxSeen: 10_000, maxMessageBytes: LIMITS.maxPayload });
  /** @type {Map<string, Session>} by token */
  const sessions = new Map();
  /** @type {Map<string, Session>} by nameKey */
  const names = new Map();
  /** join request id -> session: a re-sent join gets its remembered reply, and its connection the session. */
  const joins = new Map();
  /** @type {Set<Conn>} */
  const conns = new Set();
  /** @type {Line[]} */
  const history = [];
  let seq = 0;
  let closed = false;
  const stats = { invalid: 0, refused: 0, accepted: 0 };

  /** @param {Conn} conn @param {string} frame */
  const send = (conn, frame) => {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    if (conn.ws.bufferedAmount > MAX_OUTBOUND) return void conn.ws.terminate();
    conn.ws.send(frame);
  };
  /** @param {string} type @param {unknown} data */
  const event = (type, data) => JSON.stringify({ type, data });
  const members = () => [...conns].filter((c) => c.session);
  const broadcast = (/** @type {string} */ frame) => members().forEach((c) => send(c, frame));
  const presence = () =>
    broadcast(event('presence', { users: [...sessions.values()].map((s) => ({ name: s.name, online: s.conns.size > 0 })) }));

  /** @param {Omit<Line, 'seq' | 't'>} line */
  function append(line) {
    const full = { seq: ++seq, t: Date.now(), ...line };
    history.push(full);
    if (history.length > historySize) history.shift();
    broadcast(event('line', full));
  }

  /** @param {Conn} conn @param {Session} session */
  function bind(conn, session) {
    clearTimeout(session.grace);
    conn.session = session;
    session.conns.add(conn);
  }

  /** @param {Session} session */
  function end(session) {
    clearTimeout(session.grace);
    sessions.delete(session.token);
    names.delete(session.key);
    for (const [id, s] of joins) if (s === session) joins.delete(id);
    append({ kind: 'system', text: `${session.name} left` });
    presence();
  }

  /** @param {Conn} conn @param {any} data */
  function join(conn, data) {
    if (conn.session) throw Object.assign(new Error(`already signed in as ${conn.session.name}`), { code: 'ALREADY_JOINED' });
    const name = String(data.name).trim();
    const key = nameKey(name);
    if (names.has(key)) throw Object.assign(new Error(`${name} is taken`), { code: 'NAME_TAKEN' });
    const session = { token: crypto.randomUUID(), name, key, conns: new Set(), chat: new TokenBucket(chatRate.perSecond, chatRate.burst) };
    sessions.set(session.token, session);
    names.set(key, session);
    append({ kind: 'system', text: `${name} joined` }); // before bind: the joiner gets it in the reply's history
    bind(conn, session);
    presence();
    return { name, session: session.token, history };
  }

  /** Tells the client what was wrong, at most once a second (a broken client must not make us flood it back). */
  function notice(/** @type {Conn} */ conn, /** @type {string} */ code, /** @type {string} */ text) {
    const t = performance.now();
    if (t - conn.noticeAt < 1000) return;
    conn.noticeAt = t;
    send(conn, event('notice', { code, text }));
  }

  /** @param {Conn} conn @param {{ type: string, id?: string }} envelope @param {string} code @param {string} message */
  function refuse(conn, envelope, code, message) {
    stats.refused++;
    if (envelope.id !== undefined) send(conn, JSON.stringify({ type: envelope.type, re: envelope.id, error: { code, message } }));
    else notice(conn, code, message);
  }

  /** Every inbound text frame: checks, then either answered here or handed to the reference protocol. */
  function receive(/** @type {Conn} */ conn, /** @type {string} */ raw) {
    if (raw === PING) return send(conn, PONG);
    const envelope = parseEnvelope(raw);
    if (typeof envelope === 'string') {
      stats.invalid++;
      return notice(conn, 'INVALID', `frame skipped: ${envelope}`);
    }
    const why = rejectReason(envelope);
    if (why) {
      stats.invalid++;
      return kindOf(envelope) === 'answer' ? notice(conn, 'INVALID', why) : refuse(conn, envelope, 'BAD_REQUEST', why);
    }
    const { type, id } = envelope;
    const seen = id !== undefined && protocol.seen.has(id);
    if (type === 'flood') return void flood(conn, raw.length);
    if (type === 'join' && seen && joins.has(id) && !conn.session) bind(conn, joins.get(id));
    conn.refused = false;
    conn.deliver(raw); // dedupe, ack or refuse (refusal below), reply (json-protocol)
    if (conn.refused) return;
    stats.accepted++;
    trim();
    if (type === 'join' && !seen && conn.session) joins.set(id, conn.session);
    if (type === 'chat' && !seen && conn.session) {
      const { text, cid } = /** @type {{ text: string, cid?: string }} */ (envelope.data);
      append({ kind: 'chat', from: conn.session.name, text, cid });
    }
  }

  /** Flood frames are only counted; the total is reported back a few times a second. */
  function flood(/** @type {Conn} */ conn, /** @type {number} */ bytes) {
    conn.flood.bytes += bytes;
    conn.flood.frames++;
    conn.flood.timer ??= setTimeout(() => {
      conn.flood.timer = undefined;
      send(conn, event('flood', { bytes: conn.flood.bytes, frames: conn.flood.frames }));
    }, 200);
  }

  /** The reference server logs every accepted message; a long-running demo keeps only the recent ones. */
  function trim() {
    if (protocol.log.length > 2000) protocol.log.splice(0, 1000);
    if (protocol.wire.length > 2000) protocol.wire.splice(0, 1000);
  }

  /** @type {import('../harness/server/server.mjs').WsRoute} */
  const route = {
    maxPayload: LIMITS.maxPayload,
    record: false,
    // Browsers always send Origin; a page elsewhere (or a script without one) must not talk to this room.
    verify: (req) => (options.allowOrigin(req.headers.origin ?? '') ? undefined : 403),
    connection(ws, req) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      /** @type {Set<(raw: any, isBinary: boolean) => void>} */
      const listeners = new Set();
      /** @type {Conn} */
      const conn = {
        ws, session: null, noticeAt: -Infinity, refused: false, flood: { bytes: 0, frames: 0 },
        deliver: (raw) => listeners.forEach((l) => l(raw, false)),
      };
      conns.add(conn);
      // json-protocol listens to this stand-in, not to `ws`: only frames that passed the checks reach it.
      const facade = {
        on: (/** @type {string} */ _e, /** @type {any} */ l) => listeners.add(l),
        off: (/** @type {string} */ _e, /** @type {any} */ l) => listeners.delete(l),
        send: (/** @type {string} */ frame) => send(conn, frame),
        get readyState() { return ws.readyState; },
      };
      attachJsonProtocol(facade, protocol, { join: (data) => join(conn, data) }, {
        // A refusal is remembered with the message's id: a copy re-sent after a reconnect gets the same answer.
        refuse(envelope) {
          if (envelope.type !== 'chat') return undefined;
          const why = !conn.session ? { code: 'NOT_JOINED', message: 'join first' }
            : !conn.session.chat.tryTake() ? { code: 'RATE_LIMITED', message: 'slow down' } : undefined;
          if (why) {
            conn.refused = true;
            stats.refused++;
          }
          return why;
        },
      });
      const limiter = createReadLimiter(ws, read);
      ws.on('message', (data, isBinary) => {
        const buf = /** @type {Buffer} */ (data);
        limiter.count(buf.length);
        if (isBinary) {
          stats.invalid++;
          return notice(conn, 'INVALID', 'binary frames are not accepted');
        }
        receive(conn, buf.toString('utf8'));
      });
      ws.on('close', (code) => {
        limiter.stop();
        clearTimeout(conn.flood.timer);
        conns.delete(conn);
        const session = conn.session;
        if (!session || closed) return; // closed: the harness is dropping everyone, no timer may outlive it
        session.conns.delete(conn);
        if (session.conns.size > 0) return;
        // 1000/1001: the page closed the socket or went away. Anything else may come back: keep the name a while.
        if (code === 1000 || code === 1001) return end(session);
        session.grace = setTimeout(() => end(session), graceMs);
        presence();
      });
      const token = url.searchParams.get('session');
      if (!token) return;
      const session = sessions.get(token);
      if (!session) return send(conn, event('session', { ok: false, reason: 'expired' }));
      bind(conn, session);
      presence();
      // What the page missed while it was away, oldest first; it ignores lines it already has.
      const since = Number(url.searchParams.get('since')) || 0;
      for (const line of history) if (line.seq > since) send(conn, event('line', line));
    },
  };

  return {
    route,
    history: () => history.slice(),
    users: () => [...sessions.values()].map((s) => ({ name: s.name, online: s.conns.size > 0 })),
    stats: () => ({ ...stats }),
    close() {
      closed = true;
      for (const session of sessions.values()) clearTimeout(session.grace);
      for (const conn of conns) clearTimeout(conn.flood.timer);
    },
  };
}
