/**
 * Issue 12, must-be-true 1, in real Chromium on the real terminal service with the demo's virtual ESC/POS
 * printer: a 3,450 € sale to a business customer of the shared base (Residencia Los Olivos S.L., found by
 * name) prints a full invoice — the printer's decoded text says FACTURA with the recipient's NIF, name and
 * address; a simplified ticket sold afterwards is turned into a full invoice (F3) by scanning its number;
 * then the till's chain — as the back office ingests it from the outbox (SQLite back office seeded with the
 * same demo franchise, the real ingest service) — verifies from fiscal_record with `verifyChain`.
 * Screenshots: test-results/screenshots/invoice-*.png. (In scripts/: it drives the till and the back office's ingest.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@tpv/runtime/testing/chromium';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { createIngestService } from '@tpv/backoffice/sales-ingest/service';
import { hashSecrets, seedBackoffice } from '@tpv/scripts/src/seed/write';
import { startDemoDevices, type DemoDevices, type DemoTillDevices } from '@tpv/scripts/src/demo-devices';
import { writeDevicesFile } from '@tpv/terminal/devices/config';
import { startSeededTerminal, type SeededTerminal } from '../../../terminal/test/browser/support/seeded-terminal';
import { openTillPage, type TillPage } from '../../../terminal/test/browser/support/till-page';

let terminal: SeededTerminal;
let devices: DemoDevices;
let till: DemoTillDevices;
let browser: Browser & { cleanup(): Promise<void> };
let ui: TillPage;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-invoice-browser-'));
let cola: { code: string; price: number };
let olivos: { name: string; nif: string };

beforeAll(async () => {
  devices = await startDemoDevices(['M001-01']);
  till = devices.tills.get('M001-01')!;
  const file = path.join(dir, 'devices-M001-01.json');
  writeDevicesFile(file, till.config);
  terminal = await startSeededTerminal({ env: { TPV_DEVICES_FILE: file } });
  const f = terminal.franchise;
  const c = f.products.find((p) => !p.weighed && p.taxRateBp === 2100)!;
  cola = { code: c.barcodes[0]!, price: f.storePrices.find((s) => s.storeId === terminal.terminal.storeId && s.productId === c.id)!.priceCents };
  const o = f.customers.find((x) => x.name.startsWith('Residencia Los Olivos'))!;
  olivos = { name: o.name, nif: o.nif! };
  // 1,000 × 3,45 € = 3.450,00 €: the hand-worked total below assumes this seed price.
  expect(cola.price).toBe(345);
  browser = await launchChromium();
  ui = await openTillPage(browser, terminal);
});

afterAll(async () => {
  await browser?.cleanup();
  await terminal?.stop();
  await devices?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The newest receipt the virtual printer decoded that carries `fiscalNumber` (its CODE128). */
async function printed(fiscalNumber: string): Promise<string> {
  let text = '';
  await ui.until(`receipt ${fiscalNumber} printed`, () => {
    const r = [...till.printer.receipts].reverse().find((x) => x.barcodes.some((b) => b.data === fiscalNumber));
    text = r?.text ?? '';
    return r !== undefined;
  });
  return text;
}

describe('full invoices at the till (Chromium, virtual printer)', () => {
  let invoiceNumber = '';
  let ticketNumber = '';

  it('logs in and opens the till', async () => {
    await ui.typePin(ui.byTest('pinpad'), '1111');
    await ui.byTest('open-session-screen').waitFor();
    await ui.byTest('denominations').getByRole('textbox', { name: 'Unidades de 10 €' }).fill('5');
    await ui.byTest('open-session').click();
    await ui.byTest('sell-screen').waitFor();
  });

  it('sells 3.450,00 € to a business customer of the base: the till asks for the recipient and prints a FACTURA', async () => {
    await ui.wedgeScan(cola.code);
    await ui.countOf('[data-testid=ticket-line]', 1);
    await ui.byTest('ticket-line').nth(0).click();
    await ui.byTest('action-qty').click();
    await ui.byTest('number-input').fill('1000');
    await ui.byTest('number-ok').click();
    // 1.000 × 3,45 €
    await ui.see(ui.byTest('cart-total'), '3450,00 €'.replace('3450', '3.450'));
    // The customer, found by name in the till's copy of the shared base.
    await ui.byTest('action-customer').click();
    await ui.byTest('customer-search').fill('Olivos');
    await ui.byTest('customer-option').filter({ hasText: 'Olivos' }).first().click();

    await ui.byTest('action-pay').click();
    // Over 3.000 €: no simplified ticket; the full invoice is on and cannot be switched off.
    await ui.see(ui.byTest('invoice-required'), 'Más de 3.000 €');
    expect(await ui.byTest('pay-invoice').isChecked()).toBe(true);
    expect(await ui.byTest('pay-invoice').isDisabled()).toBe(true);
    expect(await ui.byTest('invoice-nif').inputValue()).toBe(olivos.nif);
    expect(await ui.byTest('invoice-name').inputValue()).toBe(olivos.name);
    await ui.byTest('pay-method-card').click();
    await ui.byTest('pay-reference').fill('AUT-777001');
    await ui.byTest('pay-add').click();
    // The address is still missing: the sale cannot be charged yet.
    expect(await ui.byTest('pay-confirm').isDisabled()).toBe(true);
    await ui.byTest('invoice-street').fill('Avenida de los Olivos 8');
    await ui.byTest('invoice-postalCode').fill('28043');
    await ui.byTest('invoice-city').fill('Madrid');
    await ui.shot('invoice-01-recipient');
    await ui.byTest('pay-confirm').click();

    await ui.byTest('sale-done').waitFor();
    await ui.see(ui.byTest('done-total'), '3.450,00 €');
    invoiceNumber = ((await ui.byTest('done-number').textContent()) ?? '').trim();
    expect(invoiceNumber).toBe('M00101-26T/000001');
    await ui.shot('invoice-02-done');
    const text = await printed(invoiceNumber);
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines).toContain('FACTURA');
    expect(text).not.toContain('FACTURA SIMPLIFICADA');
    for (const s of ['Destinatario:', olivos.name, `NIF: ${olivos.nif}`, 'Avenida de los Olivos 8', '28043 Madrid']) expect(text).toContain(s);
    await ui.byTest('next-sale').click();
  });

  it('sells a simplified ticket, then turns it into a full invoice (F3) by scanning its number', async () => {
    await ui.byTest('sell-screen').waitFor();
    await ui.wedgeScan(cola.code);
    await ui.countOf('[data-testid=ticket-line]', 1);
    await ui.byTest('action-pay').click();
    expect(await ui.byTest('pay-invoice').isChecked()).toBe(false);
    await ui.byTest('cash-exact').click();
    await ui.byTest('pay-confirm').click();
    await ui.byTest('sale-done').waitFor();
    ticketNumber = ((await ui.byTest('done-number').textContent()) ?? '').trim();
    expect(ticketNumber).toBe('M00101-26T/000002');
    expect(await printed(ticketNumber)).toContain('FACTURA SIMPLIFICADA');
    await ui.byTest('next-sale').click();

    await ui.byTest('nav-invoice').click();
    await ui.byTest('substitution-screen').waitFor();
    await ui.byTest('substitution-lookup').click();
    await ui.wedgeScan(ticketNumber);
    await ui.see(ui.byTest('substitution-original'), ticketNumber);
    await ui.see(ui.byTest('substitution-original'), '3,45 €');
    // A typed NIF with a wrong control letter is flagged before anything is sent (offline check).
    await ui.byTest('invoice-nif').fill('12345678A');
    await ui.byTest('invoice-nif-invalid').waitFor();
    expect(await ui.byTest('substitution-issue').isDisabled()).toBe(true);
    await ui.byTest('invoice-nif').fill('12345678Z');
    await ui.byTest('invoice-name').fill('Ana López García');
    await ui.byTest('invoice-street').fill('Calle del Pez 3');
    await ui.byTest('invoice-postalCode').fill('28004');
    await ui.byTest('invoice-city').fill('Madrid');
    await ui.shot('invoice-03-f3-recipient');
    await ui.byTest('substitution-issue').click();
    await ui.byTest('substitution-done').waitFor();
    await ui.see(ui.byTest('substitution-number'), 'M00101-26T/000003');
    await ui.see(ui.byTest('substitution-number'), ticketNumber);
    await ui.shot('invoice-04-f3-done');
    const text = (await printed('M00101-26T/000003')).replace(/ +/g, ' ');
    expect(text.split('\n').map((l) => l.trim())).toContain('FACTURA');
    for (const s of [`Sustituye a: ${ticketNumber}`, 'NIF: 12345678Z', 'Ana López García', '28004 Madrid']) expect(text).toContain(s);
    await ui.byTest('substitution-finish').click();

    // The same ticket again: refused with a clear message.
    await ui.byTest('nav-invoice').click();
    await ui.byTest('substitution-lookup').click();
    await ui.wedgeScan(ticketNumber);
    await ui.see(ui.byTest('substitution-original'), ticketNumber);
    for (const [k, v] of [['nif', '12345678Z'], ['name', 'Otra'], ['street', 'X 1'], ['postalCode', '28001'], ['city', 'Madrid']] as const) await ui.byTest(`invoice-${k}`).fill(v);
    await ui.byTest('substitution-issue').click();
    await ui.see(ui.byTest('flash-error'), 'ya se sustituyó');
    await ui.shot('invoice-05-f3-twice');
    expect(ui.consoleErrors.filter((e) => !/Failed to load resource|409/.test(e))).toEqual([]);
  });

  it('the till chain F1, F2, F3 verifies as the back office ingests it', async () => {
    // The till's outbox, as its sync would send it.
    const db = new Database(terminal.databaseFile, { readonly: true });
    const docs = db.prepare<[], { payload: string }>('SELECT payload FROM outbox ORDER BY seq').all().map((r) => JSON.parse(r.payload) as TicketDocument);
    db.close();
    expect(docs.map((d) => d.fiscal.invoiceType)).toEqual(['F1', 'F2', 'F3']);

    const ds = await openBackofficeDatabase({ file: path.join(dir, 'backoffice.sqlite') });
    try {
      const f = terminal.franchise;
      await seedBackoffice(ds, f, await hashSecrets(f));
      const t = terminal.terminal;
      const store = f.stores.find((s) => s.id === t.storeId)!;
      const company = f.companies.find((c) => c.id === store.companyId)!;
      // Paired as HQ pairs a till (only a paired, unrevoked terminal may send).
      await ds.query(`UPDATE terminal SET token_hash = 'paired-in-test' WHERE id = ?`, [t.id]);
      const ingest = createIngestService(ds, { now: () => Date.now() });
      const ack = await ingest.submit({ terminalId: t.id, storeId: t.storeId, installation: t.installation, companyNif: company.nif }, { terminalId: t.id, batchId: randomUUID(), tickets: docs });
      expect(ack).toEqual({ ok: true, value: { terminalId: t.id, ackedSeq: 3 } });
      const rows = (await ds.query(
        `SELECT f.verified, t.kind, t.document FROM fiscal_record f JOIN sale_ticket t ON t.id = f.ticket_id WHERE f.terminal_id = ? ORDER BY f.chain_position`,
        [t.id],
      )) as Array<{ verified: number; kind: string; document: string }>;
      expect(rows.map((r) => [r.kind, r.verified])).toEqual([['sale', 1], ['sale', 1], ['invoice', 1]]);
      const chain = rows.map((r) => (JSON.parse(r.document) as TicketDocument).fiscal as FiscalRecord);
      expect(verifyChain(chain)).toMatchObject({ ok: true, value: { verified: 3 } });
      const subs = (await ds.query(`SELECT ticket_id, fiscal_number FROM ticket_substitution`)) as Array<{ ticket_id: string; fiscal_number: string }>;
      expect(subs).toEqual([{ ticket_id: docs[1]!.id, fiscal_number: 'M00101-26T/000003' }]);
    } finally {
      await ds.destroy();
    }
  });
});
