// @ts-check
// The chat's limits, one definition for both sides: the server enforces them (chat-guard.mjs, chat-server.mjs) and
// the page checks first (src/protocol.ts), so the user hears why instead of getting a BAD_REQUEST.
export const LIMITS = {
  /** ws `maxPayload` on the server: a larger frame closes the connection with 1009. */
  maxPayload: 64 * 1024,
  nameLength: 24,
  textLength: 500,
  /** One flood frame's payload, in characters. */
  floodChunk: 16 * 1024,
  /** The page's JsonChannel `maxMessageBytes`: under `maxPayload`, so the page can never get itself closed with 1009. */
  maxMessageBytes: 32 * 1024,
};
