/**
 * Issue 10, must be true 1, end to end in Chromium through the admin app's pages only: HQ admin creates a
 * franchisee company with its contract, a store and a terminal; a real till process (terminal/src/main.ts) pairs
 * with the code the page shows, loads its catalogue from HQ and sells through its HTTP API (cashier PIN, drawer,
 * lines, card payment), its outbox reaching HQ; HQ then finds the sale in the ticket search filtered by the new
 * store, opens its page (huella, previous huella, QR link) and downloads its PDF from the page's button, which
 * poppler renders (not a blank page) and reads back (company, store, number, total, huella).
 * Screenshots: test-results/screenshots/backoffice-journey-*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatMoney } from '@tpv/shared/money';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { F, factoryFor } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';
import { addContract, addTerminal, createCompany, createStore, type CompanyInput } from './support/organisation-ui';
import { startRealTill, type RealTill } from './support/real-till';

let ui: AdminUi;
let page: Page;
const dir = mkdtempSync(path.join(tmpdir(), 'tpv-journey-'));
let till: RealTill | undefined;
const rowId = (n: number) => `00000000-0000-7000-8099-${n.toString(16).padStart(12, '0')}`;
const BREAD = rowId(1);
const OIL = rowId(2);
const CASHIER = rowId(3);
/** A sale of a seeded store (Madrid 1), so that the store filter has something to leave out. */
let elsewhere: TicketDocument;

const COMPANY: CompanyInput = {
  legalName: 'Comercial Norte S.L.',
  tradeName: 'Mercado Verde Norte',
  nif: 'B76543214',
  iban: 'ES91 2100 0418 4502 0005 1332',
  address: { street: 'Gran Vía 5', postalCode: '48001', city: 'Bilbao', province: 'Bizkaia' },
  contact: { name: 'Ane Norte', role: 'Gerente', email: 'ane@norte.example', phone: '+34 944 000 000' },
};

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const till = await ui.pairTill(F.t1.id);
  elsewhere = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 21).sale({ lines: [{ product: F.products[2]!, units: 2 }] });
  expect((await till.send([elsewhere])).ackedSeq).toBe(1);
  till.close();
});

afterAll(async () => {
  await till?.stop();
  await ui?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Share of dark pixels in a binary PGM (what `pdftoppm -gray` writes): 0 for a blank page. */
function inkRatio(pgmFile: string): number {
  const buf = readFileSync(pgmFile);
  const header = buf.subarray(0, 64).toString('latin1').match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  expect(header, 'a binary PGM').not.toBeNull();
  const pixels = buf.subarray(header![0].length);
  let dark = 0;
  for (const v of pixels) if (v < 128) dark++;
  return dark / pixels.length;
}

describe('HQ journey: new franchisee → store → till → sale → ticket page → PDF', () => {
  let storeId = '';
  let companyId = '';
  let first: TicketDocument;
  let sale: TicketDocument;

  it('creates the franchisee company with its contract, a store and a terminal, and a real till process pairs with the code shown and sells', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    companyId = await createCompany(page, COMPANY);
    await addContract(page, { startsOn: '2026-01-01', royaltyPct: '5', marketingPct: '2' });
    expect(await page.getByTestId('contracts').locator('tbody tr').first().textContent()).toMatch(/2026-01-01.*5,00 %.*2,00 %/);
    storeId = await createStore(page, { code: 'N001', name: 'Bilbao Centro', company: COMPANY.tradeName, address: COMPANY.address, timezone: 'Europe/Madrid', areaM2: '150' });
    const { tillCode, pairingCode } = await addTerminal(page, 'Caja 1');
    expect(tillCode).toBe('01');
    await page.screenshot({ path: screenshotPath('backoffice-journey-terminal'), fullPage: true });

    // What the new store's till needs from HQ: a product in the catalogue feed and a cashier with a PIN.
    const hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
    const put = async (pathname: string, body: unknown) => {
      const res = await fetch(ui.url + pathname, { method: 'PUT', headers: { authorization: `Bearer ${hq}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, await res.text()).toBeLessThan(300);
    };
    await put(`/api/products/${BREAD}`, { sku: 'JRN-PAN', name: 'Pan de pueblo', taxRateBp: 400, priceCents: 245 });
    await put(`/api/products/${OIL}`, { sku: 'JRN-ACEITE', name: 'Aceite de oliva 1 l', taxRateBp: 1000, priceCents: 899 });
    await put(`/api/staff/${CASHIER}`, { companyId, storeId, code: 'C01', name: 'Ane Cajera', role: 'cashier', pin: '4321' });

    // A real till process types the code the page showed, loads its catalogue, and sells.
    till = await startRealTill({ dataDir: dir, backofficeUrl: ui.url, pairingCode });
    await till.until('pairing and catalogue load', async () => {
      const s = (await till!.call('GET', '/api/sync/status')).body;
      return s?.online && !s.catalog.loading && s.catalog.version > 0 && s.catalog.version >= s.catalog.targetVersion ? true : undefined;
    });
    await till.open('4321');
    first = await till.sell([{ productId: BREAD, units: 1 }]);
    sale = await till.sell([{ productId: BREAD, units: 2 }, { productId: OIL, units: 1 }]);
    expect(sale.fiscal.previousHash).toBe(first.fiscal.hash);
    await till.until('both sales acknowledged by HQ', async () => {
      const s = (await till!.call('GET', '/api/sync/status')).body;
      return s?.pendingCount === 0 && s.ackedSeq === 2 ? true : undefined;
    });
    await page.reload();
    await expect.poll(() => page.getByTestId('terminal-01').getByTestId('terminal-state').textContent(), { timeout: 10_000 }).toBe('emparejada');
  }, 300_000);

  it('finds the sale in the ticket search filtered by the new store and shows its fiscal record', async () => {
    await page.getByTestId('nav-tickets').click();
    const rows = page.getByTestId('tickets').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3); // both stores' tickets before filtering
    await page.getByTestId('tickets-store').selectOption({ label: 'N001 · Bilbao Centro' });
    await expect.poll(() => new URL(page.url()).searchParams.get('storeId')).toBe(storeId);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    const shown = await page.getByTestId('ticket-number').allTextContents();
    expect(shown.sort()).toEqual([first.fiscalNumber, sale.fiscalNumber].sort());
    expect(shown).not.toContain(elsewhere.fiscalNumber);

    const row = rows.filter({ hasText: sale.fiscalNumber });
    expect(await row.textContent()).toContain('N001 · Bilbao Centro');
    expect(await row.textContent()).toContain(formatMoney(sale.totals.total, 'es'));
    await row.click();

    await expect.poll(() => page.getByTestId('ticket-title').textContent(), { timeout: 10_000 }).toContain(sale.fiscalNumber);
    expect(new URL(page.url()).pathname).toBe(`/tickets/${sale.id}`);
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain(COMPANY.legalName);
    expect(body).toContain('N001 · Bilbao Centro');
    expect(await page.getByTestId('ticket-hash').textContent()).toBe(sale.fiscal.hash);
    const fiscal = (await page.getByTestId('ticket-fiscal').textContent()) ?? '';
    expect(fiscal).toContain(first.fiscal.hash); // the previous huella is the first sale's
    const qr = (await page.getByTestId('ticket-qr').getAttribute('href')) ?? '';
    expect(qr).toMatch(/^https:\/\//);
    expect(qr).toContain(`nif=${COMPANY.nif}`);
    expect(qr).toContain(`numserie=${encodeURIComponent(sale.fiscalNumber)}`);
    expect(await page.getByTestId('ticket-total').textContent()).toBe(formatMoney(sale.totals.total, 'es'));
    await page.screenshot({ path: screenshotPath('backoffice-journey-ticket'), fullPage: true });
  });

  it('downloads the PDF from the page: a rendered, readable copy with company, store, number, total and huella', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ticket-pdf').click()]);
    expect(download.suggestedFilename()).toBe(`ticket-${sale.fiscalNumber.replace('/', '_')}.pdf`); // the browser keeps '/' out of file names
    const file = path.join(dir, 'ticket.pdf');
    await download.saveAs(file);

    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(COMPANY.legalName);
    expect(text).toContain(`NIF ${COMPANY.nif}`);
    expect(text).toContain('Bilbao Centro (N001)');
    expect(text).toContain(`Número: ${sale.fiscalNumber}`);
    expect(text).toContain(`TOTAL ${formatMoney(sale.totals.total, 'es')}`);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(`Huella:${sale.fiscal.hash}`);
    expect(flat).toContain(`Huellaanterior:${first.fiscal.hash}`);

    execFileSync('pdftoppm', ['-png', '-r', '50', '-singlefile', file, path.join(dir, 'page')]);
    expect(readFileSync(path.join(dir, 'page.png')).subarray(1, 4).toString()).toBe('PNG');
    // The same page in grey levels: some ink on it (text, table rules, the QR), far from all black.
    execFileSync('pdftoppm', ['-gray', '-r', '50', '-singlefile', file, path.join(dir, 'page')]);
    const ink = inkRatio(path.join(dir, 'page.pgm'));
    expect(ink).toBeGreaterThan(0.005);
    expect(ink).toBeLessThan(0.5);
  });
});
