// The connection dashboard: what the socket is doing now (state, attempt, countdown to the next retry), how much
// waits to be sent, counters, and a timeline of every event. Everything here comes from SteadySocket's and
// JsonChannel's events and getters; nothing is inferred from the UI.
import { SteadySocket } from 'steadysocket';
import { $, bytes, el } from './dom';
import type { Channel } from './net';

/** What the state badge shows: readyState, with CONNECTING split into "waiting to retry" and "connecting now". */
export type Phase = 'connecting' | 'waiting' | 'open' | 'closing' | 'closed';

export interface Counters {
  opens: number;
  drops: number;
  reconnects: number;
  timeouts: number;
  dropped: number;
  acks: number;
}

export interface Dashboard {
  /** Adds a line to the timeline. */
  log(kind: string, text: string): void;
  count(name: keyof Counters): void;
  phase(): Phase;
}

const MAX_TIMELINE = 80;

export function createDashboard(socket: SteadySocket, channel: Channel): Dashboard {
  // What the socket counts itself is read from socket.stats; only what it cannot know is counted here.
  const counters: Counters = { opens: 0, drops: 0, reconnects: 0, timeouts: 0, dropped: 0, acks: 0 };
  let channelDrops = 0;
  const started = performance.now();
  let openedAt = 0;
  let gaveUp = '';
  const timeline = $('timeline');

  function log(kind: string, text: string): void {
    const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6, ' ');
    const item = el('li', `ev ev-${kind}`);
    item.append(el('time', '', `${seconds}s`), el('span', 'kind', kind), el('span', 'what', text));
    timeline.prepend(item);
    while (timeline.childElementCount > MAX_TIMELINE) timeline.lastElementChild!.remove();
  }

  socket.addEventListener('connecting', (e) => {
    gaveUp = '';
    log('connecting', e.attempt === 0 ? 'first attempt' : `retry #${e.attempt}`);
  });
  socket.addEventListener('open', () => {
    openedAt = performance.now();
    log('open', socket.stats.connectionsOpened === 1 ? 'connected' : 'reconnected');
  });
  socket.addEventListener('close', (e) => {
    log('close', `${e.code}${e.reason ? ` "${e.reason}"` : ''}${e.wasClean ? '' : ', not clean'}`);
  });
  socket.addEventListener('reconnect', (e) => {
    log('reconnect', `retry #${e.attempt} in ${Math.round(e.delayMs)} ms`);
  });
  socket.addEventListener('error', (e) => {
    if (e.error?.code === 'HEARTBEAT_TIMEOUT') counters.timeouts++;
    log('error', e.error ? `${e.error.code}: ${e.error.message}` : 'the browser reported an error (no details, by design)');
  });
  socket.addEventListener('giveup', (e) => {
    gaveUp = `${e.reason === 'policy' ? 'not retried' : 'out of retries'} after close ${e.closeEvent.code}`;
    log('giveup', gaveUp);
  });
  socket.addEventListener('drop', (e) => {
    log('drop', `a queued message was dropped (${e.reason})`);
  });
  channel.addEventListener('invalid', (e) => log('invalid', `frame skipped: ${e.reason}`));
  channel.addEventListener('error', (e) => log('error', `handler: ${String(e.error)}`));
  channel.addEventListener('drop', () => {
    channelDrops++;
    log('drop', 'too many messages waiting for an ack');
  });

  function phase(): Phase {
    switch (socket.readyState) {
      case SteadySocket.OPEN: return 'open';
      case SteadySocket.CLOSING: return 'closing';
      case SteadySocket.CLOSED: return 'closed';
      default: return (socket.stats.nextRetryAt ?? 0) > performance.now() ? 'waiting' : 'connecting';
    }
  }

  const state = $('state');
  const detail = $('state-detail');
  const fields = Object.fromEntries(
    ['buffered', 'pending', ...Object.keys(counters)].map((name) => [name, $(`stat-${name}`)]),
  );

  function render(): void {
    const now = performance.now();
    const stats = socket.stats;
    const { attempt } = stats;
    const retryAt = stats.nextRetryAt ?? 0;
    const sum = (counts: Readonly<Record<string, number | undefined>>) => Object.values(counts).reduce((n: number, c) => n + (c ?? 0), 0);
    counters.opens = stats.connectionsOpened;
    counters.drops = sum(stats.closes) - (socket.readyState === SteadySocket.CLOSED ? 1 : 0); // closes that were retried
    counters.reconnects = stats.retries;
    counters.dropped = sum(stats.drops) + channelDrops;
    const p = phase();
    state.dataset.state = p;
    state.textContent = p === 'waiting' ? 'WAITING' : p.toUpperCase();
    if (p === 'open') {
      const rtt = socket.rttMs === undefined ? '' : ` · RTT ${socket.rttMs.toFixed(0)} ms`;
      detail.textContent = `connected for ${((now - openedAt) / 1000).toFixed(0)} s${rtt}`;
    } else if (p === 'waiting') detail.textContent = `retry #${attempt} in ${((retryAt - now) / 1000).toFixed(1)} s`;
    else if (p === 'connecting') detail.textContent = attempt === 0 ? 'connecting' : `attempt #${attempt}`;
    else if (p === 'closed') detail.textContent = gaveUp ? `gave up: ${gaveUp}. Press Reconnect.` : 'closed';
    else detail.textContent = 'closing';
    fields.buffered!.textContent = bytes(socket.bufferedAmount);
    fields.pending!.textContent = String(channel.pendingCount);
    for (const [name, value] of Object.entries(counters)) fields[name]!.textContent = String(value);
  }
  setInterval(render, 100);
  render();

  return { log, count: (name) => void counters[name]++, phase };
}
