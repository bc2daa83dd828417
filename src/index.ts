export { SteadySocket } from './socket';
export type { SteadySocketOptions, ReconnectPolicy, BackoffPolicy, WebSocketLike, WebSocketConstructor, UrlProvider, ProtocolsProvider } from './options';
export { DEFAULTS, type SteadySocketDefaults } from './defaults';
export { pageLifecycle, type LifecycleSource, type LifecycleSignal } from './lifecycle';
export type { QueueLimits, OverflowPolicy } from './queue';
export type { Clock } from './clock';
export type { HeartbeatOptions } from './heartbeat';
export type { SendData } from './bytes';
export { backoffDelay } from './backoff';
export { NO_RETRY_CODES } from './close';
export { SteadySocketError, type SteadySocketErrorCode } from './errors';
export type {
  ConnectingEvent, ReconnectEvent, GiveupEvent, DropEvent, SocketErrorEvent, HeartbeatEvent, SteadySocketEventMap,
} from './events';
