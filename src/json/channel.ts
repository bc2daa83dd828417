import mitt from 'mitt';
import { byteLength } from '../bytes';
import { systemClock } from '../clock';
import { withDefaults } from '../defaults';
import { makeEvent } from '../events';
import { OFFER } from '../offer';
import { CLOSING } from '../state';
import { CHANNEL_DEFAULTS } from './defaults';
import { Delivery } from './delivery';
import { encodeEnvelope, safeJsonParse, type Envelope, type InvalidReason } from './envelope';
import { JsonChannelError } from './errors';
import type { JsonChannelEventMap, JsonDropEvent, JsonErrorEvent, JsonInvalidEvent } from './events';
import { createIdSource } from './pending';
import { Receiver } from './receiver';
import type { SendOptions } from '../options';
import type { AckOptions, JsonChannelOptions, JsonHandler, JsonSocket, JsonWildcardHandler, RequestOptions } from './types';

type AnyHandler = (...args: any[]) => unknown;
/** What mitt holds for a handler: a wrapper that calls it with the channel's arguments, and the handler itself (`h`), for `off()`. */
type Wrapper = AnyHandler & { h: AnyHandler };
type Listener<K extends keyof JsonChannelEventMap> = (this: JsonChannel<any, any, any>, event: JsonChannelEventMap[K]) => unknown;

export interface JsonChannel<In extends object = Record<string, unknown>, Out extends object = Record<string, unknown>, Answers extends object = Record<never, never>> {
  addEventListener<K extends keyof JsonChannelEventMap>(type: K, listener: Listener<K>, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof JsonChannelEventMap>(type: K, listener: Listener<K>, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * Typed JSON messages over a `SteadySocket` (wire format: PROTOCOL.md): fire-and-forget `send`,
 * acknowledged `send(..., { ack: true })` and `request()`, both delivered at least once (kept and
 * re-sent with the same id after a reconnect until answered), inbound dedupe by id, and `on`
 * handlers per type. `In` and `Out` map message types to payload types; `Answers` maps request
 * types to answer payload types.
 *
 * Its own events: `invalid` (a bad inbound frame, skipped), `error` (a handler threw; reported
 * nowhere else, so listen for it) and `drop` (refused over `maxUnacked`). `dispose()` detaches it.
 *
 * @example
 * type In = { chat: { text: string } };
 * type Out = { chat: { text: string }; history: { room: string } };
 * const channel = new JsonChannel<In, Out, { history: string[] }>(socket);
 * channel.on('chat', (data) => render(data.text));
 * await channel.send('chat', { text: 'hi' }, { ack: true }); // resolves on the server's ack
 * const lines = await channel.request('history', { room: 'lobby' }, { timeoutMs: 5000 }); // string[]
 */
export class JsonChannel<In extends object = Record<string, unknown>, Out extends object = Record<string, unknown>, Answers extends object = Record<never, never>> extends EventTarget {
  readonly #socket: JsonSocket;
  readonly #opts: typeof CHANNEL_DEFAULTS & Pick<Required<JsonChannelOptions>, 'encode'>;
  readonly #emitter = mitt<Record<string, Envelope>>();
  readonly #delivery: Delivery;
  readonly #receiver: Receiver;
  readonly #nextId: () => string;
  readonly #detach: () => void;
  #disposed = false;

  /** @param socket the socket to speak JSON over; it is not closed by `dispose()`. */
  constructor(socket: JsonSocket, options: JsonChannelOptions = {}) {
    super();
    this.#socket = socket;
    const opts = (this.#opts = { ...withDefaults(CHANNEL_DEFAULTS, options), encode: options.encode ?? encodeEnvelope });
    const report = (error: unknown, envelope?: Envelope) => this.dispatchEvent(makeEvent<JsonErrorEvent>('error', { error, envelope }));
    const delivery = (this.#delivery = new Delivery(socket, options.clock ?? systemClock, report));
    this.#receiver = new Receiver({
      maxMessageBytes: opts.maxMessageBytes,
      decode: options.decode ?? safeJsonParse,
      encode: (envelope) => this.#encode(envelope),
      deliver: (message) => this.#deliver(message),
      answered: (answer) => delivery.pending.answer(answer),
      send: (frame) => socket.send(frame),
      invalid: (data, reason: InvalidReason) => this.dispatchEvent(makeEvent<JsonInvalidEvent>('invalid', { data, reason })),
      report,
    }, opts.dedupeWindow);
    this.#nextId = createIdSource(options.random);
    const flush = () => delivery.flush();
    const closed = () => delivery.closed();
    const listeners: [string, (event: Event) => void][] = [
      // A SteadySocket says when a connection is usable (`ready`: after the handshake hook); another socket only `open`.
      [OFFER in socket ? 'ready' : 'open', flush],
      ['drain', flush],
      ['close', closed],
      ['giveup', closed],
      ['message', (event) => !this.#disposed && this.#receiver.receive((event as MessageEvent).data)],
    ];
    for (const [type, listener] of listeners) socket.addEventListener(type, listener);
    this.#detach = () => {
      for (const [type, listener] of listeners) socket.removeEventListener(type, listener);
    };
  }

  /** How many sent messages wait for an ack or an answer. */
  get pendingCount(): number {
    return this.#delivery.pending.size;
  }

  /**
   * Sends `{type, data}` without `ack`: fire and forget, through the socket's queue while it is
   * not open; `{ volatile: true }` or `{ ttlMs }` as the socket's `send()` takes them (a cursor, a typing sign). With `{ ack: true }` the message gets an id and is kept until the other side acks it,
   * re-sent with the same id after each reconnect; the promise resolves with that id on the ack.
   *
   * @returns without `ack`, what the socket's `send()` returns (`false`: wait for `drain`).
   * @throws {JsonChannelError} `CLOSED` after `dispose()`. With `ack`, nothing throws: every failure rejects the promise instead.
   * @throws {RangeError} when the encoded message is over `maxMessageBytes`.
   * @throws {TypeError} when `data` cannot be encoded (a BigInt, a cycle).
   * @throws {DOMException} the socket's `InvalidStateError` after its `close()`.
   * @example
   * channel.send('typing', { room: 'lobby' });
   * const id = await channel.send('chat', { text: 'hi' }, { ack: true });
   */
  send<K extends keyof Out & string>(type: K, data: Out[K], options: AckOptions): Promise<string>;
  send<K extends keyof Out & string>(type: K, data: Out[K], options?: SendOptions): boolean;
  send(type: string, data: unknown, options?: AckOptions | SendOptions): boolean | Promise<string> {
    if (options && 'ack' in options) {
      const { ack, timeoutMs, signal, ...rest } = options;
      for (const name in rest) throw new TypeError(`send(): ${name} is not an option of an acknowledged send`);
      if (ack) return this.#reliable({ type, ack: true, data }, timeoutMs ?? this.#opts.ackTimeoutMs, signal) as Promise<string>;
    }
    if (this.#disposed) throw new JsonChannelError('CLOSED', 'channel disposed');
    const frame = this.#encode({ type, data });
    // The socket checks the options (a SteadySocket throws a TypeError for unknown ones).
    return this.#socket.send(frame, options as SendOptions | undefined) !== false;
  }

  /**
   * Sends a request and resolves with the answer's `data`. Kept and re-sent with the same id
   * after a reconnect until answered; the timeout counts from this call, time spent waiting for a
   * connection included. Never throws: every failure rejects.
   *
   * @throws {JsonChannelError} as a rejection: `TIMEOUT`, `ABORTED`, `REMOTE` (an error answer, see `remote`), `CLOSED`, `OVERFLOW`.
   * @throws {RangeError} as a rejection, when the encoded request is over `maxMessageBytes` ({TypeError} when it cannot be encoded).
   * @example const user = await channel.request('getUser', { id: 7 }, { timeoutMs: 5000, signal });
   */
  request<K extends keyof Out & string>(type: K, data: Out[K], options: RequestOptions = {}): Promise<K extends keyof Answers ? Answers[K] : unknown> {
    return this.#reliable({ type, data }, options.timeoutMs ?? this.#opts.requestTimeoutMs, options.signal) as Promise<never>;
  }

  /**
   * Calls `handler(data, message)` for every inbound message of `type`, or `handler(message)` for
   * every message with `'*'`. A handler that throws (or rejects) is reported by an `error` event;
   * the other handlers still run. Inbound acks and answers are not delivered here. An acked message
   * or a request that no handler (of its type or `'*'`) takes is answered with an `UNHANDLED` error.
   *
   * @returns a function that removes the handler.
   * @example
   * channel.on('chat', (data) => render(data.text));
   * channel.on('*', (message) => log(message.type, message.data));
   */
  on(type: '*', handler: JsonWildcardHandler<In>): () => void;
  on<K extends keyof In & string>(type: K, handler: JsonHandler<K, In[K]>): () => void;
  on(type: string, handler: AnyHandler): () => void {
    if (this.#disposed) return () => {};
    const wrapper: Wrapper = Object.assign(
      type === '*'
        ? (_type: unknown, message: Envelope) => this.#call(handler, [message], message)
        : (message: Envelope) => this.#call(handler, [message.data, message], message),
      { h: handler },
    );
    this.#emitter.on(type, wrapper as never);
    return () => this.#emitter.off(type, wrapper as never);
  }

  /**
   * Removes a handler added with `on` (once, if it was added several times).
   * @example channel.off('chat', onChat);
   */
  off(type: '*', handler: JsonWildcardHandler<In>): void;
  off<K extends keyof In & string>(type: K, handler: JsonHandler<K, In[K]>): void;
  off(type: string, handler: AnyHandler): void {
    const wrapper = (this.#emitter.all.get(type) as Wrapper[] | undefined)?.find((w) => w.h === handler);
    if (wrapper) this.#emitter.off(type, wrapper as never); // never hand mitt an undefined handler: that clears the whole type
  }

  /**
   * Answers an inbound request (a message with an `id` and no `ack`) with `{type, re: id, data}`.
   * The answer is remembered with the id, so a re-sent copy of the request gets it again.
   *
   * @returns `false` when `message` is not a request, was answered already, or the channel is disposed.
   * @throws {RangeError} when the encoded answer is over `maxMessageBytes`.
   * @throws {TypeError} when `data` cannot be encoded.
   * @throws {DOMException} the socket's `InvalidStateError` after its `close()`.
   * @example channel.on('getUser', (data, message) => channel.reply(message, users.get(data.id)));
   */
  reply(message: Envelope, data?: unknown): boolean {
    return this.#respond(message, { type: message.type, re: message.id, data });
  }

  /**
   * Answers an inbound request with an error, `{type, re: id, error: {code, message}}`; the
   * requester's promise rejects with `REMOTE`.
   *
   * @returns `false` when `message` is not a request, was answered already, or the channel is disposed.
   * @throws as `reply()` does.
   * @example channel.replyError(message, 'NOT_FOUND', 'no such user');
   */
  replyError(message: Envelope, code: string, text: string): boolean {
    return this.#respond(message, { type: message.type, re: message.id, error: { code, message: text } });
  }

  /**
   * Detaches from the socket (which stays as it is): removes every listener the channel added to
   * it and every handler, clears the timers, and rejects every waiting request and acked send
   * with `CLOSED`. Idempotent.
   * @example channel.dispose();
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#detach();
    this.#emitter.all.clear();
    this.#receiver.clear();
    this.#delivery.stop();
  }

  #reliable(envelope: Envelope, timeoutMs: number, signal: AbortSignal | undefined): Promise<unknown> {
    if (this.#disposed || this.#socket.readyState >= CLOSING)
      return Promise.reject(new JsonChannelError('CLOSED', this.#disposed ? 'channel disposed' : 'socket closed'));
    if (signal?.aborted) return Promise.reject(new JsonChannelError('ABORTED', `${envelope.type} aborted`, { cause: signal.reason }));
    const id = this.#nextId();
    const message = envelope.ack ? { type: envelope.type, id, ack: true, data: envelope.data } : { type: envelope.type, id, data: envelope.data };
    let frame: string;
    try {
      frame = this.#encode(message);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#delivery.pending.size >= this.#opts.maxUnacked) {
      this.dispatchEvent(makeEvent<JsonDropEvent>('drop', { envelope: message, reason: 'overflow' }));
      return Promise.reject(new JsonChannelError('OVERFLOW', `${this.#opts.maxUnacked} messages already wait for an answer`));
    }
    return this.#delivery.add(message, frame, timeoutMs, signal);
  }

  /** Hands an inbound message to the handlers of its type and of `'*'`; returns whether there were any. */
  #deliver(message: Envelope): boolean {
    const all = this.#emitter.all;
    const handled = !!(all.get(message.type)?.length || all.get('*')?.length);
    this.#emitter.emit(message.type, message);
    return handled;
  }

  #respond(request: Envelope, answer: Envelope): boolean {
    return !this.#disposed && !request.ack && this.#receiver.respond(request, answer);
  }

  #encode(envelope: Envelope): string {
    const frame = this.#opts.encode(envelope);
    if (typeof frame !== 'string') throw new TypeError('encode must return a string');
    const max = this.#opts.maxMessageBytes;
    if (frame.length > max || (frame.length * 3 > max && byteLength(frame) > max)) throw new RangeError(`${envelope.type} message over maxMessageBytes (${max})`);
    return frame;
  }

  /** Runs a handler; a throw or a rejected promise becomes an `error` event. */
  #call(handler: AnyHandler, args: unknown[], message: Envelope): void {
    if (this.#disposed) return;
    const report = (error: unknown) => this.dispatchEvent(makeEvent<JsonErrorEvent>('error', { error, envelope: message }));
    try {
      const result = handler(...args) as PromiseLike<unknown> | undefined;
      if (typeof result?.then === 'function') result.then(undefined, report);
    } catch (error) {
      report(error);
    }
  }
}
