import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; this machine has no network, so none of Playwright's own browser downloads. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium with the flags this workplace needs (no background traffic to the closed network).
 * Playwright gives each launch its own throw-away profile (it refuses `--user-data-dir` in `launch()`).
 */
export async function launchChromium(): Promise<Browser & { cleanup(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return Object.assign(browser, { cleanup: () => browser.close() });
}

/** Where browser tests save their screenshots (kept after the run for people to look at). */
export function screenshotPath(name: string): string {
  const dir = path.resolve(import.meta.dirname, '../../../test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
