/**
 * Catalog pages in Chromium against a real back office (SQLite, built UI): HQ finds a product by SKU, edits its
 * price in the form (validated by the API's schema) and sees it in the list; a category with products cannot
 * be deleted and the page says why; a bulk edit of two ticked rows changes those two only; on Prices HQ schedules a store price change at a local date and time,
 * sees it among the upcoming changes and cancels it. Screenshot: test-results/screenshots/backoffice-prices.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
let hq: string;
const CAT = '00000000-0000-7000-8016-000000000001';

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
  const put = (path: string, body: unknown) =>
    fetch(ui.url + path, { method: 'PUT', headers: { authorization: `Bearer ${hq}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await put(`/api/categories/${CAT}`, { name: 'Despensa', parentId: null })).status).toBe(200);
  const p = F.products[0]!;
  expect((await put(`/api/products/${p.id}`, { sku: 'SKU1', name: p.name, categoryId: CAT, taxRateBp: p.taxRateBp, priceCents: p.priceCents })).status).toBe(200);
});

afterAll(async () => {
  await ui?.close();
});

describe('catalog pages', () => {
  it('edits a product’s price, refuses to delete a category in use, schedules and cancels a price change', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-products').click();
    const table = page.getByTestId('products');
    await table.waitFor();
    await page.getByPlaceholder('SKU, nombre o código de barras').fill('SKU10');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await table.locator('tbody tr').first().click();

    const price = page.getByTestId('product-price');
    await price.waitFor();
    await price.fill('');
    await price.fill('12,34'.replace(',', '.'));
    await page.getByTestId('product-form').getByRole('button', { name: 'Guardar' }).click();
    await expect.poll(async () => (await (await fetch(`${ui.url}/api/products/${F.products[9]!.id}`, { headers: { authorization: `Bearer ${hq}` } })).json()).priceCents).toBe(1234);
    // Bad input stays on the form with the field's message, nothing saved.
    await page.getByTestId('product-sku').fill('');
    await page.getByTestId('product-form').getByRole('button', { name: 'Guardar' }).click();
    await expect.poll(() => page.getByTestId('product-form').textContent()).toMatch(/SKU/);

    // Bulk edit of two ticked rows: a fixed price for those two only.
    await page.getByTestId('nav-products').click();
    await page.getByPlaceholder('SKU, nombre o código de barras').fill('SKU1');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(4);
    await page.getByTestId('select-SKU11').click();
    await page.getByTestId('select-SKU12').click();
    await page.getByTestId('bulk-edit').click();
    await page.getByTestId('bulk-price-mode').click();
    await page.getByRole('option', { name: 'Precio fijo €' }).click();
    await page.getByTestId('bulk-price-value').fill('2');
    await page.getByTestId('bulk-apply').click();
    const priceOf = async (i: number) => (await (await fetch(`${ui.url}/api/products/${F.products[i]!.id}`, { headers: { authorization: `Bearer ${hq}` } })).json()).priceCents;
    await expect.poll(() => priceOf(10)).toBe(200);
    expect([await priceOf(11), await priceOf(0)]).toEqual([200, F.products[0]!.priceCents]);

    await page.getByTestId('nav-categories').click();
    await page.getByTestId('delete-Despensa').click();
    // The confirmation dialog's button, not the row's icon of the same name behind the overlay.
    await page.getByRole('dialog').getByRole('button', { name: 'Eliminar' }).click();
    await expect.poll(() => page.locator('.mantine-Notification-root').last().textContent()).toMatch(/1 product/);
    expect(await page.getByTestId('category-tree').textContent()).toContain('Despensa');

    await page.getByTestId('nav-prices').click();
    await page.getByTestId('price-store').click();
    await page.getByRole('option', { name: /M001/ }).click();
    await page.getByTestId('price-product').click();
    await page.getByTestId('price-product').fill('SKU1');
    await page.getByRole('option', { name: /^SKU1 · / }).click();
    await expect.poll(() => page.getByTestId('price-now').textContent()).toMatch(/0,95/);
    await page.getByTestId('schedule-price').fill('1.10');
    await page.getByTestId('schedule-date').fill('2099-03-29');
    await page.getByTestId('schedule-time').fill('09:30');
    await page.getByTestId('schedule-submit').click();
    const changes = page.getByTestId('price-changes');
    await expect.poll(() => changes.textContent()).toContain('2099-03-29 09:30 (Europe/Madrid)');
    expect(await changes.textContent()).toMatch(/1,10/);
    await page.screenshot({ path: screenshotPath('backoffice-prices'), fullPage: true });
    await changes.getByTestId('cancel-change').click();
    await page.getByRole('button', { name: 'Cancelar el cambio' }).click();
    await expect.poll(() => changes.getByTestId('cancel-change').count()).toBe(0);
    const list = await (await fetch(`${ui.url}/api/price-changes?productId=${F.products[0]!.id}`, { headers: { authorization: `Bearer ${hq}` } })).json();
    expect(list.items.map((c: { status: string; localTime: string }) => [c.status, c.localTime])).toEqual([['cancelled', '2099-03-29T09:30']]);
  });
});
