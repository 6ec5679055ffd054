/**
 * The Veri*Factu page in Chromium (built admin UI, real back office on SQLite, the AEAT stand-in on a loopback
 * port): HQ opens Facturación → Veri*Factu, picks November, sends Ruiz's records now (one is rejected by the
 * stand-in), sees the counts and the rejected record with the AEAT's error, resends it, and downloads the
 * month's XML export, which validates against the XSD. Screenshot: test-results/screenshots/backoffice-verifactu.png.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { MONTH, SCHEMA, seedMonth, xsdErrors } from '../support/verifactu-fixtures';
import { startAeatStandIn, type AeatStandIn } from '../../src/verifactu/standin';
import { all } from '../../src/persistence/sql';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
let aeat: AeatStandIn;
let victim = '';

beforeAll(async () => {
  aeat = await startAeatStandIn({ schema: SCHEMA });
  process.env.TPV_VERIFACTU_URL = aeat.url;
  ui = await startAdminUi();
  page = ui.page;
  await seedMonth(ui.ds);
  const [row] = await all<{ fiscal_number: string }>(ui.ds.manager, `SELECT fiscal_number FROM sale_ticket WHERE terminal_id = ? ORDER BY seq LIMIT 1 OFFSET 3`, [F.t1.id]);
  victim = row!.fiscal_number;
  aeat.reject(victim, '1100', 'NIF del destinatario no identificado.');
}, 300_000);

afterAll(async () => {
  await ui?.close();
  await aeat?.close();
  delete process.env.TPV_VERIFACTU_URL;
});

describe('Veri*Factu page', () => {
  it('sends, shows the rejected record with its error, resends it, and downloads a valid export', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-verifactu').click();
    await page.getByTestId('vf-month').fill(MONTH);
    const ruiz = page.getByTestId(`vf-company-${F.ruiz.nif}`);
    await ruiz.waitFor();
    await ruiz.getByTestId('vf-send').click();
    await expect.poll(async () => (await ruiz.getByTestId('vf-rejected-count').count()) > 0, { timeout: 30_000 }).toBe(true);
    const total = Number((await all<{ n: unknown }>(ui.ds.manager, `SELECT COUNT(*) AS n FROM verifactu_record WHERE company_id = ?`, [F.ruiz.id]))[0]!.n);
    expect(await ruiz.getByTestId('vf-accepted').textContent()).toBe((total - 1).toLocaleString('es-ES'));
    expect(await ruiz.getByTestId('vf-rejected-count').textContent()).toBe('1');

    await ruiz.getByTestId('vf-show-rejected').click();
    const row = page.getByTestId('vf-rejected-row');
    await row.waitFor();
    expect(await row.textContent()).toContain(victim);
    expect(await row.textContent()).toContain('1100 NIF del destinatario no identificado.');
    await page.screenshot({ path: screenshotPath('backoffice-verifactu'), fullPage: true });
    await row.getByTestId('vf-resend').click();
    await expect.poll(() => page.getByTestId('vf-rejected-row').count(), { timeout: 15_000 }).toBe(0);
    const [state] = await all<{ status: string }>(ui.ds.manager, `SELECT status FROM verifactu_record WHERE invoice_number = ?`, [victim]);
    expect(state!.status).toBe('pending');

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), ruiz.getByTestId('vf-export').click()]);
    expect(download.suggestedFilename()).toBe(`verifactu-${F.ruiz.nif}-${MONTH}.xml`);
    const xml = readFileSync((await download.path())!, 'utf8');
    expect(xsdErrors(xml)).toBe('');
    expect(xml).toContain(`<sf:NumSerieFactura>${victim}</sf:NumSerieFactura>`);
  }, 300_000);

  it('a franchisee manager sees the page for their company, without "send now"', async () => {
    await page.getByRole('button', { name: /Salir|Cerrar sesión/ }).click().catch(async () => page.goto(`${ui.url}/login`));
    await page.evaluate(() => localStorage.clear());
    await page.goto(ui.url);
    await ui.signIn(F.managerRuiz);
    await page.getByTestId('nav-verifactu').click();
    await page.getByTestId('vf-month').fill(MONTH);
    await page.getByTestId(`vf-company-${F.ruiz.nif}`).waitFor();
    expect(await page.getByTestId(`vf-company-${F.levante.nif}`).count()).toBe(0);
    expect(await page.getByTestId('vf-send').count()).toBe(0);
  }, 300_000);
});
