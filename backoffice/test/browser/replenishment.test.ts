/**
 * Replenishment in the admin UI (built backoffice/ui) in Chromium against a real back office on SQLite: the
 * store manager of M001 has an order registered; HQ raises one quantity, approves, starts picking, types the
 * picked quantities and ships; the store manager receives the delivery note with one unit short; the
 * incident appears; stock and cost are right on both sides (worked by hand below).
 * Screenshot: test-results/screenshots/backoffice-delivery-note.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';
import { postStockMoves } from '../../src/stock/ledger';
import { startAdminUi, type AdminUi } from './support/admin-ui';

const WAREHOUSE = '00000000-0000-7000-8009-0000000000b1';
const clock = { now: () => Date.now() };
const [p1, p2] = F.products;

let ui: AdminUi;
let page: Page;
let orderNumber = '';

const level = async (loc: string, product: string) =>
  Number((await all<{ quantity: unknown }>(ui.ds.manager, 'SELECT quantity FROM stock_level WHERE location_id = ? AND product_id = ?', [loc, product]))[0]?.quantity ?? 0);
const avg = async (company: string, product: string) =>
  (await all<{ a: unknown }>(ui.ds.manager, 'SELECT avg_cost_micros AS a FROM stock_cost WHERE company_id = ? AND product_id = ?', [company, product])).map((r) => Number(r.a))[0];

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  await exec(ui.ds.manager, `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'CENTRAL', ?, 'Almacén central', NULL)`, [WAREHOUSE, F.franchisor.id]);
  // The warehouse holds p1 (SKU1) 20 @ 2,00 € and p2 (SKU2) 10 @ 1,00 €.
  await writeTransaction(ui.ds, (m) =>
    postStockMoves(m, clock, [
      { documentType: 'test', documentId: '00000000-0000-7000-8010-0000000000b1', documentLine: 1, locationId: WAREHOUSE, productId: p1!.id, delta: 20, reason: 'receipt', purchaseCostMicros: 2_000_000 },
      { documentType: 'test', documentId: '00000000-0000-7000-8010-0000000000b1', documentLine: 2, locationId: WAREHOUSE, productId: p2!.id, delta: 10, reason: 'receipt', purchaseCostMicros: 1_000_000 },
    ]),
  );
  const hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
  await fetch(`${ui.url}/api/wholesale-prices`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${hq}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prices: [{ productId: p1!.id, priceCents: 350 }, { productId: p2!.id, priceCents: 120 }] }),
  });
  // The store manager's order: 6 × SKU1, 4 × SKU2.
  const m1 = (await ui.post('/api/auth/login', undefined, F.managerM1)).body.token as string;
  const order = await ui.post('/api/replenishment-orders', m1, { storeId: F.storeM1.id, lines: [{ productId: p1!.id, quantity: 6 }, { productId: p2!.id, quantity: 4 }] });
  expect(order.status).toBe(201);
  orderNumber = order.body.number as string;
});

afterAll(async () => ui?.close());

describe('replenishment pages', () => {
  it('HQ approves (raising a quantity), picks and ships the order', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-replenishment-orders').click();
    const table = page.getByTestId('orders');
    await expect.poll(() => table.locator('tbody tr').filter({ hasText: orderNumber }).count(), { timeout: 10_000 }).toBe(1);
    await table.locator('tbody tr').filter({ hasText: orderNumber }).click();
    await expect.poll(() => page.getByTestId('order-title').textContent(), { timeout: 10_000 }).toContain(orderNumber);

    // 4 → 5 of SKU2, then approve (the typed quantities are saved with it).
    await page.getByTestId('order-approved-SKU2').fill('5');
    await page.getByTestId('order-approve').click();
    await expect.poll(() => page.getByTestId('order-changes').textContent(), { timeout: 10_000 }).toContain('4 → 5');
    await page.getByTestId('order-picking').click();
    await page.getByTestId('order-picked-SKU1').waitFor();
    await page.getByTestId('order-picked-SKU1').fill('6');
    await page.getByTestId('order-picked-SKU2').fill('5');
    await page.getByTestId('order-ship').click();
    await expect.poll(() => page.getByTestId('order-note-link').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('order-note-link').textContent()).toBe('AL-2026-000001'.replace('2026', String(new Date().getUTCFullYear())));

    // Warehouse: 20 − 6 = 14, 10 − 5 = 5; Ruiz's average = the wholesale price (it held none): 3,50 / 1,20 €.
    expect([await level(WAREHOUSE, p1!.id), await level(WAREHOUSE, p2!.id)]).toEqual([14, 5]);
    expect([await avg(F.franchisor.id, p1!.id), await avg(F.franchisor.id, p2!.id)]).toEqual([2_000_000, 1_000_000]);
    expect([await avg(F.ruiz.id, p1!.id), await avg(F.ruiz.id, p2!.id)]).toEqual([3_500_000, 1_200_000]);
  });

  it('the store receives it with one unit short; the incident appears', async () => {
    await page.getByRole('button', { name: 'Salir' }).click();
    await ui.signIn(F.managerM1);
    await page.getByTestId('nav-delivery-notes').click();
    const table = page.getByTestId('notes');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    await table.locator('tbody tr').first().click();
    await page.getByTestId('note-received-SKU1').waitFor();
    // Shipped 6 + 5: 5 of SKU1 arrived.
    await page.getByTestId('note-received-SKU1').fill('5');
    await page.getByTestId('note-receive').click();
    await expect.poll(() => page.getByTestId('note-difference-SKU1').textContent(), { timeout: 10_000 }).toBe('-1');
    expect(await page.getByTestId('note-difference-SKU2').textContent()).toBe('0');
    expect(await page.getByTestId('note-in-transit').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('note-incident').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('backoffice-delivery-note'), fullPage: true });

    await page.getByTestId('nav-incidents').click();
    const incidents = page.getByTestId('incidents');
    await expect.poll(() => incidents.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    expect(await incidents.getByTestId('incident-title').first().textContent()).toContain('SKU1');
    expect(await incidents.getByTestId('incident-kind').first().textContent()).toBe('Diferencia en entrega');

    // Store: SKU1 5, SKU2 5; one SKU1 still in transit; Ruiz's averages unchanged by the transit → store move.
    expect([await level(F.storeM1.id, p1!.id), await level(F.storeM1.id, p2!.id)]).toEqual([5, 5]);
    expect([await avg(F.ruiz.id, p1!.id), await avg(F.ruiz.id, p2!.id)]).toEqual([3_500_000, 1_200_000]);
  });
});
