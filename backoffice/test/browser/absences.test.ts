/**
 * Absences and holidays in the browser (issue 16), Chromium against a real back office on SQLite:
 *   1. Bea (Madrid 1, hired on 1 January of last year: a whole year's 30 days) signs in to her self-service page
 *      and asks for 10 days of holidays next July; the page shows the request and the balance (20 left); asking
 *      for 25 more days is refused with the API's reason, nothing sent.
 *   2. Madrid 1's manager opens "Ausencias y vacaciones", sees her request waiting, approves it; records a
 *      sick leave for her that the list shows approved.
 *   3. Bea's page shows the holidays approved and the balance 30 / 10 approved / 20 left.
 * And the labour inspectorate's access (same server): HQ grants an inspector a key for Ruiz on "Inspección de
 * Trabajo" (shown once); on /inspector the key shows Ruiz, Bea among the month's workers and her monthly PDF
 * (pdftotext: her name); revoked, the key no longer opens the page.
 * Screenshots: test-results/screenshots/absences-*.png, inspector-*.png.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const year = new Date().getFullYear() + 1;
const PASSWORD = 'bea-autoservicio';

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
  const hired = await ui.post('/api/people/employees', hq, {
    companyId: F.ruiz.id, storeId: F.storeM1.id, code: 'E-BEA', name: 'Bea Ruiz', hiredOn: `${year - 2}-01-01`, selfServicePassword: PASSWORD,
    contract: { type: 'indefinido', weeklyHours: 40, startsOn: `${year - 2}-01-01` },
  });
  expect(hired.status, JSON.stringify(hired.body)).toBe(201);
});
afterAll(async () => {
  await ui?.close();
});

async function selfService() {
  await page.goto(`${ui.url}/self-service`);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.getByTestId('self-nif').fill(F.ruiz.nif);
  await page.getByTestId('self-code').fill('E-BEA');
  await page.getByTestId('self-secret').fill(PASSWORD);
  await page.getByTestId('self-login').click();
  await page.getByTestId('self-absences').waitFor();
  await page.getByLabel('year').fill(String(year));
}

describe('absences and holidays', () => {
  it('1. the worker asks for ten days of holidays on her self-service page; too many days are refused', async () => {
    await selfService();
    await expect.poll(() => page.getByTestId('self-holiday-balance').textContent()).toBe(`Vacaciones ${year}: 30 días; aprobados 0, pedidos 0, quedan 30`);
    await page.getByTestId('self-absence-from').fill(`${year}-07-06`);
    await page.getByTestId('self-absence-to').fill(`${year}-07-15`);
    await page.getByTestId('self-absence-send').click();
    await expect.poll(() => page.getByTestId('self-holiday-balance').textContent()).toBe(`Vacaciones ${year}: 30 días; aprobados 0, pedidos 10, quedan 20`);
    expect(await page.getByTestId('self-absence').getAttribute('data-status')).toBe('requested');
    await page.getByTestId('self-absence-from').fill(`${year}-08-01`);
    await page.getByTestId('self-absence-to').fill(`${year}-08-25`);
    await page.getByTestId('self-absence-send').click();
    await expect.poll(() => page.getByTestId('self-absence-error').textContent()).toContain('Pide 25 días y le quedan 20 de 30');
    expect(await page.getByTestId('self-absence').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('absences-1-self-service'), fullPage: true });
  });

  it('2. her store manager approves it and records a sick leave', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.managerM1);
    await page.getByTestId('nav-absences').click();
    const pending = page.getByTestId('absence-pending');
    await expect.poll(() => pending.count()).toBe(1);
    expect(await pending.textContent()).toContain('Bea Ruiz');
    await pending.getByTestId('absence-approve').click();
    await expect.poll(() => pending.count()).toBe(0);
    await page.getByTestId('absence-employee').click();
    await page.getByRole('option', { name: 'Bea Ruiz (E-BEA)' }).click();
    await page.getByTestId('absence-from').fill(`${year}-03-02`);
    await page.getByTestId('absence-to').fill(`${year}-03-04`);
    await page.getByTestId('absence-save').click();
    const rows = page.getByTestId('absence-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-status'), r.querySelectorAll('td')[1]?.textContent, r.querySelectorAll('td')[3]?.textContent]))).toEqual([
      ['approved', 'Vacaciones', '10'],
      ['approved', 'Baja médica', '3'],
    ]);
    await page.screenshot({ path: screenshotPath('absences-2-manager'), fullPage: true });
  });

  it('3. the worker sees her holidays approved; the sick leave does not draw on them', async () => {
    await selfService();
    await expect.poll(() => page.getByTestId('self-holiday-balance').textContent()).toBe(`Vacaciones ${year}: 30 días; aprobados 10, pedidos 0, quedan 20`);
    expect(await page.getByTestId('self-absence').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')))).toEqual(['approved', 'approved']);
    await page.screenshot({ path: screenshotPath('absences-3-approved'), fullPage: true });
  });
});

describe('labour inspectorate access', () => {
  it('HQ grants a key for Ruiz; the inspector reads the month and a worker’s PDF with it; revoked, it opens nothing', async () => {
    await page.goto(ui.url);
    await page.evaluate(() => localStorage.clear());
    await page.goto(ui.url);
    if (await page.getByRole('button', { name: 'Salir' }).isVisible()) await page.getByRole('button', { name: 'Salir' }).click();
    await ui.signIn(F.hq);
    await page.getByTestId('nav-inspector-access').click();
    await page.getByTestId('inspector-company').click();
    await page.getByRole('option', { name: 'Ruiz S.L.', exact: true }).click();
    await page.getByTestId('inspector-name').fill('Inspectora M. López');
    await page.getByTestId('inspector-reference').fill('ITSS 28/1234/26');
    await page.getByTestId('inspector-give').click();
    const key = (await page.getByTestId('inspector-key').textContent())!.trim();
    expect(key.length).toBeGreaterThan(30);
    await page.screenshot({ path: screenshotPath('inspector-1-granted'), fullPage: true });

    await page.goto(`${ui.url}/inspector`);
    await page.getByTestId('inspector-key-input').fill(key);
    await page.getByTestId('inspector-enter').click();
    await expect.poll(() => page.getByTestId('inspector-company').textContent()).toBe(`Ruiz S.L. · ${F.ruiz.nif}`);
    await page.getByTestId('inspector-month').fill(`${year}-07`);
    const bea = page.getByTestId('inspector-employee').filter({ hasText: 'Bea Ruiz' });
    await expect.poll(() => bea.count()).toBe(1);
    const [pdf] = await Promise.all([page.waitForEvent('download'), bea.getByTestId('inspector-pdf').click()]);
    const text = execFileSync('pdftotext', ['-layout', await pdf.path(), '-']).toString();
    expect(text).toContain('Bea Ruiz');
    expect(readFileSync(await pdf.path()).subarray(0, 4).toString()).toBe('%PDF');
    await page.screenshot({ path: screenshotPath('inspector-2-month'), fullPage: true });

    await page.goto(`${ui.url}/people/inspector-access`);
    await page.getByTestId('inspector-revoke').click();
    await expect.poll(() => page.getByTestId('inspector-revoke').count()).toBe(0);
    await page.goto(`${ui.url}/inspector`);
    await expect.poll(() => page.getByTestId('inspector-error').textContent()).toContain('revocada');
  });
});
