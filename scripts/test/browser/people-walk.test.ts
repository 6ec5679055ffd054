/**
 * Issue 16, must-be-true 2 (the people walk), in real Chromium: the real back office (`backoffice/src/main.ts`,
 * SQLite, the built admin UI) on the demo franchise and both real tills of Ruiz's first store (paired by code).
 *   1. HR — Antonio Ruiz, the franchisee's manager (`hr.write`) — hires Sara with a cashier's till role and a PIN
 *      in "Personal y jornada"; the feed carries the one record to both tills and she signs in at till 1.
 *   2. She clocks at the till's lock screen with her PIN. The till's clock is moved (TPV_CLOCK_OFFSET_FILE) to
 *      two days of last month: Tuesday 09:00 in (she forgets to clock out), Wednesday 09:00 in, 17:00 out.
 *   3. The store's manager (Encargada, `people.write`) opens Sara's month: Tuesday's shift is flagged "more than
 *      12 h without clock-out"; she records the missed clock-out at 17:00 (a correction, approved by the company).
 *      3b: she also plans Sara's week in the rota, keeps it as the template 'Semana estándar', applies it to the next week.
 *   4. Sara approves it AT THE TILL: on the lock screen "Correcciones pendientes", her PIN, the manager's
 *      correction (original, proposal, reason, who) → Aprobar; HQ chains her approval with the till's id. She
 *      signs in to /self-service with the company's NIF, her code and PIN, sees it in effect and downloads the
 *      month's PDF: pdftotext shows her name, both days 09:00–17:00 worked 8:00, the correction with both
 *      approvals (hers "at the till"), and the totals — contract 12 h a week, the ISO week wholly inside the
 *      month: worked 16:00, ordinary 12:00, overtime 16:00 − 12:00 = 4:00.
 *   5. HR records her last day; both tills learn it from the feed and refuse her PIN (the screen says so).
 * Screenshots: test-results/screenshots/people-walk-*.png.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { buildDemoFranchise, type DemoUser } from '../../src/seed/demo-franchise';
import { backofficeFolder } from '../system/support/paired-terminal';
import type { TillPage } from '../../../terminal/test/browser/support/till-page';
import { startDemoWalk, until, type DemoWalk } from './support/demo-walk';

const folder = backofficeFolder('tpv-people-walk-');
const franchise = buildDemoFranchise();
const ruiz = franchise.companies.find((c) => c.legalName.startsWith('Alimentación Ruiz'))!;
const store = franchise.stores.find((s) => s.companyId === ruiz.id && franchise.terminals.filter((t) => t.storeId === s.id).length >= 2)!;
const tills = franchise.terminals.filter((t) => t.storeId === store.id).slice(0, 2);
const hr = franchise.users.find((u) => u.role === 'franchisee_manager' && u.companyId === ruiz.id)!;
const manager = franchise.users.find((u) => u.role === 'store_manager' && u.storeId === store.id)!;
const SARA = { code: 'E-0416', name: 'Sara Jornada Prieto', pin: '24680' };
const offsetFile = path.join(folder.dataDir, 'till-clock-offset');

// Last month, its second week: Tuesday and Wednesday (the Monday falls on the 5th–11th, so the whole ISO week is inside it).
const today = new Date();
const [py, pm] = today.getUTCMonth() === 0 ? [today.getUTCFullYear() - 1, 12] : [today.getUTCFullYear(), today.getUTCMonth()];
const MONTH = `${py}-${String(pm).padStart(2, '0')}`;
const monday = [5, 6, 7, 8, 9, 10, 11].find((d) => new Date(Date.UTC(py, pm - 1, d)).getUTCDay() === 1)!;
const day = (d: number) => `${MONTH}-${String(d).padStart(2, '0')}`;
const TUE = day(monday + 1);
const WED = day(monday + 2);
const madridHm = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** The instant of a Madrid wall-clock time (UTC+1 or +2). */
function madrid(date: string, hm: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hm.split(':').map(Number) as [number, number];
  for (const back of [1, 2]) {
    const ms = Date.UTC(y, m - 1, d, h - back, mi);
    if (madridHm.format(ms).replace(',', '') === `${date} ${hm}`) return ms;
  }
  throw new Error(`no Madrid time ${date} ${hm}`);
}

let w: DemoWalk;
let url: string;
let till: TillPage;
const pages: Record<'hr' | 'manager' | 'worker', Page> = {} as never;
const walk = { employeeId: '', pdfText: '' };

/** Whether till i holds the staff row, and active. */
const staffAtTill = (i: number, id: string) => {
  const db = new Database(w.dbOf(i), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[string], { active: number }>('SELECT active FROM staff WHERE id = ?').get(id)?.active;
  } finally {
    db.close();
  }
};
/** Moves the till's clock to `at` (the till re-reads the offset at most every 100 ms). */
async function tillClockAt(at: number | null) {
  writeFileSync(offsetFile, at === null ? '0' : String(at - Date.now()));
  await new Promise((r) => setTimeout(r, 250));
}
const shot = (p: Page, name: string) => p.screenshot({ path: screenshotPath(`people-walk-${name}`), fullPage: true });

async function signIn(p: Page, u: DemoUser) {
  await p.goto(url);
  await p.getByLabel('Correo electrónico').fill(u.email);
  await p.getByLabel('Contraseña').fill(u.password);
  await p.getByRole('button', { name: 'Entrar' }).click();
  await p.getByTestId('nav-people').click();
}
async function pick(p: Page, testId: string, option: string | RegExp) {
  await p.getByTestId(testId).click();
  await p.getByRole('option', { name: option }).first().click();
}
/** A clock event at till 1's lock screen: the event's button, then the PIN. */
async function clockAtTill(event: 'clock_in' | 'clock_out', at: number) {
  await tillClockAt(at);
  await till.byTest(`clock-${event}`).click();
  await till.typePin(till.byTest('pinpad'), SARA.pin);
  await till.see(till.byTest('clock-done'), SARA.name.split(' ')[0]!);
}

beforeAll(async () => {
  writeFileSync(offsetFile, '0');
  // Only till 1's clock moves (to last month's shifts); till 2 keeps the machine's. Only till 1 gets a page.
  w = await startDemoWalk({ folder, franchise, tills, tillEnv: (i): Record<string, string> => (i === 0 ? { TPV_CLOCK_OFFSET_FILE: offsetFile } : {}), pagesFor: [0] });
  url = w.url;
  till = w.ui[0]!;
  for (const who of ['hr', 'manager', 'worker'] as const) pages[who] = await w.adminPage();
}, 300_000);

afterAll(async () => {
  await w?.stop();
  await folder.cleanup();
});

describe('people walk: hire → till PIN → clock → correction approved by the company and, at the till, the worker → monthly PDF → leaving', () => {
  it('1. HR hires a cashier with a PIN in the back office; the PIN opens the store’s till', async () => {
    const p = pages.hr;
    await signIn(p, hr);
    await pick(p, 'hire-store', `${store.code} · ${store.name}`);
    await p.getByTestId('hire-code').fill(SARA.code);
    await p.getByTestId('hire-name').fill(SARA.name);
    // The till role is cashier by default.
    expect(await p.getByTestId('hire-role').inputValue()).toBe('cashier');
    await p.getByTestId('hire-pin').fill(SARA.pin);
    await p.getByTestId('hire-date').fill(`${MONTH}-01`);
    await p.getByTestId('hire-hours').fill('12');
    await shot(p, '01-hire');
    await p.getByTestId('hire-save').click();
    await p.waitForURL(/\/people\/[^/]+$/);
    walk.employeeId = p.url().split('/').pop()!;
    await until('Sara at both tills', () => staffAtTill(0, walk.employeeId) === 1 && staffAtTill(1, walk.employeeId) === 1);

    await till.typePin(till.byTest('pinpad'), SARA.pin);
    // Signed in: she opens the drawer with 50 € and reaches the selling screen.
    await till.byTest('open-session-screen').waitFor();
    await till.byTest('denominations').getByRole('textbox', { name: 'Unidades de 10 €' }).fill('5');
    await till.byTest('open-session').click();
    await till.byTest('sell-screen').waitFor();
    await till.see(till.page.locator('body'), SARA.name.split(' ')[0]!);
    await till.shot('people-walk-02-till-signed-in');
    await till.byTest('lock').click();
    await till.byTest('lock-screen').waitFor();
  });

  it('2. at the till’s lock screen she clocks in on Tuesday (never out), in and out on Wednesday', async () => {
    await clockAtTill('clock_in', madrid(TUE, '09:00'));
    await clockAtTill('clock_in', madrid(WED, '09:00'));
    await clockAtTill('clock_out', madrid(WED, '17:00'));
    await till.shot('people-walk-03-till-clocked');
    await tillClockAt(null);
    // Up through the till's outbox to HQ, applied there (three records).
    await until('the clock events at HQ', async () => (await w.state(0)).sync.documents.pending === 0);
  });

  it('3. the store manager sees the open Tuesday and records the missed clock-out (approved by the company)', async () => {
    const p = pages.manager;
    await signIn(p, manager);
    await p.getByTestId('people-row').filter({ hasText: SARA.code }).click();
    await p.getByTestId('month').fill(MONTH);
    const rows = p.getByTestId('shifts-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('Más de 12 h');
    expect(await rows.nth(1).textContent()).toMatch(new RegExp(`${WED}09:0\\d17:0\\d0:008:00`));
    const tueIn = await p.evaluate((ms) => new Date(ms).toLocaleString('es-ES', { dateStyle: 'short', timeStyle: 'short' }), madrid(TUE, '09:00'));
    await pick(p, 'correct-original', `Entrada ${tueIn}`);
    expect(await p.getByTestId('correct-event').inputValue()).toBe('Salida');
    await p.getByTestId('correct-at').fill(`${TUE}T17:00`);
    await p.getByTestId('correct-reason').fill('Olvidó fichar la salida; cerró la tienda a las 17:00');
    await p.getByTestId('correct-save').click();
    const row = p.getByTestId('correction-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(manager.email);
    expect(await row.textContent()).toContain('Pendiente');
    // Not in effect until the worker approves: Tuesday still open.
    expect(await rows.nth(0).textContent()).toContain('Más de 12 h');
    await shot(p, '04-correction-proposed');
  });

  it('3b. the manager plans Sara’s week in the weekly rota (a shift over the contract’s 12 h is refused), keeps it as a template and applies it to the next week', async () => {
    const p = pages.manager;
    await p.goto(`${url}/people`);
    await p.getByTestId('open-rotas').click();
    await pick(p, 'rota-store', `${store.code} · ${store.name}`);
    await p.getByTestId('rota-week').fill(day(monday));
    const row = p.locator('[data-testid="rota-row"][data-code="' + SARA.code + '"]');
    await row.waitFor();
    await pick(p, 'rota-employee', SARA.name);
    await p.getByTestId('rota-day').click();
    await p.getByRole('option').nth(1).click(); // Tuesday
    await p.getByTestId('rota-start').fill('09:00');
    await p.getByTestId('rota-end').fill('17:00');
    await p.getByTestId('rota-break').fill('30');
    await p.getByTestId('rota-save').click();
    await expect.poll(() => row.locator(`[data-date="${TUE}"]`).textContent()).toContain('09:00–17:00 (30′)');
    expect(await row.getByTestId('rota-planned').textContent()).toBe('7:30 / 12:00');
    // Wednesday 09:00–14:00 would make 12:30 h planned: refused, nothing added.
    await p.getByTestId('rota-day').click();
    await p.getByRole('option').nth(2).click();
    await p.getByTestId('rota-end').fill('14:00');
    await p.getByTestId('rota-break').fill('0');
    await p.getByTestId('rota-save').click();
    await expect.poll(() => p.getByTestId('rota-error').first().textContent()).toContain('el contrato son 12:00 h');
    expect(await row.getByTestId('rota-planned').textContent()).toBe('7:30 / 12:00');
    // The hours beside it: Tuesday 09–16 h with Sara planned.
    expect(await p.locator(`[data-testid="rota-hour"][data-date="${TUE}"][data-hour="9"]`).textContent()).toContain('1');
    await shot(p, '04b-rota');
    // The week kept as a named template, applied to the next week: Sara's Tuesday there, same hours.
    await p.getByTestId('rota-template-name').fill('Semana estándar');
    await p.getByTestId('rota-template-save').click();
    await expect.poll(() => p.getByTestId('rota-template-saved').textContent()).toContain('(1 turnos)');
    await p.getByTestId('rota-next').click();
    await pick(p, 'rota-template-select', 'Semana estándar');
    await p.getByTestId('rota-template-apply').click();
    await expect.poll(() => p.getByTestId('rota-template-applied').textContent()).toContain('1 turnos creados');
    await expect.poll(() => row.locator(`[data-date="${day(monday + 8)}"]`).textContent()).toContain('09:00–17:00 (30′)');
    await shot(p, '04c-rota-template');
  });

  it('4. the worker approves it at the till, then sees it in effect on her self-service page and downloads the month’s PDF', async () => {
    // The till's lock screen: "Correcciones pendientes", her PIN, the manager's correction, approved (online, at HQ).
    await till.byTest('clock-corrections').click();
    await till.typePin(till.byTest('pinpad'), SARA.pin);
    const pending = till.byTest('pending-correction');
    await till.see(pending, 'Olvidó fichar la salida; cerró la tienda a las 17:00');
    await till.see(pending, manager.email);
    expect(await pending.count()).toBe(1);
    await till.shot('people-walk-05-till-pending-correction');
    await till.byTest('correction-approve').click();
    await till.see(till.byTest('correction-done'), 'Correction approved: it now counts in your record');
    await till.shot('people-walk-05b-till-approved');
    await till.byTest('corrections-close').click();
    await till.byTest('pinpad').waitFor();

    const p = pages.worker;
    await p.goto(`${url}/self-service`);
    await p.getByTestId('self-nif').fill(ruiz.nif);
    await p.getByTestId('self-code').fill(SARA.code);
    await p.getByTestId('self-secret').fill(SARA.pin);
    await p.getByTestId('self-login').click();
    await expect.poll(() => p.getByTestId('self-name').textContent()).toBe(`${SARA.name} (${SARA.code})`);
    await p.getByTestId('self-month').fill(MONTH);
    await p.getByTestId('self-correction').waitFor();
    // Already approved at the till: in effect, nothing left to approve here.
    await p.getByTestId('self-correction-effective').waitFor();
    expect(await p.getByTestId('self-approve').count()).toBe(0);
    await expect.poll(() => p.getByTestId('self-totals').textContent()).toBe('Trabajado 16:00 · Ordinarias 12:00 · Extraordinarias 4:00');
    const shifts = await p.getByTestId('self-shift').allTextContents();
    expect(shifts.map((s) => s.slice(0, 10))).toEqual([TUE, WED]);
    expect(shifts[0]).toMatch(/09:0\d17:000:008:00$/);
    await shot(p, '06-self-service-approved');

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('self-pdf').click()]);
    const file = path.join(folder.dataDir, 'registro.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    walk.pdfText = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const t = walk.pdfText.replace(/[ \t]+/g, ' ');
    expect(t).toContain(`Trabajador · Worker: ${SARA.name} (${SARA.code}) Mes · Month: ${MONTH}`);
    expect(t).toContain(`${ruiz.legalName} (NIF ${ruiz.nif})`);
    expect(t).toMatch(new RegExp(`${TUE} 09:0\\d 17:00 0:00 8:00\\n`));
    expect(t).toMatch(new RegExp(`${WED} 09:0\\d 17:0\\d 0:00 8:00\\n`));
    expect(t).toContain('Mes · Month: trabajado · worked 16:00 ordinarias · ordinary 12:00 extraordinarias · overtime 4:00');
    expect(t).toContain('Aprobada por la empresa · Approved by the company: user ' + manager.email);
    expect(t).toContain(`Aprobada por el trabajador · Approved by the worker: ${SARA.name} (${SARA.code}), en la caja · at the till`);
    expect(t).toContain('EN VIGOR · IN EFFECT');
    // The page as the worker sees it, rendered.
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, screenshotPath('people-walk-07-pdf').replace(/\.png$/, '')]);
  });

  it('5. HR records her last day: both tills refuse her PIN', async () => {
    const p = pages.hr;
    await p.goto(`${url}/people/${walk.employeeId}`);
    await p.getByTestId('leave-date').fill(today.toISOString().slice(0, 10));
    await p.getByTestId('leave-save').click();
    await expect.poll(() => p.getByTestId('leave').count()).toBe(0);
    await shot(p, '08-left');
    await until('Sara deactivated at both tills', () => staffAtTill(0, walk.employeeId) === 0 && staffAtTill(1, walk.employeeId) === 0);
    await till.typePin(till.byTest('pinpad'), SARA.pin);
    await till.see(till.byTest('lock-screen'), 'PIN incorrecto');
    expect(await till.byTest('sell-screen').count()).toBe(0);
    await till.shot('people-walk-09-till-refuses');
    const other = await fetch(`${w.tillUrls[1]}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin: SARA.pin }) });
    expect(other.status).toBe(401);
  });
});
