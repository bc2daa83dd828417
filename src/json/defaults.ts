/** The default of every numeric `JsonChannelOptions` field; the channel reads them here and nowhere else. */
export interface JsonChannelDefaults {
  readonly requestTimeoutMs: number;
  readonly ackTimeoutMs: number;
  readonly maxUnacked: number;
  readonly maxMessageBytes: number;
  readonly dedupeWindow: number;
}

/**
 * The `JsonChannel` options' defaults, frozen (`encode` and `decode` default to `encodeEnvelope`
 * and `safeJsonParse`).
 *
 * @example new JsonChannel(socket, { requestTimeoutMs: CHANNEL_DEFAULTS.requestTimeoutMs * 2 });
 */
export const CHANNEL_DEFAULTS: JsonChannelDefaults = /* @__PURE__ */ Object.freeze({
  requestTimeoutMs: 30_000,
  ackTimeoutMs: 0,
  maxUnacked: 1000,
  maxMessageBytes: 1 << 20,
  dedupeWindow: 1000,
});
