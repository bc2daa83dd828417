// A live chart of the last minute, drawn by hand on a canvas: bufferedAmount (area, left axis, with the high- and
// low-water marks), heartbeat round-trip times (dots and line, right axis) and the connection state behind them.
import type { SteadySocket } from 'steadysocket';
import type { Phase } from './dashboard';
import { bytes } from './dom';
import { HIGH_WATER, LOW_WATER } from './protocol';

const WINDOW_MS = 60_000;
const EVERY_MS = 250;
const BAND: Record<Phase, string> = {
  open: 'rgba(46, 160, 67, 0.10)',
  connecting: 'rgba(219, 154, 4, 0.28)',
  waiting: 'rgba(219, 154, 4, 0.18)',
  closing: 'rgba(207, 34, 46, 0.18)',
  closed: 'rgba(207, 34, 46, 0.25)',
};
const BUFFER = '#0969da';
const RTT = '#d4561c';
const INK = '#57606a';

interface Sample {
  t: number;
  buffered: number;
  phase: Phase;
}

export function createChart(canvas: HTMLCanvasElement, socket: SteadySocket, phase: () => Phase): void {
  const samples: Sample[] = [];
  const started = performance.now();
  const rtts: { t: number; ms: number }[] = [];
  socket.addEventListener('heartbeat', (e) => rtts.push({ t: performance.now(), ms: e.rttMs }));

  const ctx = canvas.getContext('2d')!;
  let width = 0;
  let height = 0;
  const fit = () => {
    const ratio = window.devicePixelRatio || 1;
    width = canvas.clientWidth;
    height = canvas.clientHeight;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  };
  new ResizeObserver(fit).observe(canvas);
  fit();

  function draw(now: number): void {
    const pad = { left: 56, right: 48, top: 22, bottom: 18 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    if (w <= 0 || h <= 0) return;
    // The page's age, up to a minute: a fresh page fills the chart instead of drawing into its last sliver.
    const span = Math.min(WINDOW_MS, Math.max(10_000, now - started));
    const x = (t: number) => pad.left + w - ((now - t) / span) * w;
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';

    // State bands: one rectangle per sample, so reconnects show as amber stripes across the chart.
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      const right = i + 1 < samples.length ? x(samples[i + 1]!.t) : x(now);
      ctx.fillStyle = BAND[s.phase];
      ctx.fillRect(Math.max(pad.left, x(s.t)), pad.top, right - Math.max(pad.left, x(s.t)), h);
    }

    // bufferedAmount: the scale always shows the high-water mark, so "held under it" is visible at a glance.
    const maxBuffered = Math.max(HIGH_WATER * 1.25, ...samples.map((s) => s.buffered * 1.1));
    const yb = (v: number) => pad.top + h - (v / maxBuffered) * h;
    ctx.beginPath();
    ctx.moveTo(x(samples[0]?.t ?? now), yb(0));
    for (const s of samples) ctx.lineTo(x(s.t), yb(s.buffered));
    ctx.lineTo(x(samples.at(-1)?.t ?? now), yb(0));
    ctx.closePath();
    ctx.fillStyle = 'rgba(9, 105, 218, 0.25)';
    ctx.fill();
    ctx.strokeStyle = BUFFER;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    for (const [mark, label] of [[HIGH_WATER, 'high water'], [LOW_WATER, 'low water']] as const) {
      ctx.setLineDash([4, 4]);
      ctx.strokeStyle = BUFFER;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(pad.left, yb(mark));
      ctx.lineTo(pad.left + w, yb(mark));
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = BUFFER;
      ctx.textAlign = 'left';
      ctx.fillText(label, pad.left + 4, yb(mark) - 3);
    }

    // RTT: dots where a pong arrived, joined by a line.
    const visible = rtts.filter((r) => now - r.t <= span);
    const maxRtt = Math.max(20, ...visible.map((r) => r.ms * 1.25));
    const yr = (ms: number) => pad.top + h - (ms / maxRtt) * h;
    ctx.strokeStyle = RTT;
    ctx.fillStyle = RTT;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    visible.forEach((r, i) => (i ? ctx.lineTo(x(r.t), yr(r.ms)) : ctx.moveTo(x(r.t), yr(r.ms))));
    ctx.stroke();
    for (const r of visible) {
      ctx.beginPath();
      ctx.arc(x(r.t), yr(r.ms), 2.5, 0, Math.PI * 2);
      ctx.fill();
    }

    // Axes and legend.
    ctx.strokeStyle = '#d0d7de';
    ctx.strokeRect(pad.left, pad.top, w, h);
    ctx.textAlign = 'right';
    ctx.fillStyle = BUFFER;
    ctx.fillText(bytes(Math.round(maxBuffered)), pad.left - 4, pad.top + 8);
    ctx.fillText('0', pad.left - 4, pad.top + h);
    ctx.textAlign = 'left';
    ctx.fillStyle = RTT;
    ctx.fillText(`${Math.round(maxRtt)} ms`, pad.left + w + 4, pad.top + 8);
    ctx.fillText('0', pad.left + w + 4, pad.top + h);
    ctx.fillStyle = INK;
    ctx.fillText(`−${Math.round(span / 1000)} s`, pad.left, height - 4);
    ctx.textAlign = 'right';
    ctx.fillText('now', pad.left + w, height - 4);
    ctx.textAlign = 'left';
    let lx = pad.left;
    for (const [color, label] of [[BUFFER, 'bufferedAmount'], [RTT, 'heartbeat RTT'], [BAND.connecting, 'reconnecting'], [BAND.closed, 'closed']]) {
      ctx.fillStyle = color!;
      ctx.fillRect(lx, 6, 10, 10);
      ctx.fillStyle = INK;
      ctx.fillText(label!, lx + 14, 15);
      lx += ctx.measureText(label!).width + 28;
    }
  }

  setInterval(() => {
    const now = performance.now();
    samples.push({ t: now, buffered: socket.bufferedAmount, phase: phase() });
    while (samples.length && now - samples[0]!.t > WINDOW_MS + EVERY_MS) samples.shift();
    while (rtts.length && now - rtts[0]!.t > WINDOW_MS) rtts.shift();
    draw(now);
  }, EVERY_MS);
}
