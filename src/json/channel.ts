import mitt from 'mitt';
import { byteLength } from '../bytes';
import { systemClock } from '../clock';
import { makeEvent } from '../events';
import { IdWindow } from './dedupe';
import { ACK_TYPE, checkEnvelope, encodeEnvelope, safeJsonParse, type Envelope, type InvalidReason } from './envelope';
import { JsonChannelError } from './errors';
import type { JsonChannelEventMap, JsonDropEvent, JsonErrorEvent, JsonInvalidEvent } from './events';
import { Delivery } from './delivery';
import { createIdSource } from './pending';
import type { AckOptions, JsonChannelOptions, JsonHandler, JsonSocket, JsonWildcardHandler, RequestOptions } from './types';

const CLOSING = 2;

type AnyHandler = (...args: any[]) => unknown;
type Listener<K extends keyof JsonChannelEventMap> = (this: JsonChannel<any, any, any>, event: JsonChannelEventMap[K]) => unknown;
type Resolved = Required<Omit<JsonChannelOptions, 'random'>>;

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
  readonly #opts: Resolved;
  readonly #emitter = mitt<Record<string, Envelope>>();
  readonly #handlers = new Map<string, [AnyHandler, AnyHandler][]>();
  readonly #delivery: Delivery;
  readonly #seen: IdWindow;
  readonly #answered = new WeakSet<Envelope>();
  readonly #nextId: () => string;
  readonly #detach: () => void;
  #disposed = false;

  /** @param socket the socket to speak JSON over; it is not closed by `dispose()`. */
  constructor(socket: JsonSocket, options: JsonChannelOptions = {}) {
    super();
    this.#socket = socket;
    this.#opts = {
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      ackTimeoutMs: options.ackTimeoutMs ?? 0,
      maxUnacked: options.maxUnacked ?? 1000,
      maxMessageBytes: options.maxMessageBytes ?? 1 << 20,
      dedupeWindow: options.dedupeWindow ?? 1000,
      encode: options.encode ?? encodeEnvelope,
      decode: options.decode ?? safeJsonParse,
      clock: options.clock ?? systemClock,
    };
    this.#delivery = new Delivery(socket, this.#opts.clock, (error, envelope) => this.#report(error, envelope));
    this.#seen = new IdWindow(this.#opts.dedupeWindow);
    this.#nextId = createIdSource(options.random);
    const listeners: [string, (event: Event) => void][] = [
      ['open', () => this.#delivery.opened()],
      ['close', () => this.#delivery.closed()],
      ['giveup', () => this.#delivery.closed()],
      ['message', (event) => this.#receive((event as MessageEvent).data)],
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
   * not open. With `{ ack: true }` the message gets an id and is kept until the other side acks it,
   * re-sent with the same id after each reconnect; the promise resolves on the ack.
   *
   * @returns without `ack`, what the socket's `send()` returns (`false`: wait for `drain`).
   * @throws {JsonChannelError} `CLOSED` after `dispose()`. With `ack`, nothing throws: every failure rejects the promise instead.
   * @throws {RangeError} when the encoded message is over `maxMessageBytes`.
   * @throws {TypeError} when `data` cannot be encoded (a BigInt, a cycle).
   * @throws {DOMException} the socket's `InvalidStateError` after its `close()`.
   * @example
   * channel.send('typing', { room: 'lobby' });
   * await channel.send('chat', { text: 'hi' }, { ack: true });
   */
  send<K extends keyof Out & string>(type: K, data: Out[K], options: AckOptions): Promise<void>;
  send<K extends keyof Out & string>(type: K, data: Out[K]): boolean;
  send(type: string, data: unknown, options?: AckOptions): boolean | Promise<void> {
    if (options?.ack) return this.#reliable({ type, ack: true, data }, options.timeoutMs ?? this.#opts.ackTimeoutMs, options.signal) as Promise<void>;
    if (this.#disposed) throw new JsonChannelError('CLOSED', 'channel disposed');
    const room = this.#socket.send(this.#encode({ type, data })) !== false;
    if (!room) this.#delivery.full();
    return room;
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
   * the other handlers still run. Inbound acks and answers are not delivered here.
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
    const wrapper: AnyHandler = type === '*'
      ? (_type: string, message: Envelope) => this.#call(handler, [message], message)
      : (message: Envelope) => this.#call(handler, [message.data, message], message);
    let list = this.#handlers.get(type);
    if (!list) this.#handlers.set(type, (list = []));
    list.push([handler, wrapper]);
    this.#emitter.on(type, wrapper);
    return () => this.#remove(type, handler);
  }

  /**
   * Removes a handler added with `on` (once, if it was added several times).
   * @example channel.off('chat', onChat);
   */
  off(type: '*', handler: JsonWildcardHandler<In>): void;
  off<K extends keyof In & string>(type: K, handler: JsonHandler<K, In[K]>): void;
  off(type: string, handler: AnyHandler): void {
    this.#remove(type, handler);
  }

  #remove(type: string, handler: AnyHandler): void {
    const list = this.#handlers.get(type);
    const index = list ? list.findIndex(([h]) => h === handler) : -1;
    if (index < 0) return; // never hand mitt an undefined handler: that clears the whole type
    const [[, wrapper]] = list!.splice(index, 1);
    this.#emitter.off(type, wrapper);
    if (!list!.length) this.#handlers.delete(type);
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
    this.#handlers.clear();
    this.#seen.clear();
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

  #receive(raw: unknown): void {
    if (this.#disposed) return;
    const max = this.#opts.maxMessageBytes;
    if (typeof raw !== 'string') return this.#invalid(raw, 'binary');
    if (raw.length > max || (raw.length * 3 > max && byteLength(raw) > max)) return this.#invalid(raw, 'too-large');
    let decoded: unknown;
    try {
      decoded = this.#opts.decode(raw);
    } catch {
      return this.#invalid(raw, 'not-json');
    }
    const message = checkEnvelope(decoded);
    if (typeof message === 'string') return this.#invalid(raw, message);
    if (message.re !== undefined) {
      this.#delivery.pending.answer(message as Envelope & { re: string });
      return;
    }
    const { id } = message;
    if (id !== undefined && this.#seen.has(id)) {
      // A re-sent copy: not delivered again, but acked (or answered) again, as the first ack may have been lost.
      this.#quietly(() => {
        const again = message.ack ? this.#encode({ type: ACK_TYPE, re: id }) : this.#seen.answer(id);
        if (again !== undefined) this.#socket.send(again);
      }, message);
      return;
    }
    if (id !== undefined) this.#seen.add(id);
    this.#emitter.emit(message.type, message);
    if (id === undefined || this.#disposed) return;
    if (message.ack) this.#quietly(() => this.#socket.send(this.#encode({ type: ACK_TYPE, re: id })), message);
    else if (!this.#handlers.has(message.type) && !this.#handlers.has('*'))
      this.#quietly(() => this.replyError(message, 'UNHANDLED', `no handler for ${message.type}`), message);
  }

  #respond(request: Envelope, answer: Envelope): boolean {
    const { id } = request;
    if (this.#disposed || id === undefined || request.ack || request.re !== undefined || this.#answered.has(request)) return false;
    const frame = this.#encode(answer);
    this.#answered.add(request);
    this.#seen.setAnswer(id, frame);
    this.#socket.send(frame);
    return true;
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
    this.#quietly(() => {
      const result = handler(...args) as PromiseLike<unknown> | undefined;
      if (typeof result?.then === 'function') result.then(undefined, (error) => this.#report(error, message));
    }, message);
  }

  #quietly(fn: () => unknown, message: Envelope): void {
    try {
      fn();
    } catch (error) {
      this.#report(error, message);
    }
  }

  #report(error: unknown, envelope?: Envelope): void {
    this.dispatchEvent(makeEvent<JsonErrorEvent>('error', { error, envelope }));
  }

  #invalid(data: unknown, reason: InvalidReason): void {
    this.dispatchEvent(makeEvent<JsonInvalidEvent>('invalid', { data, reason }));
  }
}
