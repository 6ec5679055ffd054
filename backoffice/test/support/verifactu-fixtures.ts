/**
 * A month of Veri*Factu records for the harness franchise: a week of till tickets at Ruiz's two Madrid tills
 * and Levante's till (sales history generator), and Ruiz's own back-office invoices of November — a full
 * invoice with mixed rates, recargo and an exempt line, a credit note by difference, one by substitution,
 * an F3 replacing a ticket and an anulación.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { seedSalesHistory } from '../../src/tickets/seeding/history';
import { cancelInvoice, insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { exec, one } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { F } from './harness';
import { smallPlan } from './ticket-history';

export const MONTH = '2026-11';
/** A valid NIF for the business customer of the HQ invoices. */
export const CUSTOMER_NIF = 'B44556678';
export const SCHEMA = path.resolve(import.meta.dirname, '../../../../shared/fixtures/schemas/aeat-verifactu/SuministroLR.xsd');
export const hqActor: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8007-000000000001', email: F.hq.email, name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };

const at = (day: number, hour = 10) => ({ now: () => Date.UTC(2026, 10, day, hour, 0, 0) });

const base = (over: Partial<DraftInvoiceInput>): DraftInvoiceInput => ({
  companyId: F.ruiz.id,
  invoiceType: 'F1',
  source: 'manual',
  recipient: { customerId: F.customer.id, nif: CUSTOMER_NIF, name: F.customer.name, address: 'Calle Mayor 3, 28013 Madrid' },
  paymentDays: [30],
  lines: [],
  ...over,
});

/** Posts Ruiz's November invoices; answers their numbers. */
export async function seedHqInvoices(ds: DataSource): Promise<string[]> {
  const post = (day: number, input: DraftInvoiceInput) =>
    writeTransaction(ds, async (m) => postInvoice(m, at(day), hqActor, (await insertDraftInvoice(m, at(day), hqActor, input)).id));
  const mixed = await post(3, base({
    reRegime: true,
    lines: [
      { description: 'Aceite de oliva (caja)', quantityMilli: 10_000, unitPriceCents: 4_500, ivaRateBp: 1000, reRateBp: 140 },
      { description: 'Menaje', quantityMilli: 2_000, unitPriceCents: 12_000, ivaRateBp: 2100, reRateBp: 520 },
      { description: 'Curso de formación (exento)', quantityMilli: 1_000, unitPriceCents: 30_000, ivaRateBp: 0, exemption: 'E1' },
    ],
  }));
  const rent = await post(5, base({ lines: [{ description: 'Subarriendo almacén noviembre', quantityMilli: 1_000, unitPriceCents: 80_000, ivaRateBp: 2100 }] }));
  const [rentRow] = [await one<{ id: string }>(ds.manager, `SELECT id FROM invoice WHERE number = ? AND company_id = ?`, [rent.number, F.ruiz.id])];
  const byDiff = await post(10, base({
    invoiceType: 'R1', source: 'credit', rectifies: { invoiceId: rentRow!.id, method: 'I', reason: 'Descuento pactado' },
    lines: [{ description: 'Abono parcial subarriendo', quantityMilli: -1_000, unitPriceCents: 10_000, ivaRateBp: 2100 }],
  }));
  const wrong = await post(12, base({ lines: [{ description: 'Servicio facturado por error', quantityMilli: 1_000, unitPriceCents: 5_000, ivaRateBp: 2100 }] }));
  const [wrongRow] = [await one<{ id: string }>(ds.manager, `SELECT id FROM invoice WHERE number = ? AND company_id = ?`, [wrong.number, F.ruiz.id])];
  await writeTransaction(ds, (m) => cancelInvoice(m, at(13), hqActor, wrongRow!.id, 'Emitida por error'));
  const other = await post(14, base({ lines: [{ description: 'Cesión de mobiliario', quantityMilli: 1_000, unitPriceCents: 20_000, ivaRateBp: 2100 }] }));
  const [otherRow] = [await one<{ id: string }>(ds.manager, `SELECT id FROM invoice WHERE number = ? AND company_id = ?`, [other.number, F.ruiz.id])];
  const bySubst = await post(20, base({
    invoiceType: 'R2', source: 'credit', rectifies: { invoiceId: otherRow!.id, method: 'S', reason: 'Importe corregido' },
    lines: [{ description: 'Cesión de mobiliario (corregida)', quantityMilli: 1_000, unitPriceCents: 18_000, ivaRateBp: 2100 }],
  }));
  // F3 replacing one of Madrid 1's tickets of the week (the invoice part's till flow writes the same rows).
  const ticket = await one<{ id: string; fiscal_number: string; business_date: unknown }>(ds.manager, `SELECT id, fiscal_number, business_date FROM sale_ticket WHERE store_id = ? AND kind = 'sale' ORDER BY seq LIMIT 1`, [F.storeM1.id]);
  const f3 = await writeTransaction(ds, async (m) => {
    const d = await insertDraftInvoice(m, at(22), hqActor, base({ invoiceType: 'F3', source: 'ticket', sourceKey: `ticket:${ticket!.id}`, lines: [{ description: 'Factura del ticket', quantityMilli: 1_000, unitPriceCents: 1_000, ivaRateBp: 2100 }] }));
    const bd = ticket!.business_date instanceof Date ? ticket!.business_date.toISOString().slice(0, 10) : String(ticket!.business_date).slice(0, 10);
    await exec(m, `INSERT INTO invoice_substitution (invoice_id, idx, ticket_id, invoice_number, issue_date) VALUES (?, 0, ?, ?, ?)`, [d.id, ticket!.id, ticket!.fiscal_number, `${bd.slice(8, 10)}-${bd.slice(5, 7)}-${bd.slice(0, 4)}`]);
    return postInvoice(m, at(22), hqActor, d.id);
  });
  return [mixed.number, rent.number, byDiff.number, wrong.number, other.number, bySubst.number, f3.number];
}

/** The franchise's November: tills' week of tickets + Ruiz's HQ invoices (`ticketsPerDayM1` makes Madrid 1 busier). */
export async function seedMonth(ds: DataSource, opts: { ticketsPerDayM1?: number } = {}): Promise<void> {
  const plan = smallPlan();
  if (opts.ticketsPerDayM1) plan.stores[0]!.ticketsPerDay = opts.ticketsPerDayM1;
  await seedSalesHistory(ds, plan, { marker: 'verifactu-test', stock: false });
  await seedHqInvoices(ds);
}

/** xmllint --nonet --schema against the real AEAT schema: '' when valid, else its complaints. */
export function xsdErrors(xml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-vf-'));
  const file = path.join(dir, 'doc.xml');
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--nonet', '--noout', '--schema', SCHEMA, file], { stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}
