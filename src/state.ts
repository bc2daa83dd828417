// The native `readyState` values, shared by the socket, the streams and the JSON layer.
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
