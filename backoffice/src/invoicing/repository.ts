/**
 * The invoices module's own reads (the writes go through posting.ts, the invoicing core): the list of issued
 * invoices in the caller's scope with the sums over every matching row, the credit notes of an invoice, and
 * what each line of an invoice has already been credited.
 */
import { all, inList, one, type Db } from '../persistence/sql';
import type { InvoiceListItem, InvoiceTotals } from '@tpv/shared/wire/http/invoicing';

export interface InvoiceFilter {
  /** null: every company (franchise-wide roles). */
  companyIds: string[] | null;
  companyId?: string | undefined;
  recipient?: string | undefined;
  invoiceType?: string | undefined;
  status?: string | undefined;
  source?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  number?: string | undefined;
  q?: string | undefined;
}

export const INVOICE_SORTS = { createdAt: 'i.created_at', issueDate: 'i.issue_date', number: 'i.number', totalCents: 'i.total_cents', recipient: 'i.recipient_name' } as const;
export type InvoiceSort = keyof typeof INVOICE_SORTS;

const like = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whereOf(f: InvoiceFilter): { sql: string; params: unknown[] } {
  const w: string[] = [];
  const p: unknown[] = [];
  const add = (sql: string, ...params: unknown[]) => {
    w.push(sql);
    p.push(...params);
  };
  if (f.companyIds !== null) {
    if (f.companyIds.length === 0) add('1 = 0');
    else add(`i.company_id IN (${inList(f.companyIds.length)})`, ...f.companyIds);
  }
  if (f.companyId) add('i.company_id = ?', f.companyId);
  if (f.invoiceType) add('i.invoice_type = ?', f.invoiceType);
  if (f.status) add('i.status = ?', f.status);
  if (f.source) add('i.source = ?', f.source);
  if (f.from) add('i.issue_date >= ?', f.from);
  if (f.to) add('i.issue_date <= ?', f.to);
  if (f.number) add(`LOWER(i.number) LIKE ? ESCAPE '\\'`, like(f.number));
  if (f.recipient) add(`(LOWER(i.recipient_name) LIKE ? ESCAPE '\\' OR LOWER(i.recipient_nif) LIKE ? ESCAPE '\\')`, like(f.recipient), like(f.recipient));
  if (f.q) add(`(LOWER(i.number) LIKE ? ESCAPE '\\' OR LOWER(i.recipient_name) LIKE ? ESCAPE '\\' OR LOWER(i.recipient_nif) LIKE ? ESCAPE '\\')`, like(f.q), like(f.q), like(f.q));
  return { sql: w.length ? `WHERE ${w.join(' AND ')}` : '', params: p };
}

/** One page of the list and the sums over all matching rows (drafts included when no status is asked). */
export async function listInvoices(m: Db, f: InvoiceFilter, sort: InvoiceSort, dir: 'asc' | 'desc', limit: number, offset: number): Promise<{ rows: InvoiceListItem[]; total: number; totals: InvoiceTotals }> {
  const { sql, params } = whereOf(f);
  const sums = await one<Record<string, unknown>>(
    m,
    `SELECT COUNT(*) AS n, COALESCE(SUM(i.base_cents), 0) AS b, COALESCE(SUM(i.iva_cents), 0) AS v, COALESCE(SUM(i.re_cents), 0) AS r, COALESCE(SUM(i.irpf_cents), 0) AS w, COALESCE(SUM(i.total_cents), 0) AS t FROM invoice i ${sql}`,
    params,
  );
  const order = `${INVOICE_SORTS[sort]} ${dir === 'asc' ? 'ASC' : 'DESC'}, i.id ${dir === 'asc' ? 'ASC' : 'DESC'}`;
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT i.id, i.company_id, c.legal_name AS company_name, i.invoice_type, i.source, i.status, i.number, i.issue_date, i.recipient_name, i.recipient_nif,
            o.number AS rectifies_number, i.base_cents, i.iva_cents, i.re_cents, i.irpf_cents, i.total_cents, i.created_at
       FROM invoice i JOIN company c ON c.id = i.company_id LEFT JOIN invoice o ON o.id = i.rectifies_invoice_id
       ${sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    rows: rows.map((r) => ({
      id: String(r.id), companyId: String(r.company_id), companyName: String(r.company_name), invoiceType: String(r.invoice_type) as InvoiceListItem['invoiceType'],
      source: String(r.source) as InvoiceListItem['source'], status: String(r.status) as InvoiceListItem['status'], number: s(r.number), issueDate: s(r.issue_date),
      recipientName: String(r.recipient_name), recipientNif: s(r.recipient_nif), rectifiesNumber: s(r.rectifies_number), baseCents: Number(r.base_cents),
      ivaCents: Number(r.iva_cents), reCents: Number(r.re_cents), irpfCents: Number(r.irpf_cents), totalCents: Number(r.total_cents), createdAt: String(r.created_at),
    })),
    total: Number(sums!.n),
    totals: { count: Number(sums!.n), baseCents: Number(sums!.b), ivaCents: Number(sums!.v), reCents: Number(sums!.r), irpfCents: Number(sums!.w), totalCents: Number(sums!.t) },
  };
}

export interface CreditNoteRow {
  id: string;
  number: string | null;
  invoiceType: string;
  method: 'S' | 'I';
  status: 'draft' | 'posted' | 'cancelled';
  issueDate: string | null;
  totalCents: number;
  postedAt: string | null;
}

/** The credit notes of an invoice, oldest first. */
export async function creditNotesOf(m: Db, invoiceId: string): Promise<CreditNoteRow[]> {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT id, number, invoice_type, rectification_method, status, issue_date, total_cents, posted_at FROM invoice WHERE rectifies_invoice_id = ? ORDER BY created_at, id`,
    [invoiceId],
  );
  return rows.map((r) => ({
    id: String(r.id), number: r.number === null ? null : String(r.number), invoiceType: String(r.invoice_type), method: (r.rectification_method === 'S' ? 'S' : 'I') as 'S' | 'I',
    status: String(r.status) as CreditNoteRow['status'], issueDate: r.issue_date === null ? null : String(r.issue_date), totalCents: Number(r.total_cents), postedAt: r.posted_at === null ? null : String(r.posted_at),
  }));
}

/**
 * What posted credit notes by difference took off each line of an invoice (their lines point at it with
 * `source_ref` `line:<n>` for units and `line:<n>:amount` for an amount off): credited units (positive
 * thousandths) and credited base (positive cents), by line number.
 */
export async function creditedByLine(m: Db, invoiceId: string): Promise<Map<number, { quantityMilli: number; baseCents: number }>> {
  const rows = await all<{ source_ref: string; q: unknown; b: unknown }>(
    m,
    `SELECT l.source_ref, SUM(l.quantity_milli) AS q, SUM(l.base_cents) AS b FROM invoice_line l JOIN invoice c ON c.id = l.invoice_id
      WHERE c.rectifies_invoice_id = ? AND c.status = 'posted' AND c.rectification_method = 'I' AND l.source_ref IS NOT NULL GROUP BY l.source_ref`,
    [invoiceId],
  );
  const out = new Map<number, { quantityMilli: number; baseCents: number }>();
  for (const r of rows) {
    const m2 = /^line:(\d+)(:amount)?$/.exec(r.source_ref);
    if (!m2) continue;
    const n = Number(m2[1]);
    const cur = out.get(n) ?? { quantityMilli: 0, baseCents: 0 };
    if (!m2[2]) cur.quantityMilli += -Number(r.q);
    cur.baseCents += -Number(r.b);
    out.set(n, cur);
  }
  return out;
}
