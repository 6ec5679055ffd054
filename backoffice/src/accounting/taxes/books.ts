/**
 * The VAT books of a company as rows the returns are computed from (one row per document and rate):
 * - issued: the invoices we issued (the invoice registers' rows, supplier-invoices/repository.ts) PLUS the tills'
 *   tickets as one summary row per store, day and rate (asiento resumen, type F4) from `sales_tax_session`, with
 *   the day's first–last ticket number per series from `sale_ticket` (its store+date index);
 * - received: the posted supplier invoices (same registers) PLUS the invoices another company of the network
 *   issued to this one (the franchisor's fee and wholesale invoices), which exist only as the issuer's invoice.
 */
import type { VatBookRow } from '@tpv/shared/accounting/vat-return';
import { periodMonths } from '@tpv/shared/accounting/vat-return';
import { issuedBookRows, receivedBookRows } from '../../supplier-invoices/repository';
import { all, num, type Db } from '../../persistence/sql';

export interface TicketDay {
  storeId: string;
  date: string;
  ivaRateBp: number;
  reRateBp: number;
  base: number;
  iva: number;
  re: number;
  postedIva: number;
  postedRe: number;
}

/** Sums the tills' rows per store, day and rate for a company's stores. */
export async function ticketDays(m: Db, companyId: string, from: string, to: string): Promise<TicketDay[]> {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT t.store_id, t.business_date, t.iva_rate_bp, t.re_rate_bp, SUM(t.base_cents) AS base, SUM(t.iva_cents) AS iva, SUM(t.re_cents) AS re,
            SUM(t.posted_iva_cents) AS posted_iva, SUM(t.posted_re_cents) AS posted_re
       FROM sales_tax_session t JOIN store s ON s.id = t.store_id
      WHERE s.company_id = ? AND t.business_date >= ? AND t.business_date <= ?
      GROUP BY t.store_id, t.business_date, t.iva_rate_bp, t.re_rate_bp
      ORDER BY t.business_date, t.store_id, t.iva_rate_bp DESC, t.re_rate_bp`,
    [companyId, from, to],
  );
  return rows.map((r) => ({
    storeId: String(r.store_id), date: String(r.business_date), ivaRateBp: num(r.iva_rate_bp)!, reRateBp: num(r.re_rate_bp)!,
    base: num(r.base)!, iva: num(r.iva)!, re: num(r.re)!, postedIva: num(r.posted_iva)!, postedRe: num(r.posted_re)!,
  }));
}

/** The day's ticket numbers per store: `series first–last` per series, and how many. */
async function ticketRanges(m: Db, companyId: string, from: string, to: string): Promise<Map<string, { text: string; count: number }>> {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT t.store_id, t.business_date, t.series, MIN(t.number) AS lo, MAX(t.number) AS hi, COUNT(*) AS n
       FROM sale_ticket t JOIN store s ON s.id = t.store_id
      WHERE s.company_id = ? AND t.business_date >= ? AND t.business_date <= ? AND t.kind IN ('sale', 'return')
      GROUP BY t.store_id, t.business_date, t.series ORDER BY t.series`,
    [companyId, from, to],
  );
  const out = new Map<string, { text: string; count: number }>();
  for (const r of rows) {
    const k = `${r.store_id}|${r.business_date}`;
    const o = out.get(k) ?? { text: '', count: 0 };
    o.text += `${o.text ? '; ' : ''}${r.series} ${num(r.lo)}–${num(r.hi)}`;
    o.count += num(r.n)!;
    out.set(k, o);
  }
  return out;
}

/**
 * `tickets`: `ranges` (the book screen: summaries with their ticket numbers), `summary` (the 303: no scan of
 * `sale_ticket`, whose quarter holds millions of rows at 500 stores), `none` (the 347: tickets have no NIF).
 */
export async function issuedRows(m: Db, companyId: string, period: string, tickets: 'ranges' | 'summary' | 'none' = 'ranges'): Promise<VatBookRow[]> {
  const p = periodMonths(period);
  const invoices = await issuedBookRows(m, companyId, p.from, p.to);
  const seen = new Map<string, number>();
  const out: VatBookRow[] = invoices.map((x) => {
    const n = (seen.get(x.id) ?? 0) + 1;
    seen.set(x.id, n);
    const base = x.baseCents ?? 0;
    const iva = x.ivaCents ?? 0;
    const re = x.reCents ?? 0;
    return {
      key: `invoice:${x.id}:${n}`, book: 'issued', source: 'invoice', documentId: x.id, date: x.issueDate, period: x.issueDate.slice(0, 7), number: x.number,
      invoiceType: x.invoiceType, status: x.status === 'cancelled' ? 'cancelled' : 'posted', counterpartyNif: x.recipientNif, counterpartyName: x.recipientName, storeId: null,
      ivaRateBp: x.ivaRateBp ?? 0, reRateBp: x.reRateBp ?? 0, exemption: x.exemption, baseCents: base, ivaCents: iva, reCents: re,
      irpfCents: n === 1 ? x.irpfCents : 0, rowTotalCents: base + iva + re,
    };
  });
  if (tickets === 'none') return out;
  const ranges = tickets === 'ranges' ? await ticketRanges(m, companyId, p.from, p.to) : new Map<string, { text: string; count: number }>();
  const stores = new Map((await all<{ id: string; code: string; name: string }>(m, `SELECT id, code, name FROM store WHERE company_id = ?`, [companyId])).map((s) => [s.id, s]));
  for (const t of await ticketDays(m, companyId, p.from, p.to)) {
    const r = ranges.get(`${t.storeId}|${t.date}`);
    const s = stores.get(t.storeId);
    out.push({
      key: `tickets:${t.storeId}:${t.date}:${t.ivaRateBp}:${t.reRateBp}`, book: 'issued', source: 'tickets', documentId: null, date: t.date, period: t.date.slice(0, 7),
      number: r?.text || `${s?.code ?? t.storeId} ${t.date}`, invoiceType: 'F4', status: 'posted', counterpartyNif: null,
      counterpartyName: s ? `Resumen diario de tiques ${s.code} ${s.name}` : 'Resumen diario de tiques', storeId: t.storeId,
      ivaRateBp: t.ivaRateBp, reRateBp: t.reRateBp, exemption: null, baseCents: t.base, ivaCents: t.iva, reCents: t.re, irpfCents: 0,
      rowTotalCents: t.base + t.iva + t.re, ...(r ? { ticketCount: r.count } : {}),
    });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.source.localeCompare(b.source));
}

export async function receivedRows(m: Db, companyId: string, period: string): Promise<VatBookRow[]> {
  const p = periodMonths(period);
  const seen = new Map<string, number>();
  const out: VatBookRow[] = (await receivedBookRows(m, companyId, p.fromMonth, p.toMonth)).map((x) => {
    const n = (seen.get(x.id) ?? 0) + 1;
    seen.set(x.id, n);
    return {
      key: `supplier_invoice:${x.id}:${n}`, book: 'received', source: 'supplier_invoice', documentId: x.id, date: x.invoiceDate, period: x.period,
      number: `${x.registerNumber} (${x.supplierNumber})`, invoiceType: 'F1', status: 'posted', counterpartyNif: x.supplierNif, counterpartyName: x.supplierName, storeId: null,
      ivaRateBp: x.ivaRateBp, reRateBp: x.reRateBp, exemption: null, baseCents: x.baseCents, ivaCents: x.ivaCents, reCents: x.reCents,
      irpfCents: n === 1 ? x.irpfCents : 0, rowTotalCents: x.baseCents + x.ivaCents + x.reCents,
    };
  });
  // Invoices of the network addressed to this company (booked in their issue month: no reception register).
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT i.id, i.number, i.invoice_type, i.issue_date, i.irpf_cents, c.nif, c.legal_name, t.idx, t.iva_rate_bp, t.re_rate_bp, t.exemption, t.base_cents, t.iva_cents, t.re_cents
       FROM invoice i JOIN company c ON c.id = i.company_id JOIN invoice_tax t ON t.invoice_id = i.id
      WHERE i.recipient_company_id = ? AND i.status = 'posted' AND i.invoice_type <> 'F3' AND i.issue_date >= ? AND i.issue_date <= ?
      ORDER BY i.issue_date, i.number, t.idx`,
    [companyId, p.from, p.to],
  );
  let prev = '';
  for (const r of rows) {
    const first = r.id !== prev;
    prev = String(r.id);
    const base = num(r.base_cents)!;
    const iva = num(r.iva_cents)!;
    const re = num(r.re_cents)!;
    out.push({
      key: `invoice_received:${r.id}:${num(r.idx)}`, book: 'received', source: 'invoice_received', documentId: String(r.id), date: String(r.issue_date), period: String(r.issue_date).slice(0, 7),
      number: String(r.number), invoiceType: String(r.invoice_type), status: 'posted', counterpartyNif: (r.nif as string | null) ?? null, counterpartyName: String(r.legal_name), storeId: null,
      ivaRateBp: num(r.iva_rate_bp)!, reRateBp: num(r.re_rate_bp)!, exemption: (r.exemption as string | null) ?? null, baseCents: base, ivaCents: iva, reCents: re,
      irpfCents: first ? num(r.irpf_cents)! : 0, rowTotalCents: base + iva + re,
    });
  }
  return out.sort((a, b) => a.period.localeCompare(b.period) || a.date.localeCompare(b.date));
}

/** Issued invoices of the period whose recipient is outside Spain (349 or exports, not the 347). */
export async function foreignRecipients(m: Db, companyId: string, period: string): Promise<Set<string>> {
  const p = periodMonths(period);
  const rows = await all<{ id: string }>(m, `SELECT id FROM invoice WHERE company_id = ? AND issue_date >= ? AND issue_date <= ? AND recipient_country IS NOT NULL AND recipient_country <> 'ES'`, [companyId, p.from, p.to]);
  return new Set(rows.map((r) => r.id));
}
