// The fault buttons: each one calls the test harness's control API (harness/server/control.mjs), which drives the TCP
// proxy between this page and the server, or the server itself. The page only watches what its socket does about it.
import type { SteadySocket } from 'steadysocket';
import type { Dashboard } from './dashboard';
import { $ } from './dom';

type Params = Record<string, string | number>;

export function createFaults(socket: SteadySocket, dashboard: Dashboard): void {
  const status = $('fault-status');
  const value = (id: string) => $<HTMLInputElement | HTMLSelectElement>(id).value;

  async function control(label: string, path: string, params: Params = {}): Promise<void> {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    status.textContent = `${label}…`;
    dashboard.log('fault', label);
    try {
      const res = await fetch(`/control/${path}?${query}`, { method: 'POST' });
      const body = await res.json();
      status.textContent = body.ok ? `${label}: done` : `${label}: ${body.error}`;
    } catch {
      // While the server restarts, its HTTP side (this API included) is down too.
      status.textContent = `${label}: the control API did not answer (is the server restarting?)`;
    }
  }

  const on = (id: string, handler: () => void) => $(id).addEventListener('click', handler);
  on('do-reset', () => void control('reset every connection', 'proxy/reset'));
  on('do-blackhole', () => {
    const seconds = Number(value('blackhole-seconds')) || 10;
    void control(`black hole for ${seconds} s`, 'proxy/blackhole', { ms: seconds * 1000 });
  });
  on('do-restart', () => {
    const seconds = Number(value('restart-seconds')) || 3;
    void control(`restart the server (down ${seconds} s)`, 'server/restart', { downMs: seconds * 1000 });
  });
  on('do-close', () => {
    const code = Number(value('close-code'));
    void control(`server closes with ${code}`, 'server/close', { code, reason: value('close-reason') });
  });
  on('do-clear', () => void control('clear every fault', 'clear-faults'));
  $('throttle').addEventListener('change', () => {
    const bps = Number(value('throttle'));
    void control(bps ? `throttle the upload to ${bps / 1000} kB/s` : 'stop throttling', 'proxy/throttle', { bps });
  });
  // Not a fault: cuts a backoff wait short, and is the way back after the socket gave up (e.g. after close 1008).
  on('do-reconnect', () => {
    dashboard.log('reconnect', 'reconnect() called');
    socket.reconnect();
  });
}
