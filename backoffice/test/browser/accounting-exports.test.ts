/**
 * Export for the accountant's office in Chromium (SQLite, built UI): HQ opens Contabilidad → "Exportar a
 * gestoría", picks Ruiz S.L., November 2026 and CSV, downloads the journal (two entries posted with the core:
 * 121,00 invoice and its 121,00 collection → 5 lines, totals 242,00); picks A3 and downloads SUENLACE.DAT; after
 * a reload the page remembers the last export (A3, Ruiz, the range) and fills the form in again.
 * Screenshot: test-results/screenshots/backoffice-accounting-exports.png.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { readA3File } from '@tpv/shared/accounting/exports/a3';
import { parseCsv } from '@tpv/shared/accounting/exports/plain';
import { F } from '../support/harness';
import { postEntry } from '../../src/accounting/core/journal';
import { writeTransaction } from '../../src/persistence/raw';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const dir = mkdtempSync(path.join(tmpdir(), 'tpv-acc-exports-'));
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const customer = { group: '430' as const, counterparty: { kind: 'customer' as const, id: 'cust-pena', name: 'Peña Núñez S.L.', nif: 'B12345674' } };

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  await writeTransaction(ui.ds, async (m) => {
    await postEntry(m, clock, { companyId: F.ruiz.id, date: '2026-11-03', kind: 'invoice', description: 'Factura F-2026-000042', source: { type: 'test', id: 'inv', ref: 'F-2026-000042' }, mode: 'document', by: null, lines: [{ ...customer, debitCents: 12_100, creditCents: 0 }, { account: '70000000', debitCents: 0, creditCents: 10_000 }, { account: '47702100', debitCents: 0, creditCents: 2_100 }] });
    await postEntry(m, clock, { companyId: F.ruiz.id, date: '2026-11-05', kind: 'payment', description: 'Cobro', source: { type: 'test', id: 'pay' }, mode: 'document', by: null, lines: [{ account: '57200000', debitCents: 12_100, creditCents: 0 }, { ...customer, debitCents: 0, creditCents: 12_100 }] });
  });
});
afterAll(async () => {
  await ui?.close();
});

const downloadTo = async (name: string) => {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  const file = path.join(dir, name);
  await d.saveAs(file);
  return { name: d.suggestedFilename(), bytes: new Uint8Array(readFileSync(file)) };
};

describe('export for the accountant’s office', () => {
  it('HQ downloads Ruiz’s November journal as CSV and A3; the page remembers the last export', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByRole('group', { name: 'Contabilidad' }).getByRole('link', { name: 'Exportar a gestoría' }).click();
    await page.getByTestId('export-company').click();
    await page.getByRole('option', { name: 'Ruiz S.L.' }).click();
    await page.getByTestId('export-from').fill('2026-11-01');
    await page.getByTestId('export-to').fill('2026-11-30');
    await page.getByTestId('export-format').click();
    await page.getByRole('option', { name: 'CSV' }).click();
    const csv = await downloadTo('diario.csv');
    expect(csv.name).toBe(`diario_${F.ruiz.nif}_2026-11-01_2026-11-30.csv`);
    const rows = parseCsv(new TextDecoder().decode(csv.bytes));
    expect(rows).toHaveLength(1 + 5 + 1);
    expect(rows.at(-1)!.slice(5, 8)).toEqual(['Total', '242,00', '242,00']);

    await page.getByTestId('export-format').click();
    await page.getByRole('option', { name: 'A3 (SUENLACE.DAT)' }).click();
    await page.getByTestId('export-a3-company').fill('42');
    const a3 = await downloadTo('SUENLACE.DAT');
    expect(a3.name).toBe('SUENLACE.DAT');
    const back = readA3File(a3.bytes);
    expect(back.entries.map((e) => e.lines.length)).toEqual([3, 2]);
    expect(back.accounts[0]).toMatchObject({ code: '43000001', companyCode: '00042' });
    await expect.poll(() => page.getByTestId('export-last').textContent()).toContain('A3 (SUENLACE.DAT)');
    await page.screenshot({ path: screenshotPath('backoffice-accounting-exports'), fullPage: true });

    await page.reload();
    await expect.poll(() => page.getByTestId('export-last').textContent(), { timeout: 10_000 }).toMatch(/Libro diario de Ruiz S\.L\. en A3 \(SUENLACE\.DAT\) \(2026-11-01 – 2026-11-30\)/);
    expect(await page.getByTestId('export-from').inputValue()).toBe('2026-11-01');
    expect(await page.getByTestId('export-a3-company').inputValue()).toBe('42');
  });
});
