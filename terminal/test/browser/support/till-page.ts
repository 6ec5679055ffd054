/**
 * The cashier screen in Chromium for browser tests: a page on a seeded terminal service with the wedge
 * scanner timing widened for CDP key events, console errors collected, and the helpers every till test
 * uses (find by test id, wait for a text, type a PIN, save a screenshot, sell one item for cash).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import type { SeededTerminal } from './seeded-terminal';

export interface TillPage {
  page: Page;
  /** Errors the page logged or threw (a test can assert there were none). */
  consoleErrors: string[];
  byTest(id: string): Locator;
  /** Waits until the element's text contains `text` (the screen answers asynchronously); fails with the service output. */
  see(locator: Locator, text: string, timeout?: number): Promise<void>;
  /** Waits until exactly n elements match the selector. */
  countOf(selector: string, n: number): Promise<void>;
  /** Taps the PIN digits on a PIN pad, then "Entrar" / "Sign in". */
  typePin(pad: Locator, pin: string): Promise<void>;
  /** A keyboard-wedge scanner: the code as a burst of key presses, then Enter. */
  wedgeScan(code: string): Promise<void>;
  /** Saves test-results/screenshots/<name>.png. */
  shot(name: string): Promise<unknown>;
  /** Polls a condition of the test's own world (virtual devices…), failing with the service output. */
  until(what: string, cond: () => boolean, ms?: number): Promise<void>;
}

export async function openTillPage(browser: Browser, terminal: Pick<SeededTerminal, 'url' | 'output'>): Promise<TillPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(30_000);
  // Wedge bursts here are CDP key events: allow 150 ms between keys so a busy CI machine (all test tiers
  // run at once) cannot split a scan; real tills keep the 50 ms default.
  await page.addInitScript(() => localStorage.setItem('tpv.scanner', JSON.stringify({ maxGapMs: 150 })));
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(terminal.url);

  const byTest = (id: string) => page.getByTestId(id);
  return {
    page,
    consoleErrors,
    byTest,
    async see(locator, text, timeout = 30_000) {
      try {
        await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
      } catch {
        const actual = await locator.first().textContent().catch(() => null);
        throw new Error(`expected ${locator} to show "${text}", it shows ${JSON.stringify(actual)}\n--- service output ---\n${terminal.output().slice(-3000)}`);
      }
    },
    async countOf(selector, n) {
      await page.waitForFunction(([s, k]) => document.querySelectorAll(s as string).length === k, [selector, n] as const, { timeout: 30_000 });
    },
    async typePin(pad, pin) {
      for (const d of pin) await pad.getByRole('button', { name: d, exact: true }).click();
      await pad.getByRole('button', { name: /Entrar|Sign in/ }).click();
    },
    async wedgeScan(code) {
      // A wedge scanner types its whole burst within a few milliseconds. CDP key events on a loaded machine arrived
      // further apart than any scanner (and than the gap allowed above), splitting scans, so the burst is
      // dispatched in one go in the page, to the focused element, through the same keydown listener a scanner
      // reaches. Human typing (keys far apart) is still typed through the keyboard by the tests that check it.
      await page.evaluate((c) => {
        const target = document.activeElement ?? document.body;
        for (const key of [...c, 'Enter']) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      }, code);
    },
    shot: (name) => page.screenshot({ path: screenshotPath(name) }),
    async until(what, cond, ms = 30_000) {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${terminal.output().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
