/**
 * Issue 15, must-be-true 3 (the CRM walk), in real Chromium: the real back office (`backoffice/src/main.ts`,
 * SQLite, the built admin UI) on the demo franchise and two real tills of two stores (Madrid Malasaña Caja 1,
 * Madrid Chamberí Caja 1: `terminal/src/main.ts`, paired with HQ by code, syncing over socket.io).
 *   1. HQ is stopped; at till 1 a cashier registers a customer (name, phone, email, consent) and attaches it to
 *      the ticket: the till keeps the customer and its `crm.customer` document pending.
 *   2. HQ comes back: the document goes up, HQ applies it, every till pulls the customer; at till 2 (another
 *      store) the cashier finds it by phone.
 *   3. At HQ, a duplicate of that customer (same email, registered at HQ) is listed in Clientes → Duplicados
 *      and merged into the till's customer from the screen; the customer list then holds one of them.
 * Steps of the rest of the walk (points, 3×2, export, erasure) append after step 3 as further `it`s.
 * Screenshots: test-results/screenshots/crm-walk-*.png.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '@tpv/runtime/testing/chromium';
import { freePort } from '@tpv/runtime/testing/ports';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { startProcess, type Child } from '../../src/processes';
import { backofficeFolder, hqLogin, pairingCodeFromHq } from '../system/support/paired-terminal';
import { ensureUiBuilt, REPO_ROOT } from '../../../terminal/test/browser/support/seeded-terminal';
import { openTillPage, type TillPage } from '../../../terminal/test/browser/support/till-page';

const folder = backofficeFolder('tpv-crm-walk-');
const franchise = buildDemoFranchise();
const hqAdmin = franchise.users.find((u) => u.role === 'hq_admin')!;
// Till 1 of the first store, till 1 of the second store.
const tills = [franchise.terminals[0]!, franchise.terminals.find((t) => t.storeId !== franchise.terminals[0]!.storeId)!];
const dbOf = (i: number) => path.join(folder.dataDir, `terminal-${i}.sqlite`);
const NEW = { name: 'Lucía Walk Prueba', phone: '699 123 456', email: 'lucia.walk@correo.example' };

let hqPort: number;
let hq: Child;
let url: string;
const tillProcs: Child[] = [];
const tillUrls: string[] = [];
let browser: Browser & { cleanup(): Promise<void> };
const ui: TillPage[] = [];
let admin: Page;

async function state(i: number): Promise<{ sync: { online: boolean; documents: { pending: number }; catalog: { fraction: number } } }> {
  return (await fetch(`${tillUrls[i]}/api/state`)).json() as never;
}
async function until(what: string, cond: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const tillShot = (i: number, name: string) => ui[i]!.page.screenshot({ path: screenshotPath(`crm-walk-${name}`) });

/** Signs in at a till with the store's cashier PIN and opens the cash session. */
async function openTill(i: number) {
  const u = ui[i]!;
  await u.typePin(u.byTest('pinpad'), '1111');
  await u.byTest('open-session-screen').waitFor();
  await u.byTest('denominations').getByRole('textbox', { name: 'Unidades de 10 €' }).fill('5');
  await u.byTest('open-session').click();
  await u.byTest('sell-screen').waitFor();
}

beforeAll(async () => {
  ensureUiBuilt();
  await seedDemoDatabases({ franchise, backoffice: { file: path.join(folder.dataDir, 'backoffice.sqlite') }, terminals: tills.map((t, i) => ({ terminal: t, file: dbOf(i) })) });
  hqPort = await freePort();
  url = `http://127.0.0.1:${hqPort}`;
  hq = await folder.start(hqPort);
  for (const [i, t] of tills.entries()) {
    const port = await freePort();
    tillUrls.push(`http://127.0.0.1:${port}`);
    tillProcs.push(startProcess(`till-${i + 1}`, path.join(REPO_ROOT, 'terminal/src/main.ts'), {
      ...process.env, TPV_DATA_DIR: folder.dataDir, TPV_HOST: '127.0.0.1', TPV_TERMINAL_PORT: String(port), TPV_TERMINAL_DB: dbOf(i), TPV_TERMINAL_ID: t.id,
      TPV_BACKOFFICE_URL: url, TPV_SYNC_BACKOFF_BASE_MS: '100', TPV_SYNC_BACKOFF_MAX_MS: '500', TPV_PAIRING_CODE: await pairingCodeFromHq(url, franchise, t.id),
    }));
  }
  for (const i of [0, 1]) await until(`till ${i + 1} online`, async () => (await state(i)).sync.online, 40_000);
  browser = await launchChromium();
  for (const i of [0, 1]) ui.push(await openTillPage(browser, { url: tillUrls[i]!, output: () => '' }));
  admin = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'es-ES', timezoneId: 'Europe/Madrid' })).newPage();
  admin.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await browser?.cleanup();
  await Promise.all(tillProcs.map((c) => c.stop(2000)));
  await folder.cleanup();
});

describe('CRM walk: a customer created offline at one till, found at another store, a duplicate merged at HQ', () => {
  it('1. with HQ stopped, till 1 registers a customer and attaches it to the ticket', async () => {
    await hq.stop(2000);
    await until('till 1 offline', async () => !(await state(0)).sync.online);
    await openTill(0);
    const u = ui[0]!;
    await u.byTest('action-customer').click();
    await u.byTest('customer-new').click();
    await u.byTest('new-customer-name').fill(NEW.name);
    // An invalid NIF is refused before anything is written: the button stays off.
    await u.byTest('new-customer-nif').fill('12345678A');
    await u.byTest('new-customer-nif-invalid').waitFor();
    expect(await u.byTest('new-customer-save').isDisabled()).toBe(true);
    await u.byTest('new-customer-nif').fill('');
    await u.byTest('new-customer-phone').fill(NEW.phone);
    await u.byTest('new-customer-email').fill(NEW.email);
    await u.byTest('new-customer-consent-marketing').check();
    await tillShot(0, '01-new-customer-offline');
    await u.byTest('new-customer-save').click();
    await u.see(u.byTest('ticket-customer'), NEW.name);
    expect((await state(0)).sync.documents.pending).toBe(1);
  });

  it('2. HQ comes back: the customer goes up once and is found by phone at a till of another store', async () => {
    hq = await folder.start(hqPort);
    await until('the document applied', async () => (await state(0)).sync.documents.pending === 0, 30_000);
    await openTill(1);
    const u = ui[1]!;
    await u.byTest('action-customer').click();
    // The feed reaches till 2 after HQ applied the document: search until it is there.
    await until('the customer at till 2', async () => {
      await u.byTest('customer-search').fill('');
      await u.byTest('customer-search').fill('699123');
      await new Promise((r) => setTimeout(r, 400));
      return (await u.byTest('customer-option').filter({ hasText: NEW.name }).count()) === 1;
    }, 30_000);
    await tillShot(1, '02-found-at-store-2');
    await u.byTest('customer-option').filter({ hasText: NEW.name }).click();
    await u.see(u.byTest('ticket-customer'), NEW.name);
  });

  it('3. HQ finds the duplicate (same email) in Clientes → Duplicados and merges it into the till’s customer', async () => {
    const token = await hqLogin(url, franchise);
    const dup = await fetch(`${url}/api/crm/customers`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'L. Walk', email: NEW.email.toUpperCase() }),
    });
    expect(dup.status).toBe(201);
    await admin.goto(url);
    await admin.getByLabel('Correo electrónico').fill(hqAdmin.email);
    await admin.getByLabel('Contraseña').fill(hqAdmin.password);
    await admin.getByRole('button', { name: 'Entrar' }).click();
    await admin.getByTestId('nav-duplicates').click();
    const row = admin.getByTestId('duplicate-row').filter({ hasText: 'L. Walk' });
    await row.waitFor();
    await row.getByTestId('duplicate-merge').click();
    // Keep the till's customer (whichever side it is listed on).
    await admin.getByRole('radio', { name: new RegExp(NEW.name) }).check();
    await admin.screenshot({ path: screenshotPath('crm-walk-03-merge'), fullPage: true });
    await admin.getByTestId('merge-confirm').click();
    await admin.getByTestId('merge-done').waitFor();
    await expect.poll(() => row.count()).toBe(0);
    await admin.getByTestId('nav-customers').click();
    await admin.getByTestId('customers-search').fill(NEW.email);
    await expect.poll(async () => (await admin.getByTestId('customer-row').allTextContents()).length).toBe(1);
    await admin.getByTestId('customer-row').getByRole('link').click();
    await expect.poll(async () => (await admin.getByTestId('customer-name').textContent())?.trim()).toBe(NEW.name);
    await admin.screenshot({ path: screenshotPath('crm-walk-04-customer'), fullPage: true });
  });
});
