/**
 * The tickets module's SQL (the only place here that talks to the database): the ticket search, one
 * ticket's page, and the bulk writer the bench and demo seeding use. Tickets are read from the ingest
 * tables (sale_ticket, sale_line, sale_payment, fiscal_record) and never written by this module's routes.
 *
 * Search plan: the date range is a range on `issued_at` (its text starts with the store-local date, so it is
 * the same filter as business_date and the same index gives the default order), the store scope an `IN` on
 * store_id, and the page is taken in a subquery before the joins, so a first page reads ~pageSize index
 * entries whatever the table's size. The count stops at TICKET_COUNT_CAP + 1, and is not made for filters
 * without an index (amounts, a bare number): `total` is then offset + rows (+1 when there are more) and
 * `totalIsLowerBound` says so.
 */
import type { DataSource } from 'typeorm';
import { TICKET_COUNT_CAP, type TicketSearchQuery, type TicketSummary } from '@tpv/shared/wire/http/tickets';
import { parseFiscalNumber } from '@tpv/shared/fiscal/series';
import { engineOfDs, type Engine } from '../persistence/raw';

/** Collects parameters and hands out the engine's placeholders (`?` or `$n`). */
class Params {
  readonly values: unknown[] = [];
  constructor(readonly engine: Engine) {}
  add(v: unknown): string {
    this.values.push(v);
    return this.engine === 'postgres' ? `$${this.values.length}` : '?';
  }
  list(vs: readonly unknown[]): string {
    return vs.map((v) => this.add(v)).join(', ');
  }
}

const SORT_SQL: Record<TicketSearchQuery['sort'], string[]> = {
  issuedAt: ['t.issued_at'],
  number: ['t.series', 't.number'],
  total: ['t.total_cents'],
  store: ['t.store_id', 't.issued_at'],
};

/** The day after a yyyy-mm-dd (exclusive upper bound of a date range on issued_at). */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * `forPage`: the page query on SQLite. A scope of several stores is then written `+t.store_id IN (…)` (the
 * unary plus keeps SQLite off the store index): walking IDX_sale_ticket_issued newest first and skipping other
 * stores' tickets finds a page after a few hundred rows, where the store index made it sort all of the
 * scope's tickets (1.1 s for 5 of 50 stores over a million). The count keeps the store index (1 ms), except
 * for returns.
 */
function whereOf(q: TicketSearchQuery, stores: string[] | null, p: Params, forPage = false): string {
  const w: string[] = [];
  // Returns only: the partial index of returns beats the store index for the count too (630 ms → ms).
  const plus = p.engine === 'sqlite' && ((forPage && q.sort === 'issuedAt') || q.kind === 'return') ? '+' : '';
  if (stores !== null) w.push(stores.length === 0 ? '1 = 0' : stores.length === 1 ? `t.store_id = ${p.add(stores[0])}` : `${plus}t.store_id IN (${p.list(stores)})`);
  if (q.storeId) w.push(`t.store_id = ${p.add(q.storeId)}`);
  if (q.from) w.push(`t.issued_at >= ${p.add(q.from)}`);
  if (q.to) w.push(`t.issued_at < ${p.add(nextDay(q.to))}`);
  if (q.terminalId) w.push(`t.terminal_id = ${p.add(q.terminalId)}`);
  if (q.cashierId) w.push(`t.cashier_id = ${p.add(q.cashierId)}`);
  if (q.customerId) w.push(`t.customer_id = ${p.add(q.customerId)}`);
  // A literal (from the enum), so the planners may use the partial index of returns.
  if (q.kind) w.push(q.kind === 'return' ? `t.kind = 'return'` : `t.kind = 'sale'`);
  if (q.minTotal !== undefined) w.push(`t.total_cents >= ${p.add(q.minTotal)}`);
  if (q.maxTotal !== undefined) w.push(`t.total_cents <= ${p.add(q.maxTotal)}`);
  if (q.number) {
    const n = q.number.toUpperCase();
    const full = parseFiscalNumber(n);
    if (full.ok) w.push(`t.series = ${p.add(full.value.series)} AND t.number = ${p.add(full.value.number)}`);
    else if (/^\d{1,9}$/.test(n)) w.push(`t.number = ${p.add(Number(n))}`);
    else if (n.includes('/')) {
      const [series, num] = n.split('/');
      w.push(`t.series = ${p.add(series)}`);
      if (num && /^\d{1,9}$/.test(num)) w.push(`t.number = ${p.add(Number(num))}`);
    } else w.push(`t.series = ${p.add(n)}`);
  }
  return w.length ? w.join(' AND ') : '1 = 1';
}

export interface SearchResult {
  items: TicketSummary[];
  total: number;
  totalIsLowerBound: boolean;
  hasMore: boolean;
}

export class TicketRepository {
  private readonly engine: Engine;
  constructor(private readonly ds: DataSource) {
    this.engine = engineOfDs(ds);
  }

  /** One page of tickets matching `q` within `stores` (null: every store), plus the capped count. */
  async search(q: TicketSearchQuery, stores: string[] | null, opts: { limit: number; offset: number; count: boolean }): Promise<SearchResult> {
    const p = new Params(this.engine);
    const where = whereOf(q, stores, p, true);
    const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
    const order = [...SORT_SQL[q.sort], 't.id'].map((c) => `${c} ${dir}`).join(', ');
    const outerOrder = order.replace(/\bt\./g, 'x.');
    const rows = (await this.ds.query(
      `SELECT x.id, x.kind, x.fiscal_number, x.series, x.number, x.issued_at, x.business_date, x.store_id, s.code AS store_code, s.name AS store_name,
              x.terminal_id, tm.code AS terminal_code, x.cashier_id, st.name AS cashier_name, x.customer_id, cu.name AS customer_name,
              x.total_cents, x.tax_cents, x.chain_ok
         FROM (SELECT t.id, t.kind, t.fiscal_number, t.series, t.number, t.issued_at, t.business_date, t.store_id, t.terminal_id, t.cashier_id,
                      t.customer_id, t.total_cents, t.tax_cents, t.chain_ok
                 FROM sale_ticket t WHERE ${where} ORDER BY ${order} LIMIT ${p.add(opts.limit + 1)} OFFSET ${p.add(opts.offset)}) x
         JOIN store s ON s.id = x.store_id
         JOIN terminal tm ON tm.id = x.terminal_id
         LEFT JOIN staff st ON st.id = x.cashier_id
         LEFT JOIN customer cu ON cu.id = x.customer_id
        ORDER BY ${outerOrder}`,
      p.values,
    )) as Array<Record<string, unknown>>;
    const hasMore = rows.length > opts.limit;
    const items = rows.slice(0, opts.limit).map(summaryOf);
    // Amounts and a bare number have no index: counting their rare matches would read the whole table.
    const countable = opts.count && q.minTotal === undefined && q.maxTotal === undefined && !(q.number && /^\d+$/.test(q.number));
    if (!countable) return { items, total: opts.offset + items.length + (hasMore ? 1 : 0), totalIsLowerBound: hasMore, hasMore };
    const c = new Params(this.engine);
    const cw = whereOf(q, stores, c);
    const counted = (await this.ds.query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM sale_ticket t WHERE ${cw} LIMIT ${c.add(TICKET_COUNT_CAP + 1)}) x`, c.values)) as Array<{ n: unknown }>;
    const n = Number(counted[0]?.n ?? 0);
    // A page beyond the count's cap still proves at least offset + its rows.
    const total = Math.max(Math.min(n, TICKET_COUNT_CAP), opts.offset + items.length + (hasMore ? 1 : 0));
    return { items, total, totalIsLowerBound: n > TICKET_COUNT_CAP || total > TICKET_COUNT_CAP, hasMore };
  }

  async ticketRow(id: string): Promise<Record<string, unknown> | null> {
    const p = new Params(this.engine);
    const rows = (await this.ds.query(
      `SELECT t.*, s.code AS store_code, s.name AS store_name, s.address AS store_address, s.company_id,
              c.legal_name, c.trade_name, c.nif AS company_nif,
              tm.code AS terminal_code, tm.name AS terminal_name, tm.installation,
              st.name AS cashier_name, cu.name AS customer_name, cu.nif AS customer_nif,
              f.chain_position, f.record_kind, f.hash AS fiscal_hash, f.previous_hash, f.verified, f.break_reason
         FROM sale_ticket t
         JOIN store s ON s.id = t.store_id
         JOIN company c ON c.id = s.company_id
         JOIN terminal tm ON tm.id = t.terminal_id
         LEFT JOIN staff st ON st.id = t.cashier_id
         LEFT JOIN customer cu ON cu.id = t.customer_id
         LEFT JOIN fiscal_record f ON f.terminal_id = t.terminal_id AND f.chain_position = t.seq
        WHERE t.id = ${p.add(id)}`,
      p.values,
    )) as Array<Record<string, unknown>>;
    return rows[0] ?? null;
  }

  async lines(ticketId: string): Promise<Array<Record<string, unknown>>> {
    const p = new Params(this.engine);
    return (await this.ds.query(
      `SELECT l.line_no, l.product_id, l.units, l.grams, l.total_cents, l.tax_rate_bp, pr.sku, pr.name
         FROM sale_line l LEFT JOIN product pr ON pr.id = l.product_id WHERE l.ticket_id = ${p.add(ticketId)} ORDER BY l.line_no`,
      p.values,
    )) as Array<Record<string, unknown>>;
  }

  async payments(ticketId: string): Promise<Array<{ method: string; amount_cents: unknown }>> {
    const p = new Params(this.engine);
    return (await this.ds.query(`SELECT method, amount_cents FROM sale_payment WHERE ticket_id = ${p.add(ticketId)} ORDER BY idx`, p.values)) as Array<{
      method: string;
      amount_cents: unknown;
    }>;
  }

  /** Credit notes referencing a sale. */
  async returnsOf(ticketId: string): Promise<Array<Record<string, unknown>>> {
    const p = new Params(this.engine);
    return (await this.ds.query(
      `SELECT id, fiscal_number, issued_at, total_cents FROM sale_ticket WHERE original_ticket_id = ${p.add(ticketId)} ORDER BY issued_at`,
      p.values,
    )) as Array<Record<string, unknown>>;
  }

  async ref(ticketId: string): Promise<Record<string, unknown> | null> {
    const p = new Params(this.engine);
    const rows = (await this.ds.query(`SELECT id, fiscal_number, issued_at, total_cents FROM sale_ticket WHERE id = ${p.add(ticketId)}`, p.values)) as Array<
      Record<string, unknown>
    >;
    return rows[0] ?? null;
  }
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't';

function summaryOf(r: Record<string, unknown>): TicketSummary {
  return {
    id: String(r.id),
    kind: r.kind === 'return' ? 'return' : 'sale',
    fiscalNumber: String(r.fiscal_number),
    series: String(r.series),
    number: Number(r.number),
    issuedAt: String(r.issued_at),
    businessDate: String(r.business_date),
    storeId: String(r.store_id),
    storeCode: String(r.store_code),
    storeName: String(r.store_name),
    terminalId: String(r.terminal_id),
    terminalCode: String(r.terminal_code),
    cashierId: str(r.cashier_id),
    cashierName: str(r.cashier_name),
    customerId: str(r.customer_id),
    customerName: str(r.customer_name),
    totalCents: Number(r.total_cents),
    taxCents: Number(r.tax_cents),
    chainOk: bool(r.chain_ok),
  };
}
