/**
 * Issue 14 (accounting), must-be-true 3, walked end to end in real Chromium as HQ's accountant (Carmen
 * Contable, role hq_accountant, from the demo franchise): the real back office (`backoffice/src/main.ts`,
 * SQLite, serving the built admin UI) on the seeded demo franchise; the books of the franchisee Alimentación
 * Ruiz e Hijos S.L.
 *
 * The test runs any day; with today in month M (e.g. 2026-12) and L the month before (2026-11):
 *   1. The accountant signs in, Contabilidad → "Periodos", picks Ruiz, locks L with the page's button: "Cerrado".
 *   2. A late supplier invoice of Ruiz dated in L (invoice L-15, received L-20) is recorded and approved through
 *      the API by the accountant (a service without a goods receipt: a difference to approve, then it posts):
 *        "Reparación cámara frigorífica", 1 × 350,00 € at IVA 21 %
 *        base 350,00; IVA 350,00 × 21 % = 73,50; total 423,50.
 *      Its entry (services received → 629; input IVA 21 % → 472 at 21 %; the supplier's sub-account under 400):
 *        62900000 debit 350,00 · 47202100 debit 73,50 · 40000001 credit 423,50.
 *      The entry's document date is the day Ruiz received it (L-20, the supplier-invoice posting's booking
 *      date); L is locked, so it posts on M-01 and keeps L-20 as its document date. Contabilidad → "Asientos"
 *      shows it dated 1/M with "Documento del 20/L"; opening it shows the three lines and the totals 423,50.
 *   3. "Sumas y saldos" of Ruiz for L..M: debits = credits = 423,50 (the only entry of Ruiz's books in the
 *      range: the demo's history is not in the books), the three accounts present with those figures;
 *      "Pérdidas y ganancias" L..M: 7. Otros gastos de explotación = −350,00 (629 is line 7; an expense is
 *      credit − debit = −350,00), 4. Aprovisionamientos 0,00, result D = −350,00.
 *   4. "Exportar a gestoría": Ruiz's journal L-01..last day of M as CSV holds the three lines (dates dd/mm/yyyy:
 *      entry 01/M, document 20/L) and the total 423,50 = 423,50; as A3 (SUENLACE.DAT) one entry of three lines
 *      with the same amounts.
 * Only the supplier (HQ admin: the accountant may not write the catalogue) and the invoice go through the API;
 * everything the accountant checks is read off the screen or the downloaded files.
 * Screenshots: test-results/screenshots/accounting-walk-*.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '@tpv/runtime/testing/chromium';
import { freePort } from '@tpv/runtime/testing/ports';
import { readA3File } from '@tpv/shared/accounting/exports/a3';
import { parseCsv } from '@tpv/shared/accounting/exports/plain';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { backofficeFolder } from '../system/support/paired-terminal';

const folder = backofficeFolder('tpv-accounting-walk-');
const franchise = buildDemoFranchise();
const ruiz = franchise.companies.find((c) => c.legalName.startsWith('Alimentación Ruiz'))!;
const hqAdmin = franchise.users.find((u) => u.role === 'hq_admin')!;
const accountant = franchise.users.find((u) => u.role === 'hq_accountant')!;

// M = this month, L = the month before (the locked one).
const today = new Date().toISOString().slice(0, 10);
const M = today.slice(0, 7);
const L = new Date(Date.UTC(Number(M.slice(0, 4)), Number(M.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
const lastDayOfM = new Date(Date.UTC(Number(M.slice(0, 4)), Number(M.slice(5, 7)), 0)).toISOString().slice(0, 10);
/** yyyy-mm-dd as es-ES shows it on screen (1/12/2026) and as the CSV writes it (01/12/2026). */
const screenDate = (iso: string) => `${Number(iso.slice(8, 10))}/${Number(iso.slice(5, 7))}/${iso.slice(0, 4)}`;
const fileDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const invoiceDate = `${L}-15`;
// A supplier invoice's entry carries the day it was received (its booking date), here L-20.
const receivedDate = `${L}-20`;
const entryDate = `${M}-01`;
const supplierNumber = 'SAT-2026-0118';
const supplierName = 'Frío Industrial del Sur S.L.';

let url: string;
let browser: Browser & { cleanup(): Promise<void> };
let page: Page;
let registerNumber: string;

const norm = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\u2212/g, '-').trim();
const shot = (name: string) => page.screenshot({ path: screenshotPath(`accounting-walk-${name}`), fullPage: true });
/**
 * Opens a Contabilidad page and waits until the router is on it: the books pages share their filters' test ids, and
 * under load the previous page could still be on screen when the next step fills them (CI: the P&L never loaded).
 */
async function contabilidad(name: string) {
  const link = page.getByRole('group', { name: 'Contabilidad' }).getByRole('link', { name, exact: true });
  const href = await link.getAttribute('href');
  await link.click();
  if (href) await page.waitForURL((u) => u.pathname === href);
}
const cellsOf = async (row: ReturnType<Page['locator']>) => (await row.locator('td').allTextContents()).map(norm);

async function call<T>(method: string, pathname: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url + pathname, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}
const login = async (who: { email: string; password: string }) => (await call<{ token: string }>('POST', '/api/auth/login', null, { email: who.email, password: who.password })).body.token;

/** A Mantine select of companies: open it and pick Ruiz. */
async function pickRuiz(testId: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('listbox').getByRole('option', { name: ruiz.legalName, exact: true }).click();
}

beforeAll(async () => {
  await seedDemoDatabases({ franchise, backoffice: { file: path.join(folder.dataDir, 'backoffice.sqlite') }, terminals: [] });
  const port = await freePort();
  await folder.start(port);
  url = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
  page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 }, locale: 'es-ES', timezoneId: 'Europe/Madrid' })).newPage();
  page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.cleanup();
  await folder.cleanup();
});

describe('accounting walk: a locked month, a late document posted into the next one, the trial balance and P&L of a franchisee, its journal exported', () => {
  it('1. the HQ accountant locks last month of Ruiz’s books from Contabilidad → Periodos', async () => {
    await page.goto(url);
    await page.getByLabel('Correo electrónico').fill(accountant.email);
    await page.getByLabel('Contraseña').fill(accountant.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await contabilidad('Periodos');
    await pickRuiz('acc-company');
    await page.getByTestId('periods-year').fill(L.slice(0, 4));
    const row = page.locator(`[data-testid="period-row"][data-period="${L}"]`);
    await expect.poll(async () => norm(await row.getByTestId('period-status').textContent()), { timeout: 30_000 }).toBe('Abierto');
    await row.getByTestId('period-lock').click();
    await expect.poll(async () => norm(await row.getByTestId('period-status').textContent())).toBe('Cerrado');
    await row.getByTestId('period-unlock').waitFor();
    // Only that month: M stays open.
    if (M.slice(0, 4) === L.slice(0, 4)) expect(norm(await page.locator(`[data-testid="period-row"][data-period="${M}"]`).getByTestId('period-status').textContent())).toBe('Abierto');
    await shot('1-periods');
  });

  it('2. a supplier invoice dated in the locked month posts on the first day of the next; Asientos shows both dates and the lines', async () => {
    // The supplier: HQ admin (catalogue). The invoice: the accountant records it and approves its difference.
    const admin = await login(hqAdmin);
    const supplier = await call<{ id: string }>('POST', '/api/suppliers', admin, { name: supplierName, nif: 'B41234567', paymentTermsDays: 30 });
    expect(supplier.status).toBe(201);
    const token = await login(accountant);
    const recorded = await call<{ id: string; status: string; totalCents: number }>('POST', '/api/supplier-invoices', token, {
      companyId: ruiz.id, supplierId: supplier.body.id, supplierNumber, invoiceDate, receivedDate,
      lines: [{ description: 'Reparación cámara frigorífica', quantityMilli: 1000, unitPriceCents: 35_000, ivaRateBp: 2100 }],
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    // No goods receipt behind it: a difference, so it waits for approval; 350,00 + 73,50 = 423,50.
    expect(recorded.body).toMatchObject({ status: 'pending_approval', totalCents: 42_350 });
    const approved = await call<{ status: string; registerNumber: string }>('POST', `/api/supplier-invoices/${recorded.body.id}/approve`, token, { note: 'Reparación urgente, sin pedido' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe('posted');
    registerNumber = approved.body.registerNumber;

    await contabilidad('Asientos');
    await page.getByRole('heading', { name: 'Asientos', exact: true }).waitFor();
    await pickRuiz('acc-company');
    const row = page.getByTestId('journal-row').filter({ hasText: supplierNumber });
    await row.waitFor({ timeout: 30_000 });
    // number, date (with the document's own date under it), kind, description, source, amount
    const cells = await cellsOf(row);
    expect(cells[1]).toBe(`${screenDate(entryDate)}Documento del ${screenDate(receivedDate)}`);
    expect(norm(await row.getByTestId('journal-document-date').textContent())).toBe(`Documento del ${screenDate(receivedDate)}`);
    expect(cells.slice(2)).toEqual(['Factura recibida', `Factura recibida ${supplierNumber} · ${supplierName}`, registerNumber, '423,50 €']);
    await shot('2-asientos');

    await row.click();
    await page.getByTestId('entry-detail-line').first().waitFor();
    expect(norm(await page.getByTestId('entry-entry-date').textContent())).toBe(screenDate(entryDate));
    expect(norm(await page.getByTestId('entry-document-date').textContent())).toBe(screenDate(receivedDate));
    expect(norm(await page.getByTestId('entry-source').textContent())).toBe(registerNumber);
    const lines = await Promise.all((await page.getByTestId('entry-detail-line').all()).map(cellsOf));
    // account, name, store, debit, credit
    expect(lines.map((l) => [l[0], l[3], l[4]])).toEqual([
      ['62900000', '350,00 €', ''],
      ['47202100', '73,50 €', ''],
      ['40000001', '', '423,50 €'],
    ]);
    expect(lines[2]![1]).toContain(supplierName);
    expect(norm(await page.getByTestId('entry-total-debit').textContent())).toBe('423,50 €');
    await shot('2-entry');
  });

  it('3. Sumas y saldos of Ruiz balances with the late document’s accounts; the P&L shows its expense in line 7', async () => {
    await contabilidad('Sumas y saldos');
    await pickRuiz('books-company');
    await page.getByTestId('books-from').fill(L);
    await page.getByTestId('books-to').fill(M);
    const total = page.getByTestId('trial-total');
    await total.waitFor({ timeout: 30_000 });
    const money = async (loc: ReturnType<Page['locator']>, id: string) => norm(await loc.getByTestId(id).textContent());
    await expect.poll(() => money(total, 'total-debit')).toBe('423,50 €');
    expect(await money(total, 'total-credit')).toBe('423,50 €');
    expect(await money(total, 'total-closing')).toBe('0,00 €');
    // account → [debit, credit, closing] (closing = debit − credit, no opening: nothing before L).
    const expected: Record<string, [string, string, string]> = {
      '62900000': ['350,00 €', '0,00 €', '350,00 €'],
      '47202100': ['73,50 €', '0,00 €', '73,50 €'],
      '40000001': ['0,00 €', '423,50 €', '-423,50 €'],
    };
    expect((await page.getByTestId('trial-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-account')))).sort()).toEqual(Object.keys(expected).sort());
    for (const [account, [debit, credit, closing]] of Object.entries(expected)) {
      const row = page.locator(`[data-testid="trial-row"][data-account="${account}"]`);
      expect([await money(row, 'debit'), await money(row, 'credit'), await money(row, 'closing')], account).toEqual([debit, credit, closing]);
    }
    await shot('3-sumas-y-saldos');

    await contabilidad('Pérdidas y ganancias');
    await pickRuiz('books-company');
    await page.getByTestId('books-from').fill(L);
    await page.getByTestId('books-to').fill(M);
    const line = (ref: string) => page.locator(`[data-testid="statement-line"][data-ref="${ref}"]`);
    await line('7').waitFor({ timeout: 30_000 });
    await expect.poll(async () => norm(await line('7').getByTestId('statement-current').textContent())).toBe('-350,00 €');
    expect(norm(await line('7').locator('td').first().textContent())).toBe('7. Otros gastos de explotación');
    expect(norm(await line('4').getByTestId('statement-current').textContent())).toBe('0,00 €');
    expect(norm(await line('D').getByTestId('statement-current').textContent())).toBe('-350,00 €');
    await shot('3-perdidas-y-ganancias');
  });

  it('4. Exportar a gestoría: Ruiz’s journal as CSV and A3 holds the late document’s lines with the screen’s amounts', async () => {
    await contabilidad('Exportar a gestoría');
    await pickRuiz('export-company');
    await page.getByTestId('export-from').fill(`${L}-01`);
    await page.getByTestId('export-to').fill(lastDayOfM);
    const downloadAs = async (format: string, name: string, then?: () => Promise<void>) => {
      await page.getByTestId('export-format').click();
      await page.getByRole('option', { name: format }).click();
      await then?.();
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
      const file = path.join(folder.dataDir, name);
      await d.saveAs(file);
      return { name: d.suggestedFilename(), bytes: new Uint8Array(readFileSync(file)) };
    };

    const csv = await downloadAs('CSV', 'diario.csv');
    expect(csv.name).toBe(`diario_${ruiz.nif}_${L}-01_${lastDayOfM}.csv`);
    const [head, ...rows] = parseCsv(new TextDecoder().decode(csv.bytes));
    expect(head).toEqual(['Asiento', 'Fecha', 'Fecha documento', 'Cuenta', 'Nombre de la cuenta', 'Concepto', 'Debe', 'Haber', 'Tienda', 'Documento']);
    // Entry, date, document date, account, debit, credit, document — then the totals row.
    expect(rows.map((r) => [r[1], r[2], r[3], r[6], r[7], r[9]])).toEqual([
      [fileDate(entryDate), fileDate(receivedDate), '62900000', '350,00', '0,00', registerNumber],
      [fileDate(entryDate), fileDate(receivedDate), '47202100', '73,50', '0,00', registerNumber],
      [fileDate(entryDate), fileDate(receivedDate), '40000001', '0,00', '423,50', registerNumber],
      ['', '', '', '423,50', '423,50', ''],
    ]);
    expect(rows.at(-1)![5]).toBe('Total');

    // A3 wants the gestoría's company code for Ruiz (5 digits at most).
    const a3 = await downloadAs('A3 (SUENLACE.DAT)', 'SUENLACE.DAT', () => page.getByTestId('export-a3-company').fill('7'));
    expect(a3.name).toBe('SUENLACE.DAT');
    const back = readA3File(a3.bytes);
    expect(back.entries).toHaveLength(1);
    expect(back.entries[0]!.lines.map((l) => [l.account, l.debitCents, l.creditCents])).toEqual([
      ['62900000', 35_000, 0],
      ['47202100', 7_350, 0],
      ['40000001', 0, 42_350],
    ]);
    await expect.poll(async () => norm(await page.getByTestId('export-last').textContent())).toContain('A3 (SUENLACE.DAT)');
    await shot('4-exportar');
  });
});
