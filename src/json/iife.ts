// The <script> build of steadysocket/json: the global `JsonChannel` is the class itself, with the entry's other
// exports (`JsonChannelError`, `CHANNEL_DEFAULTS`, `encodeEnvelope`, `safeJsonParse`) as static properties. It works
// over the core <script> build's sockets: they meet on `Symbol.for('steadysocket.offer')`, not on a shared module.
import * as api from './index';

export default Object.assign(api.JsonChannel, api);
