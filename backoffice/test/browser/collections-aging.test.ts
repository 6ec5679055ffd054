/**
 * Aging of balances in Chromium against a real back office (SQLite, built UI): HQ opens "Antigüedad de
 * saldos", ages the receivables at 30 Nov 2026 and sees the franchisees' overdue fees in their buckets, the
 * totals on top and the total row; a click on Ruiz opens its due dates; filtered to Ruiz's company only
 * Ruiz's own customer is left. Ruiz's manager, signed in, sees its customer and nothing HQ is owed.
 *
 * Seed (straight into the ledger, as posted invoices leave it): worked by hand at 30 Nov —
 *   HQ ← Ruiz: 10,00 due 30 Nov (not due), 20,00 due 29 Nov (1 day), 50,00 due 1 Oct (60 days),
 *              70,00 due 31 Aug (91 days) → 10,00 | 20,00 | 50,00 | — | 70,00 = 150,00, max 91 days
 *   HQ ← Levante: 100,00 due 1 Jun with 40,00 collected → 60,00 over 90 (182 days)
 *   Ruiz ← Bar El Rincón (on account): 25,00 due 15 Nov → 1–30 (15 days)
 *   Total 235,00: not due 10,00, 1–30 45,00, 31–60 50,00, 61–90 0, over 90 130,00; overdue 225,00.
 *   DSO (90 days to 30 Nov): 235,00 × 90 / 25,00 sold on credit in them = 846,0 days.
 * Screenshots: test-results/screenshots/backoffice-collections-aging-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { appendItemPosting, openItem, type NewOpenItem } from '../../src/collections/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
let n = 0;
const item = (companyId: string, counterparty: NewOpenItem['counterparty'], issueDate: string, dueDate: string, amountCents: number): NewOpenItem => ({
  companyId, side: 'receivable', kind: 'invoice_due', sourceId: `00000000-0000-7000-8ab0-${(++n).toString(16).padStart(12, '0')}`, sourceIdx: 0,
  documentRef: `FV-2026-${String(n).padStart(6, '0')}`, counterparty, storeId: null, issueDate, dueDate, amountCents,
});

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const RUIZ = { kind: 'company' as const, id: F.ruiz.id, name: 'Ruiz S.L.' };
  await writeTransaction(ui.ds, async (m) => {
    for (const [due, cents] of [['2026-11-30', 1000], ['2026-11-29', 2000], ['2026-10-01', 5000], ['2026-08-31', 7000]] as const) {
      await openItem(m, clock, item(F.franchisor.id, RUIZ, '2026-08-01', due, cents), null, 'test');
    }
    const lev = await openItem(m, clock, item(F.franchisor.id, { kind: 'company', id: F.levante.id, name: 'Levante S.L.' }, '2026-05-01', '2026-06-01', 10_000), null, 'test');
    await appendItemPosting(m, clock, lev, { kind: 'collected', amountCents: 4000, onDate: '2026-11-20', sourceKind: 'test' }, null);
    await openItem(m, clock, item(F.ruiz.id, { kind: 'customer', id: F.customer.id, name: F.customer.name }, '2026-10-16', '2026-11-15', 2500), null, 'test');
  });
});

afterAll(async () => {
  await ui?.close();
});

const cells = async (counterpartyId: string) => (await page.locator(`[data-testid="aging-row"][data-counterparty="${counterpartyId}"] td`).allTextContents()).map((s) => s.replace(/\u00a0/g, ' '));
const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').replace(/\u00a0/g, ' ');

describe('aging of balances', () => {
  it('HQ sees the franchisees’ overdue fees in their buckets; a row opens its due dates; a franchisee sees only its customers', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByRole('group', { name: 'Tesorería' }).getByRole('link', { name: 'Antigüedad de saldos' }).click();
    await page.getByTestId('aging-asof').fill('2026-11-30');
    await expect.poll(() => text('total-total'), { timeout: 10_000 }).toBe('235,00 €');
    const rows = page.getByTestId('aging-row');
    expect(await rows.count()).toBe(3);
    // Largest total first.
    expect(await rows.first().getAttribute('data-counterparty')).toBe(F.ruiz.id);
    expect(await cells(F.ruiz.id)).toEqual(['Ruiz S.L.', 'Empresa', '10,00 €', '20,00 €', '50,00 €', '—', '70,00 €', '150,00 €', '91']);
    expect(await cells(F.levante.id)).toEqual(['Levante S.L.', 'Empresa', '—', '—', '—', '—', '60,00 €', '60,00 €', '182']);
    expect(await cells(F.customer.id)).toEqual([F.customer.name, 'Cliente', '—', '25,00 €', '—', '—', '—', '25,00 €', '15']);
    expect(await page.getByTestId('aging-total').locator('th').allTextContents().then((a) => a.map((s) => s.replace(/\u00a0/g, ' ')))).toEqual(['Total', '', '10,00 €', '45,00 €', '50,00 €', '0,00 €', '130,00 €', '235,00 €', '182']);
    expect(await text('kpi-total-value')).toBe('235,00 €');
    expect(await text('kpi-overdue-value')).toBe('225,00 €');
    expect(await text('kpi-over90-value')).toBe('130,00 €');
    // DSO of the 90 days to 30 Nov (2 Sep–30 Nov): 235,00 owed over 25,00 sold on credit (the customer's item
    // of 16 Oct; HQ's were issued 1 Aug and 1 May) × 90 = 846,0 days.
    await expect.poll(() => text('kpi-dso-value')).toBe('846,0 días');
    await page.screenshot({ path: screenshotPath('backoffice-collections-aging-hq'), fullPage: true });

    await rows.first().click();
    const items = page.getByTestId('aging-item');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(4);
    const first = ((await items.first().textContent()) ?? '').replace(/\u00a0/g, ' ');
    expect(first).toContain('FV-2026-000004');
    expect(first).toContain('70,00 €');
    expect(first).toContain('Más de 90 días');
    expect(((await items.last().textContent()) ?? '').replace(/\u00a0/g, ' ')).toContain('No vencido');
    await page.screenshot({ path: screenshotPath('backoffice-collections-aging-items'), fullPage: true });

    // Filtered to Ruiz's company: only what its own customer owes it.
    await page.getByTestId('aging-company').click();
    await page.getByRole('option', { name: 'Ruiz S.L.', exact: true }).click();
    await expect.poll(() => text('total-total'), { timeout: 10_000 }).toBe('25,00 €');
    expect(await rows.count()).toBe(1);

    // Ruiz's manager: its customer only, whatever the filter.
    await page.evaluate(() => localStorage.clear());
    await page.goto(ui.url);
    await ui.signIn(F.managerRuiz);
    await page.getByRole('group', { name: 'Tesorería' }).getByRole('link', { name: 'Antigüedad de saldos' }).click();
    await page.getByTestId('aging-asof').fill('2026-11-30');
    await expect.poll(() => text('total-total'), { timeout: 10_000 }).toBe('25,00 €');
    expect(await rows.count()).toBe(1);
    expect(await cells(F.customer.id)).toEqual([F.customer.name, 'Cliente', '—', '25,00 €', '—', '—', '—', '25,00 €', '15']);
    await page.screenshot({ path: screenshotPath('backoffice-collections-aging-franchisee'), fullPage: true });
  }, 300_000);
});
