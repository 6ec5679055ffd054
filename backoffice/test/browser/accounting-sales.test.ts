/**
 * The tills' daily sales in the books, in Chromium against a real back office (SQLite, built UI): HQ opens
 * "Ventas de las cajas" under Contabilidad, picks Ruiz, sees two store days pending and their differences in
 * the reconciliation, posts up to the second day (confirmation, progress bar to the end), and then nothing is
 * pending and every row of the reconciliation matches.
 *
 * Seed (straight into the rollups, as the ingest leaves them; days before today so they are over):
 *   day 1 (3 days ago), M001 till 01: 21 % base 10,00 IVA 2,10; 10 % base 5,00 IVA 0,50 → 17,60 (cash 12,60, card 5,00)
 *   day 2 (2 days ago): 21 % base 20,00 IVA 4,20 → 24,20 (card). Pending total 41,80 €.
 * Screenshot: test-results/screenshots/backoffice-accounting-sales-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { exec } from '../../src/persistence/sql';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
const d1 = day(3);
const d2 = day(2);

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const m = ui.ds.manager;
  const tax = `INSERT INTO sales_tax_session (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, base_cents, iva_cents, re_cents) VALUES (?, ?, ?, ?, 0, ?, ?, ?, 0)`;
  const pay = `INSERT INTO sales_pay_session (terminal_id, session_id, business_date, method, customer_id, store_id, amount_cents) VALUES (?, ?, ?, ?, '', ?, ?)`;
  await exec(m, tax, [F.t1.id, 'S-1', d1, 2100, F.storeM1.id, 1000, 210]);
  await exec(m, tax, [F.t1.id, 'S-1', d1, 1000, F.storeM1.id, 500, 50]);
  await exec(m, pay, [F.t1.id, 'S-1', d1, 'cash', F.storeM1.id, 1260]);
  await exec(m, pay, [F.t1.id, 'S-1', d1, 'card', F.storeM1.id, 500]);
  await exec(m, tax, [F.t1.id, 'S-2', d2, 2100, F.storeM1.id, 2000, 420]);
  await exec(m, pay, [F.t1.id, 'S-2', d2, 'card', F.storeM1.id, 2420]);
});

afterAll(async () => {
  await ui?.close();
});

const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').replace(/\u00a0/g, ' ');

describe("tills' daily sales in the books", () => {
  it('HQ sees what is pending, posts up to a day with progress, and the reconciliation then matches', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByRole('group', { name: 'Contabilidad' }).getByRole('link', { name: 'Ventas de las cajas' }).click();
    await page.getByTestId('till-sales-company').click();
    await page.getByRole('option', { name: 'Ruiz S.L.', exact: true }).click();
    await expect.poll(() => page.getByTestId('till-sales-pending-row').count(), { timeout: 10_000 }).toBe(2);
    // The total may render a moment after the rows (its own answer): wait for it as well.
    await expect.poll(() => text('till-sales-pending-total'), { timeout: 10_000 }).toBe('41,80 €');
    await page.getByTestId('till-sales-from').fill(d1);
    await page.getByTestId('till-sales-to').fill(d2);
    await expect.poll(() => page.locator('[data-testid="till-sales-rec-row"][data-diff="yes"]').count(), { timeout: 10_000 }).toBe(3);
    await page.screenshot({ path: screenshotPath('backoffice-accounting-sales-pending'), fullPage: true });

    await page.getByTestId('till-sales-through').fill(d2);
    await page.getByTestId('till-sales-post').click();
    await page.getByTestId('confirm').click();
    await page.locator('[data-testid="till-sales-progress"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('till-sales-nothing').waitFor({ timeout: 10_000 });
    await expect.poll(() => text('till-sales-rec-status'), { timeout: 10_000 }).toContain('Todo cuadra');
    expect(await page.locator('[data-testid="till-sales-rec-row"][data-diff="yes"]').count()).toBe(0);
    expect(await page.getByTestId('till-sales-rec-row').count()).toBe(3);
    const entries = (await ui.ds.query(`SELECT COUNT(*) AS n, SUM(total_cents) AS t FROM acc_entry WHERE source_type = 'till_session'`)) as Array<{ n: number; t: number }>;
    expect([Number(entries[0]!.n), Number(entries[0]!.t)]).toEqual([2, 4_180]);
    await page.screenshot({ path: screenshotPath('backoffice-accounting-sales-posted'), fullPage: true });
  });
});
