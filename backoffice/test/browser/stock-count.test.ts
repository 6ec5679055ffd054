/**
 * Issue 11, must-be-true 3, in Chromium against a real back office (SQLite): a full count of a store with
 * differences adjusts the stock and shows the valuation difference. Ruiz's manager starts a full count of
 * M001 on the Recuentos page, counts blind by scanning (SKU1 read 8 times) and typing (SKU2: 5), finishes,
 * approves and posts it; the count's page shows the valuation difference and the Stock page the new
 * quantities. Then the Traspasos and Regularizaciones pages: a transfer M001 → M002 made, shipped and received
 * in full (closed), and a breakage booked at the average. Screenshot: test-results/screenshots/backoffice-stock-count.png.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatMoney } from '@tpv/shared/money';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { postStockMoves } from '../../src/stock/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all } from '../../src/persistence/sql';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const [p1, p2] = F.products;

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  // M001 holds p1 10 @ 1,500000 € and p2 4 @ 2,000000 € (an opening receipt through the ledger).
  await writeTransaction(ui.ds, (m) =>
    postStockMoves(m, { now: () => Date.now() }, [
      { locationId: F.storeM1.id, productId: p1!.id, delta: 10, reason: 'receipt', documentType: 'test', documentId: randomUUID(), documentLine: 1, purchaseCostMicros: 1_500_000 },
      { locationId: F.storeM1.id, productId: p2!.id, delta: 4, reason: 'receipt', documentType: 'test', documentId: randomUUID(), documentLine: 2, purchaseCostMicros: 2_000_000 },
    ]),
  );
});

afterAll(async () => {
  await ui?.close();
});

const level = async (product: string) =>
  Number((await all<{ quantity: unknown }>(ui.ds.manager, 'SELECT quantity FROM stock_level WHERE location_id = ? AND product_id = ?', [F.storeM1.id, product]))[0]?.quantity ?? 0);

describe('stock count pages', () => {
  it('a full count of a store with differences adjusts the stock and shows the valuation difference', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.managerRuiz);
    await page.getByTestId('nav-counts').click();
    await page.getByTestId('count-new').click();
    await page.getByTestId('count-location').click();
    await page.getByRole('option', { name: /M001/ }).click();
    await page.getByTestId('count-threshold').fill('5');
    await page.getByTestId('count-start').click();

    await expect.poll(() => page.getByTestId('count-title').textContent(), { timeout: 10_000 }).toMatch(/RC-\d{4}-000001/);
    // Blind: nothing on the counting screen says 10 or 4 are expected.
    await page.getByTestId('count-lines').waitFor();
    expect(await page.getByTestId('count-lines').textContent()).not.toMatch(/Esperado/);
    for (let i = 1; i <= 8; i++) {
      await page.getByTestId('count-scan').fill('SKU1');
      await page.getByTestId('count-scan').press('Enter');
      await expect.poll(() => page.getByTestId('count-last-scan').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`SKU1 · .*: ${i}$`));
    }
    await page.getByTestId('counted-SKU2').fill('5');
    await page.getByTestId('count-save').click();
    await expect.poll(async () => (await ui.ds.query(`SELECT counted FROM stock_count_line WHERE product_id = ?`, [p2!.id]))[0]?.counted, { timeout: 10_000 }).toBe(5);

    await page.getByTestId('count-submit').click();
    await expect.poll(() => page.getByTestId('doc-status').textContent(), { timeout: 10_000 }).toBe('entregado');
    await page.getByTestId('count-approve').click();
    await expect.poll(() => page.getByTestId('doc-status').textContent(), { timeout: 10_000 }).toBe('aprobado');
    await page.getByTestId('count-post').click();
    await expect.poll(() => page.getByTestId('doc-status').textContent(), { timeout: 10_000 }).toBe('contabilizado');

    // p1: 8 − 10 = −2 × 1,50 € = −3,00 €; p2: 5 − 4 = +1 × 2,00 € = +2,00 €; the other ten: 0 − 0. Total −1,00 €.
    expect(await page.getByTestId('count-value-difference').textContent()).toBe(formatMoney(-100, 'es'));
    expect(await page.getByTestId('count-result-SKU1').textContent()).toContain(formatMoney(-300, 'es'));
    expect(await page.getByTestId('count-result-SKU2').textContent()).toContain(formatMoney(200, 'es'));
    expect([await level(p1!.id), await level(p2!.id)]).toEqual([8, 5]);
    await page.screenshot({ path: screenshotPath('backoffice-stock-count'), fullPage: true });

    // The Stock page shows the counted quantities.
    await page.getByTestId('nav-stock').click();
    const table = page.getByTestId('stock');
    await expect.poll(async () => (await table.locator('tbody tr').allTextContents()).join('|'), { timeout: 10_000 }).toMatch(/SKU1 · [^|]*8/);
    expect((await table.locator('tbody tr').allTextContents()).join('|')).toMatch(/SKU2 · [^|]*5/);
  });

  it('a transfer M001 → M002 is made, shipped and received, and an adjustment booked, through the pages', async () => {
    // M001 holds 8 × SKU1 after the count above.
    await page.getByTestId('nav-transfers').click();
    await page.getByTestId('transfer-new').click();
    await page.getByTestId('transfer-from').click();
    await page.getByRole('option', { name: /M001/ }).click();
    await page.getByTestId('transfer-to').click();
    await page.getByRole('option', { name: /M002/ }).click();
    await page.getByTestId('line-code').fill('SKU1');
    await page.getByTestId('line-quantity').fill('3');
    await page.getByTestId('line-add').click();
    await expect.poll(() => page.getByTestId('lines').textContent(), { timeout: 10_000 }).toContain('SKU1');
    await page.getByTestId('transfer-create').click();
    await expect.poll(() => page.getByTestId('transfer-title').textContent(), { timeout: 10_000 }).toMatch(/TR-\d{4}-000001/);
    await page.getByTestId('transfer-ship').click();
    await expect.poll(() => page.getByTestId('doc-status').textContent(), { timeout: 10_000 }).toBe('enviado');
    expect(await level(p1!.id)).toBe(5);
    await page.getByTestId('transfer-receive').click();
    // Everything arrived: received closes it.
    await expect.poll(() => page.getByTestId('doc-status').textContent(), { timeout: 10_000 }).toBe('cerrado');
    const m2 = Number((await all<{ quantity: unknown }>(ui.ds.manager, 'SELECT quantity FROM stock_level WHERE location_id = ? AND product_id = ?', [F.storeM2.id, p1!.id]))[0]?.quantity);
    expect(m2).toBe(3);

    await page.getByTestId('nav-adjustments').click();
    await page.getByTestId('adjustment-new').click();
    await page.getByTestId('adjustment-location').click();
    await page.getByRole('option', { name: /M001/ }).click();
    await page.getByTestId('adjustment-cause').click();
    await page.getByRole('option', { name: 'Rotura' }).click();
    await page.getByTestId('line-code').fill('SKU2');
    await page.getByTestId('line-quantity').fill('-1');
    await page.getByTestId('line-add').click();
    await page.getByTestId('adjustment-post').click();
    const list = page.getByTestId('adjustments');
    // −1 × 2,00 € = −2,00 €.
    await expect.poll(async () => (await list.locator('tbody tr').allTextContents()).join('|'), { timeout: 10_000 }).toContain(formatMoney(-200, 'es'));
    expect(await level(p2!.id)).toBe(4);
  });
});
