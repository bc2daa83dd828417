// @ts-check
// Facts about the machine's browsers, shared by setup.mjs (plain node, runs before `npm ci`, so no npm imports
// here) and browsers.mjs (which decides, per engine, between Playwright's own build and Debian's).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const multiarch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';

/** Debian packages the system route needs (setup.mjs installs exactly these). */
export const APT_PACKAGES = ['chromium', 'firefox-esr', 'libwebkit2gtk-4.1-0', 'xvfb', 'xauth', 'fonts-liberation'];
/** Only to build the WebKitGTK preload library, when gcc is missing. */
export const APT_BUILD_PACKAGES = ['gcc', 'libc6-dev'];

/** Debian's browsers, and the package each comes from. */
export const SYSTEM = {
  chromium: { path: '/usr/bin/chromium', pkg: 'chromium' },
  firefox: { path: '/usr/lib/firefox-esr/firefox-esr', pkg: 'firefox-esr' },
  minibrowser: {
    path: process.env.WEBKITGTK_MINIBROWSER || `/usr/lib/${multiarch}/webkit2gtk-4.1/MiniBrowser`,
    pkg: 'libwebkit2gtk-4.1-0',
  },
  xvfb: { path: '/usr/bin/Xvfb', pkg: 'xvfb' },
};

/** LD_PRELOAD library lifting libsoup's 128 KiB inspector message limit (see soup-ws-unlimit.c). */
export const PRELOAD = {
  source: path.join(here, 'soup-ws-unlimit.c'),
  library: path.join(here, '..', '.cache', 'soup-ws-unlimit.so'),
};

/** Set E2E_BROWSERS=system to use Debian's browsers even where Playwright's own are installed. */
export const forceSystem = () => process.env.E2E_BROWSERS === 'system';

/** @param {string} file */
export const isExecutable = (file) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** MiniBrowser opens a real window: it needs $DISPLAY or an Xvfb to start. */
export const needsXvfb = () => !process.env.DISPLAY;

export function preloadIsFresh() {
  try {
    return fs.statSync(PRELOAD.library).mtimeMs >= fs.statSync(PRELOAD.source).mtimeMs;
  } catch {
    return false;
  }
}

/**
 * Build the preload library (atomically: a half-written .so must never be preloaded). Returns its path.
 * @param {{ force?: boolean }} [options]
 */
export function buildPreload(options = {}) {
  if (!options.force && preloadIsFresh()) return PRELOAD.library;
  fs.mkdirSync(path.dirname(PRELOAD.library), { recursive: true });
  const tmp = `${PRELOAD.library}.${process.pid}.tmp`;
  try {
    execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-o', tmp, PRELOAD.source, '-ldl'], { stdio: 'pipe' });
    fs.renameSync(tmp, PRELOAD.library);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return PRELOAD.library;
}
