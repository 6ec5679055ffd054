/**
 * The rest of the cashier screen on a real terminal service whose receipt printer is unreachable: the
 * printer banner, the English catalogue, a weighed quick key, quantity, a voided line and a ticket discount
 * over the cashier's limit (supervisor PIN, a wrong one first), a customer with voucher + on-account
 * payment, a blind close short of cash (supervisor), and the PIN rate limit on the lock screen.
 * Screenshots: test-results/screenshots/till-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort } from '@tpv/runtime/testing/ports';
import { launchChromium } from '@tpv/runtime/testing/chromium';
import { startSeededTerminal, type SeededTerminal } from './support/seeded-terminal';
import { openTillPage, type TillPage } from './support/till-page';
import { newVoucherCode } from '@tpv/shared/vouchers/codes';

let terminal: SeededTerminal;
let browser: Browser & { cleanup(): Promise<void> };
let ui: TillPage;
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
  ui = await openTillPage(browser, terminal);
});

afterAll(async () => {
  await browser?.cleanup();
  await terminal?.stop();
});

describe('cashier screen: options, supervisors, English, printer offline', () => {
  it('warns that the printer is offline, already on the lock screen', async () => {
    await ui.see(ui.byTest('banner-printer'), 'sin conexión');
    await ui.shot('till-01-printer-offline');
  });

  it('works in English: login, float, selling screen', async () => {
    await ui.byTest('lang-switch').click();
    await ui.see(ui.byTest('lock-screen'), 'Till locked');
    await ui.see(ui.byTest('banner-printer'), 'offline');
    await ui.typePin(ui.byTest('pinpad'), '1111');
    await ui.see(ui.byTest('open-session-screen'), 'Open the till');
    await ui.byTest('denominations').getByRole('button', { name: 'One more €20', exact: true }).click();
    await ui.see(ui.byTest('count-total'), '€20.00');
    await ui.byTest('open-session').click();
    await ui.byTest('sell-screen').waitFor();
    await ui.see(ui.byTest('action-pay'), 'Pay');
    await ui.shot('till-02-sell-english');
    await ui.byTest('lang-switch').click();
    await ui.see(ui.byTest('action-pay'), 'Cobrar');
  });

  it('keys a weighed article from a quick key, changes a quantity and voids a line with a supervisor', async () => {
    await ui.byTest('product-key').filter({ hasText: 'Manzana golden' }).click();
    await ui.byTest('weight-dialog').waitFor();
    await ui.byTest('number-input').fill('1,250');
    await ui.byTest('number-ok').click();
    await ui.countOf('[data-testid=ticket-line]', 1);
    // 1,250 kg × 5,05 €/kg = 6,3125 → 6,31 €
    await ui.see(ui.byTest('line-total'), '6,31 €');
    await ui.see(ui.byTest('line-qty'), '1,250 kg');

    await ui.page.keyboard.type(cola.code);
    await ui.page.keyboard.press('Enter');
    await ui.countOf('[data-testid=ticket-line]', 2);
    await ui.byTest('action-qty').click();
    await ui.byTest('number-input').fill('3');
    await ui.byTest('number-ok').click();
    await ui.see(ui.byTest('ticket-line').nth(1).getByTestId('line-total'), '10,35 €');

    await ui.byTest('ticket-line').nth(0).click();
    await ui.byTest('action-void').click();
    await ui.byTest('supervisor-prompt').waitFor();
    await ui.typePin(ui.byTest('supervisor-pinpad'), '1234');
    await ui.see(ui.byTest('supervisor-prompt').getByTestId('pin-error'), 'PIN de supervisor incorrecto');
    await ui.shot('till-03-supervisor-wrong-pin');
    await ui.typePin(ui.byTest('supervisor-pinpad'), '2222');
    await ui.byTest('supervisor-prompt').waitFor({ state: 'detached' });
    await ui.countOf('[data-testid=ticket-line]', 1);
    await ui.see(ui.byTest('cart-total'), '10,35 €');
  });

  it('needs a supervisor for a 15 % ticket discount (the cashier may give 10 %)', async () => {
    await ui.byTest('action-ticket-discount').click();
    await ui.byTest('discount-input').fill('15');
    await ui.byTest('discount-ok').click();
    await ui.byTest('supervisor-prompt').waitFor();
    await ui.see(ui.byTest('supervisor-prompt'), 'supervisor');
    await ui.typePin(ui.byTest('supervisor-pinpad'), '2222');
    await ui.byTest('supervisor-prompt').waitFor({ state: 'detached' });
    // 15 % of 10,35 € = 1,5525 → 1,55 €; 10,35 − 1,55 = 8,80 €
    await ui.see(ui.byTest('discount-total'), '-1,55 €');
    await ui.see(ui.byTest('cart-total'), '8,80 €');
  });

  it('attaches a customer and takes a voucher plus the rest on account', async () => {
    await ui.byTest('action-customer').click();
    await ui.byTest('customer-search').fill('Rincón');
    await ui.byTest('customer-option').filter({ hasText: 'Bar El Rincón' }).click();
    await ui.see(ui.byTest('ticket-customer'), 'Bar El Rincón');

    await ui.byTest('action-pay').click();
    await ui.byTest('pay-method-voucher').click();
    await ui.byTest('pay-amount').fill('2');
    // A gift voucher's code (check char): the till authorizes it before adding it (offline here: within its cap).
    await ui.byTest('pay-reference').fill(newVoucherCode('M00101', (n) => new Uint8Array(n).fill(4)));
    await ui.byTest('pay-add').click();
    await ui.see(ui.byTest('pay-remaining'), '6,80 €');
    await ui.byTest('pay-method-on_account').click();
    await ui.byTest('pay-add').click();
    await ui.see(ui.byTest('pay-remaining'), '0,00 €');
    await ui.countOf('[data-testid=pay-line]', 2);
    await ui.shot('till-04-voucher-on-account');
    await ui.byTest('pay-confirm').click();
    await ui.see(ui.byTest('done-total'), '8,80 €');
    await ui.see(ui.byTest('done-change'), '0,00 €');
    await ui.byTest('receipt').waitFor();
    await ui.shot('till-05-receipt-printer-offline');
    await ui.byTest('next-sale').click();
  });

  it('closes short of cash: the supervisor authorises and the Z report shows the difference', async () => {
    await ui.byTest('nav-close').click();
    await ui.byTest('close-session-screen').waitFor();
    await ui.byTest('close-session').click(); // counted nothing: 20,00 € short, over the 5,00 € threshold
    await ui.byTest('supervisor-prompt').waitFor();
    await ui.see(ui.byTest('supervisor-prompt'), 'diferencia de caja');
    await ui.shot('till-06-close-needs-supervisor');
    await ui.typePin(ui.byTest('supervisor-pinpad'), '2222');
    await ui.byTest('z-report').waitFor();
    await ui.see(ui.byTest('z-report-expected'), '20,00 €');
    await ui.see(ui.byTest('z-report-counted'), '0,00 €');
    await ui.see(ui.byTest('z-report-difference'), '-20,00 €');
    await ui.see(ui.byTest('z-report-payments').locator('tr[data-method=on_account]'), '6,80 €');
    await ui.see(ui.byTest('z-report-payments').locator('tr[data-method=voucher]'), '2,00 €');
    await ui.shot('till-07-z-short');
    await ui.byTest('z-finish').click();
    await ui.byTest('lock-screen').waitFor();
  });

  it('refuses PINs for a while after too many wrong ones', async () => {
    const pad = ui.byTest('pinpad');
    let limited = false;
    for (let i = 0; i < 8 && !limited; i++) {
      await ui.typePin(pad, '0000');
      await ui.byTest('pin-error').waitFor();
      limited = /Demasiados intentos/.test((await ui.byTest('pin-error').textContent()) ?? '');
    }
    expect(limited).toBe(true);
    await ui.see(ui.byTest('pin-error'), 'Espere');
    // Even the right PIN waits now.
    await ui.typePin(pad, '1111');
    await ui.see(ui.byTest('pin-error'), 'Demasiados intentos');
    await ui.shot('till-08-pin-rate-limited');
  });
});
