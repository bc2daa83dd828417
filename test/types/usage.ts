// A consumer of the packed package: scripts/check-package.mjs installs the tarball into a temporary project with
// these files and type-checks them under every moduleResolution in tsconfig.*.json (strict, skipLibCheck: false).
// It copies each .ts file here to .mts (ESM) and .cts (CommonJS) too, so this one file is checked as an ES module
// and as a CommonJS module: keep it valid as both (no top-level await, no import.meta).
// It uses every entry point of scripts/entries.mjs (the check fails when one is missing here), and checks that
// the types are the real ones, not `any`: each `@ts-expect-error` below must find an error.
import {
  DEFAULTS, NO_RETRY_CODES, SteadySocket, SteadySocketError, backoffDelay, pageLifecycle,
  type ReconnectEvent, type SendData, type SteadySocketEventMap, type SteadySocketOptions,
} from 'steadysocket';
import {
  CHANNEL_DEFAULTS, JsonChannel, JsonChannelError, encodeEnvelope, safeJsonParse,
  type Envelope, type JsonChannelOptions, type JsonMessage,
} from 'steadysocket/json';
import { SharedSteadySocket, type LeaderEvent, type SharedSteadySocketOptions } from 'steadysocket/tabs';
import { createTestServer, type TestConnection } from 'steadysocket/testing';
import {
  INITIAL_STATE, useJsonChannel, useJsonMessage, useSocketEvent, useSocketState, useSteadySocket,
  type SocketState, type UseSteadySocketOptions,
} from 'steadysocket/react';

/** Compiles only when A and B are the same type (`any` is the same as nothing but `any`). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T extends true>(): T | void {}

// The core entry: options, the socket and its typed events.
const options: SteadySocketOptions = {
  reconnect: { initialDelayMs: 500, maxRetries: 10 },
  heartbeat: { intervalMs: 20_000 },
  queue: { maxMessages: 1000, overflow: 'drop-oldest' },
  lifecycle: [pageLifecycle],
};
const socket = new SteadySocket(() => 'wss://example.com/live', ['v1'], options);

socket.addEventListener('reconnect', (e) => e.attempt); // typed events: not an implicit any
socket.addEventListener('reconnect', (e) => {
  expectType<Equal<typeof e, ReconnectEvent>>();
  const delay: number = e.delayMs;
  const code: number = e.closeEvent.code;
  return delay + code;
});
socket.addEventListener('giveup', (e) => expectType<Equal<typeof e.reason, 'retries' | 'policy'>>());
socket.addEventListener('drop', (e) => {
  const data: SendData = e.data;
  return data;
});
socket.addEventListener('error', (e) => e.error?.code === 'CONNECT_TIMEOUT');
socket.onmessage = (e) => expectType<Equal<typeof e, MessageEvent>>();
// @ts-expect-error an event's fields have their types: `attempt` is a number
socket.addEventListener('connecting', (e) => { const attempt: string = e.attempt; return attempt; });
// @ts-expect-error send() takes what WebSocket.send() takes
socket.send({ not: 'data' });

const sent: boolean = socket.send('hello');
const state: number = socket.readyState + SteadySocket.OPEN;
const done: Promise<void> = socket.drained();
const delay: number = backoffDelay(3, { factor: 2 });
const retryCodes: readonly number[] = NO_RETRY_CODES;
const timeout: number = DEFAULTS.connectTimeoutMs;
const map: SteadySocketEventMap['heartbeat']['rttMs'] = 0;
const error = new SteadySocketError('URL');
expectType<Equal<typeof error.code, 'URL' | 'CONNECT_TIMEOUT' | 'HANDSHAKE' | 'HEARTBEAT_TIMEOUT' | 'QUEUE_FULL' | 'RETRY_HINT' | 'TAB_MESSAGE'>>();

// The JSON entry, over the core's socket.
type In = { chat: { name: string; text: string } };
type Out = { chat: { text: string }; history: { room: string } };
const channelOptions: JsonChannelOptions = { requestTimeoutMs: CHANNEL_DEFAULTS.requestTimeoutMs * 2 };
const channel = new JsonChannel<In, Out, { history: string[] }>(socket, channelOptions);

channel.on('chat', (data, message) => {
  expectType<Equal<typeof data, { name: string; text: string }>>();
  expectType<Equal<typeof message, JsonMessage<'chat', { name: string; text: string }>>>();
});
channel.addEventListener('invalid', (e) => e.reason);
const id: Promise<string> = channel.send('chat', { text: 'hi' }, { ack: true });
const lines: Promise<string[]> = channel.request('history', { room: 'lobby' });
// @ts-expect-error a message type must be one of `Out`'s
channel.send('nope', {});
// @ts-expect-error its data must have `Out`'s type
channel.send('chat', { text: 42 });

const envelope: Envelope = { type: 'chat', data: safeJsonParse('{"text":"hi"}') };
const frame: string = encodeEnvelope(envelope);
const failed = new JsonChannelError('REMOTE', 'no', { remote: { code: 'E', message: 'no' } });
const remoteCode: string | undefined = failed.remote?.code;

// The tabs entry: a SteadySocket shared by the tabs of an origin, with a `leader` event.
const sharedOptions: SharedSteadySocketOptions = { name: 'live', heartbeat: true };
const shared = new SharedSteadySocket(() => 'wss://example.com/live', undefined, sharedOptions);
shared.addEventListener('leader', (e) => expectType<Equal<typeof e, LeaderEvent>>());
shared.addEventListener('reconnect', (e) => expectType<Equal<typeof e, ReconnectEvent>>());
const leads: boolean = shared.leader;
const sharedChannel = new JsonChannel<In, Out>(shared);
// @ts-expect-error `leader` is read-only
shared.leader = true;

// The React entry: hooks typed by the socket's and the channel's event maps (called as a component would).
function ChatRoom(props: { url: string }) {
  const hookOptions: UseSteadySocketOptions = { share: 'chat', heartbeat: true };
  const live = useSteadySocket(props.url, undefined, hookOptions);
  expectType<Equal<typeof live, SteadySocket | null>>();
  const view: SocketState = useSocketState(live);
  const due: number | undefined = view.retryAtMs ?? INITIAL_STATE.retryAtMs;
  useSocketEvent(live, 'reconnect', (e) => expectType<Equal<typeof e, ReconnectEvent>>());
  // @ts-expect-error `attempt` is a number
  useSocketEvent(live, 'connecting', (e) => { const attempt: string = e.attempt; return attempt; });
  const room = useJsonChannel<In, Out>(live);
  useJsonMessage(room, 'chat', (data, message) => {
    expectType<Equal<typeof data, { name: string; text: string }>>();
    expectType<Equal<typeof message, JsonMessage<'chat', { name: string; text: string }>>>();
  });
  // @ts-expect-error a message type must be one of `In`'s
  useJsonMessage(room, 'nope', () => {});
  useSocketEvent(room, 'invalid', (e) => e.reason);
  return [view.readyState, due, room?.send('chat', { text: 'hi' })];
}

// The test kit: a server whose WebSocket a socket under test takes.
const testServer = createTestServer({ accept: false });
const underTest = new SteadySocket('ws://app.test/', undefined, { WebSocket: testServer.WebSocket });
const firstConnection: TestConnection | undefined = testServer.connections[0];
// @ts-expect-error retryAfter takes seconds as a number
testServer.last().retryAfter('30');

export { underTest, firstConnection, sent, state, done, delay, retryCodes, timeout, map, id, lines, frame, remoteCode, leads, sharedChannel, ChatRoom };
