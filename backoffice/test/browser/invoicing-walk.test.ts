/**
 * Issue 12, must-be-true 2, as ONE walk in Chromium against a real back office (SQLite, built UI): the HQ
 * accountant runs the monthly franchise-fee invoices for all franchisees and follows one of them to its credit
 * note, through the UI only.
 *
 * Seed (the only API/socket work): Levante gets a valid NIF through the company edit (the fixture's fails its
 * check digit, and a full invoice's recipient needs a valid one — with the bad one the run fails, naming
 * Levante and recipient.nif), both franchisees get a contract from the 1st of the month invoiced, and
 * their tills send real tickets of that month (paired as HQ pairs them, tickets built by the test factory and
 * ingested over socket.io — the ingest keeps `sales_day`). The month invoiced is the last ended one, the first
 * the page offers. Worked by hand (p0 0,95 € IVA 21 %, p1 1,32 € IVA 10 %, p2 1,69 € IVA 4 %; bases without
 * IVA, returns deducted; fees rounded half up to the cent):
 *   Ruiz (M001, till 01), 4,5 % royalty + 1,5 % marketing:
 *     day 10: 121 × p0 = 114,95 € → base 95,00; 110 × p1 = 145,20 € → base 132,00; sale base 227,00
 *     day 20: return of 21 × p0 = −19,95 € → base −16,49 (19,95 / 1,21 = 16,487)
 *     net 210,51 €; royalty 4,5 % = 9,47295 → 9,47 €; marketing 1,5 % = 3,15765 → 3,16 €; base 12,63 €;
 *     IVA 21 % = 2,6523 → 2,65 €; total 15,28 €.
 *   Levante (V001, till 01), 5 % royalty + 1 % marketing:
 *     day 12: 242 × p0 = 229,90 € → base 190,00; 104 × p2 = 175,76 € → base 169,00; sale base 359,00
 *     day 22: return of 26 × p2 = −43,94 € → base −42,25
 *     net 316,75 €; royalty 5 % = 15,8375 → 15,84 €; marketing 1 % = 3,1675 → 3,17 €; base 19,01 €;
 *     IVA 21 % = 3,9921 → 3,99 €; total 23,00 €.
 *   Run: 2 invoices, 15,28 + 23,00 = 38,28 €.
 * Then Ruiz's invoice is opened from the run's list, its PDF downloaded from the invoice page, rendered with
 * pdftoppm and its QR decoded (jsQR) to the AEAT ValidarQR URL with the number, the issue date and 15.28; and a
 * partial credit note by difference (R1) of 5,00 € of the royalty line is issued: 5,00 + 21 % = 6,05 €, leaving
 * 15,28 − 6,05 = 9,23 € to credit. The list of issued invoices filtered by the recipient shows both.
 * Screenshots: test-results/screenshots/backoffice-invoicing-walk-*.png.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { buildFiscalQrUrl } from '@tpv/shared/fiscal/qr';
import { F, factoryFor } from '../support/harness';
import { companyBody, contractBody } from '../support/organisation-bodies';
import { startAdminUi, type AdminUi } from './support/admin-ui';

const run = promisify(execFile);
let ui: AdminUi;
let page: Page;
const dir = mkdtempSync(path.join(tmpdir(), 'tpv-invoicing-walk-'));
// The page offers the last ended months; the first is the one before today's.
const now = new Date();
const PERIOD = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
const [y0, m0] = PERIOD.split('-').map(Number) as [number, number];
const on = (day: number) => Date.UTC(y0, m0 - 1, day, 11, 0, 0);
const LEVANTE_NIF = 'B96385273';
const [p0, p1, p2] = F.products; // 0,95 € IVA 21 %; 1,32 € IVA 10 %; 1,69 € IVA 4 %

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
  // The fixture's Levante NIF fails its check digit (9638527 → 3) and a full invoice names a valid one: HQ's
  // company edit puts the valid NIF, as it would have been entered (the edit refuses an invalid one).
  const edit = await fetch(`${ui.url}/api/companies/${F.levante.id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${hq}`, 'content-type': 'application/json' },
    body: JSON.stringify(companyBody(0, { nif: LEVANTE_NIF, legalName: 'Levante S.L.', tradeName: null })),
  });
  expect(edit.status).toBe(200);
  for (const [company, over] of [[F.ruiz.id, { royaltyBp: 450, marketingFeeBp: 150 }], [F.levante.id, { royaltyBp: 500, marketingFeeBp: 100 }]] as const) {
    const c = await ui.post(`/api/companies/${company}/contracts`, hq, contractBody(`${PERIOD}-01`, null, { ...over, paymentMethod: 'transfer' }));
    expect(c.status).toBe(201);
  }

  // Ruiz, Madrid 1, till 01: a sale on the 10th, a return of part of it on the 20th.
  let at = on(10);
  const ruiz = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 3, { now: () => at });
  const sale = ruiz.sale({ lines: [{ product: p0!, units: 121 }, { product: p1!, units: 110 }] });
  at = on(20);
  const ret = ruiz.returnOf(sale, 0, 21);
  // Levante, València 1, till 01: a sale on the 12th, a return on the 22nd.
  at = on(12);
  const levante = factoryFor(F.t3, F.storeV1, LEVANTE_NIF, 5, { now: () => at });
  const lsale = levante.sale({ lines: [{ product: p0!, units: 242 }, { product: p2!, units: 104 }] });
  at = on(22);
  const lret = levante.returnOf(lsale, 1, 26);
  const base = (d: { taxBreakdown: Array<{ base: number }> }) => d.taxBreakdown.reduce((a, t) => a + t.base, 0);
  expect([sale, ret, lsale, lret].map(base)).toEqual([22_700, -1_649, 35_900, -4_225]);

  for (const [terminal, docs] of [[F.t1, [sale, ret]], [F.t3, [lsale, lret]]] as const) {
    const till = await ui.pairTill(terminal.id);
    try {
      expect(await till.send([...docs])).toEqual({ terminalId: terminal.id, ackedSeq: 2 });
    } finally {
      till.close();
    }
  }
});

afterAll(async () => {
  await ui?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The value next to a label of the invoice page's fields (Fecha, Destinatario, …). */
const field = (label: string) => page.getByText(label, { exact: true }).locator('xpath=following-sibling::*[1]');

describe('invoicing walk at HQ', () => {
  it('runs the monthly fees (preview → post), opens one, checks its PDF QR, and issues a partial credit note', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);

    // Facturación → Cánones y mayorista, the month chosen.
    await page.getByRole('group', { name: 'Facturación' }).getByRole('link', { name: 'Cánones y mayorista' }).click();
    await page.getByTestId('run-period').click();
    await page.getByRole('option', { name: PERIOD, exact: true }).click();
    await expect.poll(() => page.getByTestId('run-period').inputValue()).toBe(PERIOD);
    await page.getByTestId('run-table').waitFor();

    // The preview, per franchisee and store (figures worked out in the header).
    const row = (company: string) => page.locator(`[data-testid="run-row"][data-company="${company}"]`);
    await expect.poll(() => row(F.ruiz.id).getAttribute('data-status')).toBe('to_post');
    expect(await row(F.levante.id).getAttribute('data-status')).toBe('to_post');
    const ruizCells = await row(F.ruiz.id).locator('td').allTextContents();
    expect(ruizCells.slice(2)).toEqual(['210,51 €', '12,63 €', '2,65 €', '15,28 €', '']);
    expect(ruizCells[0]).toContain('Ruiz S.L.');
    const levCells = await row(F.levante.id).locator('td').allTextContents();
    expect(levCells.slice(2)).toEqual(['316,75 €', '19,01 €', '3,99 €', '23,00 €', '']);
    expect(levCells[0]).toContain('Levante S.L.');
    const store = (code: string) => page.getByTestId('run-store').filter({ hasText: code });
    expect(await store('M001 · Madrid 1').textContent()).toMatch(/210,51 €.*Royalty 9,47 € · Marketing 3,16 €/);
    expect(await store('V001 · València 1').textContent()).toMatch(/316,75 €.*Royalty 15,84 € · Marketing 3,17 €/);
    expect(await page.getByTestId('run-totals').textContent()).toContain('38,28 €');
    await page.screenshot({ path: screenshotPath('backoffice-invoicing-walk-preview'), fullPage: true });

    // Post, confirm, and wait for the job's progress to reach both invoices.
    await page.getByTestId('run-post').click();
    await page.getByTestId('confirm').click();
    await page.locator('[data-testid="run-job"]:is([data-status="succeeded"], [data-status="failed"])').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('run-job').getAttribute('data-status'), (await page.getByTestId('run-progress').textContent()) ?? '').toBe('succeeded');
    expect(await page.getByTestId('run-job').getAttribute('data-total')).toBe('2');
    await page.getByTestId('run-already').waitFor();
    expect(await page.getByTestId('run-post').count()).toBe(0);
    await expect.poll(() => row(F.ruiz.id).getAttribute('data-status')).toBe('posted');
    expect(await row(F.levante.id).getAttribute('data-status')).toBe('posted');
    const posted = page.getByTestId('run-invoice');
    await expect.poll(() => posted.count(), { timeout: 10_000 }).toBe(2);
    const year = now.getUTCFullYear();
    const ruizPosted = posted.filter({ hasText: 'Ruiz S.L.' });
    expect(await ruizPosted.textContent()).toContain('15,28 €');
    expect(await posted.filter({ hasText: 'Levante S.L.' }).textContent()).toContain('23,00 €');
    const number = (await ruizPosted.getByRole('link').textContent())!;
    expect(number).toMatch(new RegExp(`^FV-${year}-00000[12]$`));
    await page.screenshot({ path: screenshotPath('backoffice-invoicing-walk-posted'), fullPage: true });

    // Open Ruiz's fee invoice from the run's list.
    await ruizPosted.getByRole('link').click();
    await expect.poll(() => page.getByTestId('invoice-number').textContent(), { timeout: 10_000 }).toBe(number);
    expect(await page.getByTestId('invoice-status').textContent()).toBe('Emitida');
    expect(await page.getByTestId('invoice-recipient').textContent()).toContain(`Ruiz S.L. · ${F.ruiz.nif}`);
    expect(await page.getByTestId('invoice-total').textContent()).toContain('15,28 €');
    const lines = await page.getByTestId('invoice-lines').locator('tbody tr').allTextContents();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('Royalty 4,5 % — Madrid 1 — ventas netas 210,51 €');
    expect(lines[0]).toContain('9,47 €');
    expect(lines[1]).toContain('Marketing 1,5 % — Madrid 1 — ventas netas 210,51 €');
    expect(lines[1]).toContain('3,16 €');
    const issueDate = (await field('Fecha').textContent())!;
    expect(issueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(issueDate > `${PERIOD}-31`).toBe(true); // issued after the month ended

    // Its PDF from the invoice page, rendered; the QR tributario decoded.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('invoice-pdf').click()]);
    expect(download.suggestedFilename()).toBe(`factura-${number}.pdf`);
    const file = path.join(dir, 'fee.pdf');
    await download.saveAs(file);
    const { stdout: text } = await run('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const words of ['Franquicia S.L.', number, 'Ruiz S.L.', `NIF ${F.ruiz.nif}`, 'Royalty 4,5 % — Madrid 1', 'IVA 21 %', '2,65 €', 'TOTAL FACTURA', '15,28 €', 'VERI*FACTU']) {
      expect(text, words).toContain(words);
    }
    await run('pdftoppm', ['-png', '-r', '150', '-singlefile', file, path.join(dir, 'page')]);
    const png = PNG.sync.read(readFileSync(path.join(dir, 'page.png')));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
    const [y, m, d] = issueDate.split('-');
    expect(qr).toBe(buildFiscalQrUrl({ environment: 'production', nif: F.franchisor.nif, invoiceNumber: number, issueDate: `${d}-${m}-${y}`, totalCents: 1_528 }));
    expect(qr).toBe(`https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=${F.franchisor.nif}&numserie=${number}&fecha=${d}-${m}-${y}&importe=15.28`);
    await new Promise((r) => setTimeout(r, 200)); // the decode held the event loop: let late keep-alive timers run

    // A partial credit note by difference: 5,00 € of the royalty line (+ 21 % = 6,05 €).
    await page.getByTestId('invoice-credit').click();
    await page.getByTestId('credit-line-1').getByTestId('credit-amount').fill('5');
    await page.getByTestId('credit-reason').fill('Ajuste del royalty por obras en la tienda');
    await page.screenshot({ path: screenshotPath('backoffice-invoicing-walk-credit'), fullPage: true });
    await page.getByTestId('credit-issue').click();
    await expect.poll(() => page.getByTestId('invoice-number').textContent(), { timeout: 10_000 }).toBe(`FR-${year}-000001`);
    expect(await page.getByTestId('invoice-total').textContent()).toContain('-6,05 €');
    expect(await page.getByTestId('invoice-rectifies').textContent()).toContain(number);
    expect(await page.getByTestId('invoice-recipient').textContent()).toContain(`Ruiz S.L. · ${F.ruiz.nif}`);

    // Back on the fee invoice: the credit note listed, and what is left to credit.
    await page.getByTestId('invoice-rectifies').click();
    await expect.poll(() => page.getByTestId('invoice-number').textContent(), { timeout: 10_000 }).toBe(number);
    await expect.poll(() => page.getByTestId('invoice-remaining').textContent()).toBe('9,23 €');
    const credit = await page.getByTestId('invoice-credit-note').textContent();
    expect(credit).toMatch(new RegExp(`^FR-${year}-000001 · R1 · I · `));
    expect(credit).toContain('-6,05 €');
    await page.screenshot({ path: screenshotPath('backoffice-invoicing-walk-invoice'), fullPage: true });

    // Facturación → Facturas emitidas, filtered by the franchisee: its fee invoice and its credit note.
    await page.getByRole('group', { name: 'Facturación' }).getByRole('link', { name: 'Facturas emitidas' }).click();
    const recipient = page.getByRole('textbox', { name: 'Destinatario', exact: true });
    await recipient.fill('Ruiz');
    await recipient.press('Enter');
    const list = page.getByTestId('invoices');
    await expect.poll(() => list.locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);
    const rows = await list.locator('tbody tr').allTextContents();
    expect(rows.find((r) => r.includes(`FR-${year}-000001`))).toMatch(new RegExp(`R1 → ${number}.*Ruiz S\\.L\\..*-6,05 €`));
    expect(rows.find((r) => r.startsWith(number))).toMatch(/F1.*Ruiz S\.L\..*15,28 €/);
    await page.screenshot({ path: screenshotPath('backoffice-invoicing-walk-list'), fullPage: true });
  });
});
