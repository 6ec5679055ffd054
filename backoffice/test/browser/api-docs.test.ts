/**
 * The API docs page in Chromium, under the back office's real CSP (helmet): Swagger UI loads from our own
 * static files, reads /api/openapi.json and shows every module's operations, with no CSP violation or
 * script error in the console.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@tpv/runtime/testing/chromium';
import { engines, startHarness, type Harness } from '../support/harness';

let h: Harness & { teardown: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  h = await startHarness(engines[0]!);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.teardown();
});

it('renders the operations of every documented module without console errors', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${h.url}/api/docs`);
  // Tags start folded (docExpansion 'none'): every module's tag is there; opening three shows their operations.
  await page.locator('.opblock-tag').first().waitFor({ timeout: 90_000 });
  for (const tag of ['platform', 'terminals', 'review']) await page.locator(`.opblock-tag[data-tag="${tag}"]`).click();
  await expect.poll(() => page.locator('.opblock-summary-path').allTextContents(), { timeout: 60_000 }).toEqual(expect.arrayContaining(['/health', '/api/review/{id}/accept', '/api/pairing']));
  for (const tag of ['platform', 'terminals', 'review', 'stock', 'reports', 'purchasing', 'replenishment', 'restocking', 'quality']) expect(await page.locator(`.opblock-tag[data-tag="${tag}"]`).count(), tag).toBe(1);
  expect(problems).toEqual([]);
});
