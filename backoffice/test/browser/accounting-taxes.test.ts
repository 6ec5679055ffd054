/**
 * Taxes in Chromium against a real back office (SQLite, built UI): HQ opens "IVA: modelo 303" under
 * Contabilidad, picks Ruiz and the 4th quarter of 2026, sees the boxes, opens box 09's rows (the day's ticket
 * summary), the reconciliation at zero, the issued book as a screen, and downloads the return; then the 347.
 *
 * Seed, by hand: a till day of Madrid 1 on 20 Nov 2026: 300,00 at 21 % (IVA 63,00), posted (cash / 700 / 477);
 * a supplier invoice of Mayorista X (B22222222) booked in November, 2.500,00 at 21 % (IVA 525,00 → 3.025,00,
 * over 3.005,06 → declared in the 347, key A, 4th quarter), posted (600 / 472 / 400).
 * 303: 07 = 300,00, 09 = 63,00 = 27; 28 = 2.500,00, 29 = 525,00 = 45; 71 = 63,00 − 525,00 = −462,00.
 * Screenshots: test-results/screenshots/backoffice-accounting-taxes-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { postEntry } from '../../src/accounting/core/journal';
import { writeTransaction } from '../../src/persistence/raw';
import { exec } from '../../src/persistence/sql';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const SUP = '00000000-0000-7000-8000-000000009901';
const INV = '00000000-0000-7000-8000-000000009911';

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const m = ui.ds.manager;
  await exec(m, `INSERT INTO sales_tax_session (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, base_cents, iva_cents, re_cents, posted_base_cents, posted_iva_cents, posted_re_cents, pending)
    VALUES (?, 's1', '2026-11-20', 2100, 0, ?, 30000, 6300, 0, 30000, 6300, 0, ?)`, [F.t1.id, F.storeM1.id, false]);
  await exec(m, `INSERT INTO supplier (id, name, nif, created_at) VALUES (?, 'Mayorista X', 'B22222222', '2026-01-01T00:00:00Z')`, [SUP]);
  await exec(m, `INSERT INTO supplier_invoice (id, company_id, supplier_id, supplier_number, number_key, invoice_date, received_date, period, status, register_number, base_cents, iva_cents, re_cents, irpf_cents, total_cents, difference_count, created_at)
    VALUES (?, ?, ?, 'X-1', 'X1', '2026-11-10', '2026-11-10', '2026-11', 'posted', 'RC-2026-000001', 250000, 52500, 0, 0, 302500, 0, '2026-11-10T09:00:00Z')`, [INV, F.ruiz.id, SUP]);
  await exec(m, `INSERT INTO supplier_invoice_tax (invoice_id, idx, iva_rate_bp, re_rate_bp, base_cents, iva_cents, re_cents) VALUES (?, 1, 2100, 0, 250000, 52500, 0)`, [INV]);
  await writeTransaction(ui.ds, async (w) => {
    await postEntry(w, clock, {
      companyId: F.ruiz.id, date: '2026-11-20', kind: 'sales', description: 'Ventas del día', mode: 'document', by: null, source: { type: 'till_day', id: `${F.storeM1.id}:2026-11-20` },
      lines: [{ account: '57000000', debitCents: 36_300, creditCents: 0 }, { account: '70002100', debitCents: 0, creditCents: 30_000 }, { account: '47702100', debitCents: 0, creditCents: 6_300 }],
    });
    await postEntry(w, clock, {
      companyId: F.ruiz.id, date: '2026-11-10', kind: 'supplier_invoice', description: 'Mayorista X', mode: 'document', by: null, source: { type: 'supplier_invoice', id: INV },
      lines: [
        { account: '60000000', debitCents: 250_000, creditCents: 0 }, { account: '47202100', debitCents: 52_500, creditCents: 0 },
        { group: '400', counterparty: { kind: 'supplier', id: SUP, name: 'Mayorista X' }, debitCents: 0, creditCents: 302_500 },
      ],
    });
  });
});

afterAll(async () => {
  await ui?.close();
});

const text = async (testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\u00a0/g, ' ');
const boxValue = async (box: string) => ((await page.locator(`[data-testid="box"][data-box="${box}"] [data-testid="box-value"]`).textContent()) ?? '').replace(/\u00a0/g, ' ');
const pick = async (testId: string, option: string | RegExp) => {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
};

describe('taxes of a company', () => {
  it('HQ sees the 303 of a quarter with its rows and reconciliation, the issued book, and the 347', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByRole('group', { name: 'Contabilidad' }).getByRole('link', { name: 'IVA: modelo 303' }).click();
    await pick('tax-company', 'Ruiz S.L.');
    await pick('tax-year', '2026');
    await pick('tax-period', '4º trimestre');
    await expect.poll(() => text('kpi-71-value'), { timeout: 10_000 }).toBe('-462,00 €');
    expect(await boxValue('07')).toBe('300,00 €');
    expect(await boxValue('09')).toBe('63,00 €');
    expect(await boxValue('29')).toBe('525,00 €');
    expect(await text('kpi-27-value')).toBe('63,00 €');
    // The reconciliation: 477 21 % and 472 21 % equal the journal.
    const diffs = (await page.getByTestId('recon-diff').allTextContents()).map((s) => s.replace(/\u00a0/g, ' '));
    expect(diffs).toEqual(['0,00 €', '0,00 €']);
    await page.locator('[data-testid="box"][data-box="09"]').click();
    await expect.poll(() => page.locator('[data-testid="box-rows-table"] [data-testid="book-row"]').count()).toBe(1);
    expect(await text('box-rows-table')).toContain('F4');
    await page.screenshot({ path: screenshotPath('backoffice-accounting-taxes-303'), fullPage: true });

    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
    expect(dl.suggestedFilename()).toBe('modelo-303-2026-4T.xlsx');

    await page.getByText('Libro de facturas expedidas').click();
    await expect.poll(() => page.locator('[data-testid="vat-book"] [data-testid="book-row"]').count(), { timeout: 10_000 }).toBe(1);

    await page.getByRole('group', { name: 'Contabilidad' }).getByRole('link', { name: 'Modelo 347' }).click();
    await pick('tax-company', 'Ruiz S.L.');
    await pick('tax-year', '2026');
    await expect.poll(() => page.locator('[data-testid="declared-table"] [data-testid="party"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('[data-testid="party"]').first().getAttribute('data-nif')).toBe('B22222222');
    expect(await text('party-total')).toBe('3.025,00 €');
    await page.screenshot({ path: screenshotPath('backoffice-accounting-taxes-347'), fullPage: true });
  });
});
