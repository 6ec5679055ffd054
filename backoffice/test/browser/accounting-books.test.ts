/**
 * Books and statements in Chromium against a real back office (SQLite, built UI): HQ opens "Sumas y saldos",
 * picks the franchisee Ruiz and March 2026 and sees the accounts with the totals worked out by hand; a click on
 * 57200000 opens its ledger (same filters) with the running balance; "Pérdidas y ganancias" for Q1 shows the
 * result beside Q1 2025; the XLSX downloaded from the trial balance has the totals the screen shows.
 *
 * Seed (Ruiz, straight through the journal):
 *   2025-02-10 capital: 572 10.000,00 / 100 10.000,00
 *   2025-03-15 sales:   570 1.210,00 / 700 1.000,00 + 477 210,00
 *   2026-03-05 invoice: 430 2.420,00 / 700 2.000,00 + 477 420,00
 *   2026-03-31 wages:   640 800,00 / 572 800,00
 * Trial balance March 2026: debits = credits = 2.420 + 800 = 3.220,00; 57200000 opening 10.000, credit 800,
 * closing 9.200,00; a year earlier (March 2025) debits 1.210,00. P&L Q1 2026: 2.000 − 800 = 1.200,00; Q1 2025 1.000,00.
 * Screenshots: test-results/screenshots/backoffice-accounting-books-*.png.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { writeTransaction } from '../../src/persistence/raw';
import { postEntry } from '../../src/accounting/core/journal';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const ENTRIES: ReadonlyArray<readonly [string, string, ReadonlyArray<readonly [string, number]>]> = [
  ['2025-02-10', 'Capital', [['57200000', 1_000_000], ['10000000', -1_000_000]]],
  ['2025-03-15', 'Ventas', [['57000000', 121_000], ['70002100', -100_000], ['47702100', -21_000]]],
  ['2026-03-05', 'Factura', [['43000001', 242_000], ['70002100', -200_000], ['47702100', -42_000]]],
  ['2026-03-31', 'Nóminas', [['64000000', 80_000], ['57200000', -80_000]]],
];

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  for (const [date, description, lines] of ENTRIES) {
    await writeTransaction(ui.ds, (m) =>
      postEntry(m, clock, {
        companyId: F.ruiz.id, date, kind: 'manual', description, mode: 'manual', by: null,
        lines: lines.map(([account, c]) => ({ account, debitCents: Math.max(c, 0), creditCents: Math.max(-c, 0) })),
      }),
    );
  }
});

afterAll(async () => {
  await ui?.close();
});

const text = async (testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\u00a0/g, ' ');
const euros = (s: string) => Number(s.replace(/[^\d,-]/g, '').replace(',', '.'));

describe('books and statements', () => {
  it('HQ: trial balance of a franchisee → a ledger → the P&L; the XLSX has the screen’s totals', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByRole('group', { name: 'Contabilidad' }).getByRole('link', { name: 'Sumas y saldos' }).click();
    await page.getByTestId('books-company').click();
    await page.getByRole('option', { name: 'Ruiz S.L.', exact: true }).click();
    await page.getByTestId('books-from').fill('2026-03');
    await page.getByTestId('books-to').fill('2026-03');
    const total = page.getByTestId('trial-total');
    // The machine may be busy: the page and its first query can take a while.
    await total.waitFor({ timeout: 60_000 });
    await expect.poll(async () => ((await total.getByTestId('total-debit').textContent()) ?? '').replace(/\u00a0/g, ' '), { timeout: 10_000 }).toBe('3.220,00 €');
    expect(((await total.getByTestId('total-credit').textContent()) ?? '').replace(/\u00a0/g, ' ')).toBe('3.220,00 €');
    expect(((await total.getByTestId('total-closing').textContent()) ?? '').replace(/\u00a0/g, ' ')).toBe('0,00 €');
    // March 2025 only (not the year's default range, shown until the "from" month applies): the sale of 1.210,00.
    await expect.poll(async () => ((await total.getByTestId('total-prev-debit').textContent()) ?? '').replace(/\u00a0/g, ' '), { timeout: 10_000 }).toBe('1.210,00 €');
    const bank = page.locator('[data-testid="trial-row"][data-account="57200000"]');
    expect(((await bank.getByTestId('closing').textContent()) ?? '').replace(/\u00a0/g, ' ')).toBe('9.200,00 €');
    await page.screenshot({ path: screenshotPath('backoffice-accounting-books-trial'), fullPage: true });

    // The XLSX of what is on screen: its total row = the screen's.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('books-export-xlsx').click()]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'books-ui-')), 'tb.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    const last = ws.getRow(ws.rowCount);
    const screen = await Promise.all(['total-opening', 'total-debit', 'total-credit', 'total-closing'].map(async (id) => euros(((await total.getByTestId(id).textContent()) ?? ''))));
    expect([last.getCell(1).value, last.getCell(3).value, last.getCell(4).value, last.getCell(5).value, last.getCell(6).value]).toEqual(['Total', ...screen]);
    expect(screen).toEqual([0, 3220, 3220, 0]);

    // An account opens its ledger with the same company and months.
    await bank.getByTestId('trial-account').click();
    await page.getByTestId('ledger-closing').waitFor({ timeout: 60_000 });
    await expect.poll(() => text('ledger-closing'), { timeout: 10_000 }).toBe('9.200,00 €');
    expect(await text('ledger-opening')).toBe('10.000,00 €');
    expect(await page.getByTestId('ledger-line').count()).toBe(1);
    expect(page.url()).toContain('account=57200000');
    await page.screenshot({ path: screenshotPath('backoffice-accounting-books-ledger'), fullPage: true });

    // The P&L of Q1 2026 beside Q1 2025.
    await page.getByRole('group', { name: 'Contabilidad' }).getByRole('link', { name: 'Pérdidas y ganancias' }).click();
    await page.getByTestId('books-company').click();
    await page.getByRole('option', { name: 'Ruiz S.L.', exact: true }).click();
    await page.getByTestId('books-from').fill('2026-01');
    await page.getByTestId('books-to').fill('2026-03');
    const result = page.locator('[data-testid="statement-line"][data-ref="D"]');
    await result.waitFor({ timeout: 60_000 });
    await expect.poll(async () => ((await result.getByTestId('statement-current').textContent()) ?? '').replace(/\u00a0/g, ' '), { timeout: 10_000 }).toBe('1.200,00 €');
    expect(((await result.getByTestId('statement-previous').textContent()) ?? '').replace(/\u00a0/g, ' ')).toBe('1.000,00 €');
    const revenue = page.locator('[data-testid="statement-line"][data-ref="1"]');
    expect(((await revenue.getByTestId('statement-current').textContent()) ?? '').replace(/\u00a0/g, ' ')).toBe('2.000,00 €');
    await page.screenshot({ path: screenshotPath('backoffice-accounting-books-pnl'), fullPage: true });
  });
});
