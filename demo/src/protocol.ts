// The chat's messages on top of the JSON envelope (PROTOCOL.md), as the server (demo/chat-server.mjs) speaks them.

/** One line of the room's history; `seq` orders them and lets a reconnecting page ask for what it missed. */
export interface Line {
  seq: number;
  t: number;
  kind: 'chat' | 'system';
  from?: string;
  text: string;
  /** The sender's own id for the message, so its page can match the broadcast to what it is still showing as pending. */
  cid?: string;
}

export interface User {
  name: string;
  online: boolean;
}

/** Server to page. */
export type In = {
  line: Line;
  presence: { users: User[] };
  notice: { code: string; text: string };
  session: { ok: false; reason: string };
  flood: { bytes: number; frames: number };
};

/** Page to server: `join` is a request, `chat` an acked message, `flood` a plain event. */
export type Out = {
  join: { name: string };
  chat: { text: string; cid: string };
  flood: string;
};

export type Answers = {
  join: { name: string; session: string; history: Line[] };
};

/** What /config.json says (served by demo/server.mjs). */
export interface DemoConfig {
  wsUrl: string;
}

/** Heartbeat frames: the server answers PING with PONG (before any other processing). */
export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';

/** The chat's limits, the same object the server enforces (demo/limits.mjs); the page checks first. */
export { LIMITS } from '../limits.mjs';

/** Flow control marks, small so that a throttled link shows them on the chart within seconds. */
export const HIGH_WATER = 128 * 1024;
export const LOW_WATER = 32 * 1024;
