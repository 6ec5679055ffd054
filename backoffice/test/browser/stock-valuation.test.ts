/**
 * The stock pages of the valuation part in Chromium against a real back office (SQLite): HQ picks the central
 * warehouse, sees each item's average cost and value, the movements with their receipt numbers, and the
 * valuation now and at the end of an earlier day. Figures worked by hand:
 *   2026-11-01  receipt EM-2026-000001: p1 10 @ 2,00 €, p2 5 @ 1,234567 €
 *   2026-11-10  receipt EM-2026-000002: p1 30 @ 3,00 €  → p1 average (10×2 + 30×3)/40 = 2,75 €
 *   now: p1 40 × 2,75 = 110,00 €, p2 5 × 1,234567 = 6,17 € → 116,17 €; at the end of 2026-11-05: 20,00 + 6,17 = 26,17 €
 * Restocking minimums at the warehouse (restock_rule): p1 min 10 (holds 40: not below), p2 min 8 (holds 5: below),
 * p3 min 2 (never held: 0, below) — "Bajo mínimo" lists p2 and p3.
 * Screenshots: test-results/screenshots/backoffice-stock-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { postStockMoves } from '../../src/stock/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { startAdminUi, type AdminUi } from './support/admin-ui';

const W = '00000000-0000-7000-8009-000000000001';
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
let ui: AdminUi;
let page: Page;

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  await ui.ds.query(`INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, ?, ?, ?, NULL)`, [W, 'CENTRAL', F.franchisor.id, 'Almacén central']);
  const [p1, p2] = F.products;
  const receipt = (at: string, n: number, lines: Array<[string, number, number]>) =>
    writeTransaction(ui.ds, (m) =>
      postStockMoves(
        m,
        clock,
        lines.map(([productId, delta, cost], i) => ({
          locationId: W, productId, delta, reason: 'receipt', purchaseCostMicros: cost,
          documentType: 'goods_receipt', documentId: `00000000-0000-7000-8010-00000000000${n}`, documentLine: i + 1, documentNumber: `EM-2026-00000${n}`,
        })),
        { at },
      ),
    );
  await receipt('2026-11-01T09:00:00.000Z', 1, [[p1!.id, 10, 2_000_000], [p2!.id, 5, 1_234_567]]);
  await receipt('2026-11-10T09:00:00.000Z', 2, [[p1!.id, 30, 3_000_000]]);
  for (const [product, min] of [[p1!.id, 10], [p2!.id, 8], [F.products[2]!.id, 2]] as const) {
    await ui.ds.query(`INSERT INTO restock_rule (location_id, product_id, company_id, method, min_qty, max_qty, updated_at) VALUES (?, ?, ?, 'minmax', ?, 50, ?)`, [
      W, product, F.franchisor.id, min, '2026-11-10T09:00:00.000Z',
    ]);
  }
});

afterAll(async () => {
  await ui?.close();
});

describe('stock with cost and value, valuation at a date', () => {
  it("shows the warehouse's stock with average cost and value, and an item's receipts", async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-stock').waitFor();
    await page.goto(`${ui.url}/stock?storeId=${W}`);
    const stock = page.getByTestId('stock');
    await stock.waitFor();
    const row = stock.locator('tbody tr').filter({ hasText: 'Producto 1' }).first();
    await expect.poll(() => row.textContent()).toContain('110,00');
    expect(await row.locator('td').nth(1).textContent()).toBe('40');
    expect(await row.textContent()).toContain('2,75');
    await row.click();
    const mv = page.getByTestId('movements');
    await mv.waitFor();
    await expect.poll(() => mv.locator('tbody tr').count()).toBe(2);
    expect(await mv.textContent()).toContain('EM-2026-000002');
    expect(await mv.textContent()).toContain('recepción');
    await page.screenshot({ path: screenshotPath('backoffice-stock-warehouse'), fullPage: true });
  });

  it('shows each item’s minimum and filters the items below it', async () => {
    const stock = page.getByTestId('stock');
    expect(await stock.getByTestId('stock-min-SKU1').textContent()).toBe('10');
    expect(await stock.locator('tbody tr').count()).toBe(2);
    await page.getByTestId('stock-below-min').selectOption({ label: 'Solo bajo mínimo' });
    await expect.poll(() => stock.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => stock.locator('tbody').textContent()).not.toContain('Producto 1');
    expect(await stock.getByTestId('stock-min-SKU2').textContent()).toBe('8');
    expect(await stock.getByTestId('stock-min-SKU3').textContent()).toBe('2');
    expect(page.url()).toContain('belowMin=true');
    await page.screenshot({ path: screenshotPath('backoffice-stock-below-min'), fullPage: true });
  });

  it('values the stock now and at the end of an earlier day', async () => {
    await page.getByTestId('nav-valuation').click();
    const total = page.getByTestId('valuation-total');
    await expect.poll(() => total.textContent()).toContain('116,17');
    expect(await page.getByTestId('valuation-CENTRAL').textContent()).toContain('116,17');
    await page.getByTestId('valuation-date').fill('2026-11-05');
    await expect.poll(() => total.textContent()).toContain('26,17');
    await page.screenshot({ path: screenshotPath('backoffice-stock-valuation'), fullPage: true });
  });
});
