import type { SendData } from './bytes';
import type { ProtocolsProvider, SendOptions, SteadySocketOptions, UrlProvider, WebSocketLike } from './options';
import type { SocketStats } from './stats';

/**
 * The key of an internal option: a function that makes the socket's link instead of `createLink`
 * (`steadysocket/tabs` gives a `SteadySocket` a link shared between tabs). Not registered: only this
 * build's modules can use it.
 */
export const LINK: unique symbol = Symbol() as never;

/** The signature of `createLink`, for the `LINK` option. */
export type LinkFactory = (
  target: EventTarget & { readonly binaryType: BinaryType },
  url: UrlProvider,
  protocols: ProtocolsProvider | undefined,
  href: string,
  options?: SteadySocketOptions,
) => Link;

/** The connection sequence behind a `SteadySocket`; see the class for what each call means. */
export interface Link {
  state(): number;
  ws(): WebSocketLike | undefined;
  href(): string;
  rttMs(): number | undefined;
  bufferedAmount(): number;
  stats(): SocketStats;
  send(data: SendData, options?: SendOptions): boolean;
  /** The now-or-never send (`OFFER`); a link without one gives its socket none. */
  offer?(data: SendData): boolean;
  drained(): Promise<void>;
  ready(): Promise<void>;
  close(code?: number, reason?: string): void;
  reconnect(code?: number, reason?: string): void;
}

