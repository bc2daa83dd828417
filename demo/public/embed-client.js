// A chat client on the <script> builds: the globals `SteadySocket` (dist/steadysocket.iife.js) and `JsonChannel`
// (dist/json.iife.js). The channel matches replies, keeps acked messages until the server acks them and sends them
// again after a reconnect (PROTOCOL.md); this file only adds the chat's session to the URL of every attempt.
// Loaded with a <script> tag by embed.html and with importScripts() by embed-worker.js; `emit` reports to the UI.
// eslint-disable-next-line no-unused-vars
function createChat(SteadySocket, JsonChannel, wsUrl, emit) {
  var session = null;
  var lastSeq = 0;
  var nextId = 0;
  var prefix = Math.random().toString(36).slice(2, 10);
  var url = function () {
    return session ? wsUrl + '?session=' + encodeURIComponent(session) + '&since=' + lastSeq : wsUrl;
  };
  var socket = new SteadySocket(url, undefined, {
    reconnect: { initialDelayMs: 500, maxDelayMs: 8000 },
    heartbeat: { intervalMs: 5000, timeoutMs: 5000, message: '{"type":"ping"}', isPong: function (d) { return d === '{"type":"pong"}'; } },
  });
  var channel = new JsonChannel(socket, { maxMessageBytes: 32 * 1024 });
  var state = function () { emit({ kind: 'state', state: ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'][socket.readyState] }); };
  ['connecting', 'open', 'close', 'giveup'].forEach(function (type) { socket.addEventListener(type, state); });
  var failed = function (error) { emit({ kind: 'error', text: String((error && error.message) || error) }); };
  function line(l) {
    if (!l || l.seq <= lastSeq) return;
    lastSeq = l.seq;
    emit({ kind: 'line', line: l });
  }
  channel.on('line', line);
  channel.on('session', function () {
    session = null;
    emit({ kind: 'error', text: 'session expired: join again' });
  });
  state();
  return {
    join: function (name) {
      channel.request('join', { name: name }, { timeoutMs: 15000 }).then(function (reply) {
        session = reply.session;
        emit({ kind: 'joined', name: reply.name });
        reply.history.forEach(line);
      }, failed);
    },
    say: function (text) {
      channel.send('chat', { text: text, cid: prefix + '-c' + ++nextId }, { ack: true }).catch(failed);
    },
  };
}
