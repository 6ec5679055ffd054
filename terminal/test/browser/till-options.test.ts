/**
 * The rest of the cashier screen on a real terminal service whose receipt printer is unreachable: the
 * printer banner, the English catalogue, a weighed quick key, quantity, a voided line and a ticket discount
 * over the cashier's limit (supervisor PIN, a wrong one first), a customer with voucher + on-account
 * payment, a blind close short of cash (supervisor), and the PIN rate limit on the lock screen.
 * Screenshots: test-results/screenshots/till-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { freePort } from '@tpv/runtime/testing/ports';
import { launchChromium, screenshotPath } from '@tpv/runtime/testing/chromium';
import { startSeededTerminal, type SeededTerminal } from './support/seeded-terminal';

let terminal: SeededTerminal;
let browser: Browser & { cleanup(): Promise<void> };
let page: Page;
let cola: { code: string; price: number };

beforeAll(async () => {
  // Nothing listens on this port: the ESC/POS printer is "offline" from the start.
  const deadPrinter = await freePort();
  terminal = await startSeededTerminal({ env: { TPV_PRINTER: `tcp://127.0.0.1:${deadPrinter}` } });
  const f = terminal.franchise;
  const c = f.products.find((p) => !p.weighed && p.taxRateBp === 2100)!;
  cola = { code: c.barcodes[0]!, price: f.storePrices.find((p) => p.storeId === terminal.terminal.storeId && p.productId === c.id)!.priceCents };
  expect(cola.price).toBe(345);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  // Wedge bursts here are CDP key events: allow 150 ms between keys so a busy CI machine (all test tiers
  // run at once) cannot split a scan; real tills keep the 50 ms default.
  await page.addInitScript(() => localStorage.setItem('tpv.scanner', JSON.stringify({ maxGapMs: 150 })));
  await page.goto(terminal.url);
});

afterAll(async () => {
  await browser?.cleanup();
  await terminal?.stop();
});

const shot = (name: string) => page.screenshot({ path: screenshotPath(name) });
const byTest = (id: string) => page.getByTestId(id);

async function see(locator: Locator, text: string, timeout = 10_000): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
  } catch {
    const actual = await locator.first().textContent().catch(() => null);
    throw new Error(`expected ${locator} to show "${text}", it shows ${JSON.stringify(actual)}\n--- service output ---\n${terminal.output().slice(-3000)}`);
  }
}

async function countOf(selector: string, n: number): Promise<void> {
  await page.waitForFunction(([s, k]) => document.querySelectorAll(s as string).length === k, [selector, n] as const, { timeout: 10_000 });
}

async function typePin(pad: Locator, pin: string): Promise<void> {
  for (const d of pin) await pad.getByRole('button', { name: d, exact: true }).click();
  await pad.getByRole('button', { name: /Entrar|Sign in/ }).click();
}

describe('cashier screen: options, supervisors, English, printer offline', () => {
  it('warns that the printer is offline, already on the lock screen', async () => {
    await see(byTest('banner-printer'), 'sin conexión');
    await shot('till-01-printer-offline');
  });

  it('works in English: login, float, selling screen', async () => {
    await byTest('lang-switch').click();
    await see(byTest('lock-screen'), 'Till locked');
    await see(byTest('banner-printer'), 'offline');
    await typePin(byTest('pinpad'), '1111');
    await see(byTest('open-session-screen'), 'Open the till');
    await byTest('denominations').getByRole('button', { name: 'One more €20', exact: true }).click();
    await see(byTest('count-total'), '€20.00');
    await byTest('open-session').click();
    await byTest('sell-screen').waitFor();
    await see(byTest('action-pay'), 'Pay');
    await shot('till-02-sell-english');
    await byTest('lang-switch').click();
    await see(byTest('action-pay'), 'Cobrar');
  });

  it('keys a weighed article from a quick key, changes a quantity and voids a line with a supervisor', async () => {
    await byTest('product-key').filter({ hasText: 'Manzana golden' }).click();
    await byTest('weight-dialog').waitFor();
    await byTest('number-input').fill('1,250');
    await byTest('number-ok').click();
    await countOf('[data-testid=ticket-line]', 1);
    // 1,250 kg × 5,05 €/kg = 6,3125 → 6,31 €
    await see(byTest('line-total'), '6,31 €');
    await see(byTest('line-qty'), '1,250 kg');

    await page.keyboard.type(cola.code);
    await page.keyboard.press('Enter');
    await countOf('[data-testid=ticket-line]', 2);
    await byTest('action-qty').click();
    await byTest('number-input').fill('3');
    await byTest('number-ok').click();
    await see(byTest('ticket-line').nth(1).getByTestId('line-total'), '10,35 €');

    await byTest('ticket-line').nth(0).click();
    await byTest('action-void').click();
    await byTest('supervisor-prompt').waitFor();
    await typePin(byTest('supervisor-pinpad'), '1234');
    await see(byTest('supervisor-prompt').getByTestId('pin-error'), 'PIN de supervisor incorrecto');
    await shot('till-03-supervisor-wrong-pin');
    await typePin(byTest('supervisor-pinpad'), '2222');
    await byTest('supervisor-prompt').waitFor({ state: 'detached' });
    await countOf('[data-testid=ticket-line]', 1);
    await see(byTest('cart-total'), '10,35 €');
  });

  it('needs a supervisor for a 15 % ticket discount (the cashier may give 10 %)', async () => {
    await byTest('action-ticket-discount').click();
    await byTest('discount-input').fill('15');
    await byTest('discount-ok').click();
    await byTest('supervisor-prompt').waitFor();
    await see(byTest('supervisor-prompt'), 'supervisor');
    await typePin(byTest('supervisor-pinpad'), '2222');
    await byTest('supervisor-prompt').waitFor({ state: 'detached' });
    // 15 % of 10,35 € = 1,5525 → 1,55 €; 10,35 − 1,55 = 8,80 €
    await see(byTest('discount-total'), '-1,55 €');
    await see(byTest('cart-total'), '8,80 €');
  });

  it('attaches a customer and takes a voucher plus the rest on account', async () => {
    await byTest('action-customer').click();
    await byTest('customer-search').fill('Rincón');
    await byTest('customer-option').filter({ hasText: 'Bar El Rincón' }).click();
    await see(byTest('ticket-customer'), 'Bar El Rincón');

    await byTest('action-pay').click();
    await byTest('pay-method-voucher').click();
    await byTest('pay-amount').fill('2');
    await byTest('pay-reference').fill('VALE-0042');
    await byTest('pay-add').click();
    await see(byTest('pay-remaining'), '6,80 €');
    await byTest('pay-method-on_account').click();
    await byTest('pay-add').click();
    await see(byTest('pay-remaining'), '0,00 €');
    await countOf('[data-testid=pay-line]', 2);
    await shot('till-04-voucher-on-account');
    await byTest('pay-confirm').click();
    await see(byTest('done-total'), '8,80 €');
    await see(byTest('done-change'), '0,00 €');
    await byTest('receipt').waitFor();
    await shot('till-05-receipt-printer-offline');
    await byTest('next-sale').click();
  });

  it('closes short of cash: the supervisor authorises and the Z report shows the difference', async () => {
    await byTest('nav-close').click();
    await byTest('close-session-screen').waitFor();
    await byTest('close-session').click(); // counted nothing: 20,00 € short, over the 5,00 € threshold
    await byTest('supervisor-prompt').waitFor();
    await see(byTest('supervisor-prompt'), 'diferencia de caja');
    await shot('till-06-close-needs-supervisor');
    await typePin(byTest('supervisor-pinpad'), '2222');
    await byTest('z-report').waitFor();
    await see(byTest('z-report-expected'), '20,00 €');
    await see(byTest('z-report-counted'), '0,00 €');
    await see(byTest('z-report-difference'), '-20,00 €');
    await see(byTest('z-report-payments').locator('tr[data-method=on_account]'), '6,80 €');
    await see(byTest('z-report-payments').locator('tr[data-method=voucher]'), '2,00 €');
    await shot('till-07-z-short');
    await byTest('z-finish').click();
    await byTest('lock-screen').waitFor();
  });

  it('refuses PINs for a while after too many wrong ones', async () => {
    const pad = byTest('pinpad');
    let limited = false;
    for (let i = 0; i < 8 && !limited; i++) {
      await typePin(pad, '0000');
      await byTest('pin-error').waitFor();
      limited = /Demasiados intentos/.test((await byTest('pin-error').textContent()) ?? '');
    }
    expect(limited).toBe(true);
    await see(byTest('pin-error'), 'Espere');
    // Even the right PIN waits now.
    await typePin(pad, '1111');
    await see(byTest('pin-error'), 'Demasiados intentos');
    await shot('till-08-pin-rate-limited');
  });
});
