/**
 * Tasks and the documents library in the admin UI (issue 16), in Chromium against a real back office on SQLite:
 *   1. HQ assigns an opening checklist with two items to store M001 (due tomorrow) from "Tareas de tiendas"; the
 *      task's page lists the store with both items open. The store's manager signs in, ticks the first item on the
 *      task's page (kept with their name, "en la central"), and the list shows the store's task at 1 / 2, open.
 *   2. HQ publishes a procedure (a file) for the whole network; the store manager sees it "Por confirmar",
 *      acknowledges version 1, downloads it (the same bytes); HQ publishes version 2 and the manager has to
 *      acknowledge again, while the page still lists the v1 acknowledgement as earlier.
 * Screenshots: test-results/screenshots/office-tasks-*.png, office-documents-*.png.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const PROCEDURE = Buffer.from('Procedimiento de apertura\n1. Desactivar la alarma.\n2. Encender luces y cajas.\n', 'utf8');

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  await page.goto(ui.url);
});
afterAll(async () => {
  await ui?.close();
});

async function signInAs(who: { email: string; password: string }) {
  const out = page.getByRole('button', { name: 'Salir' });
  if (await out.isVisible()) await out.click();
  await ui.signIn(who);
  await page.getByTestId('user').waitFor();
}

/** datetime-local value for tomorrow 10:00 in the browser's zone. */
function tomorrowAt10(): string {
  const d = new Date(Date.now() + 86_400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T10:00`;
}

describe('store tasks in the back office', () => {
  let taskUrl = '';
  it('HQ assigns a checklist to one store; its manager ticks an item; the list shows the progress', async () => {
    await signInAs(F.hq);
    await page.getByTestId('nav-tasks').click();
    await page.getByTestId('task-new').waitFor();
    await page.getByTestId('task-title').fill('Apertura de diciembre');
    await page.getByTestId('task-due').fill(tomorrowAt10());
    await page.getByTestId('task-items').fill('Revisar extintores\nColocar vinilos de Navidad\n');
    await page.getByTestId('task-target').click();
    await page.getByRole('option', { name: 'Tiendas', exact: true }).click();
    await page.getByTestId('task-stores').click();
    await page.getByRole('option', { name: `${F.storeM1.code} · Madrid 1` }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('task-assign').click();
    const store = page.getByTestId('task-store');
    await expect.poll(() => store.count()).toBe(1);
    expect(await store.textContent()).toContain('Madrid 1');
    expect(await page.getByTestId('task-store-item').evaluateAll((rows) => rows.map((r) => [r.textContent?.slice(0, 40), r.getAttribute('data-done')]))).toEqual([
      [expect.stringContaining('Revisar extintores'), 'no'],
      [expect.stringContaining('Colocar vinilos de Navidad'), 'no'],
    ]);
    taskUrl = page.url();
    await page.screenshot({ path: screenshotPath('office-tasks-assigned'), fullPage: true });

    await signInAs(F.managerM1);
    await page.goto(taskUrl);
    await page.getByTestId('task-item-check').first().click();
    await expect.poll(() => page.getByTestId('task-item-by').first().textContent()).toBe('Madrid 1 · en la central');
    expect(await page.getByTestId('task-store-item').first().getAttribute('data-done')).toBe('yes');
    await page.getByTestId('nav-tasks').click();
    const row = page.getByTestId('task-row').filter({ hasText: 'Apertura de diciembre' });
    await expect.poll(() => row.getByTestId('task-row-done').textContent()).toBe('1 / 2');
    expect(await row.getByTestId('task-row-status').textContent()).toBe('Pendiente');
    await page.screenshot({ path: screenshotPath('office-tasks-list'), fullPage: true });
  });
});

describe('documents library in the back office', () => {
  it('HQ publishes a procedure; the manager acknowledges v1 and downloads it; v2 asks for a new acknowledgement', async () => {
    await signInAs(F.hq);
    await page.getByTestId('nav-documents').click();
    await page.getByTestId('document-title').fill('Procedimiento de apertura');
    await page.locator('input[type=file]').setInputFiles({ name: 'apertura.txt', mimeType: 'text/plain', buffer: PROCEDURE });
    await page.getByTestId('document-target').click();
    await page.getByRole('option', { name: 'Toda la red', exact: true }).click();
    await page.getByTestId('document-publish').click();
    await page.getByTestId('document-versions').waitFor();
    const docUrl = page.url();

    await signInAs(F.managerM1);
    await page.getByTestId('nav-documents').click();
    const row = page.getByTestId('document-row').filter({ hasText: 'Procedimiento de apertura' });
    await expect.poll(() => row.getByTestId('document-row-ack').textContent()).toBe('Por confirmar');
    await row.click();
    await page.getByTestId('document-acknowledge').click();
    await expect.poll(() => page.getByTestId('document-acknowledged').textContent()).toBe('Confirmada la v1');
    expect(await page.getByTestId('document-ack').first().textContent()).toContain('Madrid 1');
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('document-download').first().click()]);
    expect(file.suggestedFilename()).toBe('apertura.txt');
    expect(readFileSync(await file.path())).toEqual(PROCEDURE);

    await signInAs(F.hq);
    await page.goto(docUrl);
    await page.locator('input[type=file]').setInputFiles({ name: 'apertura-v2.txt', mimeType: 'text/plain', buffer: Buffer.from('Procedimiento de apertura v2\n') });
    await page.getByTestId('document-version-publish').click();
    await expect.poll(() => page.getByTestId('document-version').count()).toBe(2);

    await signInAs(F.managerM1);
    await page.goto(docUrl);
    await expect.poll(() => page.getByTestId('document-acknowledge').textContent()).toBe('He leído la versión 2');
    expect(await page.getByTestId('document-ack').first().textContent()).toContain('anterior');
    await page.screenshot({ path: screenshotPath('office-documents-v2'), fullPage: true });
  });
});
