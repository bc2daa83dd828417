// @ts-check
// `npm run demo`: the chat server behind the fault proxy (demo/server.mjs) and Vite's dev server for the page, all
// on 127.0.0.1. Prints the URL to open; Ctrl-C stops everything.
//
// Ports (override with environment variables):
//   DEMO_PORT         5173  the page (Vite)
//   DEMO_SERVER_PORT  8787  chat server's HTTP side: control API, /config.json, dist/
//   DEMO_PROXY_PORT   8788  the fault proxy the page's WebSocket goes through
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createServer } from 'vite';
import { DIST_DIR, startDemo } from './server.mjs';
import { demoConfig } from './vite.config.mjs';

const host = '127.0.0.1';
const port = envPort('DEMO_PORT', 5173);
const serverPort = envPort('DEMO_SERVER_PORT', 8787);
const proxyPort = envPort('DEMO_PROXY_PORT', 8788);

// The chat page needs no build (Vite compiles src/ on the fly); only embed.html loads the <script> builds.
if (!['steadysocket.iife.js', 'json.iife.js'].every((file) => fs.existsSync(path.join(DIST_DIR, file)))) {
  console.log('dist/ has no <script> builds yet (embed.html needs them): running `npm run build`…');
  const built = spawnSync('npm', ['run', 'build'], { cwd: path.dirname(DIST_DIR), stdio: 'inherit' });
  if (built.status !== 0) console.warn('The build failed; the chat works anyway, embed.html will say what is missing.');
}

const pageOrigin = `http://${host}:${port}`;
const demo = await startDemo({ host, port: serverPort, proxyPort, origins: [pageOrigin] }).catch((e) => fail(e, 'DEMO_SERVER_PORT / DEMO_PROXY_PORT'));
const target = demo.baseUrl;
const vite = await createServer({
  ...demoConfig,
  configFile: false,
  clearScreen: false,
  logLevel: 'info',
  server: {
    ...demoConfig.server,
    host,
    port,
    // The chat only accepts the origin it was told; a silently different port would be refused.
    strictPort: true,
    // Same origin for the page: the control API, the WebSocket address, and the <script> build.
    proxy: { '/control': target, '/config.json': target, '/dist': target },
  },
}).catch((e) => fail(e));
await vite.listen().catch((e) => fail(e, 'DEMO_PORT'));

console.log(`
  steadysocket demo

  Open      ${pageOrigin}/
  Two users ${pageOrigin}/duo.html
  Embed     ${pageOrigin}/embed.html   (<script> build and a Worker)

  chat WebSocket ${demo.wsUrl} (through the fault proxy; direct: ${demo.harness.directWsUrl('/chat')})
  control API    ${target}/control/…

  Ctrl-C to stop.
`);

let stopping = false;
async function stop() {
  if (stopping) process.exit(1); // a second Ctrl-C: do not wait
  stopping = true;
  console.log('\nStopping…');
  await Promise.allSettled([vite.close(), demo.close()]);
  // Everything is closed; this only guards against a straggling handle keeping the terminal hostage.
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

/** @param {string} name @param {number} fallback */
function envPort(name, fallback) {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) fail(new Error(`${name}=${raw} is not a port number`));
  return value;
}

/** @param {unknown} error @param {string} [ports] @returns {never} */
function fail(error, ports) {
  const e = /** @type {NodeJS.ErrnoException} */ (error);
  if (e?.code === 'EADDRINUSE' && ports) console.error(`A port is in use (${e.message}). Pick others with ${ports}=…`);
  else console.error(e?.stack ?? e);
  process.exit(1);
}
