// Which browser each Playwright project runs, decided when the config loads:
//   1. Playwright's own build, when `npx playwright install` put it on this machine (developer laptops);
//   2. otherwise Debian's: chromium, firefox-esr (through WebDriver BiDi), WebKitGTK's MiniBrowser (through its
//      remote inspector, see webkitgtk.ts). CI and these dev boxes cannot download browsers, so this is the norm.
// A browser that is found nowhere does not skip its tests: the project's browser fixture throws `error` and every
// test of that project fails with it.
import fs from 'node:fs';
import { chromium, firefox, webkit, type LaunchOptions } from 'playwright-core';
import { SYSTEM, forceSystem, isExecutable, needsXvfb } from './browser-env.mjs';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export type Engine =
  /** Playwright's own browser build: plain `browserType.launch(launch)`. */
  | { name: EngineName; route: 'playwright'; launch: LaunchOptions; label: string }
  /** Debian's chromium, or Debian's firefox-esr over WebDriver BiDi (channel 'moz-firefox'). */
  | { name: 'chromium' | 'firefox'; route: 'debian'; launch: LaunchOptions; label: string }
  /** Debian's WebKitGTK MiniBrowser, driven over its remote inspector. */
  | { name: 'webkit'; route: 'webkitgtk'; minibrowser: string; label: string }
  | { name: EngineName; route: 'missing'; error: string; label: string };

const SETUP = 'node harness/browsers/setup.mjs';

/** Playwright's own executable for `name`, if it is installed. */
function playwrightBuild(name: EngineName): string | null {
  if (forceSystem()) return null;
  const types = { chromium, firefox, webkit };
  try {
    const file = types[name].executablePath();
    return file && fs.existsSync(file) ? file : null;
  } catch {
    return null; // playwright-core throws for browsers it has no build of on this platform
  }
}

function missing(name: EngineName, debianPart: string): Engine {
  return {
    name,
    route: 'missing',
    label: `${name}: not installed`,
    error:
      `No ${name} browser on this machine: Playwright's own build is not installed ` +
      `and ${debianPart}. Install it with \`${SETUP}\` (as root; it runs apt-get), ` +
      `or \`npx playwright install ${name}\` where browser downloads work.`,
  };
}

export function resolveChromium(): Engine {
  const own = playwrightBuild('chromium');
  if (own) return { name: 'chromium', route: 'playwright', launch: { executablePath: own }, label: `Playwright chromium (${own})` };
  const { path, pkg } = SYSTEM.chromium;
  if (!isExecutable(path)) return missing('chromium', `Debian's \`${pkg}\` package is not (${path} missing)`);
  // Playwright adds --no-sandbox itself (root has no usable sandbox); no GPU on these machines.
  return { name: 'chromium', route: 'debian', launch: { executablePath: path, args: ['--disable-gpu'] }, label: `Debian chromium (${path})` };
}

export function resolveFirefox(): Engine {
  const own = playwrightBuild('firefox');
  if (own) return { name: 'firefox', route: 'playwright', launch: { executablePath: own }, label: `Playwright firefox (${own})` };
  const { path, pkg } = SYSTEM.firefox;
  if (!isExecutable(path)) return missing('firefox', `Debian's \`${pkg}\` package is not (${path} missing)`);
  // Stock Firefox has no Juggler; Playwright's 'moz-firefox' channel speaks WebDriver BiDi to it instead.
  return {
    name: 'firefox',
    route: 'debian',
    launch: { executablePath: path, channel: 'moz-firefox' },
    label: `Debian firefox-esr over WebDriver BiDi (${path})`,
  };
}

export function resolveWebKit(): Engine {
  const own = playwrightBuild('webkit');
  if (own) return { name: 'webkit', route: 'playwright', launch: { executablePath: own }, label: `Playwright webkit (${own})` };
  const lacking: string[] = [];
  if (!isExecutable(SYSTEM.minibrowser.path)) lacking.push(`\`${SYSTEM.minibrowser.pkg}\` (${SYSTEM.minibrowser.path})`);
  if (needsXvfb() && !isExecutable(SYSTEM.xvfb.path)) lacking.push(`\`${SYSTEM.xvfb.pkg}\` (${SYSTEM.xvfb.path}; DISPLAY is unset)`);
  if (lacking.length) return missing('webkit', `Debian's WebKitGTK route lacks ${lacking.join(' and ')}`);
  return {
    name: 'webkit',
    route: 'webkitgtk',
    minibrowser: SYSTEM.minibrowser.path,
    label: `Debian WebKitGTK MiniBrowser over its inspector (${SYSTEM.minibrowser.path})`,
  };
}

export function resolveEngines(): Record<EngineName, Engine> {
  return { chromium: resolveChromium(), firefox: resolveFirefox(), webkit: resolveWebKit() };
}
