// The `steadysocket/json` entry point: typed JSON messages, requests and acknowledged delivery over a SteadySocket.
export { JsonChannel } from './channel';
export { JsonChannelError, type JsonChannelErrorCode } from './errors';
export { safeJsonParse, encodeEnvelope, type Envelope, type RemoteError, type InvalidReason } from './envelope';
export { CHANNEL_DEFAULTS, type JsonChannelDefaults } from './defaults';
export type { JsonInvalidEvent, JsonErrorEvent, JsonDropEvent, JsonChannelEventMap } from './events';
export type {
  JsonSocket, JsonChannelOptions, AckOptions, RequestOptions, JsonMessage, AnyJsonMessage, JsonHandler, JsonWildcardHandler,
} from './types';
