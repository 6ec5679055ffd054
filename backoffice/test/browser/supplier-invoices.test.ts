/**
 * Supplier invoices in Chromium against a real back office (SQLite, built UI): HQ records the supplier's
 * invoice from a goods receipt (10 × 2,50 € received), types the invoiced price 2,60 € (+4 %, beyond the 1 %
 * tolerance), checks the match — that one line highlighted with the expected and invoiced net price —,
 * records it (waiting for approval), approves it with a note: posted with its register number and its due
 * date 30 days after the invoice date. The books page then makes the register of invoices received.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { exec } from '../../src/persistence/sql';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const WAREHOUSE = '00000000-0000-7000-8009-0000000000b1';
const [p0] = F.products;

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
  await exec(ui.ds.manager, "INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'CENTRAL', ?, 'Almacén central', NULL)", [WAREHOUSE, F.franchisor.id]);
  const supplier = (await ui.post('/api/suppliers', hq, { name: 'Distribuciones Norte S.L.', nif: 'B12345674', paymentTermsDays: 30 })).body.id as string;
  const order = (await ui.post('/api/purchase-orders', hq, { supplierId: supplier, locationId: WAREHOUSE, lines: [{ productId: p0!.id, quantity: 10, unitCostCents: 250 }] })).body.id as string;
  expect((await ui.post(`/api/purchase-orders/${order}/send`, hq)).status).toBe(200);
  expect((await ui.post(`/api/purchase-orders/${order}/receipts`, hq, { id: randomUUID(), lines: [{ orderLineNo: 1, quantity: 10 }] })).status).toBe(201);
});

afterAll(async () => {
  await ui?.close();
});

const pick = async (testId: string, option: RegExp) => {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).click();
};

describe('supplier invoice pages', () => {
  it('records an invoice from a receipt with one price difference, shows it, and approves it', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-supplier-invoices').click();
    // The entry sits in the new "Facturación / Invoicing" menu section.
    expect(await page.locator('#menu-section-invoicing').textContent()).toBe('Facturación');
    await page.getByTestId('new-supplier-invoice').click();
    await pick('si-company', /Franquicia S\.L\./);
    await pick('si-supplier', /Distribuciones Norte/);
    await page.getByTestId('si-number').fill('N-2026-0042');
    await page.getByTestId('si-receipts').getByRole('checkbox').first().check();
    await page.getByTestId('si-load').click();
    await expect.poll(() => page.getByTestId('si-line').count()).toBe(1);
    await expect.poll(() => page.getByTestId('si-line-qty').inputValue()).toBe('10');
    await expect.poll(() => page.getByTestId('si-line-price').inputValue()).toMatch(/^2[.,]5/);

    // As received and ordered: no difference.
    await page.getByTestId('si-check').click();
    await expect.poll(() => page.getByTestId('si-line').getAttribute('data-differences')).toBe('0');
    // The supplier invoiced 2,60 €: 10 × 2,60 = 26,00 + 21 % 5,46 = 31,46 €.
    await page.getByTestId('si-line-price').fill('2.6');
    await page.getByTestId('si-check').click();
    await expect.poll(() => page.getByTestId('si-line').getAttribute('data-differences')).toBe('1');
    await expect.poll(() => page.getByTestId('diff-price').textContent()).toMatch(/2,50.*2,60/);
    await expect.poll(() => page.getByTestId('si-check-total').textContent()).toMatch(/31,46/);
    await page.screenshot({ path: screenshotPath('backoffice-supplier-invoice-match'), fullPage: true });

    await page.getByTestId('si-save').click();
    await expect.poll(() => page.getByTestId('si-detail-status').textContent()).toBe('Pendiente de aprobación');
    await expect.poll(() => page.getByTestId('si-detail-line').getAttribute('data-differences')).toBe('1');
    await page.getByTestId('si-decision').fill('Subida de tarifa comunicada por el proveedor');
    // The "recorded" toast may sit over the buttons: close it first.
    await page.locator('.mantine-Notification-root .mantine-CloseButton-root').first().click().catch(() => undefined);
    await page.getByTestId('si-approve').click();
    await expect.poll(() => page.getByTestId('si-detail-status').textContent()).toBe('Contabilizada');
    await expect.poll(() => page.getByTestId('si-register').textContent()).toMatch(/^RC-\d{4}-000001$/);
    await expect.poll(() => page.getByTestId('si-due').textContent()).toMatch(/31,46/);
    await expect.poll(() => page.getByTestId('si-decision-note').textContent()).toBe('Subida de tarifa comunicada por el proveedor');
    await page.screenshot({ path: screenshotPath('backoffice-supplier-invoice-approved'), fullPage: true });

    // The list shows it posted; the books page makes this month's register of invoices received.
    await page.getByTestId('nav-supplier-invoices').click();
    await expect.poll(() => page.getByTestId('si-status').first().textContent()).toBe('Contabilizada');
    await page.getByTestId('nav-books').click();
    await pick('books-company', /Franquicia S\.L\./);
    await page.getByTestId('books-csv').click();
    await expect.poll(() => page.getByTestId('books-made').textContent()).toMatch(/^1 filas .*26,00.*5,46.*31,46/);
  });
});
