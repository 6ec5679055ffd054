/**
 * Issue 11, must be true 2, end to end in Chromium: the admin UI (built backoffice/ui) against a real back
 * office on SQLite, and a real till process of Madrid 1 (terminal/src/main.ts, its own SQLite file, paired by
 * code, catalogue and delivery notes from HQ's change feed) driven through its own UI (built terminal/ui).
 *
 *   1. The store manager of M001 computes the replenishment proposal, lowers one quantity, confirms → PR order.
 *   2. HQ approves it, starts picking, types the picked quantities, ships → delivery note AL-….
 *   3. The till of M001 receives the note in "Almacén" by scanning every item, SKU1 once fewer than shipped,
 *      and confirms; the receipt goes up through the till's outbox and HQ applies it.
 *   4. HQ sees the note received with a difference of −1 and the incident in Incidencias.
 *   5. Stock and cost on both sides (stock pages + the ledger).
 *
 * Figures, worked by hand (µ€: 1 cent = 10,000 µ€):
 *   Central warehouse (Franquicia): SKU1 20 @ 2,00 €, SKU2 10 @ 1,00 €. Wholesale prices SKU1 3,50 €, SKU2 1,20 €.
 *   M001 holds nothing and sells nothing; rules min/max: SKU1 min 4 max 10, SKU2 min 3 max 6 (pack 1).
 *   Proposal (position P = 0 < min → order max − P): SKU1 10, SKU2 6. The manager lowers SKU1 to 8.
 *   Order PR: SKU1 8, SKU2 6; approved unchanged; picked 8 and 6; shipped.
 *   Warehouse after shipping: SKU1 20 − 8 = 12 @ 2,00 € (value 24,00 €), SKU2 10 − 6 = 4 @ 1,00 € (4,00 €):
 *     goods leaving at the average do not move it.
 *   Ruiz's transit in at the wholesale price: SKU1 8 @ 3,50, SKU2 6 @ 1,20 → Ruiz held none, so its average
 *     cost = 3,50 € / 1,20 €.
 *   Till scans SKU1 7 times, SKU2 6 times: received 7 and 6; difference SKU1 −1 → one incident.
 *   Store M001: SKU1 7 @ 3,50 = 24,50 €, SKU2 6 @ 1,20 = 7,20 €; transit still holds 1 SKU1 (3,50 €) until the
 *   note is closed; Ruiz's averages unchanged by the transit → store move.
 * Screenshots: test-results/screenshots/inventory-walk-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { openTillPage, type TillPage } from '../../../terminal/test/browser/support/till-page';
import { F } from '../support/harness';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';
import { postStockMoves } from '../../src/stock/ledger';
import { startAdminUi, type AdminUi } from './support/admin-ui';
import { startRealTill, type RealTill } from './support/real-till';

const WAREHOUSE = '00000000-0000-7000-8009-0000000000c1';
const CASHIER = '00000000-0000-7000-8099-0000000000c1';
const clock = { now: () => Date.now() };
const [p1, p2] = F.products; // SKU1 (21 %), SKU2 (10 %): neither weighed
const BARCODE = { SKU1: '8400000000011', SKU2: '8400000000028' };
const year = new Date().getUTCFullYear();

let ui: AdminUi;
let page: Page;
let till: RealTill | undefined;
let tillUi: TillPage;
const dir = mkdtempSync(path.join(tmpdir(), 'tpv-walk-'));
let orderNumber = '';
let noteNumber = '';

const level = async (loc: string, product: string) =>
  Number((await all<{ quantity: unknown }>(ui.ds.manager, 'SELECT quantity FROM stock_level WHERE location_id = ? AND product_id = ?', [loc, product]))[0]?.quantity ?? 0);
const transit = async (company: string, product: string) =>
  Number(
    (
      await all<{ q: unknown }>(
        ui.ds.manager,
        `SELECT SUM(l.quantity) AS q FROM stock_level l JOIN stock_location s ON s.id = l.location_id WHERE s.kind = 'transit' AND s.company_id = ? AND l.product_id = ?`,
        [company, product],
      )
    )[0]?.q ?? 0,
  );
const avg = async (company: string, product: string) =>
  (await all<{ a: unknown }>(ui.ds.manager, 'SELECT avg_cost_micros AS a FROM stock_cost WHERE company_id = ? AND product_id = ?', [company, product])).map((r) => Number(r.a))[0];

/** A row of the stock page's table: [quantity, average cost, value] as shown. */
async function stockRow(locationId: string, sku: string): Promise<string[]> {
  await page.goto(`${ui.url}/stock?storeId=${locationId}`);
  const row = page.getByTestId('stock').locator('tbody tr').filter({ hasText: `${sku} · ` });
  await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
  // Cells by their column's heading, so a column added to the page does not shift what is read.
  const headings = (await page.getByTestId('stock').locator('thead th').allTextContents()).map((h) => h.trim());
  const cells = await row.locator('td').allTextContents();
  return ['Existencias', 'Coste medio', 'Valor'].map((h) => cells[headings.findIndex((x) => x.startsWith(h))]!.replace(/\s/g, ' ').trim());
}

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
  const put = async (pathname: string, body: unknown) => {
    const res = await fetch(ui.url + pathname, { method: 'PUT', headers: { authorization: `Bearer ${hq}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, `${pathname}: ${await res.text()}`).toBeLessThan(300);
  };
  // The franchisor's central warehouse with SKU1 20 @ 2,00 € and SKU2 10 @ 1,00 € (an opening receipt).
  await exec(ui.ds.manager, `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'CENTRAL', ?, 'Almacén central', NULL)`, [WAREHOUSE, F.franchisor.id]);
  await writeTransaction(ui.ds, (m) =>
    postStockMoves(m, clock, [
      { documentType: 'test', documentId: '00000000-0000-7000-8010-0000000000c1', documentLine: 1, locationId: WAREHOUSE, productId: p1!.id, delta: 20, reason: 'receipt', purchaseCostMicros: 2_000_000 },
      { documentType: 'test', documentId: '00000000-0000-7000-8010-0000000000c1', documentLine: 2, locationId: WAREHOUSE, productId: p2!.id, delta: 10, reason: 'receipt', purchaseCostMicros: 1_000_000 },
    ]),
  );
  await put('/api/wholesale-prices', { prices: [{ productId: p1!.id, priceCents: 350 }, { productId: p2!.id, priceCents: 120 }] });
  // Barcodes for the till to scan (the products are otherwise as seeded).
  for (const [p, sku] of [[p1!, 'SKU1'], [p2!, 'SKU2']] as const) {
    await put(`/api/products/${p.id}`, { sku, name: p.name, taxRateBp: p.taxRateBp, priceCents: p.priceCents, barcodes: [BARCODE[sku]] });
  }
  // Restock rules of M001 (min/max) so that the proposal orders both from the warehouse.
  await put(`/api/stores/${F.storeM1.id}/restock-rules/${p1!.id}`, { method: 'minmax', minQty: 4, maxQty: 10, source: 'warehouse' });
  await put(`/api/stores/${F.storeM1.id}/restock-rules/${p2!.id}`, { method: 'minmax', minQty: 3, maxQty: 6, source: 'warehouse' });
  await put(`/api/staff/${CASHIER}`, { companyId: F.ruiz.id, storeId: F.storeM1.id, code: 'C01', name: 'Lola Cajera', role: 'cashier', pin: '4321' });

  // The real till of M001 (Caja 01) pairs with the code HQ makes and loads its catalogue from the feed.
  const code = (await ui.post(`/api/terminals/${F.t1.id}/pairing-code`, hq)).body.code as string;
  till = await startRealTill({ dataDir: dir, backofficeUrl: ui.url, pairingCode: code });
  await till.until('pairing and catalogue load', async () => {
    const s = (await till!.call('GET', '/api/sync/status')).body;
    return s?.online && !s.catalog.loading && s.catalog.version > 0 && s.catalog.version >= s.catalog.targetVersion ? true : undefined;
  });
  tillUi = await openTillPage(page.context().browser()!, { url: till.url, output: () => till!.log() });
}, 300_000);

afterAll(async () => {
  await till?.stop();
  await ui?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('inventory walk: proposal → order → pick → ship → till receipt by scanning → incident → stock and cost', () => {
  it('the store manager computes the proposal, lowers one quantity and confirms it into a replenishment order', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.managerM1);
    await page.getByTestId('nav-restocking').click();
    await page.getByTestId('restock-compute').click();
    const qty1 = page.getByTestId('restock-qty-SKU1');
    await qty1.waitFor();
    // P = 0 < min → order max: SKU1 10, SKU2 6; nothing else (no stock, no sales, no other rule).
    expect(await page.getByTestId('restock-lines').locator('tbody tr').count()).toBe(2);
    expect(await qty1.inputValue()).toBe('10');
    expect(await page.getByTestId('restock-qty-SKU2').inputValue()).toBe('6');
    const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes(`/lines/${p1!.id}`));
    await qty1.fill('8');
    await qty1.press('Tab'); // the line is saved on blur
    expect((await saved).status()).toBe(204);
    await page.screenshot({ path: screenshotPath('inventory-walk-1-proposal'), fullPage: true });
    await page.getByTestId('restock-confirm').click();
    await page.getByRole('dialog').getByTestId('confirm').click();
    const orders = page.getByTestId('restock-orders');
    await expect.poll(() => orders.textContent(), { timeout: 10_000 }).toContain(`PR-${year}-`);
    orderNumber = /PR-\d{4}-\d+/.exec((await orders.textContent()) ?? '')![0];
    expect(await orders.textContent()).toContain(`${orderNumber} · 2`); // one order, two lines
  });

  it('HQ approves the order, picks and ships it: a delivery note, stock out of the warehouse at its average', async () => {
    await page.getByRole('button', { name: 'Salir' }).click();
    await ui.signIn(F.hq);
    await page.getByTestId('nav-replenishment-orders').click();
    const row = page.getByTestId('orders').locator('tbody tr').filter({ hasText: orderNumber });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await row.click();
    await expect.poll(() => page.getByTestId('order-title').textContent(), { timeout: 10_000 }).toContain(orderNumber);
    // The confirmed proposal's quantities: 8 (edited from 10) and 6.
    expect(await page.getByTestId('order-approved-SKU1').inputValue()).toBe('8');
    expect(await page.getByTestId('order-approved-SKU2').inputValue()).toBe('6');
    await page.getByTestId('order-approve').click();
    await page.getByTestId('order-picking').click();
    await page.getByTestId('order-picked-SKU1').waitFor();
    await page.getByTestId('order-picked-SKU1').fill('8');
    await page.getByTestId('order-picked-SKU2').fill('6');
    await page.getByTestId('order-ship').click();
    await expect.poll(() => page.getByTestId('order-note-link').count(), { timeout: 10_000 }).toBe(1);
    noteNumber = (await page.getByTestId('order-note-link').textContent()) ?? '';
    expect(noteNumber).toBe(`AL-${year}-000001`);
    await page.screenshot({ path: screenshotPath('inventory-walk-2-shipped'), fullPage: true });

    // Warehouse 12 / 4 at unchanged averages; Ruiz's transit 8 / 6 at the wholesale price, its average.
    expect([await level(WAREHOUSE, p1!.id), await level(WAREHOUSE, p2!.id)]).toEqual([12, 4]);
    expect([await avg(F.franchisor.id, p1!.id), await avg(F.franchisor.id, p2!.id)]).toEqual([2_000_000, 1_000_000]);
    expect([await transit(F.ruiz.id, p1!.id), await transit(F.ruiz.id, p2!.id)]).toEqual([8, 6]);
    expect([await avg(F.ruiz.id, p1!.id), await avg(F.ruiz.id, p2!.id)]).toEqual([3_500_000, 1_200_000]);
  });

  it('the till of M001 receives the delivery note by scanning, one SKU1 short, and sends the receipt up', async () => {
    await tillUi.typePin(tillUi.byTest('pinpad'), '4321');
    await tillUi.byTest('open-session-screen').waitFor();
    await tillUi.byTest('denominations').getByRole('button', { name: 'Uno más de 20 €', exact: true }).click();
    await tillUi.byTest('open-session').click();
    await tillUi.byTest('sell-screen').waitFor();
    await tillUi.byTest('nav-stock').click();
    await tillUi.byTest('stock-screen').waitFor();
    // The note reaches the till through the change feed (HQ nudged it on shipping).
    await tillUi.byTest(`delivery-note-${noteNumber}`).waitFor({ timeout: 30_000 });
    await tillUi.byTest(`delivery-note-${noteNumber}`).click();
    await tillUi.byTest('stock-receive').waitFor();
    // Shipped 8 × SKU1 and 6 × SKU2: SKU1 scanned 7 times, SKU2 6 times (each scan counts one).
    for (let i = 0; i < 7; i++) await tillUi.wedgeScan(BARCODE.SKU1);
    for (let i = 0; i < 6; i++) await tillUi.wedgeScan(BARCODE.SKU2);
    await tillUi.page.waitForSelector('[data-testid="receive-line-SKU1"][data-received="7"][data-damaged="0"]');
    await tillUi.page.waitForSelector('[data-testid="receive-line-SKU2"][data-received="6"][data-damaged="0"]');
    await tillUi.see(tillUi.byTest('receive-line-SKU1'), 'Faltan 1');
    await tillUi.shot('inventory-walk-3-till-receiving');
    await tillUi.byTest('stock-confirm-receipt').click();
    // Applied = HQ acknowledged the document from the till's outbox with receiveDeliveryAtStore's answer.
    await tillUi.page.waitForSelector('[data-testid="stock-document"][data-kind="stock.delivery_receipt"][data-status="applied"]', { timeout: 30_000 });
    await tillUi.byTest('stock-no-notes').waitFor(); // the received note left the till's list
    await tillUi.shot('inventory-walk-4-till-received');
    expect(tillUi.consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('HQ sees the note received with a difference of −1 and the incident in Incidencias', async () => {
    await page.goto(ui.url);
    await page.getByTestId('nav-delivery-notes').click();
    const row = page.getByTestId('notes').locator('tbody tr').filter({ hasText: noteNumber });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await row.click();
    await expect.poll(() => page.getByTestId('note-difference-SKU1').textContent(), { timeout: 10_000 }).toBe('-1');
    expect(await page.getByTestId('note-difference-SKU2').textContent()).toBe('0');
    expect(await page.getByTestId('note-line-SKU1').locator('td').nth(3).textContent()).toBe('7');
    expect(await page.getByTestId('note-line-SKU2').locator('td').nth(3).textContent()).toBe('6');
    expect(await page.getByTestId('note-in-transit').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('note-incident').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('inventory-walk-5-note'), fullPage: true });

    await page.getByTestId('nav-incidents').click();
    const incidents = page.getByTestId('incidents');
    await expect.poll(() => incidents.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    expect(await incidents.getByTestId('incident-title').first().textContent()).toContain('SKU1');
    expect(await incidents.getByTestId('incident-kind').first().textContent()).toBe('Diferencia en entrega');
    expect(await incidents.locator('tbody tr').first().textContent()).toContain('Madrid 1'); // the store's name
    await page.screenshot({ path: screenshotPath('inventory-walk-6-incidents'), fullPage: true });
  });

  it('stock and cost are right on both sides', async () => {
    // Warehouse: 12 @ 2,00 = 24,00 €; 4 @ 1,00 = 4,00 €.
    expect(await stockRow(WAREHOUSE, 'SKU1')).toEqual(['12', '2,00 €', '24,00 €']);
    expect(await stockRow(WAREHOUSE, 'SKU2')).toEqual(['4', '1,00 €', '4,00 €']);
    await page.screenshot({ path: screenshotPath('inventory-walk-7-warehouse'), fullPage: true });
    // Store M001: 7 @ 3,50 = 24,50 €; 6 @ 1,20 = 7,20 € (Ruiz's average = the wholesale price).
    expect(await stockRow(F.storeM1.id, 'SKU1')).toEqual(['7', '3,50 €', '24,50 €']);
    expect(await stockRow(F.storeM1.id, 'SKU2')).toEqual(['6', '1,20 €', '7,20 €']);
    await page.screenshot({ path: screenshotPath('inventory-walk-8-store'), fullPage: true });

    // The ledger says the same, and the missing SKU1 is still in Ruiz's transit until the note is closed.
    expect([await level(WAREHOUSE, p1!.id), await level(WAREHOUSE, p2!.id)]).toEqual([12, 4]);
    expect([await level(F.storeM1.id, p1!.id), await level(F.storeM1.id, p2!.id)]).toEqual([7, 6]);
    expect([await transit(F.ruiz.id, p1!.id), await transit(F.ruiz.id, p2!.id)]).toEqual([1, 0]);
    expect([await avg(F.franchisor.id, p1!.id), await avg(F.franchisor.id, p2!.id)]).toEqual([2_000_000, 1_000_000]);
    expect([await avg(F.ruiz.id, p1!.id), await avg(F.ruiz.id, p2!.id)]).toEqual([3_500_000, 1_200_000]);
  });
});
