// The flood button: 8 MiB as 16 KiB frames, written to `socket.writable`. Each write waits while the socket's
// buffer is over its high-water mark, so bufferedAmount stays near the mark instead of growing to 8 MiB. Why so
// much: on loopback the kernel's socket buffers take the first ~4 MiB at once, and only then does the link (the
// throttle, or the server's 1 MiB/s read limit) push back. The server counts what it gets and reports it back.
// `?flood=<bytes>` in the page's URL changes the amount.
import type { SteadySocket } from 'steadysocket';
import type { Dashboard } from './dashboard';
import { $, bytes } from './dom';
import type { Channel } from './net';
import { LIMITS } from './protocol';

const TOTAL = Number(new URLSearchParams(location.search).get('flood')) || 8 * 1024 * 1024;

export function createFlood(socket: SteadySocket, channel: Channel, dashboard: Dashboard): void {
  const button = $<HTMLButtonElement>('do-flood');
  const out = $('flood-progress');
  // One frame, reused: the JSON envelope of a `flood` event, just under the server's limit for its payload.
  const frame = JSON.stringify({ type: 'flood', data: 'x'.repeat(LIMITS.floodChunk - 64) });
  let sent = 0;
  let peak = 0;
  let server = 0;
  let started = 0;
  let finished = 0;
  button.textContent = `Flood ${bytes(TOTAL)}`;

  function render(): void {
    const seconds = (((finished || performance.now()) - started) / 1000).toFixed(1);
    out.textContent = `sent ${bytes(sent)} of ${bytes(TOTAL)} in ${seconds} s · peak bufferedAmount ${bytes(peak)} · server got ${bytes(server)}`;
    Object.assign(out.dataset, { sent, peak, server, done: String(finished > 0) });
  }

  channel.on('flood', (data) => {
    server = data.bytes;
    if (started) render();
  });

  button.addEventListener('click', async () => {
    button.disabled = true;
    sent = peak = finished = 0;
    server = 0;
    started = performance.now();
    dashboard.log('flood', `sending ${bytes(TOTAL)}`);
    // A writer, released afterwards: `socket.writable` is one stream per socket, and closing it would end it for good.
    const writer = socket.writable.getWriter();
    try {
      while (sent < TOTAL) {
        await writer.write(frame); // resolves at once under the high-water mark, after drained() above it
        sent += frame.length;
        peak = Math.max(peak, socket.bufferedAmount);
        render();
      }
      await socket.drained();
      finished = performance.now();
      render();
      dashboard.log('flood', `done: ${bytes(sent)}, bufferedAmount peaked at ${bytes(peak)}`);
    } catch (error) {
      dashboard.log('flood', `stopped: ${String(error)}`);
    } finally {
      writer.releaseLock();
      button.disabled = false;
    }
  });
}
