/**
 * Issue 13 (collections), must-be-true 4, walked end to end in real Chromium: the real back office
 * (`backoffice/src/main.ts`, SQLite, serving the built admin UI) and a real till process
 * (`terminal/src/main.ts`, serving the built till UI) paired with it by HQ's one-time code, catalogue,
 * staff and customers loaded through the change feed.
 *
 * Seed (straight into the ledger before the back office starts, as posted documents leave it), dates
 * relative to today D:
 *   - HQ (Mercado Verde Franquicias S.L.) ← Alimentación Ruiz e Hijos S.L.: fee invoice FV-2026-000777,
 *     1.210,00 € due D−45 → "31–60" bucket of the aging; dunning level 2 (second notice).
 *   - Ruiz ← customer Bar El Rincón S.L.: on-account ticket TK-000042, 300,00 € due D−40 → level 2, which
 *     blocks sales on account.
 * The walk:
 *   1. HQ signs in, Tesorería → "Antigüedad de saldos": Ruiz's fee in 31–60.
 *   2. Tesorería → "Reclamaciones": a run for the franchisor writes the letter to Ruiz (PDF downloaded:
 *      name, FV-2026-000777, 1.210,00 €); a run for Ruiz writes the letter to Bar El Rincón (TK-000042,
 *      300,00 €) and blocks the customer: Tesorería → "Control de crédito" shows it "Bloqueado".
 *   3. The till receives the block through its feed; the cashier sells to Bar El Rincón on account →
 *      refused on screen ("bloqueado … impagados"), nothing sold.
 *   4. HQ imports a Norma 43 statement of Ruiz's account (Tesorería → "Extractos bancarios") whose credit
 *      of 300,00 € names TK-000042: the movement shows "Conciliado"; "Control de crédito" shows it "Libre".
 *   5. Paid in full, the block lifts; the till gets it through the feed and the same sale on account goes
 *      through (sale done, ticket number on screen).
 * Every step goes through the admin UI or the till UI; only the seed of the two open items is written with
 * the ledger's use-case (openItem), and the test reads the till's SQLite file to wait for the feed.
 * Screenshots: test-results/screenshots/collections-walk-*.png.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '@tpv/runtime/testing/chromium';
import { freePort } from '@tpv/runtime/testing/ports';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { openItem } from '@tpv/backoffice/collections/ledger';
import { writeNorma43 } from '@tpv/backoffice/collections/bank/norma43';
import type { BankMovement } from '@tpv/backoffice/collections/bank/statement';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { startProcess, waitForHealth, type Child } from '../../src/processes';
import { backofficeFolder, pairingCodeFromHq } from '../system/support/paired-terminal';
import { openTillPage, type TillPage } from '../../../terminal/test/browser/support/till-page';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const folder = backofficeFolder('tpv-collections-walk-');
const franchise = buildDemoFranchise();
const [hqCo, ruizCo] = franchise.companies as [(typeof franchise.companies)[0], (typeof franchise.companies)[0]];
const rincon = franchise.customers.find((c) => c.name.startsWith('Bar El Rincón'))!;
const hqUser = franchise.users.find((u) => u.role === 'hq_admin')!;
const terminal = franchise.terminals[0]!;
const cashier = franchise.staff.find((s) => s.storeId === terminal.storeId && s.role === 'cashier')!;
const product = franchise.products.find((p) => !p.weighed && p.barcodes.length > 0)!;

const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);

let boFile: string;
let hqUrl: string;
let tillChild: Child | undefined;
let tillDb: string;
let tillUrl: string;
let browser: Browser & { cleanup(): Promise<void> };
let admin: Page;
let till: TillPage;

const norm = (s: string | null) => (s ?? '').replace(/\u00a0/g, ' ');
const shot = (p: Page, name: string) => p.screenshot({ path: screenshotPath(`collections-walk-${name}`), fullPage: true });
const tillCustomerBlocked = (): number | undefined => {
  const db = new Database(tillDb, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[string], { on_account_blocked: number }>('SELECT on_account_blocked FROM customer WHERE id = ?').get(rincon.id)?.on_account_blocked;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  boFile = path.join(folder.dataDir, 'backoffice.sqlite');
  await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: [] });
  const ds = await openBackofficeDatabase({ file: boFile });
  try {
    const clock = { now: () => Date.now() };
    await writeTransaction(ds, async (m) => {
      await openItem(m, clock, {
        companyId: hqCo.id, side: 'receivable', kind: 'invoice_due', sourceId: '00000000-0000-7000-8c13-000000000001', sourceIdx: 0, documentRef: 'FV-2026-000777',
        counterparty: { kind: 'company', id: ruizCo.id, name: ruizCo.legalName }, storeId: null, issueDate: daysAgo(75), dueDate: daysAgo(45), amountCents: 121_000,
      }, null, 'test');
      await openItem(m, clock, {
        companyId: ruizCo.id, side: 'receivable', kind: 'on_account_ticket', sourceId: '00000000-0000-7000-8c13-000000000002', sourceIdx: 0, documentRef: 'TK-000042',
        counterparty: { kind: 'customer', id: rincon.id, name: rincon.name }, storeId: terminal.storeId, issueDate: daysAgo(70), dueDate: daysAgo(40), amountCents: 30_000,
      }, null, 'test');
    });
  } finally {
    await ds.destroy();
  }
  const port = await freePort();
  await folder.start(port);
  hqUrl = `http://127.0.0.1:${port}`;

  const tillPort = await freePort();
  tillDb = path.join(folder.dataDir, 'till.sqlite');
  tillChild = startProcess('till', path.join(repoRoot, 'terminal/src/main.ts'), {
    ...process.env, TPV_DATA_DIR: folder.dataDir, TPV_HOST: '127.0.0.1', TPV_TERMINAL_PORT: String(tillPort), TPV_TERMINAL_DB: tillDb,
    TPV_BACKOFFICE_URL: hqUrl, TPV_PAIRING_CODE: await pairingCodeFromHq(hqUrl, franchise, terminal.id), TPV_DEMO_DEVICES: '0',
    TPV_SYNC_BACKOFF_BASE_MS: '100', TPV_SYNC_BACKOFF_MAX_MS: '1000',
  });
  tillUrl = `http://127.0.0.1:${tillPort}`;
  await waitForHealth(`${tillUrl}/health`, 120_000);

  browser = await launchChromium();
  admin = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } })).newPage();
  admin.setDefaultTimeout(30_000);
  till = await openTillPage(browser, { url: tillUrl, output: () => '' });
}, 300_000);

afterAll(async () => {
  await browser?.cleanup();
  await tillChild?.stop(2000);
  await folder.cleanup();
});

const tesoreria = (name: string) => admin.getByRole('group', { name: 'Tesorería' }).getByRole('link', { name }).click();

/** Tesorería → "Control de crédito": the customer's row as HQ reads it (status badge, exposure, reason). */
async function creditRowOfRincon(): Promise<string> {
  await tesoreria('Control de crédito');
  const row = admin.getByTestId('credit-row').filter({ hasText: rincon.name });
  await row.waitFor();
  return norm(await row.textContent());
}

async function pickCompany(testId: string, legalName: string) {
  await admin.getByTestId(testId).click();
  await admin.getByRole('listbox').getByRole('option', { name: legalName, exact: true }).click();
}

/** Runs dunning for `company` as of today and returns the text of the newest letter's PDF, as downloaded. */
async function runDunning(company: string, expectRan: string): Promise<string> {
  await pickCompany('dunning-company', company);
  await admin.getByTestId('dunning-asof').fill(today);
  await admin.getByTestId('dunning-run').click();
  await expect.poll(async () => norm(await admin.getByTestId('dunning-ran').textContent().catch(() => '')), { timeout: 10_000 }).toContain(expectRan);
  const row = admin.getByTestId('dunning-letter-row').first();
  await row.waitFor();
  const [download] = await Promise.all([admin.waitForEvent('download'), row.getByTestId('dunning-letter-pdf').click()]);
  const file = path.join(folder.dataDir, `letter-${company.slice(0, 8).replace(/\W/g, '')}.pdf`);
  await download.saveAs(file);
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe('collections walk: aging, dunning, a blocked customer at the till, a bank statement that lifts the block', () => {
  it('0. the till pairs with HQ and loads the catalogue and customers from the change feed', async () => {
    // Paired and the catalogue (staff, products, customers) loaded from HQ's change feed.
    await expect
      .poll(async () => {
        const s = (await (await fetch(`${tillUrl}/api/sync/status`)).json().catch(() => null)) as { online: boolean; catalog: { loading: boolean; version: number; targetVersion: number } } | null;
        return !!s && s.online && !s.catalog.loading && s.catalog.version > 0 && s.catalog.version >= s.catalog.targetVersion;
      }, { timeout: 30_000, interval: 200 })
      .toBe(true);
    expect(tillCustomerBlocked()).toBe(0);
  });

  it('1. HQ sees the franchisee’s overdue fee in a past-due bucket of the aging', async () => {
    await admin.goto(hqUrl);
    await admin.getByLabel('Correo electrónico').fill(hqUser.email);
    await admin.getByLabel('Contraseña').fill(hqUser.password);
    await admin.getByRole('button', { name: 'Entrar' }).click();
    await tesoreria('Antigüedad de saldos');
    await admin.getByTestId('aging-asof').fill(today);
    const row = admin.locator(`[data-testid="aging-row"][data-counterparty="${ruizCo.id}"]`);
    // name, kind, not due, 1–30, 31–60, 61–90, over 90, total, max days
    await expect.poll(async () => (await row.locator('td').allTextContents()).map(norm), { timeout: 10_000 }).toEqual([ruizCo.tradeName, 'Empresa', '—', '—', '1.210,00 €', '—', '—', '1.210,00 €', '45']);
    await shot(admin, '1-aging');
  });

  it('2. HQ runs dunning: the letters’ PDFs name the debtor, the document and the amount; the customer is blocked', async () => {
    await tesoreria('Reclamaciones');
    const toRuiz = await runDunning(hqCo.legalName, '1 cartas · 1 bloqueados');
    for (const s of [ruizCo.legalName, 'FV-2026-000777', '1.210,00 €']) expect(toRuiz).toContain(s);
    const toRincon = await runDunning(ruizCo.legalName, '1 cartas · 1 bloqueados');
    for (const s of [rincon.name, 'TK-000042', '300,00 €']) expect(toRincon).toContain(s);
    await shot(admin, '2-dunning');
    const row = await creditRowOfRincon();
    for (const s of ['Bloqueado', '300,00 €', 'Segundo aviso']) expect(row).toContain(s);
    await shot(admin, '2-credit-control-blocked');
  });

  it('3. the till gets the block through the feed and refuses the sale on account with a clear message', async () => {
    await expect.poll(tillCustomerBlocked, { timeout: 20_000, interval: 200 }).toBe(1);
    await till.typePin(till.byTest('pinpad'), cashier.pin);
    await till.byTest('open-session-screen').waitFor();
    await till.byTest('denominations').getByRole('textbox', { name: 'Unidades de 10 €' }).fill('5');
    await till.byTest('open-session').click();
    await till.byTest('sell-screen').waitFor();
    await till.wedgeScan(product.barcodes[0]!);
    await till.countOf('[data-testid=ticket-line]', 1);
    await till.byTest('action-customer').click();
    await till.byTest('customer-search').fill('Rincón');
    await till.byTest('customer-option').filter({ hasText: 'Rincón' }).first().click();
    await till.byTest('action-pay').click();
    await till.byTest('pay-method-on_account').click();
    await till.byTest('pay-add').click();
    await till.byTest('pay-confirm').click();
    await till.see(till.byTest('flash-error'), 'bloqueado para ventas a crédito por impagados');
    await till.shot('collections-walk-3-till-refused');
    expect(await till.byTest('sale-done').count()).toBe(0);
    const db = new Database(tillDb, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM payment').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('4. HQ imports a Norma 43 statement whose credit pays the ticket: the movement is matched', async () => {
    const mov: BankMovement = {
      operationDate: today, valueDate: today, commonConcept: '02', ownConcept: '000', amountCents: 30_000, document: '0000000000', reference1: '', reference2: '',
      concepts: ['TRANSFERENCIA BAR EL RINCON SL', 'PAGO TK-000042'],
    };
    const n43 = writeNorma43([{
      account: { bank: '0049', office: '1500', number: '1234567892', currency: 'EUR' }, from: today, to: today, openingBalanceCents: 100_000, closingBalanceCents: 130_000,
      debits: { count: 0, totalCents: 0 }, credits: { count: 1, totalCents: 30_000 }, movements: [mov],
    }], 'ALIMENTACION RUIZ E HIJOS');
    const file = path.join(folder.dataDir, 'extracto.n43');
    writeFileSync(file, n43, 'latin1');
    await tesoreria('Extractos bancarios');
    await pickCompany('bank-company', ruizCo.legalName);
    await admin.locator('input[type=file]').setInputFiles(file);
    await admin.getByTestId('bank-upload-go').click();
    await expect.poll(async () => (await admin.getByTestId('movement-status').allTextContents()).map(norm), { timeout: 10_000 }).toEqual(['Conciliado']);
    expect(norm(await admin.getByTestId('movement-amount').first().textContent())).toBe('300,00 €');
    await shot(admin, '4-bank-statement');
    // Paid in full: HQ's credit control shows the customer free again (the payment re-assessed the block).
    await expect.poll(creditRowOfRincon, { timeout: 10_000 }).toContain('Libre');
    await shot(admin, '4-credit-control-free');
  });

  it('5. paid in full, the block lifts; the till gets it through the feed and the same sale on account goes through', async () => {
    await expect.poll(tillCustomerBlocked, { timeout: 20_000, interval: 200 }).toBe(0);
    await till.byTest('pay-confirm').click();
    await till.byTest('sale-done').waitFor();
    const number = norm(await till.byTest('done-number').textContent()).trim();
    expect(number).toMatch(/^M00101-\d\dT\/000001$/);
    await till.shot('collections-walk-5-till-sold');
    const db = new Database(tillDb, { readonly: true });
    try {
      expect(db.prepare(`SELECT method FROM payment`).all()).toEqual([{ method: 'on_account' }]);
    } finally {
      db.close();
    }
  });
});
