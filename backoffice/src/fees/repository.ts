/**
 * The fees module's SQL: the daily sales rollup (`sales_day`) and its rebuild from `sale_ticket`, what a fee
 * run reads (franchisees, their stores, the contracts of the month, the month's rollup rows), fee runs, and the
 * received delivery notes a wholesale invoice is made of.
 */
import { addDays } from '@tpv/shared/invoicing/documents';
import type { FeeContract, StoreDayNet } from '@tpv/shared/invoicing/fees';
import { all, exec, forUpdate, inList, one, type Db } from '../persistence/sql';

// ---- sales_day ----

export interface SalesDayView {
  storeId: string;
  businessDate: string;
  salesCount: number;
  salesBaseCents: number;
  salesTaxCents: number;
  returnsCount: number;
  returnsBaseCents: number;
  returnsTaxCents: number;
}

/** Rows of `sales_day` of some stores (null: all) in a date range, ordered by store and date. */
export async function salesDays(m: Db, q: { storeIds: readonly string[] | null; from: string; to: string }): Promise<SalesDayView[]> {
  const only = q.storeIds === null ? '' : ` AND store_id IN (${inList(q.storeIds.length)})`;
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT store_id, business_date, sales_count, sales_base_cents, sales_tax_cents, returns_count, returns_base_cents, returns_tax_cents
       FROM sales_day WHERE business_date >= ? AND business_date <= ?${only} ORDER BY store_id, business_date`,
    [q.from, q.to, ...(q.storeIds ?? [])],
  );
  return rows.map((r) => ({
    storeId: String(r.store_id),
    businessDate: String(r.business_date),
    salesCount: Number(r.sales_count),
    salesBaseCents: Number(r.sales_base_cents),
    salesTaxCents: Number(r.sales_tax_cents),
    returnsCount: Number(r.returns_count),
    returnsBaseCents: Number(r.returns_base_cents),
    returnsTaxCents: Number(r.returns_tax_cents),
  }));
}

/**
 * `sales_day` of the stores (null: all) recomputed from `sale_ticket` — the same figures the ingest adds as it
 * applies tickets (base = total − tax, returns negative) — in the caller's transaction. Answers the row count.
 * A till's F3 (kind 'invoice') replaces a sale already counted: left out, as the ingest leaves it out.
 */
export async function rebuildSalesDays(m: Db, storeIds: readonly string[] | null): Promise<number> {
  const only = (col: string) => (storeIds === null ? '' : ` AND ${col} IN (${inList(storeIds.length)})`);
  const sale = (col: string) => `SUM(CASE WHEN kind = 'sale' THEN ${col} ELSE 0 END)`;
  const ret = (col: string) => `SUM(CASE WHEN kind = 'sale' THEN 0 ELSE ${col} END)`;
  await exec(m, `DELETE FROM sales_day WHERE 1 = 1${only('store_id')}`, storeIds ?? []);
  await exec(
    m,
    `INSERT INTO sales_day (store_id, business_date, sales_count, sales_base_cents, sales_tax_cents, returns_count, returns_base_cents, returns_tax_cents)
     SELECT store_id, business_date, ${sale('1')}, ${sale('total_cents - tax_cents')}, ${sale('tax_cents')}, ${ret('1')}, ${ret('total_cents - tax_cents')}, ${ret('tax_cents')}
       FROM sale_ticket WHERE kind IN ('sale', 'return')${only('store_id')}
      GROUP BY store_id, business_date`,
    storeIds ?? [],
  );
  const r = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM sales_day WHERE 1 = 1${only('store_id')}`, storeIds ?? []);
  return Number(r?.n ?? 0);
}

// ---- what a fee run reads ----

export interface CompanyRef {
  id: string;
  nif: string;
  legalName: string;
  address: string | null;
}

const addressOf = (r: Record<string, unknown>) => {
  const parts = [r.street, [r.postal_code, r.city].filter(Boolean).join(' '), r.province].map((x) => (x === null || x === undefined ? '' : String(x))).filter((x) => x !== '');
  return parts.length > 0 ? parts.join(', ') : r.address === null || r.address === undefined ? null : String(r.address);
};
const companyOf = (r: Record<string, unknown>): CompanyRef => ({ id: String(r.id), nif: String(r.nif), legalName: String(r.legal_name), address: addressOf(r) });

/** The franchisor (the issuer of fee and wholesale invoices). */
export async function franchisor(m: Db): Promise<CompanyRef | null> {
  const r = await one<Record<string, unknown>>(m, `SELECT id, nif, legal_name, address, street, postal_code, city, province FROM company WHERE kind = 'franchisor' ORDER BY id LIMIT 1`);
  return r ? companyOf(r) : null;
}

export async function franchisees(m: Db): Promise<CompanyRef[]> {
  const rows = await all<Record<string, unknown>>(m, `SELECT id, nif, legal_name, address, street, postal_code, city, province FROM company WHERE kind = 'franchisee' ORDER BY legal_name, id`);
  return rows.map(companyOf);
}

export async function companiesByIds(m: Db, ids: readonly string[]): Promise<Map<string, CompanyRef>> {
  if (ids.length === 0) return new Map();
  const rows = await all<Record<string, unknown>>(m, `SELECT id, nif, legal_name, address, street, postal_code, city, province FROM company WHERE id IN (${inList(ids.length)})`, ids);
  return new Map(rows.map((r) => [String(r.id), companyOf(r)]));
}

export async function storesByCompany(m: Db): Promise<Map<string, Array<{ id: string; code: string; name: string }>>> {
  const rows = await all<{ id: string; code: string; name: string; company_id: string }>(m, `SELECT id, code, name, company_id FROM store ORDER BY code`);
  const out = new Map<string, Array<{ id: string; code: string; name: string }>>();
  for (const r of rows) {
    let l = out.get(r.company_id);
    if (!l) out.set(r.company_id, (l = []));
    l.push({ id: r.id, code: r.code, name: r.name });
  }
  return out;
}

/** Contracts of every company in force on at least one day of [from, to], by company. */
export async function contractsInRange(m: Db, from: string, to: string): Promise<Map<string, FeeContract[]>> {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT id, company_id, starts_on, ends_on, royalty_bp, marketing_fee_bp, payment_days, payment_method FROM franchise_contract
      WHERE starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)`,
    [to, from],
  );
  const out = new Map<string, FeeContract[]>();
  for (const r of rows) {
    const c: FeeContract = {
      id: String(r.id),
      startsOn: String(r.starts_on).slice(0, 10),
      endsOn: r.ends_on === null ? null : String(r.ends_on).slice(0, 10),
      royaltyBp: Number(r.royalty_bp),
      marketingFeeBp: Number(r.marketing_fee_bp),
      paymentDays: Number(r.payment_days),
      paymentMethod: String(r.payment_method),
    };
    const k = String(r.company_id);
    out.set(k, [...(out.get(k) ?? []), c]);
  }
  return out;
}

/** Net base per store and day of [from, to] from the rollup, by store. */
export async function netByStoreDay(m: Db, from: string, to: string): Promise<Map<string, StoreDayNet[]>> {
  const rows = await all<{ store_id: string; business_date: string; net: unknown }>(
    m,
    `SELECT store_id, business_date, sales_base_cents + returns_base_cents AS net FROM sales_day WHERE business_date >= ? AND business_date <= ?`,
    [from, to],
  );
  const out = new Map<string, StoreDayNet[]>();
  for (const r of rows) {
    let l = out.get(r.store_id);
    if (!l) out.set(r.store_id, (l = []));
    l.push({ storeId: r.store_id, businessDate: r.business_date, netBaseCents: Number(r.net) });
  }
  return out;
}

/** Invoices of a source already made for a period by an issuer, by recipient company. */
export async function invoicesOfPeriod(m: Db, issuerId: string, source: 'fee' | 'wholesale', periodFrom: string): Promise<Map<string, { id: string; number: string | null; status: string; totalCents: number }>> {
  const rows = await all<Record<string, unknown>>(m, `SELECT id, recipient_company_id, number, status, total_cents FROM invoice WHERE company_id = ? AND source = ? AND period_from = ?`, [issuerId, source, periodFrom]);
  return new Map(rows.map((r) => [String(r.recipient_company_id), { id: String(r.id), number: r.number === null ? null : String(r.number), status: String(r.status), totalCents: Number(r.total_cents) }]));
}

// ---- fee runs ----

export interface FeeRunRow {
  id: string;
  kind: 'fee' | 'wholesale';
  period: string;
  status: 'posting' | 'posted';
  issueDate: string;
  jobId: string | null;
  createdAt: string;
  createdBy: string | null;
  finishedAt: string | null;
  result: unknown;
}

const runOf = (r: Record<string, unknown>): FeeRunRow => ({
  id: String(r.id),
  kind: String(r.kind) as FeeRunRow['kind'],
  period: String(r.period),
  status: String(r.status) as FeeRunRow['status'],
  issueDate: String(r.issue_date),
  jobId: r.job_id === null ? null : String(r.job_id),
  createdAt: String(r.created_at),
  createdBy: r.created_by === null ? null : String(r.created_by),
  finishedAt: r.finished_at === null ? null : String(r.finished_at),
  result: r.result === null || r.result === undefined ? null : JSON.parse(String(r.result)),
});

export async function feeRun(m: Db, kind: FeeRunRow['kind'], period: string): Promise<FeeRunRow | null> {
  const r = await one<Record<string, unknown>>(m, `SELECT * FROM fee_run WHERE kind = ? AND period = ?`, [kind, period]);
  return r ? runOf(r) : null;
}

export async function feeRunById(m: Db, id: string): Promise<FeeRunRow | null> {
  const r = await one<Record<string, unknown>>(m, `SELECT * FROM fee_run WHERE id = ?`, [id]);
  return r ? runOf(r) : null;
}

export async function feeRuns(m: Db, limit = 100): Promise<FeeRunRow[]> {
  return (await all<Record<string, unknown>>(m, `SELECT * FROM fee_run ORDER BY period DESC, kind LIMIT ?`, [limit])).map(runOf);
}

export async function insertFeeRun(m: Db, r: Pick<FeeRunRow, 'id' | 'kind' | 'period' | 'issueDate' | 'createdAt' | 'createdBy'>): Promise<void> {
  await exec(m, `INSERT INTO fee_run (id, kind, period, status, issue_date, created_at, created_by) VALUES (?, ?, ?, 'posting', ?, ?, ?)`, [r.id, r.kind, r.period, r.issueDate, r.createdAt, r.createdBy]);
}

export const setFeeRunJob = (m: Db, id: string, jobId: string) => exec(m, `UPDATE fee_run SET job_id = ? WHERE id = ?`, [jobId, id]);

export const finishFeeRun = (m: Db, id: string, at: string, result: unknown) => exec(m, `UPDATE fee_run SET status = 'posted', finished_at = ?, result = ? WHERE id = ?`, [at, JSON.stringify(result), id]);

// ---- wholesale ----

export interface NoteLineRow {
  noteId: string;
  noteNumber: string;
  fromCompanyId: string;
  toCompanyId: string;
  storeId: string;
  receivedAt: string;
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  weighed: boolean;
  shipped: number;
  received: number;
  damaged: number;
  unitPriceCents: number;
  taxRateBp: number;
}

/**
 * Lines of the delivery notes received (received or closed) in [from, to] (the UTC date of `received_at`)
 * not invoiced yet, between two different companies, ordered by recipient, note and line.
 */
export async function uninvoicedNoteLines(m: Db, from: string, to: string, toCompanyIds: readonly string[] | null = null): Promise<NoteLineRow[]> {
  const only = toCompanyIds === null ? '' : ` AND n.to_company_id IN (${inList(toCompanyIds.length)})`;
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT n.id AS note_id, n.number AS note_number, n.from_company_id, n.to_company_id, n.store_id, n.received_at,
            l.line_no, l.product_id, p.sku, p.name, p.weighed, l.shipped, l.received, l.damaged, l.unit_price_cents, l.tax_rate_bp
       FROM delivery_note n JOIN delivery_note_line l ON l.note_id = n.id JOIN product p ON p.id = l.product_id
      WHERE n.status IN ('received', 'closed') AND n.invoice_id IS NULL AND n.from_company_id <> n.to_company_id
        AND n.received_at >= ? AND n.received_at < ?${only}
      ORDER BY n.to_company_id, n.number, l.line_no`,
    [`${from}T00:00:00`, `${addDays(to, 1)}T00:00:00`, ...(toCompanyIds ?? [])],
  );
  return rows.map((r) => ({
    noteId: String(r.note_id),
    noteNumber: String(r.note_number),
    fromCompanyId: String(r.from_company_id),
    toCompanyId: String(r.to_company_id),
    storeId: String(r.store_id),
    receivedAt: String(r.received_at),
    lineNo: Number(r.line_no),
    productId: String(r.product_id),
    sku: String(r.sku),
    name: String(r.name),
    weighed: r.weighed === true || r.weighed === 1,
    shipped: Number(r.shipped),
    received: Number(r.received ?? 0),
    damaged: Number(r.damaged ?? 0),
    unitPriceCents: Number(r.unit_price_cents),
    taxRateBp: Number(r.tax_rate_bp),
  }));
}

/** Marks notes invoiced; answers how many were still free (a note is invoiced once). */
export async function markNotesInvoiced(m: Db, noteIds: readonly string[], invoiceId: string): Promise<number> {
  let n = 0;
  for (let i = 0; i < noteIds.length; i += 500) {
    const chunk = noteIds.slice(i, i + 500);
    const free = await all<{ id: string }>(m, `SELECT id FROM delivery_note WHERE invoice_id IS NULL AND id IN (${inList(chunk.length)})${forUpdate(m)}`, chunk);
    await exec(m, `UPDATE delivery_note SET invoice_id = ? WHERE invoice_id IS NULL AND id IN (${inList(chunk.length)})`, [invoiceId, ...chunk]);
    n += free.length;
  }
  return n;
}
