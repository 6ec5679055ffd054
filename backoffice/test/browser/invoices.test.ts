/**
 * The invoices module in Chromium against a real back office (SQLite, built UI) — issue 12, must-be-true 2
 * (its HQ half after the fee run): HQ finds a posted invoice in Facturación → Facturas emitidas, opens it,
 * downloads its PDF (read with pdftotext; the page rendered with pdftoppm and its QR decoded with jsQR to the
 * AEAT URL with the invoice's amount), and issues a partial credit note by difference from the invoice page:
 * one of the four consulting sessions, 150,00 € + 21 % = 181,50 €, leaving 641,30 € to credit.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { buildFiscalQrUrl } from '@tpv/shared/fiscal/qr';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

const run = promisify(execFile);
let ui: AdminUi;
let page: Page;
let invoice: { id: string; number: string; issueDate: string };
const dir = mkdtempSync(path.join(tmpdir(), 'tpv-invoice-ui-'));

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
  // 4 × 150,00 + 1 × 80,00 = 680,00 base; IVA 21 % 142,80; total 822,80.
  const draft = await ui.post('/api/invoices', hq, {
    companyId: F.franchisor.id,
    recipient: { kind: 'company', companyId: F.ruiz.id },
    paymentDays: [30],
    lines: [
      { description: 'Consultoría', quantityMilli: 4000, unitPriceCents: 15_000, ivaRateBp: 2100 },
      { description: 'Desplazamiento', quantityMilli: 1000, unitPriceCents: 8_000, ivaRateBp: 2100 },
    ],
  });
  expect(draft.status).toBe(201);
  const posted = await ui.post(`/api/invoices/${draft.body.id as string}/post`, hq, {});
  expect(posted.status).toBe(200);
  invoice = posted.body as typeof invoice;
});

afterAll(async () => {
  await ui?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('invoices at HQ', () => {
  it('opens an invoice, downloads its PDF (QR decoded) and issues a partial credit note', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-invoices').click();
    const row = page.getByTestId('invoices').getByRole('row', { name: new RegExp(invoice.number) });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('invoices-totals').textContent()).toContain('822,80');
    await row.click();

    await expect.poll(() => page.getByTestId('invoice-number').textContent(), { timeout: 10_000 }).toBe(invoice.number);
    expect(await page.getByTestId('invoice-status').textContent()).toBe('Emitida');
    expect(await page.getByTestId('invoice-recipient').textContent()).toContain(`Ruiz S.L. · ${F.ruiz.nif}`);
    expect(await page.getByTestId('invoice-total').textContent()).toContain('822,80 €');
    expect((await page.getByTestId('invoice-hash').first().textContent())?.length).toBe(64);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('invoice-pdf').click()]);
    expect(download.suggestedFilename()).toBe(`factura-${invoice.number}.pdf`);
    const file = path.join(dir, 'invoice.pdf');
    await download.saveAs(file);
    const { stdout: text } = await run('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const words of ['Franquicia S.L.', invoice.number, 'Ruiz S.L.', `NIF ${F.ruiz.nif}`, 'Consultoría', 'IVA 21 %', '142,80 €', 'TOTAL FACTURA', '822,80 €', 'Vencimientos', 'VERI*FACTU']) {
      expect(text, words).toContain(words);
    }
    await run('pdftoppm', ['-png', '-r', '150', '-singlefile', file, path.join(dir, 'page')]);
    const png = PNG.sync.read(readFileSync(path.join(dir, 'page.png')));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
    const [y, m, d] = invoice.issueDate.split('-');
    expect(qr).toBe(buildFiscalQrUrl({ environment: 'production', nif: F.franchisor.nif, invoiceNumber: invoice.number, issueDate: `${d}-${m}-${y}`, totalCents: 82_280 }));
    expect(qr).toContain('importe=822.80');
    await new Promise((r) => setTimeout(r, 200)); // the decode held the event loop: let late keep-alive timers run

    // A partial credit note by difference: one consulting session.
    await page.getByTestId('invoice-credit').click();
    await page.getByTestId('credit-line-1').getByTestId('credit-units').fill('1');
    await page.getByTestId('credit-reason').fill('Una sesión no impartida');
    await page.screenshot({ path: screenshotPath('backoffice-credit-note'), fullPage: true });
    await page.getByTestId('credit-issue').click();
    await expect.poll(() => page.getByTestId('invoice-number').textContent(), { timeout: 10_000 }).toMatch(/^FR-\d{4}-000001$/);
    expect(await page.getByTestId('invoice-total').textContent()).toContain('-181,50 €');
    expect(await page.getByTestId('invoice-rectifies').textContent()).toContain(invoice.number);

    await page.getByTestId('invoice-rectifies').click();
    await expect.poll(() => page.getByTestId('invoice-number').textContent(), { timeout: 10_000 }).toBe(invoice.number);
    await expect.poll(() => page.getByTestId('invoice-remaining').textContent()).toBe('641,30 €');
    expect(await page.getByTestId('invoice-credit-note').textContent()).toMatch(/FR-\d{4}-000001 · R1 · I/);
    await page.screenshot({ path: screenshotPath('backoffice-invoice'), fullPage: true });
  });
});
