// The <script> build: the global `SteadySocket` is the class itself (a drop-in for `WebSocket`), with the
// entry's other exports (`SteadySocketError`, `backoffDelay`, `NO_RETRY_CODES`, `DEFAULTS`) as static properties.
import * as api from './index';

export default Object.assign(api.SteadySocket, api);
