// The connection: one SteadySocket for the page's lifetime, and the JSON channel on it.
import { SteadySocket } from 'steadysocket';
import { JsonChannel } from 'steadysocket/json';
import { HIGH_WATER, LIMITS, LOW_WATER, PING, PONG, type Answers, type DemoConfig, type In, type Out } from './protocol';

/** Who the page is to the server, kept across reconnects; read by the URL function before every attempt. */
export interface Resume {
  /** The token `join` answered with; the server binds the new connection to it before the first frame. */
  session?: string;
  /** The last line the page has, so the server sends what came after it. */
  lastSeq: number;
}

export type Channel = JsonChannel<In, Out, Answers>;

export function connect(config: DemoConfig, resume: Resume): { socket: SteadySocket; channel: Channel } {
  // A function, not a string: called before every attempt, so each reconnect carries the current session and position.
  const url = () => {
    const next = new URL(config.wsUrl, location.href);
    if (resume.session) {
      next.searchParams.set('session', resume.session);
      next.searchParams.set('since', String(resume.lastSeq));
    }
    return next;
  };
  const socket = new SteadySocket(url, undefined, {
    // Short delays: the demo's faults last seconds, and the dashboard should show several retries, not one long wait.
    reconnect: { initialDelayMs: 500, maxDelayMs: 4000 },
    connectTimeoutMs: 5000,
    // A black-holed link is noticed within 2 + 5 s. A ping waits behind everything buffered (megabytes, counting
    // the kernel's socket buffers), but during a flood the server's progress reports arrive, and any inbound
    // message counts as a sign of life: the heartbeat does not mistake a busy link for a dead one.
    heartbeat: { intervalMs: 2000, timeoutMs: 5000, message: PING, isPong: (data) => data === PONG },
    highWaterMark: HIGH_WATER,
    lowWaterMark: LOW_WATER,
  });
  const channel: Channel = new JsonChannel<In, Out, Answers>(socket, { maxMessageBytes: LIMITS.maxMessageBytes });
  return { socket, channel };
}

/** The browser would refuse it anyway (mixed content), but say why instead of failing with a bare `error` event. */
export function mixedContent(wsUrl: string): string | null {
  const target = new URL(wsUrl, location.href);
  if (location.protocol === 'https:' && target.protocol === 'ws:')
    return `This page is served over https but the chat URL is ${target.protocol}//${target.host}: the browser blocks unencrypted WebSockets from secure pages. Use wss://.`;
  return null;
}
