/**
 * Tickets in the admin UI (built backoffice/ui) in Chromium against a real back office on SQLite (issue 10,
 * must-be-true 1, ticket part): a till sells (paired, sent over its sync socket, ingested), HQ finds the sale
 * in the ticket search by its number, opens its page with the fiscal record (huella, previous huella, QR URL)
 * and downloads the PDF copy, which poppler renders and reads back. A franchisee of another company does not
 * find it. Screenshot: test-results/screenshots/backoffice-ticket.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatMoney } from '@tpv/shared/money';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { F, factoryFor } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
let first: TicketDocument;
let sale: TicketDocument;
const dir = mkdtempSync(path.join(tmpdir(), 'tpv-ticket-ui-'));

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const till = await ui.pairTill(F.t1.id);
  const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 11);
  first = f.sale({ lines: [{ product: F.products[0]!, units: 1 }] });
  sale = f.sale({ lines: [{ product: F.products[1]!, units: 3 }, { product: F.products[3]!, grams: 750 }], payment: 'card' });
  const ack = await till.send([first, sale]);
  expect(ack.ackedSeq).toBe(2);
  till.close();
});

afterAll(async () => {
  await ui?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tickets pages', () => {
  it('HQ finds the sale by number, sees its fiscal record and downloads its PDF copy', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-tickets').click();
    const table = page.getByTestId('tickets');
    await table.waitFor();
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);
    await page.getByTestId('tickets-number').fill(sale.fiscalNumber);
    await page.getByTestId('tickets-number').press('Enter');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    const row = table.locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toContain(sale.fiscalNumber);
    expect(await row.textContent()).toContain(formatMoney(sale.totals.total, 'es'));
    await row.click();

    await expect.poll(() => page.getByTestId('ticket-title').textContent(), { timeout: 10_000 }).toContain(sale.fiscalNumber);
    expect(await page.getByTestId('ticket-hash').textContent()).toBe(sale.fiscal.hash);
    const fiscal = (await page.getByTestId('ticket-fiscal').textContent()) ?? '';
    expect(fiscal).toContain(first.fiscal.hash); // the previous huella: the first sale's
    expect(await page.getByTestId('ticket-qr').getAttribute('href')).toContain(`numserie=${encodeURIComponent(sale.fiscalNumber)}`);
    expect(await page.getByTestId('ticket-lines').textContent()).toContain('0,750 kg');
    expect(await page.getByTestId('ticket-total').textContent()).toBe(formatMoney(sale.totals.total, 'es'));
    await page.screenshot({ path: screenshotPath('backoffice-ticket'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ticket-pdf').click()]);
    expect(download.suggestedFilename()).toMatch(/^ticket-M00101-\d\dT_0+2\.pdf$/);
    const file = path.join(dir, 'copy.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(sale.fiscalNumber);
    expect(text).toContain(`NIF ${F.ruiz.nif}`);
    expect(text).toContain(`TOTAL ${formatMoney(sale.totals.total, 'es')}`);
    expect(text.replace(/\s+/g, '')).toContain(sale.fiscal.hash);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, path.join(dir, 'copy')]);
    expect(statSync(path.join(dir, 'copy.png')).size).toBeGreaterThan(5_000);
  });

  it('a franchisee of another company does not find it, and its page by URL is refused', async () => {
    await page.getByRole('button', { name: 'Salir' }).click();
    await ui.signIn(F.managerLevante);
    await page.getByTestId('nav-tickets').click();
    await page.getByTestId('tickets-empty').waitFor();
    expect(await page.getByTestId('tickets-empty').textContent()).toContain('No hay tickets');
    await page.goto(`${ui.url}/tickets/${sale.id}`);
    await expect.poll(() => page.locator('body').textContent(), { timeout: 10_000 }).toMatch(/outside your scope/);
  });
});
