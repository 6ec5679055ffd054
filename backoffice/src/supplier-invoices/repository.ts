/**
 * SQL of supplier invoices received (the only place with it): headers, lines with their match, tax rows and
 * due dates (payables), the goods-receipt lines they invoice, and the rows of both invoice registers.
 * Every list takes the caller's companies (null: all) and filters in SQL.
 */
import type * as W from '@tpv/shared/wire/http/supplier-invoices';
import { all, bool, exec, forUpdate, inList, one, updated, type Db } from '../persistence/sql';

const n = (v: unknown) => Number(v);
const scopeSql = (col: string, companyIds: string[] | null, params: unknown[]) => {
  if (companyIds === null) return '';
  if (companyIds.length === 0) return ' AND 1 = 0';
  params.push(...companyIds);
  return ` AND ${col} IN (${inList(companyIds.length)})`;
};

export interface SupplierRef {
  id: string;
  name: string;
  nif: string | null;
  active: boolean;
  paymentTermsDays: number;
  priceToleranceBp: number;
}
export async function supplierRef(m: Db, id: string): Promise<SupplierRef | null> {
  const r = await one<Record<string, unknown>>(
    m, 'SELECT id, name, nif, active, payment_terms_days AS "paymentTermsDays", price_tolerance_bp AS "priceToleranceBp" FROM supplier WHERE id = ?', [id],
  );
  return r ? { id: String(r.id), name: String(r.name), nif: (r.nif as string | null) ?? null, active: bool(r.active), paymentTermsDays: n(r.paymentTermsDays), priceToleranceBp: n(r.priceToleranceBp) } : null;
}
export const companyExists = async (m: Db, id: string) => (await one(m, 'SELECT id FROM company WHERE id = ?', [id])) !== undefined;

/** A goods-receipt line with its receipt, order and order line (what an invoice line is matched against). */
export interface ReceiptLineRef {
  receiptId: string;
  receiptNumber: string;
  lineNo: number;
  companyId: string;
  orderId: string;
  orderNumber: string | null;
  orderLineNo: number;
  supplierId: string;
  productId: string;
  name: string;
  weighed: boolean;
  quantity: number;
  unitCostCents: number;
  discountBp: number;
  taxRateBp: number;
  postedAt: string;
}
const RECEIPT_LINE_SQL = `SELECT r.id AS "receiptId", r.number AS "receiptNumber", rl.line_no AS "lineNo", r.company_id AS "companyId", r.order_id AS "orderId",
    o.number AS "orderNumber", rl.order_line_no AS "orderLineNo", o.supplier_id AS "supplierId", rl.product_id AS "productId", p.name, p.weighed,
    rl.quantity, ol.unit_cost_cents AS "unitCostCents", ol.discount_bp AS "discountBp", ol.tax_rate_bp AS "taxRateBp", r.posted_at AS "postedAt"
  FROM goods_receipt_line rl
  JOIN goods_receipt r ON r.id = rl.receipt_id
  JOIN purchase_order o ON o.id = r.order_id
  JOIN purchase_order_line ol ON ol.order_id = r.order_id AND ol.line_no = rl.order_line_no
  JOIN product p ON p.id = rl.product_id`;
const receiptLineOf = (r: Record<string, unknown>): ReceiptLineRef => ({
  receiptId: String(r.receiptId), receiptNumber: String(r.receiptNumber), lineNo: n(r.lineNo), companyId: String(r.companyId), orderId: String(r.orderId),
  orderNumber: (r.orderNumber as string | null) ?? null, orderLineNo: n(r.orderLineNo), supplierId: String(r.supplierId), productId: String(r.productId),
  name: String(r.name), weighed: bool(r.weighed), quantity: n(r.quantity), unitCostCents: n(r.unitCostCents), discountBp: n(r.discountBp), taxRateBp: n(r.taxRateBp),
  postedAt: String(r.postedAt),
});
export async function receiptLinesOf(m: Db, receiptIds: readonly string[]): Promise<ReceiptLineRef[]> {
  if (receiptIds.length === 0) return [];
  const rows = await all<Record<string, unknown>>(m, `${RECEIPT_LINE_SQL} WHERE rl.receipt_id IN (${inList(receiptIds.length)}) ORDER BY r.posted_at, r.number, rl.line_no`, [...receiptIds]);
  return rows.map(receiptLineOf);
}
/** Receipt lines of a supplier's orders for the caller's companies (newest first). */
export async function receiptLinesOfSupplier(m: Db, supplierId: string, companyIds: string[] | null, companyId?: string): Promise<ReceiptLineRef[]> {
  const params: unknown[] = [supplierId];
  let sql = `${RECEIPT_LINE_SQL} WHERE o.supplier_id = ?${scopeSql('r.company_id', companyIds, params)}`;
  if (companyId) {
    sql += ' AND r.company_id = ?';
    params.push(companyId);
  }
  return (await all<Record<string, unknown>>(m, `${sql} ORDER BY r.posted_at DESC, r.number, rl.line_no LIMIT 5000`, params)).map(receiptLineOf);
}

/** How much of each receipt line other (not rejected) invoices already hold, and their supplier numbers. */
export async function alreadyInvoiced(m: Db, receiptIds: readonly string[], exceptInvoiceId: string | null): Promise<Map<string, { milli: number; numbers: string[] }>> {
  const out = new Map<string, { milli: number; numbers: string[] }>();
  if (receiptIds.length === 0) return out;
  const rows = await all<{ receiptId: string; lineNo: unknown; q: unknown; num: string }>(
    m,
    `SELECT l.receipt_id AS "receiptId", l.receipt_line_no AS "lineNo", l.quantity_milli AS q, i.supplier_number AS num
       FROM supplier_invoice_line l JOIN supplier_invoice i ON i.id = l.invoice_id
      WHERE l.receipt_id IN (${inList(receiptIds.length)}) AND i.status <> 'rejected' AND i.id <> ?`,
    [...receiptIds, exceptInvoiceId ?? ''],
  );
  for (const r of rows) {
    const k = `${r.receiptId}:${n(r.lineNo)}`;
    const e = out.get(k) ?? { milli: 0, numbers: [] };
    e.milli += n(r.q);
    if (!e.numbers.includes(r.num)) e.numbers.push(r.num);
    out.set(k, e);
  }
  return out;
}

export async function invoiceByNumber(m: Db, supplierId: string, numberKey: string): Promise<{ id: string; status: string; supplierNumber: string } | undefined> {
  return one(m, 'SELECT id, status, supplier_number AS "supplierNumber" FROM supplier_invoice WHERE supplier_id = ? AND number_key = ?', [supplierId, numberKey]);
}

export interface NewInvoice {
  id: string;
  companyId: string;
  supplierId: string;
  supplierNumber: string;
  numberKey: string;
  invoiceDate: string;
  operationDate: string | null;
  receivedDate: string;
  period: string;
  status: W.SupplierInvoiceStatus;
  irpfBp: number;
  baseCents: number;
  ivaCents: number;
  reCents: number;
  irpfCents: number;
  totalCents: number;
  differenceCount: number;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
}
export interface NewLine {
  lineNo: number;
  receiptId: string | null;
  receiptLineNo: number | null;
  orderId: string | null;
  orderLineNo: number | null;
  productId: string | null;
  description: string;
  quantityMilli: number;
  unitPriceCents: number;
  discountBp: number;
  ivaRateBp: number;
  reRateBp: number;
  baseCents: number;
  differences: W.MatchDifference[];
}
export async function insertInvoice(m: Db, i: NewInvoice, lines: readonly NewLine[]): Promise<void> {
  await exec(
    m,
    `INSERT INTO supplier_invoice (id, company_id, supplier_id, supplier_number, number_key, invoice_date, operation_date, received_date, period, status, irpf_bp,
       base_cents, iva_cents, re_cents, irpf_cents, total_cents, difference_count, note, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [i.id, i.companyId, i.supplierId, i.supplierNumber, i.numberKey, i.invoiceDate, i.operationDate, i.receivedDate, i.period, i.status, i.irpfBp,
      i.baseCents, i.ivaCents, i.reCents, i.irpfCents, i.totalCents, i.differenceCount, i.note, i.createdAt, i.createdBy],
  );
  for (const l of lines) {
    await exec(
      m,
      `INSERT INTO supplier_invoice_line (invoice_id, line_no, receipt_id, receipt_line_no, order_id, order_line_no, product_id, description, quantity_milli,
         unit_price_cents, discount_bp, iva_rate_bp, re_rate_bp, base_cents, differences_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [i.id, l.lineNo, l.receiptId, l.receiptLineNo, l.orderId, l.orderLineNo, l.productId, l.description, l.quantityMilli, l.unitPriceCents, l.discountBp,
        l.ivaRateBp, l.reRateBp, l.baseCents, JSON.stringify(l.differences)],
    );
  }
}

const HEADER_SQL = `SELECT i.id, i.company_id AS "companyId", c.legal_name AS "companyName", i.supplier_id AS "supplierId", s.name AS "supplierName", s.nif AS "supplierNif",
    i.supplier_number AS "supplierNumber", i.invoice_date AS "invoiceDate", i.operation_date AS "operationDate", i.received_date AS "receivedDate", i.period,
    i.status, i.register_number AS "registerNumber", i.irpf_bp AS "irpfBp", i.base_cents AS "baseCents", i.iva_cents AS "ivaCents", i.re_cents AS "reCents",
    i.irpf_cents AS "irpfCents", i.total_cents AS "totalCents", i.difference_count AS "differenceCount", i.note, i.decision_note AS "decisionNote",
    i.decided_at AS "decidedAt", i.decided_by AS "decidedBy", i.posted_at AS "postedAt", i.created_at AS "createdAt"
  FROM supplier_invoice i JOIN company c ON c.id = i.company_id JOIN supplier s ON s.id = i.supplier_id`;
export type HeaderRow = Omit<W.SupplierInvoiceDetail, 'lines' | 'taxes' | 'dues'>;
const NUMERIC = ['irpfBp', 'baseCents', 'ivaCents', 'reCents', 'irpfCents', 'totalCents', 'differenceCount'] as const;
const headerOf = (r: Record<string, unknown>): HeaderRow => {
  const out = { ...r } as Record<string, unknown>;
  for (const k of NUMERIC) out[k] = n(r[k]);
  return out as HeaderRow;
};

export async function invoiceById(m: Db, id: string, lock = false): Promise<HeaderRow | null> {
  const r = lock
    ? await one<Record<string, unknown>>(m, `SELECT id FROM supplier_invoice WHERE id = ?${forUpdate(m)}`, [id])
    : true;
  if (!r) return null;
  const row = await one<Record<string, unknown>>(m, `${HEADER_SQL} WHERE i.id = ?`, [id]);
  return row ? headerOf(row) : null;
}

export async function linesOf(m: Db, id: string): Promise<Array<W.SupplierInvoiceDetail['lines'][number]>> {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT l.line_no AS "lineNo", l.receipt_id AS "receiptId", r.number AS "receiptNumber", l.receipt_line_no AS "receiptLineNo", l.order_id AS "orderId",
        o.number AS "orderNumber", l.product_id AS "productId", p.weighed, l.description, l.quantity_milli AS "quantityMilli", l.unit_price_cents AS "unitPriceCents",
        l.discount_bp AS "discountBp", l.iva_rate_bp AS "ivaRateBp", l.re_rate_bp AS "reRateBp", l.base_cents AS "baseCents", l.differences_json AS d
       FROM supplier_invoice_line l
       LEFT JOIN goods_receipt r ON r.id = l.receipt_id
       LEFT JOIN purchase_order o ON o.id = l.order_id
       LEFT JOIN product p ON p.id = l.product_id
      WHERE l.invoice_id = ? ORDER BY l.line_no`,
    [id],
  );
  return rows.map((r) => ({
    lineNo: n(r.lineNo), receiptId: (r.receiptId as string | null) ?? null, receiptNumber: (r.receiptNumber as string | null) ?? null,
    receiptLineNo: r.receiptLineNo == null ? null : n(r.receiptLineNo), orderId: (r.orderId as string | null) ?? null, orderNumber: (r.orderNumber as string | null) ?? null,
    productId: (r.productId as string | null) ?? null, weighed: bool(r.weighed), description: String(r.description), quantityMilli: n(r.quantityMilli),
    unitPriceCents: n(r.unitPriceCents), discountBp: n(r.discountBp), ivaRateBp: n(r.ivaRateBp), reRateBp: n(r.reRateBp), baseCents: n(r.baseCents),
    differences: JSON.parse(String(r.d)) as W.MatchDifference[],
  }));
}
export async function taxesOf(m: Db, id: string) {
  const rows = await all<Record<string, unknown>>(
    m, 'SELECT iva_rate_bp AS "ivaRateBp", re_rate_bp AS "reRateBp", base_cents AS "baseCents", iva_cents AS "ivaCents", re_cents AS "reCents" FROM supplier_invoice_tax WHERE invoice_id = ? ORDER BY idx', [id],
  );
  return rows.map((r) => ({ ivaRateBp: n(r.ivaRateBp), reRateBp: n(r.reRateBp), baseCents: n(r.baseCents), ivaCents: n(r.ivaCents), reCents: n(r.reCents) }));
}
export async function duesOf(m: Db, id: string) {
  const rows = await all<Record<string, unknown>>(m, 'SELECT due_date AS "dueDate", amount_cents AS "amountCents" FROM supplier_invoice_due WHERE invoice_id = ? ORDER BY idx', [id]);
  return rows.map((r) => ({ dueDate: String(r.dueDate), amountCents: n(r.amountCents) }));
}

export interface InvoiceFilter {
  companyIds: string[] | null;
  status?: W.SupplierInvoiceStatus | undefined;
  supplierId?: string | undefined;
  companyId?: string | undefined;
  period?: string | undefined;
  q?: string | undefined;
}
export const INVOICE_SORTS = { createdAt: 'i.created_at', invoiceDate: 'i.invoice_date', supplier: 's.name', totalCents: 'i.total_cents', status: 'i.status' } as const;
export async function listInvoices(m: Db, f: InvoiceFilter, sort: keyof typeof INVOICE_SORTS, dir: 'asc' | 'desc', limit: number, offset: number) {
  const params: unknown[] = [];
  let where = ` WHERE 1 = 1${scopeSql('i.company_id', f.companyIds, params)}`;
  for (const [col, v] of [['i.status', f.status], ['i.supplier_id', f.supplierId], ['i.company_id', f.companyId], ['i.period', f.period]] as const) {
    if (!v) continue;
    where += ` AND ${col} = ?`;
    params.push(v);
  }
  if (f.q) {
    where += ' AND (LOWER(i.supplier_number) LIKE ? OR LOWER(s.name) LIKE ?)';
    params.push(`%${f.q.toLowerCase()}%`, `%${f.q.toLowerCase()}%`);
  }
  const total = n((await one<{ c: unknown }>(m, `SELECT COUNT(*) AS c FROM supplier_invoice i JOIN supplier s ON s.id = i.supplier_id${where}`, params))!.c);
  const rows = await all<Record<string, unknown>>(m, `${HEADER_SQL}${where} ORDER BY ${INVOICE_SORTS[sort]} ${dir === 'asc' ? 'ASC' : 'DESC'}, i.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
  return { rows: rows.map((r) => { const h = headerOf(r); return { id: h.id, companyId: h.companyId, companyName: h.companyName, supplierId: h.supplierId, supplierName: h.supplierName, supplierNif: h.supplierNif, supplierNumber: h.supplierNumber, invoiceDate: h.invoiceDate, receivedDate: h.receivedDate, period: h.period, status: h.status, registerNumber: h.registerNumber, baseCents: h.baseCents, ivaCents: h.ivaCents, reCents: h.reCents, irpfCents: h.irpfCents, totalCents: h.totalCents, differenceCount: h.differenceCount, createdAt: h.createdAt }; }), total };
}

/** Moves an invoice from one of `from` to `to`; false when it was in none of them (a concurrent change). */
export async function transition(m: Db, id: string, from: readonly W.SupplierInvoiceStatus[], to: W.SupplierInvoiceStatus, set: Record<string, unknown>): Promise<boolean> {
  const cols = Object.keys(set);
  const rows = await updated<{ id: string }>(
    m,
    `UPDATE supplier_invoice SET status = ?${cols.map((c) => `, ${c} = ?`).join('')} WHERE id = ? AND status IN (${inList(from.length)}) RETURNING id`,
    [to, ...cols.map((c) => set[c]), id, ...from],
  );
  return rows.length === 1;
}
export async function insertTaxes(m: Db, id: string, taxes: ReadonlyArray<{ ivaRateBp: number; reRateBp: number; baseCents: number; ivaCents: number; reCents: number }>): Promise<void> {
  let idx = 0;
  for (const t of taxes) {
    await exec(m, 'INSERT INTO supplier_invoice_tax (invoice_id, idx, iva_rate_bp, re_rate_bp, base_cents, iva_cents, re_cents) VALUES (?, ?, ?, ?, ?, ?, ?)', [id, ++idx, t.ivaRateBp, t.reRateBp, t.baseCents, t.ivaCents, t.reCents]);
  }
}
export async function insertDues(m: Db, id: string, companyId: string, supplierId: string, dues: ReadonlyArray<{ dueDate: string; amountCents: number }>): Promise<void> {
  let idx = 0;
  for (const d of dues) {
    await exec(m, 'INSERT INTO supplier_invoice_due (invoice_id, idx, company_id, supplier_id, due_date, amount_cents) VALUES (?, ?, ?, ?, ?, ?)', [id, ++idx, companyId, supplierId, d.dueDate, d.amountCents]);
  }
}

// ── registers ──
export interface IssuedBookRow {
  id: string;
  number: string;
  series: string | null;
  invoiceType: string;
  status: string;
  issueDate: string;
  operationDate: string | null;
  recipientNif: string | null;
  recipientName: string | null;
  irpfCents: number;
  totalCents: number;
  ivaRateBp: number | null;
  reRateBp: number | null;
  exemption: string | null;
  baseCents: number | null;
  ivaCents: number | null;
  reCents: number | null;
}
/** Issued invoices (posted and cancelled) of a company with issue date in [from, to], one row per tax row. */
export async function issuedBookRows(m: Db, companyId: string, from: string, to: string): Promise<IssuedBookRow[]> {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT i.id, i.number, i.series, i.invoice_type AS "invoiceType", i.status, i.issue_date AS "issueDate", i.operation_date AS "operationDate",
        i.recipient_nif AS "recipientNif", i.recipient_name AS "recipientName", i.irpf_cents AS "irpfCents", i.total_cents AS "totalCents",
        t.iva_rate_bp AS "ivaRateBp", t.re_rate_bp AS "reRateBp", t.exemption, t.base_cents AS "baseCents", t.iva_cents AS "ivaCents", t.re_cents AS "reCents"
       FROM invoice i LEFT JOIN invoice_tax t ON t.invoice_id = i.id
      WHERE i.company_id = ? AND i.status IN ('posted', 'cancelled') AND i.issue_date >= ? AND i.issue_date <= ?
      ORDER BY i.issue_date, i.series, i.seq, t.idx`,
    [companyId, from, to],
  );
  const nn = (v: unknown) => (v == null ? null : n(v));
  return rows.map((r) => ({
    id: String(r.id), number: String(r.number), series: (r.series as string | null) ?? null, invoiceType: String(r.invoiceType), status: String(r.status),
    issueDate: String(r.issueDate), operationDate: (r.operationDate as string | null) ?? null, recipientNif: (r.recipientNif as string | null) ?? null,
    recipientName: (r.recipientName as string | null) ?? null, irpfCents: n(r.irpfCents), totalCents: n(r.totalCents), ivaRateBp: nn(r.ivaRateBp), reRateBp: nn(r.reRateBp),
    exemption: (r.exemption as string | null) ?? null, baseCents: nn(r.baseCents), ivaCents: nn(r.ivaCents), reCents: nn(r.reCents),
  }));
}
export interface ReceivedBookRow {
  id: string;
  period: string;
  registerNumber: string;
  supplierNumber: string;
  invoiceDate: string;
  operationDate: string | null;
  receivedDate: string;
  supplierNif: string | null;
  supplierName: string;
  irpfCents: number;
  totalCents: number;
  ivaRateBp: number;
  reRateBp: number;
  baseCents: number;
  ivaCents: number;
  reCents: number;
}
/** Posted supplier invoices of a company booked in periods [fromMonth, toMonth], one row per tax row. */
export async function receivedBookRows(m: Db, companyId: string, fromMonth: string, toMonth: string): Promise<ReceivedBookRow[]> {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT i.id, i.period, i.register_number AS "registerNumber", i.supplier_number AS "supplierNumber", i.invoice_date AS "invoiceDate", i.operation_date AS "operationDate",
        i.received_date AS "receivedDate", s.nif AS "supplierNif", s.name AS "supplierName", i.irpf_cents AS "irpfCents", i.total_cents AS "totalCents",
        t.iva_rate_bp AS "ivaRateBp", t.re_rate_bp AS "reRateBp", t.base_cents AS "baseCents", t.iva_cents AS "ivaCents", t.re_cents AS "reCents"
       FROM supplier_invoice i JOIN supplier s ON s.id = i.supplier_id JOIN supplier_invoice_tax t ON t.invoice_id = i.id
      WHERE i.company_id = ? AND i.status = 'posted' AND i.period >= ? AND i.period <= ?
      ORDER BY i.register_number, t.idx`,
    [companyId, fromMonth, toMonth],
  );
  return rows.map((r) => ({
    id: String(r.id), period: String(r.period), registerNumber: String(r.registerNumber), supplierNumber: String(r.supplierNumber), invoiceDate: String(r.invoiceDate),
    operationDate: (r.operationDate as string | null) ?? null, receivedDate: String(r.receivedDate), supplierNif: (r.supplierNif as string | null) ?? null,
    supplierName: String(r.supplierName), irpfCents: n(r.irpfCents), totalCents: n(r.totalCents), ivaRateBp: n(r.ivaRateBp), reRateBp: n(r.reRateBp),
    baseCents: n(r.baseCents), ivaCents: n(r.ivaCents), reCents: n(r.reCents),
  }));
}
