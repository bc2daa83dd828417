// A dedicated Worker that owns the socket: the page never touches it, it only posts commands and renders what
// comes back. Same <script> builds, loaded with importScripts (a classic worker has no import).
importScripts('/dist/steadysocket.iife.js', '/dist/json.iife.js', '/embed-client.js');

var chat = null;
self.onmessage = function (e) {
  var cmd = e.data;
  if (cmd.cmd === 'start') {
    chat = createChat(SteadySocket, JsonChannel, cmd.wsUrl, function (msg) { postMessage(msg); });
    postMessage({ kind: 'hello', inWorker: typeof window === 'undefined' && typeof document === 'undefined' });
  } else if (chat && cmd.cmd === 'join') chat.join(cmd.name);
  else if (chat && cmd.cmd === 'say') chat.say(cmd.text);
};
