// The demo page: a chat on SteadySocket + JsonChannel, and a dashboard of what the socket does while the buttons
// break the network under it. See demo/README-section.md.
import { createChart } from './chart';
import { createChat } from './chat';
import { createDashboard } from './dashboard';
import { $ } from './dom';
import { createFaults } from './faults';
import { createFlood } from './flood';
import { connect, mixedContent, type Resume } from './net';
import type { DemoConfig } from './protocol';
import './style.css';

async function main(): Promise<void> {
  const config = (await (await fetch('/config.json', { cache: 'no-store' })).json()) as DemoConfig;
  $('ws-url').textContent = config.wsUrl;
  const warning = mixedContent(config.wsUrl);
  if (warning) {
    $('warning').textContent = warning;
    $('warning').hidden = false;
  }
  const resume: Resume = { lastSeq: 0 };
  const { socket, channel } = connect(config, resume);
  const dashboard = createDashboard(socket, channel);
  createChart($<HTMLCanvasElement>('chart'), socket, dashboard.phase);
  createChat(channel, resume, dashboard);
  createFaults(socket, dashboard);
  createFlood(socket, channel, dashboard);
}

main().catch((error) => {
  $('warning').textContent = `The demo could not start: ${String(error)}. Is \`npm run demo\` running?`;
  $('warning').hidden = false;
});
