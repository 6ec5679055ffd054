/**
 * Purchasing in Chromium against a real back office (SQLite, built UI): HQ creates a purchase order for the
 * central warehouse from the supplier's products, sends it (number PC-…), receives part of it by scanning a
 * barcode three times, then the rest by typing; the order's page shows what arrived, the stock at the
 * warehouse and the average cost (2,50 € = the line's net cost, no stock before), and the order is received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { exec } from '../../src/persistence/sql';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const WAREHOUSE = '00000000-0000-7000-8009-0000000000b1';
const [p0, p1] = F.products; // SKU1 (units), SKU2 (units)

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
  const call = (method: string, path: string, body: unknown) =>
    fetch(ui.url + path, { method, headers: { authorization: `Bearer ${hq}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await exec(ui.ds.manager, "INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'CENTRAL', ?, 'Almacén central', NULL)", [WAREHOUSE, F.franchisor.id]);
  await exec(ui.ds.manager, "INSERT INTO product_barcode (barcode, product_id) VALUES ('8410000000017', ?)", [p0!.id]);
  const supplier = (await ui.post('/api/suppliers', hq, { name: 'Distribuciones Norte S.L.', iban: 'ES9121000418450200051332' })).body.id as string;
  expect((await call('PUT', `/api/suppliers/${supplier}/products/${p0!.id}`, { reference: 'N-1', costCents: 250, preferred: true })).status).toBe(200);
  expect((await call('PUT', `/api/suppliers/${supplier}/products/${p1!.id}`, { reference: 'N-2', costCents: 180 })).status).toBe(200);
});

afterAll(async () => {
  await ui?.close();
});

const pick = async (testId: string, option: RegExp, nth = 0) => {
  await page.getByTestId(testId).nth(nth).click();
  await page.getByRole('option', { name: option }).click();
};

describe('purchasing pages', () => {
  it('creates, sends and receives an order in two receipts (scanning, then typing); stock and average cost shown', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-orders').click();
    await page.getByTestId('new-po').click();
    await pick('po-supplier', /Distribuciones Norte/);
    await expect.poll(() => page.getByTestId('po-location').inputValue()).toMatch(/CENTRAL/);
    await page.getByTestId('po-add-line').click();
    await pick('po-line-product', /SKU1 ·/, 0);
    await page.getByTestId('po-line-qty').nth(0).fill('10');
    await page.getByTestId('po-add-line').click();
    await pick('po-line-product', /SKU2 ·/, 1);
    await page.getByTestId('po-line-qty').nth(1).fill('4');
    // 10 × 2,50 + 4 × 1,80 = 32,20 € base.
    await expect.poll(() => page.getByTestId('po-form-base').textContent()).toMatch(/32,20/);
    await page.getByTestId('po-save').click();

    await page.getByTestId('po-send').click();
    await expect.poll(() => page.getByTestId('po-number').textContent()).toMatch(/^PC-\d{4}-000001$/);
    await expect.poll(() => page.getByTestId('po-detail-status').textContent()).toBe('Enviado');

    // First receipt: three scans of SKU1's barcode.
    await page.getByTestId('po-receive').click();
    const scan = page.getByTestId('receive-scan');
    for (let i = 0; i < 3; i++) {
      await scan.fill('8410000000017');
      await scan.press('Enter');
    }
    await expect.poll(() => page.getByTestId('receive-line-SKU1').getByTestId('receive-qty').inputValue()).toBe('3');
    await page.getByTestId('receive-post').click();
    await expect.poll(() => page.getByTestId('po-detail-status').textContent()).toBe('Recibido en parte');
    const line1 = page.getByTestId('po-line-SKU1');
    await expect.poll(() => line1.getByTestId('po-line-received').textContent()).toBe('3');
    await expect.poll(() => line1.getByTestId('po-line-onhand').textContent()).toBe('3');
    await expect.poll(() => line1.getByTestId('po-line-avg').textContent()).toMatch(/2,50/);

    // Second receipt: the rest, typed.
    await page.getByTestId('po-receive').click();
    await page.getByTestId('receive-line-SKU1').getByTestId('receive-qty').fill('7');
    await page.getByTestId('receive-line-SKU2').getByTestId('receive-qty').fill('4');
    await page.getByTestId('receive-post').click();
    await expect.poll(() => page.getByTestId('po-detail-status').textContent()).toBe('Recibido');
    await expect.poll(() => line1.getByTestId('po-line-onhand').textContent()).toBe('10');
    await expect.poll(() => page.getByTestId('po-line-SKU2').getByTestId('po-line-avg').textContent()).toMatch(/1,80/);
    await expect.poll(() => page.getByTestId('po-receipt').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('backoffice-purchase-order'), fullPage: true });

    // The supplier's page shows its IBAN and the products it sells with their terms.
    await page.getByTestId('nav-suppliers').click();
    await page.getByTestId('suppliers').locator('tbody tr').first().click();
    await expect.poll(() => page.getByTestId('supplier-iban').inputValue()).toBe('ES9121000418450200051332');
    await expect.poll(() => page.getByTestId('supplier-products').locator('tbody tr').count()).toBe(2);
  });
});
