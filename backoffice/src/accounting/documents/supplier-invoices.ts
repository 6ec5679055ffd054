/**
 * Supplier invoices → the receiving company's journal when they post (`supplier_invoice.posted`), in the
 * same transaction: purchases (600) for goods — lines with a product or from a goods receipt — and external
 * services (629) for the rest, per IVA rate; input IVA (472) per rate; recargo the company paid (RE regime)
 * is not deductible, so it goes into the cost of the rate's goods (else its services); the supplier's
 * sub-account under 400 for the total; IRPF the company withheld on 4751.
 *
 * The entry is dated the day the invoice was received when that day is in its booking period, else on the
 * edge of the booking period nearest to it (the VAT book books it in that period).
 */
import type { Clock } from '@tpv/shared/clock';
import { firstDayOf, lastDayOf, periodOf, signedLine, type DraftLine } from '@tpv/shared/accounting/entries';
import { accountFor, type RuleOverrides } from '@tpv/shared/accounting/rules';
import { all, num, one, type Db } from '../../persistence/sql';
import { postEntry, type PostedEntry } from '../core/journal';
import { rulesOf } from '../core/rules';

export interface SupplierInvoiceFacts {
  id: string;
  companyId: string;
  supplier: { id: string; name: string; nif: string | null };
  supplierNumber: string;
  registerNumber: string | null;
  date: string;
  irpfCents: number;
  totalCents: number;
  rates: Array<{ ivaRateBp: number; reRateBp: number; goodsBase: number; servicesBase: number; iva: number; re: number }>;
}

/** The receiving company's entry lines (pure given its rules). */
export function supplierInvoiceLines(inv: SupplierInvoiceFacts, rules: RuleOverrides): DraftLine[] {
  const by = new Map<string, number>();
  const add = (account: string, cents: number) => by.set(account, (by.get(account) ?? 0) + cents);
  for (const r of inv.rates) {
    const reOnGoods = r.goodsBase !== 0 || r.servicesBase === 0;
    add(accountFor(rules, 'purchases'), r.goodsBase + (reOnGoods ? r.re : 0));
    add(accountFor(rules, 'services_received'), r.servicesBase + (reOnGoods ? 0 : r.re));
    add(accountFor(rules, 'input_vat', r.ivaRateBp), r.iva);
  }
  const lines: DraftLine[] = [...by].flatMap(([account, cents]) => signedLine({ account }, cents));
  lines.push(...signedLine({ account: accountFor(rules, 'irpf_withheld') }, -inv.irpfCents));
  lines.push(...signedLine({ group: '400' as const, counterparty: { kind: 'supplier' as const, ...inv.supplier } }, -inv.totalCents));
  return lines;
}

/** The entry's date: received, unless the booking period says otherwise. */
export function bookingDate(receivedDate: string, period: string): string {
  if (periodOf(receivedDate) === period) return receivedDate;
  return period < periodOf(receivedDate) ? lastDayOf(period) : firstDayOf(period);
}

export async function supplierInvoiceFacts(m: Db, invoiceId: string): Promise<SupplierInvoiceFacts | null> {
  const h = await one<Record<string, unknown>>(
    m,
    `SELECT i.id, i.company_id, i.supplier_id, i.supplier_number, i.register_number, i.received_date, i.period, i.status, i.irpf_cents, i.total_cents, s.name AS supplier_name, s.nif AS supplier_nif
       FROM supplier_invoice i JOIN supplier s ON s.id = i.supplier_id WHERE i.id = ?`,
    [invoiceId],
  );
  if (!h || h.status !== 'posted') return null;
  const taxes = await all<Record<string, unknown>>(m, `SELECT iva_rate_bp, re_rate_bp, base_cents, iva_cents, re_cents FROM supplier_invoice_tax WHERE invoice_id = ? ORDER BY idx`, [invoiceId]);
  const services = await all<Record<string, unknown>>(
    m,
    `SELECT iva_rate_bp, re_rate_bp, SUM(base_cents) AS base FROM supplier_invoice_line WHERE invoice_id = ? AND product_id IS NULL AND receipt_id IS NULL GROUP BY iva_rate_bp, re_rate_bp`,
    [invoiceId],
  );
  const serviceBase = new Map(services.map((s) => [`${num(s.iva_rate_bp)}|${num(s.re_rate_bp)}`, num(s.base)!]));
  return {
    id: String(h.id),
    companyId: String(h.company_id),
    supplier: { id: String(h.supplier_id), name: String(h.supplier_name), nif: (h.supplier_nif as string | null) ?? null },
    supplierNumber: String(h.supplier_number),
    registerNumber: (h.register_number as string | null) ?? null,
    date: bookingDate(String(h.received_date), String(h.period)),
    irpfCents: num(h.irpf_cents)!,
    totalCents: num(h.total_cents)!,
    rates: taxes.map((t) => {
      const base = num(t.base_cents)!;
      const sb = serviceBase.get(`${num(t.iva_rate_bp)}|${num(t.re_rate_bp)}`) ?? 0;
      return { ivaRateBp: num(t.iva_rate_bp)!, reRateBp: num(t.re_rate_bp)!, goodsBase: base - sb, servicesBase: sb, iva: num(t.iva_cents)!, re: num(t.re_cents)! };
    }),
  };
}

/** Posts a posted supplier invoice's entry (once). */
export async function postSupplierInvoice(m: Db, clock: Clock, invoiceId: string, by: string | null): Promise<PostedEntry | null> {
  const inv = await supplierInvoiceFacts(m, invoiceId);
  if (!inv) return null;
  const lines = supplierInvoiceLines(inv, await rulesOf(m, inv.companyId));
  if (!lines.some((l) => l.debitCents || l.creditCents)) return null;
  return postEntry(m, clock, {
    companyId: inv.companyId,
    date: inv.date,
    kind: 'supplier_invoice',
    description: `Factura recibida ${inv.supplierNumber} · ${inv.supplier.name}`,
    lines,
    source: { type: 'supplier_invoice', id: inv.id, ref: inv.registerNumber ?? inv.supplierNumber },
    mode: 'document',
    by,
  });
}
