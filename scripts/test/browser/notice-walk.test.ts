/**
 * Issue 16, must-be-true 3 (the notice walk), in real Chromium: the real back office (`backoffice/src/main.ts`,
 * SQLite, the built admin UI) on the demo franchise, and two real tills of two companies (Madrid Malasaña
 * Caja 1 of Alimentación Ruiz; València Russafa Caja 1 of Costa Levante), paired with HQ by code.
 *   1. HQ writes a notice in Avisos a tiendas (Spanish with English beside it) for ONE company's stores (Ruiz's)
 *      and a second one for the whole network; the notice's page lists Ruiz's people, none read.
 *   2. The change feed brings it to Ruiz's till: the cashier logs in with her PIN, opens "Avisos", reads it and
 *      confirms ("Leído"); the confirmation goes up through the till's outbox.
 *   3. At Levante's till the cashier sees the network notice (so the till has pulled past Ruiz's) and NOT
 *      Ruiz's notice.
 *   4. HQ's page of who has read it: the cashier's name with the time she confirmed (as the till recorded it),
 *      everyone else of Ruiz still unread; the list counts 1 read.
 *   5. Tasks ride the same rails: HQ assigns a two-item checklist to the store of Ruiz's till; the cashier opens
 *      "Tareas", ticks both items; HQ's task page shows them ticked by her "en caja", the store's task done, and
 *      the task leaves the till once HQ has both ticks.
 * Screenshots: test-results/screenshots/notice-walk-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { backofficeFolder } from '../system/support/paired-terminal';
import type { TillPage } from '../../../terminal/test/browser/support/till-page';
import { startDemoWalk, until, type DemoWalk } from './support/demo-walk';

const folder = backofficeFolder('tpv-notice-walk-');
const franchise = buildDemoFranchise();
const hqAdmin = franchise.users.find((u) => u.role === 'hq_admin')!;
const ruiz = franchise.companies.find((c) => c.legalName.startsWith('Alimentación Ruiz'))!;
const levante = franchise.companies.find((c) => c.legalName.startsWith('Supermercados Costa Levante'))!;
// Till 1 of Ruiz's first store, till 1 of Levante's store.
const tills = [
  franchise.terminals.find((t) => franchise.stores.find((s) => s.id === t.storeId)!.companyId === ruiz.id)!,
  franchise.terminals.find((t) => franchise.stores.find((s) => s.id === t.storeId)!.companyId === levante.id)!,
];
const cashierOf = (storeId: string) => franchise.staff.find((s) => s.storeId === storeId && s.role === 'cashier')!;
const ruizCashier = cashierOf(tills[0]!.storeId);
const NOTICE = { title: 'Cambio de precios del lunes', body: 'El lunes a las 8:00 cambian los precios de la fruta: revisad las etiquetas antes de abrir.', titleEn: 'Monday price change' };
const NETWORK = { title: 'Inventario anual', body: 'El inventario anual será el 15 de enero en toda la red.' };

let w: DemoWalk;
let url: string;
let tillUrls: string[] = [];
const ui: TillPage[] = [];
let admin: Page;
let token = '';
const walk = { noticeId: '', readAt: '', taskId: '' };

interface TillState { sync: { online: boolean; documents: { pending: number } }; notices: Array<{ id: string; title: string }> }
const state = (i: number) => w.state<TillState>(i);
async function hq<T>(method: string, pathname: string, body?: unknown): Promise<T> {
  const res = await fetch(url + pathname, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
interface Person { staffId: string; name: string; companyId: string; readAt: string | null; targeted: boolean }
const tillShot = (i: number, name: string) => ui[i]!.page.screenshot({ path: screenshotPath(`notice-walk-${name}`) });
const adminShot = (name: string) => admin.screenshot({ path: screenshotPath(`notice-walk-${name}`), fullPage: true });

/** Logs the store's cashier in at a till (PIN 1111 in the demo) and opens the notices dialog. */
async function openNotices(i: number) {
  const u = ui[i]!;
  await u.typePin(u.byTest('pinpad'), '1111');
  await u.byTest('nav-notices').waitFor();
  await u.byTest('nav-notices').click();
  await u.byTest('notices-dialog').waitFor();
}

beforeAll(async () => {
  w = await startDemoWalk({ folder, franchise, tills });
  ({ url, tillUrls } = w);
  ui.push(...w.ui);
  token = await w.token(hqAdmin);
  admin = await w.adminPage();
}, 300_000);

afterAll(async () => {
  await w?.stop();
  await folder.cleanup();
});

describe('notice walk: HQ posts to one company’s stores, a cashier there reads it, another company’s till never shows it, HQ sees who read it', () => {
  it('1. HQ writes the notice for Ruiz’s stores (and one for the whole network) in the admin', async () => {
    await admin.goto(url);
    await admin.getByLabel('Correo electrónico').fill(hqAdmin.email);
    await admin.getByLabel('Contraseña').fill(hqAdmin.password);
    await admin.getByRole('button', { name: 'Entrar' }).click();
    await admin.getByTestId('nav-notices').click();
    // The network-wide one first (a later one for Ruiz must not reach Levante's till anyway).
    await admin.getByTestId('notice-title').fill(NETWORK.title);
    await admin.getByTestId('notice-body').fill(NETWORK.body);
    await admin.getByTestId('notice-target').click();
    await admin.getByRole('option', { name: 'Toda la red', exact: true }).click();
    await admin.getByTestId('notice-post').click();
    await admin.waitForURL(/\/office\/notices\/[^/]+$/);
    await admin.getByTestId('nav-notices').click();

    await admin.getByTestId('notice-title').fill(NOTICE.title);
    await admin.getByTestId('notice-title-en').fill(NOTICE.titleEn);
    await admin.getByTestId('notice-body').fill(NOTICE.body);
    await admin.getByTestId('notice-priority').click();
    await admin.getByRole('option', { name: 'Importante', exact: true }).click();
    await admin.getByTestId('notice-companies').click();
    await admin.getByRole('option', { name: ruiz.legalName, exact: true }).click();
    await admin.keyboard.press('Escape');
    await adminShot('01-new-notice');
    await admin.getByTestId('notice-post').click();
    await admin.waitForURL(/\/office\/notices\/[^/]+$/);
    walk.noticeId = admin.url().split('/').pop()!;
    // Ruiz's people (3 per store, 2 stores), none read yet; nobody of Levante.
    const ruizStaff = franchise.staff.filter((s) => s.companyId === ruiz.id);
    await expect.poll(() => admin.getByTestId('notice-person').count()).toBe(ruizStaff.length);
    expect(await admin.locator('[data-testid="notice-person"][data-read="yes"]').count()).toBe(0);
    const names = await admin.getByTestId('notice-person-name').allTextContents();
    expect(names.sort()).toEqual(ruizStaff.map((s) => s.name).sort());
    await adminShot('02-notice-page-unread');
  });

  it('2. at Ruiz’s till the cashier logs in, reads the notice and confirms it: the confirmation goes up', async () => {
    await until('the notice at Ruiz’s till', async () => (await state(0)).notices.some((n) => n.id === walk.noticeId));
    await openNotices(0);
    const u = ui[0]!;
    const mine = u.page.locator(`[data-testid="notice"][data-notice-id="${walk.noticeId}"]`);
    await mine.waitFor();
    expect(await mine.getByTestId('notice-title').textContent()).toBe(NOTICE.title);
    expect(await mine.textContent()).toContain(NOTICE.titleEn);
    expect(await mine.getByTestId('notice-body').textContent()).toBe(NOTICE.body);
    await tillShot(0, '03-till-notices');
    await mine.getByTestId('notice-read').click();
    await mine.getByTestId('notice-read-at').waitFor();
    await tillShot(0, '04-till-read');
    // The till's own record of the read (what went into the outbox), then the outbox drained to HQ.
    const tillToken = await u.page.evaluate(() => sessionStorage.getItem('tpv.token'));
    const list = (await (await fetch(`${tillUrls[0]}/api/notices`, { headers: { authorization: `Bearer ${tillToken}` } })).json()) as Array<{ id: string; readAt: string | null }>;
    walk.readAt = list.find((n) => n.id === walk.noticeId)?.readAt ?? '';
    expect(walk.readAt).not.toBe('');
    await until('the read confirmation sent to HQ', async () => (await state(0)).sync.documents.pending === 0);
  });

  it('3. Levante’s till shows the network notice but never Ruiz’s', async () => {
    await until('the network notice at Levante’s till', async () => (await state(1)).notices.some((n) => n.title === NETWORK.title));
    expect((await state(1)).notices.map((n) => n.title)).not.toContain(NOTICE.title);
    await openNotices(1);
    const titles = await ui[1]!.byTest('notice-title').allTextContents();
    expect(titles).toContain(NETWORK.title);
    expect(titles).not.toContain(NOTICE.title);
    await tillShot(1, '05-other-company-till');
  });

  it('4. HQ sees who has read it: the cashier’s name with the time she confirmed', async () => {
    const detail = await hq<{ notice: { read: number; people: number }; people: Person[] }>('GET', `/api/office/notices/${walk.noticeId}`);
    const read = detail.people.filter((p) => p.readAt !== null);
    expect(read.map((p) => p.name)).toEqual([ruizCashier.name]);
    expect(read[0]!.readAt).toBe(walk.readAt);
    expect(Date.now() - Date.parse(read[0]!.readAt!)).toBeLessThan(120_000);
    expect(detail.notice).toMatchObject({ read: 1, people: franchise.staff.filter((s) => s.companyId === ruiz.id).length });
    // Nobody of Levante is among the people it is for.
    expect(detail.people.filter((p) => p.companyId !== ruiz.id)).toEqual([]);

    await admin.reload();
    const row = admin.locator('[data-testid="notice-person"][data-read="yes"]');
    await row.waitFor();
    expect(await row.getByTestId('notice-person-name').textContent()).toBe(ruizCashier.name);
    // The time as the admin shows it (es-ES, Madrid): the read's instant in the page's own format.
    const shown = await row.getByTestId('notice-person-read').textContent();
    expect(shown).toBe(new Date(read[0]!.readAt!).toLocaleString('es', { timeZone: 'Europe/Madrid' }));
    await adminShot('06-who-read');
    await admin.getByTestId('nav-notices').click();
    const listed = admin.getByTestId('notice-row').filter({ hasText: NOTICE.title });
    await expect.poll(async () => (await listed.getByTestId('notice-row-read').textContent())?.trim()).toBe(`1 / ${detail.notice.people}`);
  });

  it('5. a checklist HQ assigns to the store is ticked at the till and HQ sees who ticked it there', async () => {
    const due = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const task = await hq<{ task: { id: string } }>('POST', '/api/office/tasks', {
      title: 'Cartelería de Navidad', kind: 'checklist', dueAt: due, items: ['Colgar banderolas', 'Revisar precios del escaparate'], target: 'store', targetIds: [tills[0]!.storeId],
    });
    walk.taskId = task.task.id;
    const u = ui[0]!;
    // The notices dialog of step 2 is still open: closed with its ×.
    await u.byTest('notices-dialog').getByRole('button', { name: '×' }).click();
    await expect.poll(async () => Number(await u.byTest('nav-tasks').getAttribute('data-open')), { timeout: 30_000 }).toBe(1);
    await u.byTest('nav-tasks').click();
    const mine = u.page.locator(`[data-testid="task"][data-task-id="${walk.taskId}"]`);
    await mine.waitFor();
    expect(await mine.getByTestId('task-title').textContent()).toBe('Cartelería de Navidad');
    for (const i of [0, 1]) {
      // click, not check(): the box turns ticked when the till answers, not on the click itself.
      await mine.getByTestId('task-item-check').nth(i).click();
      await expect.poll(() => mine.getByTestId('task-item').nth(i).getAttribute('data-done')).toBe('yes');
    }
    await tillShot(0, '07-till-task-ticked');
    await until('the ticks sent to HQ', async () => (await state(0)).sync.documents.pending === 0);
    const detail = await hq<{ stores: Array<{ storeId: string; status: string; items: Array<{ doneBy: string | null; source: string | null }> }> }>('GET', `/api/office/tasks/${walk.taskId}`);
    expect(detail.stores.map((st) => [st.storeId, st.status, st.items.map((i) => [i.doneBy, i.source])])).toEqual([
      [tills[0]!.storeId, 'done', [[ruizCashier.name, 'till'], [ruizCashier.name, 'till']]],
    ]);
    // Done at HQ: the feed takes the task off the till.
    const tillToken = await u.page.evaluate(() => sessionStorage.getItem('tpv.token'));
    await until('the task gone from the till', async () => {
      const list = (await (await fetch(`${tillUrls[0]}/api/tasks`, { headers: { authorization: `Bearer ${tillToken}` } })).json()) as Array<{ id: string }>;
      return !list.some((x) => x.id === walk.taskId);
    }, 30_000);
    await admin.goto(`${url}/office/tasks/${walk.taskId}`);
    await expect.poll(() => admin.getByTestId('task-item-by').first().textContent()).toBe(`${ruizCashier.name} · en caja`);
    await adminShot('08-task-ticked-at-till');
  });
});
