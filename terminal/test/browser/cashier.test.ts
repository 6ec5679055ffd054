/**
 * A cashier's shift on the real terminal service (seeded with the demo franchise) through the built cashier
 * screen in Chromium: PIN login, float count, three keyboard-wedge scans (one a GS1 variable-measure weight
 * label), a line discount, a supervisor-authorised price override, a mixed card + cash payment with change,
 * the receipt preview, park/resume, a return of one line, cash out, X report, blind close and the Z report.
 * Screenshots land in test-results/screenshots/cashier-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '@tpv/runtime/testing/chromium';
import { makeEan13, makeVariableMeasureBarcode } from '@tpv/shared/barcode';
import { startSeededTerminal, type SeededTerminal } from './support/seeded-terminal';

let terminal: SeededTerminal;
let browser: Browser & { cleanup(): Promise<void> };
let page: Page;
const consoleErrors: string[] = [];

/** Products of the demo catalogue at store M001 (prices by hand from the seed: integer cents). */
let cola: { code: string; name: string; price: number };
let yogurt: { code: string; name: string; price: number };
let apples: { code: string; name: string; pricePerKg: number };

beforeAll(async () => {
  terminal = await startSeededTerminal();
  const f = terminal.franchise;
  const storeId = terminal.terminal.storeId;
  const price = (productId: string) => f.storePrices.find((p) => p.storeId === storeId && p.productId === productId)!.priceCents;
  const c = f.products.find((p) => !p.weighed && p.taxRateBp === 2100)!;
  const y = f.products.find((p) => !p.weighed && p.taxRateBp === 1000)!;
  const a = f.products.find((p) => p.weighed)!;
  cola = { code: c.barcodes[0]!, name: c.name, price: price(c.id) };
  yogurt = { code: y.barcodes[0]!, name: y.name, price: price(y.id) };
  // Weighed articles carry the key "21" + 5-digit item code; the scale label adds 5 digits of grams.
  const label = makeVariableMeasureBarcode({ prefix: '21', kind: 'weight', itemDigits: 5, valueDigits: 5, valueCheckDigit: false }, a.barcodes[0]!.slice(2), 750);
  if (!label.ok) throw new Error(label.error.message);
  apples = { code: label.value, name: a.name, pricePerKg: price(a.id) };
  // The hand-worked figures below assume these seed prices; fail loudly if the seed changes.
  expect([cola.price, yogurt.price, apples.pricePerKg]).toEqual([345, 315, 505]);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  // Wedge bursts here are CDP key events: allow 150 ms between keys so a busy CI machine (all test tiers
  // run at once) cannot split a scan; real tills keep the 50 ms default.
  await page.addInitScript(() => localStorage.setItem('tpv.scanner', JSON.stringify({ maxGapMs: 150 })));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(terminal.url);
});

afterAll(async () => {
  await browser?.cleanup();
  await terminal?.stop();
});

const shot = (name: string) => page.screenshot({ path: screenshotPath(name) });
const byTest = (id: string) => page.getByTestId(id);

/** Waits until the element's text contains `text` (the screen answers asynchronously). */
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

/** A keyboard-wedge scanner: the code as a burst of key presses, then Enter. */
async function wedgeScan(code: string): Promise<void> {
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}

async function typePin(pad: Locator, pin: string): Promise<void> {
  for (const d of pin) await pad.getByRole('button', { name: d, exact: true }).click();
  await pad.getByRole('button', { name: /Entrar|Sign in/ }).click();
}

const text = async (id: string) => ((await byTest(id).first().textContent()) ?? '').trim();

describe('cashier screen on the real terminal service', () => {
  it('logs in with the PIN pad (a wrong PIN is refused, 1111 opens)', async () => {
    await see(byTest('lock-screen'), 'Caja bloqueada');
    await see(byTest('lock-screen'), 'Madrid Malasaña');
    await typePin(byTest('pinpad'), '1234');
    await see(byTest('pin-error'), 'PIN incorrecto');
    await shot('cashier-01-login');
    await typePin(byTest('pinpad'), '1111');
    await see(byTest('cashier-name'), 'Lucía Fernández');
  });

  it('opens the cash session with a float counted by denomination', async () => {
    await byTest('open-session-screen').waitFor();
    const grid = byTest('denominations');
    await grid.getByRole('button', { name: 'Uno más de 50 €', exact: true }).click();
    await grid.getByRole('button', { name: 'Uno más de 50 €', exact: true }).click();
    await grid.getByRole('textbox', { name: 'Unidades de 10 €' }).fill('5');
    await grid.getByRole('button', { name: 'Uno más de 0,50 €' }).click();
    await grid.getByRole('button', { name: 'Uno menos de 0,50 €' }).click();
    await see(byTest('count-total'), '150,00 €');
    await shot('cashier-02-open-session');
    await byTest('open-session').click();
    await byTest('sell-screen').waitFor();
  });

  it('sells three scanned items, one weighed from a GS1 scale label, without typing into the focused input', async () => {
    // The search box has focus: the wedge bursts must go to the cart, not into it.
    await byTest('product-search').click();
    await wedgeScan(cola.code);
    await countOf('[data-testid=ticket-line]', 1);
    await wedgeScan(yogurt.code);
    await countOf('[data-testid=ticket-line]', 2);
    await wedgeScan(apples.code);
    await countOf('[data-testid=ticket-line]', 3);
    expect(await byTest('product-search').inputValue()).toBe('');

    const lines = byTest('ticket-line');
    await see(lines.nth(2), 'Manzana golden');
    expect(await lines.nth(2).getByTestId('line-qty').textContent()).toBe('0,750 kg');
    // 0,750 kg × 5,05 €/kg = 3,7875 → 3,79 €
    expect(await lines.nth(2).getByTestId('line-total').textContent()).toBe('3,79 €');
    // 3,45 + 3,15 + 3,79
    await see(byTest('cart-total'), '10,39 €');
    // Three IVA rates: 21 %, 10 %, 4 %.
    await countOf('[data-testid=tax-breakdown] tbody tr', 3);
    await shot('cashier-03-scanned');
  });

  it('shows a clear banner for an unknown barcode and leaves the ticket alone', async () => {
    const unknown = makeEan13('840000000000'); // a valid EAN-13 that is not in the catalogue
    await wedgeScan(unknown);
    await see(byTest('flash-error'), 'Código desconocido');
    await see(byTest('flash-error'), unknown);
    await countOf('[data-testid=ticket-line]', 3);
    await shot('cashier-04-unknown-barcode');
  });

  it('gives a 10 % line discount and a supervisor-authorised price override', async () => {
    await byTest('ticket-line').nth(1).click();
    await byTest('action-line-discount').click();
    await byTest('discount-input').fill('10');
    await byTest('discount-ok').click();
    // 10 % of 3,15 € = 0,315 → 0,32 €; line 2,83 €; ticket 3,45 + 2,83 + 3,79 = 10,07 €
    await see(byTest('ticket-line').nth(1).getByTestId('line-total'), '2,83 €');
    await see(byTest('cart-total'), '10,07 €');
    await shot('cashier-05-discount');

    await byTest('ticket-line').nth(0).click();
    await byTest('action-price').click();
    await byTest('number-input').fill('3,00');
    await byTest('number-ok').click();
    await byTest('supervisor-prompt').waitFor();
    await shot('cashier-06-supervisor');
    await typePin(byTest('supervisor-pinpad'), '2222');
    await byTest('supervisor-prompt').waitFor({ state: 'detached' });
    // 3,00 + 2,83 + 3,79
    await see(byTest('cart-total'), '9,62 €');
    await see(byTest('ticket-line').nth(0), 'precio cambiado');
  });

  it('takes a mixed card + cash payment and shows the change big, then the receipt', async () => {
    await byTest('action-pay').click();
    await see(byTest('pay-due'), '9,62 €');
    await byTest('pay-method-card').click();
    await byTest('pay-amount').fill('5,00');
    await byTest('pay-reference').fill('AUT-482913');
    await byTest('pay-add').click();
    await see(byTest('pay-remaining'), '4,62 €');
    await byTest('pay-method-cash').click();
    await byTest('cash-10').click();
    // 5,00 card + 10,00 cash − 9,62 = 5,38 € change
    await see(byTest('pay-change'), '5,38 €');
    await shot('cashier-07-payment');
    await byTest('pay-confirm').click();

    await byTest('sale-done').waitFor();
    await see(byTest('done-change'), '5,38 €');
    await see(byTest('done-total'), '9,62 €');
    await byTest('receipt-svg').waitFor();
    const alt = (await byTest('receipt-svg').getAttribute('alt')) ?? '';
    expect(alt).toContain('9,62');
    expect(alt).toContain('Manzana golden');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid=receipt-svg]');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    await shot('cashier-08-receipt');
    saleNumber = await text('done-number');
    expect(saleNumber).toBe('M00101-26T/000001');
  });

  it('parks a ticket, resumes it, locks and unlocks the till, adds an item found by name', async () => {
    await byTest('next-sale').click();
    await byTest('sell-screen').waitFor();
    await countOf('[data-testid=ticket-line]', 0);
    await wedgeScan(cola.code);
    await countOf('[data-testid=ticket-line]', 1);
    await byTest('action-park').click();
    await countOf('[data-testid=ticket-line]', 0);
    await see(byTest('cart-total'), '0,00 €');
    await byTest('action-resume').click();
    await byTest('parked-option').first().waitFor();
    await see(byTest('parked-option'), '3,45 €');
    await shot('cashier-09-parked');
    await byTest('parked-option').first().click();
    await countOf('[data-testid=ticket-line]', 1);
    await see(byTest('cart-total'), '3,45 €');
    // Locking the till keeps the ticket; the PIN brings it back.
    await byTest('lock').click();
    await see(byTest('locked-by'), 'Lucía Fernández');
    await typePin(byTest('pinpad'), '1111');
    await byTest('sell-screen').waitFor();
    await countOf('[data-testid=ticket-line]', 1);
    // A person typing (slower than a scanner) into the search box: the keys stay in the box.
    await byTest('product-search').click();
    await page.keyboard.type('Yogur nat', { delay: 250 });
    expect(await byTest('product-search').inputValue()).toBe('Yogur nat');
    await byTest('product-key').filter({ hasText: yogurt.name }).first().click();
    await countOf('[data-testid=ticket-line]', 2);
    // 3,45 + 3,15
    await see(byTest('cart-total'), '6,60 €');
    await shot('cashier-10-resumed');
    await byTest('action-pay').click();
    await byTest('cash-exact').click();
    await see(byTest('pay-change'), '0,00 €');
    await byTest('pay-confirm').click();
    await see(byTest('done-change'), '0,00 €');
    await byTest('next-sale').click();
  });

  it('returns one line of the first sale, found by scanning its number, refunded in cash', async () => {
    await byTest('nav-returns').click();
    await byTest('returns-screen').waitFor();
    await byTest('return-lookup').click();
    await wedgeScan(saleNumber);
    await see(byTest('return-original'), saleNumber);
    await countOf('[data-testid=return-line]', 3);
    const yogurtLine = byTest('return-line').filter({ hasText: yogurt.name });
    await yogurtLine.getByTestId('return-plus').click();
    await see(byTest('return-estimate'), '2,83 €');
    await shot('cashier-11-return-lookup');
    await byTest('return-confirm').click();
    await byTest('return-done').waitFor();
    await see(byTest('return-total'), '2,83 €');
    await byTest('receipt').waitFor();
    await shot('cashier-12-return-done');
    await byTest('return-finish').click();
  });

  it('takes cash out of the drawer and shows the X report', async () => {
    await byTest('nav-cash').click();
    await byTest('cash-out').click();
    await byTest('cash-amount').fill('20');
    await byTest('cash-reason').fill('Pago a proveedor de hielo');
    await byTest('cash-confirm').click();
    await see(byTest('flash-success'), 'Salida de 20,00 € registrada');
    await byTest('nav-x').click();
    await byTest('x-report').waitFor();
    // Cash: float 150,00 + (10,00 − 5,38) + 6,60 − 2,83 − 20,00 = 138,39
    await see(byTest('x-report-expected'), '138,39 €');
    await shot('cashier-13-x-report');
  });

  it('closes the session with a blind count and shows the Z report', async () => {
    await byTest('nav-close').click();
    await byTest('close-session-screen').waitFor();
    const grid = byTest('close-count');
    // 100 + 20 + 10 + 5 + 2 + 1 + 0,20 + 0,10 + 0,05 + 2 × 0,02 = 138,39 €
    for (const label of ['100 €', '20 €', '10 €', '5 €', '2 €', '1 €', '0,20 €', '0,10 €', '0,05 €', '0,02 €', '0,02 €']) {
      await grid.getByRole('button', { name: `Uno más de ${label}`, exact: true }).click();
    }
    await see(byTest('count-total'), '138,39 €');
    // Blind count: the expected figure is not on the screen before closing.
    expect(await page.locator('body').textContent()).not.toContain('Efectivo esperado');
    await shot('cashier-14-close-count');
    await byTest('close-session').click();

    await byTest('z-report').waitFor();
    await see(byTest('z-report-number'), 'Z');
    // Sales 9,62 + 6,60; one return of 2,83.
    await see(byTest('z-report-sales'), '16,22 €');
    await see(byTest('z-report-returns'), '-2,83 €');
    await see(byTest('z-report-net-sales'), '13,39 €');
    await see(byTest('z-report-tickets'), '3 ·');
    await see(byTest('z-report-expected'), '138,39 €');
    await see(byTest('z-report-counted'), '138,39 €');
    await see(byTest('z-report-difference'), '0,00 €');
    // Net per method: cash 4,62 + 6,60 − 2,83 = 8,39 €; card 5,00 €.
    await see(byTest('z-report-payments').locator('tr[data-method=cash]'), '8,39 €');
    await see(byTest('z-report-payments').locator('tr[data-method=card]'), '5,00 €');
    await shot('cashier-15-z-report');
    await byTest('z-finish').click();
    await byTest('lock-screen').waitFor();
  });

  it('switches to English', async () => {
    await byTest('lang-switch').click();
    await see(byTest('lock-screen'), 'Till locked');
    await shot('cashier-16-lock-english');
    await byTest('lang-switch').click();
    await see(byTest('lock-screen'), 'Caja bloqueada');
    expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});

let saleNumber = '';
