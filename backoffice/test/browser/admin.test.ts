/**
 * The admin UI (built backoffice/ui) in Chromium against a real back office on SQLite: login, a manager sees
 * only their company's terminals, asks for a pairing code, sees a day's sales and the stock with its movements
 * after a terminal synced tickets over socket.io; English/Spanish switch. Screenshots: test-results/screenshots/backoffice-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F, factoryFor } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
let url: string;

beforeAll(async () => {
  ui = await startAdminUi();
  ({ page, url } = ui);
  // A till at M001 syncs a few sales.
  const term = await ui.pairTill(F.t1.id);
  const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 5);
  await term.send([f.sale({ lines: [{ product: F.products[0]!, units: 2 }] }), f.sale({ lines: [{ product: F.products[0]!, units: 1 }, { product: F.products[1]!, units: 1 }] })]);
  term.close();
});

afterAll(async () => {
  await ui?.close();
});

describe('back-office admin UI', () => {
  it('signs a manager in and shows only their terminals, with sync state and a pairing code', async () => {
    await page.goto(url);
    await page.getByLabel('Correo electrónico').fill(F.managerRuiz.email);
    await page.getByLabel('Contraseña').fill('wrong');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').filter({ hasText: 'incorrectos' }).waitFor();
    await page.getByLabel('Contraseña').fill(F.managerRuiz.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByTestId('nav-terminals').click();
    const table = page.getByTestId('terminals');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2); // M001's two tills; València is another company
    await expect.poll(() => rows.first().textContent()).toContain('M001 · 01');
    expect(await rows.first().textContent()).toContain('2'); // acked seq
    await rows.nth(1).getByRole('button', { name: 'Código de emparejamiento' }).click();
    await expect.poll(() => rows.nth(1).textContent()).toMatch(/Código [0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/);
    await page.screenshot({ path: screenshotPath('backoffice-terminals'), fullPage: true });
  });

  it('replaces a till: the old row says by which, the new one (own code) shows its pairing code', async () => {
    const rows = page.getByTestId('terminals').locator('tbody tr');
    await rows.nth(1).getByTestId('replace').click();
    await page.getByRole('dialog').getByTestId('confirm').click(); // the confirmation, then the replacement
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => rows.nth(1).getByTestId('terminal-status').textContent()).toBe('sustituida por 03');
    expect(await rows.nth(2).textContent()).toMatch(/M001 · 03 · Caja 02.*sustituye a 02.*Código [0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/);
    expect(await rows.nth(1).getByTestId('replace').count()).toBe(0);
  });

  it('shows sales per store and day and the stock with its movements, in English too', async () => {
    await page.getByTestId('nav-sales').click();
    const sales = page.getByTestId('sales');
    await sales.waitFor();
    expect(await sales.locator('tbody tr').first().textContent()).toContain('2026-11-23');
    await page.getByTestId('nav-stock').click();
    const stock = page.getByTestId('stock');
    await stock.waitFor();
    const row = stock.locator('tbody tr').filter({ hasText: 'Producto 1' }).first();
    expect(await row.locator('td').nth(1).textContent()).toBe('-3');
    await row.click();
    const mv = page.getByTestId('movements');
    await mv.waitFor();
    expect(await mv.locator('tbody tr').count()).toBe(2);
    expect(await mv.textContent()).toContain('venta');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => mv.textContent()).toContain('sale');
    await page.screenshot({ path: screenshotPath('backoffice-stock'), fullPage: true });
  });
});
