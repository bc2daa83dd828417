// The `steadysocket/react` entry point: hooks that own a SteadySocket (alone or shared by key), render its connection
// state without tearing, and call handlers for every message; React 18 or 19 is the app's (an optional peer).
export { useSteadySocket, type UseSteadySocketOptions } from './use-socket';
export { useSocketState, INITIAL_STATE, type SocketState } from './state';
export { useSocketEvent } from './use-event';
export { useJsonChannel, useJsonMessage } from './use-json';
