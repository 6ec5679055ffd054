/**
 * The catalog import page in Chromium (HQ, Spanish): a file with bad rows shows the counts and a table of
 * every bad row (row, column, message) and offers no import; a good file is checked, applied after the
 * confirmation, with the progress bar reaching the total and the result shown; the Jobs page lists both jobs
 * as done. Screenshot: test-results/screenshots/backoffice-import-errors.png.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { csvOf, ean13 } from '../support/imports';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const dir = mkdtempSync(path.join(tmpdir(), 'tpv-import-ui-'));

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  await page.goto(ui.url);
  await ui.signIn(F.hq);
  await page.getByTestId('nav-import').waitFor();
});
afterAll(async () => {
  await ui?.close();
});

const choose = async (name: string, content: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('import-check').click();
};

describe('catalog import page', () => {
  it('lists every bad row of a file and offers no import', async () => {
    await page.getByTestId('nav-import').click();
    await choose(
      'malo.csv',
      csvOf([
        ['UI-1', 'Naranja', '', 'Frutas', 10, '', 0, '1,25', '', ean13('841234599001'), 1],
        ['UI 2', 'Limón', '', 'Frutas', 10, '', 0, '1,25', '', '', 1],
        ['UI-3', 'Pera', '', 'Frutas', 9, '', 0, 'uno', '', '', 1],
      ]),
    );
    await page.getByTestId('import-bad').waitFor();
    expect(await page.getByTestId('import-bad').textContent()).toContain('2 fila(s) con errores');
    const cells = async (id: string) => (await page.getByTestId(id).allTextContents()).map((s) => s.trim());
    expect(await cells('error-row')).toEqual(['3', '4', '4']);
    expect(await cells('error-column')).toEqual(['sku', 'price', 'tax_rate']);
    expect(await cells('error-message')).toEqual(['SKU: solo letras, cifras y . _ - / (hasta 64)', 'importe en euros con hasta 2 decimales, p. ej. 1,25', 'tipo de IVA desconocido "9" (21, 10, 4 o 0)']);
    expect(await page.getByTestId('count-rows').textContent()).toContain('3');
    expect(await page.getByTestId('import-apply').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('backoffice-import-errors'), fullPage: true });
    const n = (await ui.ds.query(`SELECT COUNT(*) AS n FROM product WHERE sku LIKE 'UI%'`)) as Array<{ n: number }>;
    expect(Number(n[0]!.n)).toBe(0);
  });

  it('checks and applies a good file with a progress bar up to the total', async () => {
    await page.getByTestId('import-another').click();
    const rows = Array.from({ length: 300 }, (_, i) => [`UI-${i}`, `Artículo ${i}`, `Item ${i}`, 'Bebidas > Zumos', 10, '', 0, '1,10', '0,50', ean13(`8412345${String(10000 + i)}`), 1]);
    await choose('bueno.csv', csvOf(rows));
    await page.getByTestId('import-ok').waitFor();
    expect(await page.getByTestId('count-new').textContent()).toContain('300');
    await page.getByTestId('import-apply').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Importar 300 artículos' }).click();
    await page.getByTestId('import-applied').waitFor();
    expect(await page.getByTestId('import-applied').textContent()).toContain('300 nuevos');
    const bar = page.getByTestId('import-apply-progress');
    expect(await bar.getAttribute('data-status')).toBe('succeeded');
    expect([await bar.getAttribute('data-done'), await bar.getAttribute('data-total')]).toEqual(['300', '300']);
    const n = (await ui.ds.query(`SELECT COUNT(*) AS n FROM product WHERE sku LIKE 'UI-%'`)) as Array<{ n: number }>;
    expect(Number(n[0]!.n)).toBe(300);
  });

  it('shows the import jobs on the Jobs page as done', async () => {
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('job-status').first().waitFor();
    const statuses = (await page.getByTestId('job-status').allTextContents()).map((s) => s.trim());
    expect(statuses).toEqual(['terminada', 'terminada', 'terminada']); // apply, good check, bad check (newest first)
    expect(await page.getByText('Importar artículos', { exact: true }).count()).toBeGreaterThan(0);
  });
});
