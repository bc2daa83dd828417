// The <script> build: the global `SteadySocket` is the class itself (a drop-in for `WebSocket`),
// carrying the error and event classes as static properties.
import * as api from './index';

export default Object.assign(api.SteadySocket, api);
