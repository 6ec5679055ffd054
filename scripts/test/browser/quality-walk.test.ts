/**
 * Issue 17, must-be-true 2 (the quality walk), in real Chromium: the real back office (`backoffice/src/main.ts`,
 * SQLite, the built admin UI) on the demo franchise and a real till of its first store (`terminal/src/main.ts`,
 * paired with HQ by code, syncing over socket.io).
 *   1. At the till a cashier opens the drawer, goes to "Incidencia", picks "Mercancía dañada", severity high,
 *      writes what happened, takes a photo (a PNG file picked in the camera input) and sends it: the report
 *      goes up through the documents outbox and the till shows HQ's incident number.
 *   2. HQ (admin app) sees it in Incidencias (source Caja, state Abierta), opens it (the photo shows), assigns
 *      it to Luis Operaciones; closing without a resolution is refused with the reason; with a resolution it
 *      closes, and the history lists opened → assigned → closed.
 *   3. Luis Operaciones, HQ's quality auditor (role hq_operations), runs an audit of the store on the tablet
 *      page with a template of three questions, one failing ("No" on the cold chain): the score is
 *      (3·1 + 2·4/5 + 5·0) / (3 + 2 + 5) = 4,6 / 10 → 46,00, and a corrective action opens; it is closed with a
 *      note and shows as closed.
 * Screenshots: test-results/screenshots/quality-walk-*.png.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { backofficeFolder } from '../system/support/paired-terminal';
import type { TillPage } from '../../../terminal/test/browser/support/till-page';
import { openTillSession, signInAdmin, startDemoWalk, type DemoWalk } from './support/demo-walk';

const folder = backofficeFolder('tpv-quality-walk-');
const franchise = buildDemoFranchise();
const hqAdmin = franchise.users.find((u) => u.role === 'hq_admin')!;
const auditor = franchise.users.find((u) => u.role === 'hq_operations')!;
const till = franchise.terminals[0]!;
const store = franchise.stores.find((s) => s.id === till.storeId)!;
const TITLE = 'Caja de yogures aplastada al descargar';
/** A 1×1 PNG, the "photo" the cashier takes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const photoFile = path.join(folder.dataDir, 'yogures.png');

let w: DemoWalk;
let url: string;
let ui: TillPage;
let admin: Page;

const login = (who: { email: string; password: string }) => w.token(who);
const adminShot = (name: string) => admin.screenshot({ path: screenshotPath(`quality-walk-${name}`), fullPage: true });
const signIn = (who: { email: string; password: string }) => signInAdmin(admin, url, who);
/** Picks an option of a Mantine select by its visible label. */
async function pick(testId: string, label: string | RegExp) {
  await admin.getByTestId(testId).click();
  await admin.getByRole('option', { name: label }).first().click();
}

beforeAll(async () => {
  writeFileSync(photoFile, PNG);
  w = await startDemoWalk({ folder, franchise, tills: [till], onlineTimeoutMs: 40_000 });
  url = w.url;
  ui = w.ui[0]!;
  admin = await w.adminPage({ width: 1400, height: 1000 }, 15_000);
}, 120_000);

afterAll(async () => {
  await w?.stop();
  await folder.cleanup();
});

describe('quality walk: a till reports damaged goods with a photo; HQ assigns and closes it; an audit fails a question and its corrective action is closed', () => {
  let incidentNumber = '';

  it('1. a cashier reports damaged goods with a photo at the till; HQ’s number comes back', async () => {
    await openTillSession(ui);
    await ui.byTest('nav-incident').click();
    await ui.byTest('incident-screen').waitFor();
    await ui.byTest('incident-kind-damaged_goods').click();
    await ui.byTest('incident-severity-high').click();
    await ui.byTest('incident-title').fill(TITLE);
    await ui.byTest('incident-description').fill('Seis unidades con el envase roto');
    await ui.byTest('incident-photo').setInputFiles(photoFile);
    await ui.see(ui.byTest('incident-photo-name'), 'yogures.png');
    await ui.shot('quality-walk-01-till-report');
    await ui.byTest('incident-send').click();
    // Kept at the till, then applied at HQ: the line shows "Recibido en central" and HQ's number.
    const line = ui.byTest('incident-report').filter({ hasText: TITLE });
    await ui.see(line, 'Recibido en central', 20_000);
    const text = (await line.textContent()) ?? '';
    incidentNumber = /IN-\d{4}-\d{6}/.exec(text)?.[0] ?? '';
    expect(incidentNumber, text).not.toBe('');
    expect(text).toContain('Mercancía dañada');
    await ui.shot('quality-walk-02-till-sent');
  });

  it('2. HQ sees it, assigns it, cannot close it without a resolution, closes it with one', async () => {
    await signIn(hqAdmin);
    await admin.getByTestId('nav-incidents').click();
    const row = admin.getByTestId('incidents').locator('tbody tr').filter({ hasText: TITLE });
    await row.waitFor();
    await expect.poll(async () => row.getByTestId('incident-source').textContent()).toBe('Caja');
    expect(await row.getByTestId('incident-state').textContent()).toBe('Abierta');
    expect(await row.getByTestId('incident-number').textContent()).toBe(incidentNumber);
    await row.click();
    await expect.poll(() => admin.getByTestId('incident-heading').textContent()).toBe(`${incidentNumber} · ${TITLE}`);
    expect(await admin.getByTestId('incident-kind').textContent()).toBe('Mercancía dañada');
    expect(await admin.getByTestId('incident-created-by').textContent()).toContain('Caja');
    // The photo taken at the till, fetched with the session and shown.
    await admin.getByTestId('incident-photo').waitFor();
    await expect.poll(() => admin.getByTestId('incident-photo').evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth)).toBe(1);
    await adminShot('03-incident');
    await pick('incident-assignee-select', new RegExp(auditor.email));
    await admin.getByTestId('incident-assign').click();
    await expect.poll(() => admin.getByTestId('incident-state').textContent()).toBe('Asignada');
    expect(await admin.getByTestId('incident-assignee').textContent()).toBe(auditor.email);
    // Closing without saying what was done: refused, the incident stays assigned.
    await admin.getByTestId('incident-close').click();
    await expect.poll(() => admin.getByTestId('quality-error').textContent()).toContain('explique la solución');
    expect(await admin.getByTestId('incident-state').textContent()).toBe('Asignada');
    await admin.getByTestId('incident-resolution-input').fill('Abonadas 6 unidades por el almacén; retiradas del lineal');
    await admin.getByTestId('incident-close').click();
    await expect.poll(() => admin.getByTestId('incident-state').textContent()).toBe('Cerrada');
    expect(await admin.getByTestId('incident-resolution').textContent()).toBe('Abonadas 6 unidades por el almacén; retiradas del lineal');
    const events = await admin.getByTestId('incident-event').allTextContents();
    expect(events.map((e) => (/(Abierta|Asignada|Cerrada)/.exec(e) ?? [''])[0])).toEqual(['Abierta', 'Asignada', 'Cerrada']);
    await adminShot('04-incident-closed');
  });

  it('3. the auditor runs an audit with a failing question; the corrective action opens and is closed', async () => {
    // HQ's checklist: yes/no weight 3, 0–5 weight 2, yes/no weight 5 (the cold chain).
    const token = await login(hqAdmin);
    const tpl = await fetch(`${url}/api/audit-templates`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Visita estándar', questions: [
        { section: 'pricing', text: 'Precios visibles y correctos', weight: 3, scale: 'yes_no' },
        { section: 'cleanliness', text: 'Suelo y lineales limpios', weight: 2, scale: 'zero_five' },
        { section: 'food_safety', text: 'Cámaras a temperatura', weight: 5, scale: 'yes_no' },
      ] }),
    });
    expect(tpl.status).toBe(201);
    // The auditor signs in on the same browser (a new session replaces HQ's).
    await admin.evaluate(() => localStorage.clear());
    await signIn(auditor);
    await admin.getByTestId('nav-audits').click();
    await admin.getByTestId('audit-new').click();
    await pick('run-store', new RegExp(store.name));
    await pick('run-template', 'Visita estándar');
    const q = (text: string) => admin.getByTestId('run-question').filter({ hasText: text });
    await q('Precios visibles').getByText('Sí', { exact: true }).click();
    await q('Suelo y lineales').getByText('4', { exact: true }).click();
    await q('Cámaras a temperatura').getByText('No', { exact: true }).click();
    await q('Cámaras a temperatura').getByTestId('run-note').fill('Cámara 2 a 9 °C');
    // Score as worked by hand: (3·1 + 2·4/5 + 5·0) / (3 + 2 + 5) = 4,6 / 10 → 46,00.
    await expect.poll(() => admin.getByTestId('run-score').textContent()).toContain('46,00');
    await q('Cámaras a temperatura').getByTestId('run-fails').waitFor();
    await q('Cámaras a temperatura').getByTestId('run-owner').fill(`Encargada ${store.code}`);
    await adminShot('05-audit-run');
    await admin.getByTestId('run-submit').click();
    await expect.poll(() => admin.getByTestId('audit-score').textContent()).toBe('46,00');
    const action = admin.getByTestId('action-row');
    await expect.poll(() => action.count()).toBe(1);
    expect(await action.getByTestId('action-description').textContent()).toBe('Cámaras a temperatura — Cámara 2 a 9 °C');
    expect(await action.getByTestId('action-state').textContent()).toBe('Abierta');
    await action.getByTestId('action-note').fill('Termostato cambiado: 3 °C a las 12:00');
    await action.getByTestId('action-close').click();
    await expect.poll(() => action.getByTestId('action-state').textContent()).toBe('Cerrada');
    expect(await action.getByTestId('action-close-note').textContent()).toContain('Termostato cambiado');
    await adminShot('06-audit-action-closed');
  });
});
