// Debian's Chromium, driven by playwright-core: never a browser that a test tool downloads (DESIGN.md §9).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** `apt-get install chromium` puts it here. */
export const chromiumPath = '/usr/bin/chromium';

/**
 * The flags of DESIGN.md §9: headless with WebGL (MapLibre's 3D extrusions) rendered in software by
 * SwiftShader, as these machines have no GPU; without the networking flags Chromium keeps trying to
 * reach hosts it cannot reach. The fresh --user-data-dir is the folder given to launchPersistentContext.
 */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The window every test and benchmark uses: a common laptop size, one device pixel per CSS pixel. */
export const viewport = { width: 1280, height: 800 };

/**
 * Starts Chromium with a fresh profile folder and returns its one browser context; `close` stops the
 * browser and removes the profile. Uncaught page errors and Content-Security-Policy refusals are
 * collected in `problems`, which the tests assert empty: both are bugs a visitor would meet.
 * @param {{ locale?: string }} [options]
 */
export async function openBrowser(options = {}) {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's Chromium (apt-get install -y chromium).`);
  }

  const profile = await mkdtemp(path.join(tmpdir(), 'tweeling-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    viewport,
    deviceScaleFactor: 1,
    locale: options.locale ?? 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
  });
  const problems = [];
  const watch = (page) => {
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
        problems.push(`CSP refusal: ${message.text()}`);
      }
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? await context.newPage();

  return {
    context,
    page,
    problems,
    /** The profile folder, which the browser's process names in its command line (`--user-data-dir`). */
    profile,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
