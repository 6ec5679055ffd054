/**
 * Invoices we issue → the issuer's journal: the customer's sub-account (430) for the total, the sales or
 * services account per IVA rate for the base, output IVA and recargo per rate, IRPF the customer withheld
 * (473). Credit notes carry negative amounts, so the same lines come out on the other side. F3 invoices
 * replace till tickets whose sales the daily sales entry already holds: they post nothing.
 */
import type { Clock } from '@tpv/shared/clock';
import { signedLine, type DraftLine, type LineAccount } from '@tpv/shared/accounting/entries';
import { accountFor, type RuleOverrides } from '@tpv/shared/accounting/rules';
import { all, num, one, type Db } from '../../persistence/sql';
import { postEntry, type PostedEntry } from '../core/journal';
import { rulesOf } from '../core/rules';

export interface IssuedInvoiceFacts {
  id: string;
  companyId: string;
  storeId: string | null;
  invoiceType: string;
  source: string;
  number: string;
  issueDate: string;
  counterparty: Extract<LineAccount, { group: string }>['counterparty'];
  irpfCents: number;
  totalCents: number;
  /** Per IVA rate: base of goods (lines with a product), base of services, IVA and recargo. */
  rates: Array<{ ivaRateBp: number; reRateBp: number; goodsBase: number; servicesBase: number; iva: number; re: number }>;
}

/** The issuer's entry lines of an invoice (pure given the rules): table-driven tests call this directly. */
export function issuedInvoiceLines(inv: IssuedInvoiceFacts, rules: RuleOverrides): DraftLine[] {
  const store = { storeId: inv.storeId };
  const lines: DraftLine[] = [
    ...signedLine({ group: '430' as const, counterparty: inv.counterparty }, inv.totalCents, store),
    ...signedLine({ account: accountFor(rules, 'irpf_suffered') }, inv.irpfCents, store),
  ];
  for (const r of inv.rates) {
    // Fee invoices are services whatever their lines say; otherwise lines with a product are goods.
    const services = inv.source === 'fee' ? r.goodsBase + r.servicesBase : r.servicesBase;
    const goods = inv.source === 'fee' ? 0 : r.goodsBase;
    lines.push(...signedLine({ account: accountFor(rules, 'sales_goods', r.ivaRateBp) }, -goods, store));
    lines.push(...signedLine({ account: accountFor(rules, 'sales_services', r.ivaRateBp) }, -services, store));
    lines.push(...signedLine({ account: accountFor(rules, 'output_vat', r.ivaRateBp) }, -r.iva, store));
    lines.push(...signedLine({ account: accountFor(rules, 'output_re', r.reRateBp) }, -r.re, store));
  }
  return lines;
}

/** What the books need of a posted invoice, read from its rows. */
export async function issuedInvoiceFacts(m: Db, invoiceId: string): Promise<IssuedInvoiceFacts | null> {
  const i = await one<Record<string, unknown>>(
    m,
    `SELECT id, company_id, store_id, invoice_type, source, number, issue_date, recipient_company_id, recipient_customer_id, recipient_supplier_id, recipient_nif, recipient_name, irpf_cents, total_cents, status
     FROM invoice WHERE id = ?`,
    [invoiceId],
  );
  if (!i || !i.number) return null;
  const taxes = await all<Record<string, unknown>>(m, `SELECT iva_rate_bp, re_rate_bp, base_cents, iva_cents, re_cents FROM invoice_tax WHERE invoice_id = ? ORDER BY idx`, [invoiceId]);
  const services = await all<Record<string, unknown>>(
    m,
    `SELECT iva_rate_bp, re_rate_bp, SUM(base_cents) AS base FROM invoice_line WHERE invoice_id = ? AND product_id IS NULL GROUP BY iva_rate_bp, re_rate_bp`,
    [invoiceId],
  );
  const serviceBase = new Map(services.map((s) => [`${num(s.iva_rate_bp)}|${num(s.re_rate_bp)}`, num(s.base)!]));
  const nif = (i.recipient_nif as string | null) ?? null;
  const name = String(i.recipient_name ?? nif ?? '');
  const counterparty = i.recipient_company_id
    ? { kind: 'company' as const, id: String(i.recipient_company_id), name, nif }
    : i.recipient_customer_id
      ? { kind: 'customer' as const, id: String(i.recipient_customer_id), name, nif }
      : i.recipient_supplier_id
        ? { kind: 'supplier' as const, id: String(i.recipient_supplier_id), name, nif }
        : { kind: 'other' as const, id: `nif:${nif ?? name}`, name, nif };
  return {
    id: String(i.id),
    companyId: String(i.company_id),
    storeId: (i.store_id as string | null) ?? null,
    invoiceType: String(i.invoice_type),
    source: String(i.source),
    number: String(i.number),
    issueDate: String(i.issue_date),
    counterparty,
    irpfCents: num(i.irpf_cents)!,
    totalCents: num(i.total_cents)!,
    rates: taxes.map((t) => {
      const base = num(t.base_cents)!;
      const sb = serviceBase.get(`${num(t.iva_rate_bp)}|${num(t.re_rate_bp)}`) ?? 0;
      return { ivaRateBp: num(t.iva_rate_bp)!, reRateBp: num(t.re_rate_bp)!, goodsBase: base - sb, servicesBase: sb, iva: num(t.iva_cents)!, re: num(t.re_cents)! };
    }),
  };
}

/** Posts the issuer's entry of a posted invoice (once). F3 invoices post nothing: their tickets already did. */
export async function postIssuedInvoice(m: Db, clock: Clock, invoiceId: string, by: string | null): Promise<PostedEntry | null> {
  const inv = await issuedInvoiceFacts(m, invoiceId);
  if (!inv || inv.invoiceType === 'F3') return null;
  const rules = await rulesOf(m, inv.companyId);
  const credit = inv.invoiceType.startsWith('R');
  return postEntry(m, clock, {
    companyId: inv.companyId,
    date: inv.issueDate,
    kind: 'invoice',
    description: `${credit ? 'Factura rectificativa' : 'Factura emitida'} ${inv.number} · ${inv.counterparty.name}`,
    lines: issuedInvoiceLines(inv, rules),
    source: { type: 'invoice', id: inv.id, ref: inv.number },
    mode: 'document',
    by,
  });
}
