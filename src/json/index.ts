// The `steadysocket/json` entry point: typed JSON messages, requests and acknowledged delivery over a SteadySocket.
export { JsonChannel } from './channel';
export { JsonChannelError, type JsonChannelErrorCode } from './errors';
export {
  safeJsonParse, encodeEnvelope, checkEnvelope, ACK_TYPE, MAX_ID_LENGTH,
  type Envelope, type RemoteError, type InvalidReason,
} from './envelope';
export type { JsonInvalidEvent, JsonErrorEvent, JsonDropEvent, JsonChannelEventMap } from './events';
export type {
  JsonSocket, JsonChannelOptions, AckOptions, RequestOptions, JsonMessage, AnyJsonMessage, JsonHandler, JsonWildcardHandler,
} from './types';
