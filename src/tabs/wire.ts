import type { SendData } from '../bytes';
import { closeEvent } from '../close';
import { SteadySocketError, type SteadySocketErrorCode } from '../errors';
import { makeEvent } from '../events';

/** What every tab knows of the shared connection, sent with every event. */
export interface Snapshot {
  /** `readyState` of the shared connection as the tabs see it. */
  state: number;
  url: string;
  protocol: string;
  extensions: string;
  rtt?: number;
}

/** A socket event, flattened so that it crosses a `BroadcastChannel` (a close event's fields inline). */
export interface WireEvent {
  type: string;
  code?: number;
  reason?: string;
  wasClean?: boolean;
  attempt?: number;
  delayMs?: number;
  rttMs?: number;
  /** `giveup`'s reason. */
  why?: string;
  /** An SDK error's code. */
  error?: string;
}

/**
 * The messages between the tabs of one shared connection, on its `BroadcastChannel`:
 * - from the leader: `e` an event of the connection, `m` a message from the server, `a` tab `t`'s sends up to
 *   number `n` are handed to the browser (the tab may forget them), `l` tab `t` leads now;
 * - from any tab: `h` a tab joined (the leader answers with `l`), `o` tab `t`'s send number `n`, for the leader to send,
 *   `r` reconnect (with close code `c` and reason `r`).
 */
export type TabMessage =
  | { k: 'e'; e: WireEvent; s: Snapshot }
  | { k: 'm'; d: string | ArrayBuffer }
  | { k: 'a'; t: string; n: number }
  | { k: 'l'; t: string; s: Snapshot }
  | { k: 'h'; t: string }
  | { k: 'o'; t: string; n: number; d: SendData }
  | { k: 'r'; c?: number; r?: string };

const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null;
const isString = (value: unknown) => typeof value === 'string';
const isSnapshot = (s: unknown) => isObject(s) && typeof s.state === 'number' && isString(s.url) && isString(s.protocol) && isString(s.extensions);
const isCode = (c: unknown) => c === undefined || c === 1000 || (Number.isInteger(c) && (c as number) >= 3000 && (c as number) < 5000);

/**
 * Checks a message from another tab as strictly as a frame from the network: any same-origin script can post on
 * the channel. @returns the message, or `undefined` when it is malformed.
 */
export function checkTabMessage(value: unknown): TabMessage | undefined {
  if (!isObject(value)) return undefined;
  const { k, t, n, d, s, e } = value;
  const ok =
    k === 'e' ? isObject(e) && isString(e.type) && isSnapshot(s)
    : k === 'm' ? isString(d) || d instanceof ArrayBuffer
    : k === 'a' ? isString(t) && Number.isSafeInteger(n)
    : k === 'l' ? isString(t) && isSnapshot(s)
    : k === 'h' ? isString(t)
    : k === 'o' ? isString(t) && Number.isSafeInteger(n) && (isString(d) || d instanceof ArrayBuffer || ArrayBuffer.isView(d) || d instanceof Blob)
    : k === 'r' && isCode(value.c) && (value.r === undefined || isString(value.r));
  return ok ? (value as TabMessage) : undefined;
}

/** A socket event as it crosses the channel. */
export function toWire(event: Event): WireEvent {
  const e = event as Event & Record<string, any>;
  const close: CloseEvent | undefined = e.type === 'close' ? (e as unknown as CloseEvent) : e.closeEvent;
  return {
    type: e.type, attempt: e.attempt, delayMs: e.delayMs, rttMs: e.rttMs, why: e.type === 'giveup' ? e.reason : undefined,
    error: e.error?.code, code: close?.code, reason: close?.reason, wasClean: close?.wasClean,
  };
}

/** The event a tab fires for a wire event (a `close` as a `CloseEvent`, errors with their `SteadySocketError`). */
export function fromWire(w: WireEvent): Event {
  const close = w.code === undefined ? undefined : closeEvent(w.code, w.reason, !!w.wasClean);
  if (w.type === 'close') return close!;
  return makeEvent(w.type, {
    attempt: w.attempt, delayMs: w.delayMs, rttMs: w.rttMs, closeEvent: close,
    ...(w.why ? { reason: w.why } : {}),
    ...(w.error ? { error: new SteadySocketError(w.error as SteadySocketErrorCode) } : {}),
  } as never);
}
