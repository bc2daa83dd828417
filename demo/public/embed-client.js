// A chat client on the <script> build: the global `SteadySocket` and hand-written JSON envelopes (PROTOCOL.md).
// The IIFE carries SteadySocket only, not JsonChannel, so the few things the channel would do are done here:
// match replies by `re`, keep acked messages until acked and send them again after a reconnect.
// Loaded with a <script> tag by embed.html and with importScripts() by embed-worker.js; `emit` reports to the UI.
// eslint-disable-next-line no-unused-vars
function createRawChat(SteadySocket, wsUrl, emit) {
  var session = null;
  var lastSeq = 0;
  var nextId = 0;
  var prefix = Math.random().toString(36).slice(2, 10);
  var unanswered = new Map(); // id -> frame, in send order
  var url = function () {
    return session ? wsUrl + '?session=' + encodeURIComponent(session) + '&since=' + lastSeq : wsUrl;
  };
  var socket = new SteadySocket(url, undefined, {
    reconnect: { initialDelayMs: 500, maxDelayMs: 8000 },
    heartbeat: { intervalMs: 5000, timeoutMs: 5000, message: '{"type":"ping"}', isPong: function (d) { return d === '{"type":"pong"}'; } },
  });
  var state = function () { emit({ kind: 'state', state: ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'][socket.readyState] }); };
  ['connecting', 'close', 'giveup'].forEach(function (type) { socket.addEventListener(type, state); });
  socket.addEventListener('open', function () {
    state();
    unanswered.forEach(function (frame) { socket.send(frame); }); // same ids: the server drops what it already has
  });
  socket.addEventListener('message', function (e) {
    var m;
    try { m = JSON.parse(e.data); } catch (_) { return; }
    if (m === null || typeof m !== 'object') return;
    if (typeof m.re === 'string') {
      unanswered.delete(m.re);
      if (m.error) emit({ kind: 'error', text: String(m.error.message) });
      else if (m.type === 'join' && m.data) {
        session = m.data.session;
        emit({ kind: 'joined', name: m.data.name });
        m.data.history.forEach(line);
      }
      return;
    }
    if (m.type === 'line') line(m.data);
    else if (m.type === 'session') {
      session = null;
      emit({ kind: 'error', text: 'session expired: join again' });
    }
  });
  function line(l) {
    if (!l || l.seq <= lastSeq) return;
    lastSeq = l.seq;
    emit({ kind: 'line', line: l });
  }
  function send(envelope) {
    envelope.id = prefix + '-' + ++nextId;
    var frame = JSON.stringify(envelope);
    unanswered.set(envelope.id, frame);
    if (socket.readyState === SteadySocket.OPEN) socket.send(frame); // else the open listener sends it
  }
  state();
  return {
    join: function (name) { send({ type: 'join', data: { name: name } }); },
    say: function (text) { send({ type: 'chat', ack: true, data: { text: text, cid: prefix + '-c' + nextId } }); },
  };
}
