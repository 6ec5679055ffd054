/**
 * The accountant's day in Chromium against a real back office (SQLite, built UI), as HQ on Ruiz's books:
 * open the chart, create sub-account 62900001; write a manual entry whose first try is off by 0,01 €
 * (debit 120,00, credit 119,99: the form shows the difference, the server refuses it, nothing is saved), fix
 * it, attach a receipt, save; see it in the journal; reverse it; lock October and see an entry dated in it
 * refused. Screenshots: test-results/screenshots/backoffice-accounting-journal-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { one } from '../../src/persistence/sql';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const R = F.ruiz.id;
const year = new Date().getFullYear();
// An open month of this year before today's (the test runs any day): the first of this month.
const today = new Date().toISOString().slice(0, 10);
const entryDate = `${today.slice(0, 7)}-01`;

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
});
afterAll(async () => {
  await ui?.close();
});

const text = async (testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\u00a0/g, ' ');
const entries = async () => Number((await one<{ n: unknown }>(ui.ds.manager, `SELECT COUNT(*) AS n FROM acc_entry WHERE company_id = ?`, [R]))!.n);
const shot = (name: string) => page.screenshot({ path: screenshotPath(`backoffice-accounting-journal-${name}`), fullPage: true });

describe('accounting journal', () => {
  it('chart → sub-account → unbalanced entry refused → fixed and saved → in the journal → reversed; a locked month refuses an entry', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByRole('group', { name: 'Contabilidad' }).getByRole('link', { name: 'Plan de cuentas' }).click();
    await page.goto(`${ui.url}/accounting/chart?company=${R}`);
    await expect.poll(() => page.locator('[data-testid="chart-row"][data-code="572"]').count(), { timeout: 15_000 }).toBe(1);

    // A sub-account under 629.
    await page.getByTestId('chart-new-code').fill('62900001');
    await page.getByTestId('chart-new-name').fill('Material de oficina');
    await page.getByTestId('chart-new-save').click();
    const row = page.locator('[data-testid="chart-row"][data-code="62900001"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.getByTestId('chart-name').textContent()).toBe('Material de oficina');
    // Taken: refused with the reason.
    await page.getByTestId('chart-new-code').fill('62900001');
    await page.getByTestId('chart-new-name').fill('Otra');
    await page.getByTestId('chart-new-save').click();
    await expect.poll(() => text('chart-new-error'), { timeout: 10_000 }).toContain('62900001');
    await shot('chart');

    // A manual entry: first try off by 0,01 €.
    await page.goto(`${ui.url}/accounting/entries?company=${R}`);
    await page.getByTestId('journal-new').click();
    await page.getByTestId('entry-date').fill(entryDate);
    await page.getByTestId('entry-description').fill('Papelería oficina');
    const lines = page.getByTestId('entry-line');
    await lines.nth(0).getByTestId('line-account').fill('629000');
    await page.getByRole('option', { name: /62900001 · Material de oficina/ }).click();
    await lines.nth(0).getByTestId('line-debit').fill('120,00');
    await lines.nth(1).getByTestId('line-account').fill('57200000');
    await lines.nth(1).getByTestId('line-credit').fill('119,99');
    expect(await text('entry-difference')).toBe('Diferencia: 0,01 €');
    const before = await entries();
    await page.getByTestId('entry-save').click();
    await expect.poll(() => text('entry-error'), { timeout: 10_000 }).toBe('No cuadra: diferencia de 0,01 €. No se ha guardado nada.');
    expect(await entries()).toBe(before);
    await shot('unbalanced');

    // Fixed, with a receipt attached, saved: the entry page.
    await lines.nth(1).getByTestId('line-credit').fill('120,00');
    expect(await text('entry-difference')).toBe('Cuadrado');
    await page.locator('input[type="file"]').setInputFiles({ name: 'ticket-papeleria.txt', mimeType: 'text/plain', buffer: Buffer.from('Papelería 120,00') });
    await expect.poll(() => text('entry-attachment'), { timeout: 10_000 }).toBe('ticket-papeleria.txt');
    await page.getByTestId('entry-save').click();
    await expect.poll(() => page.getByTestId('entry-detail-line').count(), { timeout: 10_000 }).toBe(2);
    expect(await entries()).toBe(before + 1);
    expect(await text('entry-total-debit')).toBe('120,00 €');
    expect(await text('entry-attachment-download')).toContain('ticket-papeleria.txt');

    // In the journal.
    await page.goto(`${ui.url}/accounting/entries?company=${R}`);
    await expect.poll(() => text('journal-description'), { timeout: 10_000 }).toBe('Papelería oficina');
    expect(await text('journal-total')).toBe('120,00 €');

    // Reversed from its page.
    await page.getByTestId('journal-row').first().click();
    await page.getByTestId('reverse-date').fill(entryDate);
    await page.getByTestId('reverse-reason').fill('Duplicado');
    await page.getByTestId('reverse-save').click();
    await expect.poll(() => page.getByTestId('entry-reversed-by').count(), { timeout: 10_000 }).toBe(1);
    expect(await entries()).toBe(before + 2);
    await page.goto(`${ui.url}/accounting/entries?company=${R}`);
    await expect.poll(() => page.getByTestId('journal-row').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('journal-reversed').count()).toBe(1);
    await shot('journal');

    // Lock last year's October, then an entry dated in it is refused.
    await page.goto(`${ui.url}/accounting/periods?company=${R}`);
    await page.getByTestId('periods-year').fill(String(year - 1));
    const oct = page.locator(`[data-testid="period-row"][data-period="${year - 1}-10"]`);
    await oct.getByTestId('period-lock').click();
    await expect.poll(async () => (await oct.getByTestId('period-status').textContent()) ?? '', { timeout: 10_000 }).toBe('Cerrado');
    await shot('periods');
    await page.goto(`${ui.url}/accounting/entries/new?company=${R}`);
    await page.getByTestId('entry-date').fill(`${year - 1}-10-15`);
    await page.getByTestId('entry-description').fill('Ajuste de octubre');
    await page.getByTestId('entry-line').nth(0).getByTestId('line-account').fill('62900001');
    await page.getByTestId('entry-line').nth(0).getByTestId('line-debit').fill('10');
    await page.getByTestId('entry-line').nth(1).getByTestId('line-account').fill('57000000');
    await page.getByTestId('entry-line').nth(1).getByTestId('line-credit').fill('10');
    await page.getByTestId('entry-save').click();
    await expect.poll(() => text('entry-error'), { timeout: 10_000 }).toContain(`${year - 1}-10 is locked`);
    expect(await entries()).toBe(before + 2);
    await shot('locked');
  });
});
