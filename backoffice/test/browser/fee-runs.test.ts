/**
 * The fee-run page in Chromium against a real back office (SQLite): HQ opens *Facturación → Cánones y
 * mayorista*, the last ended month is chosen, the preview shows each franchisee (Levante skipped: no contract)
 * with its store's net sales and fees, HQ posts with the confirmation, the progress bar reaches the total, and
 * the invoice posted links to `/invoices/:id`.
 *
 * The month before the machine's (October 2026 when this was written) is the one invoiced; its daily rollup rows
 * are written straight into `sales_day` here (the medium test fees.test.ts proves the ingest writes the same
 * rows from real tickets). Worked by hand, Ruiz's contract from the 16th at 4,5 % + 1,5 %:
 *   M001: day 10: 1.000,00 € (before the contract, not charged), day 20: 2.000,00 €, day 25: returns −123,45 €
 *   → net 1.876,55 €; royalty 4,5 %: 8 444,475 → 84,44 €, marketing 1,5 %: 2 814,825 → 28,15 €; base 112,59;
 *   IVA 21 % 23,64; total 136,23 €.
 * Screenshot: test-results/screenshots/backoffice-fee-runs.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
// The page offers the last ended months; the first is the one before today's.
const now = new Date();
const PERIOD = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const at = new Date().toISOString();
  await ui.ds.query(
    `INSERT INTO franchise_contract (id, company_id, starts_on, ends_on, royalty_bp, marketing_fee_bp, payment_days, payment_method, notes, created_at, updated_at) VALUES (?, ?, ?, NULL, 450, 150, 30, 'transfer', NULL, ?, ?)`,
    ['00000000-0000-7000-8031-000000000001', F.ruiz.id, `${PERIOD}-16`, at, at],
  );
  const day = (d: string, salesBase: number, returnsBase: number) =>
    ui.ds.query(`INSERT INTO sales_day (store_id, business_date, sales_count, sales_base_cents, sales_tax_cents, returns_count, returns_base_cents, returns_tax_cents) VALUES (?, ?, ?, ?, 0, ?, ?, 0)`, [
      F.storeM1.id, `${PERIOD}-${d}`, salesBase ? 10 : 0, salesBase, returnsBase ? 1 : 0, returnsBase,
    ]);
  await day('10', 100_000, 0);
  await day('20', 200_000, 0);
  await day('25', 0, -12_345);
});

afterAll(async () => {
  await ui?.close();
});

describe('franchise-fee run', () => {
  it('previews per franchisee and store, posts with progress, and links the invoice', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-fee-runs').click();
    const table = page.getByTestId('run-table');
    await table.waitFor();
    const ruiz = page.locator(`[data-testid="run-row"][data-company="${F.ruiz.id}"]`);
    expect(await ruiz.getAttribute('data-status')).toBe('to_post');
    expect(await ruiz.getByTestId('run-total').textContent()).toBe('136,23 €');
    expect(await ruiz.textContent()).toContain('1.876,55 €');
    const levante = page.locator(`[data-testid="run-row"][data-company="${F.levante.id}"]`);
    expect(await levante.getAttribute('data-status')).toBe('skipped');
    expect(await levante.textContent()).toContain('sin contrato');
    const store = page.getByTestId('run-store').first();
    expect(await store.textContent()).toContain('M001 · Madrid 1');
    expect(await store.textContent()).toContain('84,44 €');
    expect(await store.textContent()).toContain('28,15 €');

    await page.getByTestId('run-post').click();
    await page.getByTestId('confirm').click();
    await page.locator('[data-testid="run-job"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-job').getAttribute('data-total')).toBe('1');
    const link = page.getByTestId('run-invoice').getByRole('link', { name: `FV-${now.getUTCFullYear()}-000001` });
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/invoices\/[0-9a-f-]{36}$/);
    const [inv] = (await ui.ds.query(`SELECT id, total_cents, pdf_file_id FROM invoice WHERE source = 'fee'`)) as Array<{ id: string; total_cents: number; pdf_file_id: string | null }>;
    expect(href).toBe(`/invoices/${inv!.id}`);
    expect(Number(inv!.total_cents)).toBe(13_623);
    expect(inv!.pdf_file_id).not.toBeNull();
    await page.getByTestId('run-already').waitFor();
    expect(await page.getByTestId('run-post').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('backoffice-fee-runs'), fullPage: true });
  });
});
