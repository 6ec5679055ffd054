/**
 * Writes generated sales history STRAIGHT into the ingest tables (not through ingest, which would take most
 * of an hour for a million tickets): tickets, lines, payments, fiscal records, and optionally stock
 * movements and levels, cash-session totals and receivables — the same rows ingest would have written for
 * the same documents (see sales-ingest/apply.ts), chain positions = seqs, every link verified.
 *
 * SQLite: prepared statements inside one transaction per batch (synchronous=NORMAL while seeding, FULL
 * again afterwards). PostgreSQL: one `INSERT … SELECT * FROM unnest($1::…[], …)` per table and batch (one
 * parameter per column), the closest to COPY the pg driver offers without another package.
 */
import type { DataSource } from 'typeorm';
import { engineOfDs, pgPool, sqliteDb } from '../../persistence/raw';
import { addToCashTotals, emptyCashTotals, type CashTotals } from '../../sales-ingest/apply';
import type { HistoryTicket } from './generate';

type Col = [name: string, pgType: string];
const TABLES: Record<string, Col[]> = {
  sale_ticket: [
    ['id', 'varchar'], ['terminal_id', 'varchar'], ['store_id', 'varchar'], ['seq', 'bigint'], ['kind', 'varchar'], ['series', 'varchar'],
    ['number', 'bigint'], ['fiscal_number', 'varchar'], ['issued_at', 'varchar'], ['business_date', 'varchar'], ['cashier_id', 'varchar'],
    ['customer_id', 'varchar'], ['session_id', 'varchar'], ['total_cents', 'bigint'], ['tax_cents', 'bigint'], ['discount_cents', 'bigint'],
    ['original_ticket_id', 'varchar'], ['document', 'text'], ['received_at', 'varchar'], ['chain_ok', 'boolean'],
  ],
  sale_line: [['ticket_id', 'varchar'], ['line_no', 'integer'], ['product_id', 'varchar'], ['units', 'integer'], ['grams', 'integer'], ['total_cents', 'bigint'], ['tax_rate_bp', 'integer']],
  sale_payment: [['ticket_id', 'varchar'], ['idx', 'integer'], ['method', 'varchar'], ['amount_cents', 'bigint']],
  fiscal_record: [['terminal_id', 'varchar'], ['chain_position', 'bigint'], ['record_kind', 'varchar'], ['ticket_id', 'varchar'], ['hash', 'varchar'], ['previous_hash', 'varchar'], ['verified', 'boolean'], ['break_reason', 'text']],
  stock_movement: [['id', 'varchar'], ['location_id', 'varchar'], ['product_id', 'varchar'], ['delta', 'bigint'], ['reason', 'varchar'], ['ticket_id', 'varchar'], ['line_no', 'integer'], ['at', 'varchar']],
  receivable: [['id', 'varchar'], ['customer_id', 'varchar'], ['store_id', 'varchar'], ['ticket_id', 'varchar'], ['amount_cents', 'bigint'], ['due_date', 'varchar'], ['status', 'varchar'], ['paid_cents', 'bigint']],
  cash_session_summary: [['terminal_id', 'varchar'], ['session_id', 'varchar'], ['totals', 'text'], ['updated_at', 'varchar']],
  stock_level: [['location_id', 'varchar'], ['company_id', 'varchar'], ['product_id', 'varchar'], ['quantity', 'bigint'], ['updated_at', 'varchar']],
  product: [['id', 'varchar'], ['sku', 'varchar'], ['name', 'varchar'], ['category_id', 'varchar'], ['tax_rate_bp', 'integer'], ['exemption', 'varchar'], ['weighed', 'boolean'], ['base_price_cents', 'bigint'], ['active', 'boolean'], ['version', 'bigint']],
};
export type Rows = Partial<Record<keyof typeof TABLES, unknown[][]>>;

/** Inserts rows table by table (in the order given), in one transaction. */
export async function insertRows(ds: DataSource, rows: Rows): Promise<void> {
  const tables = Object.keys(rows).filter((t) => (rows[t]?.length ?? 0) > 0);
  if (engineOfDs(ds) === 'sqlite') {
    const db = sqliteDb(ds);
    db.transaction(() => {
      for (const t of tables) {
        const cols = TABLES[t]!;
        const ins = db.prepare(`INSERT INTO "${t}" (${cols.map((c) => `"${c[0]}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
        const bools = cols.map((c) => c[1] === 'boolean');
        for (const r of rows[t]!) ins.run(bools.some(Boolean) ? r.map((v, i) => (bools[i] ? (v ? 1 : 0) : v)) : r);
      }
    })();
    return;
  }
  const client = await pgPool(ds).connect();
  try {
    await client.query('BEGIN');
    for (const t of tables) {
      const cols = TABLES[t]!;
      const data = rows[t]!;
      for (let from = 0; from < data.length; from += 20_000) {
        const chunk = data.slice(from, from + 20_000);
        const arrays = cols.map((_, i) => chunk.map((r) => r[i] ?? null));
        await client.query(
          `INSERT INTO "${t}" (${cols.map((c) => `"${c[0]}"`).join(', ')}) SELECT * FROM unnest(${cols.map((c, i) => `$${i + 1}::${c[1]}[]`).join(', ')})`,
          arrays,
        );
      }
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Seeding speed on SQLite: NORMAL while the bulk load runs (a crash means seeding again), FULL afterwards. */
export async function withBulkLoad<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  if (engineOfDs(ds) !== 'sqlite') return fn();
  const db = sqliteDb(ds);
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  // Random-key inserts into growing indexes: a 256 MB page cache instead of the default 2 MB.
  db.pragma('cache_size = -262144');
  try {
    return await fn();
  } finally {
    db.pragma('synchronous = FULL');
    db.pragma(`cache_size = ${cache}`);
  }
}

export interface RowOptions {
  /** Write stock movements (sales and returns) — the caller writes opening stock and levels. */
  stock: boolean;
  receivedAt: (t: HistoryTicket) => string;
  newId: () => string;
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The rows ingest would write for these tickets. */
export function rowsOf(tickets: HistoryTicket[], o: RowOptions): Rows {
  const sale_ticket: unknown[][] = [];
  const sale_line: unknown[][] = [];
  const sale_payment: unknown[][] = [];
  const fiscal_record: unknown[][] = [];
  const stock_movement: unknown[][] = [];
  const receivable: unknown[][] = [];
  for (const h of tickets) {
    const d = h.doc;
    const businessDate = d.issuedAt.slice(0, 10);
    const onAccount = d.payments.filter((p) => p.method === 'on_account');
    const customerId = d.customer?.id ?? onAccount[0]?.customerId ?? null;
    const at = new Date(h.at).toISOString();
    sale_ticket.push([
      d.id, h.terminalId, h.storeId, d.seq, d.kind, d.series, d.number, d.fiscalNumber, d.issuedAt, businessDate, d.cashier.id, customerId, d.sessionId,
      d.totals.total, d.totals.taxTotal, d.totals.discountTotal, d.originalTicket?.id ?? null, JSON.stringify(d), o.receivedAt(h), true,
    ]);
    d.lines.forEach((l, i) => {
      const qty = l.quantity.kind === 'units' ? l.quantity.units : l.quantity.grams;
      sale_line.push([d.id, i + 1, l.productId, l.quantity.kind === 'units' ? l.quantity.units : Math.sign(qty), l.quantity.kind === 'weight' ? l.quantity.grams : null, l.total, l.taxRate]);
      if (o.stock) stock_movement.push([o.newId(), h.storeId, l.productId, -qty, qty < 0 ? 'return' : 'sale', d.id, i + 1, at]);
    });
    d.payments.forEach((p, idx) => sale_payment.push([d.id, idx, p.method, p.amount]));
    fiscal_record.push([h.terminalId, d.seq, 'alta', d.id, d.fiscal.hash, d.fiscal.previousHash === '' ? null : d.fiscal.previousHash, true, null]);
    if (onAccount.length > 0) {
      const amount = onAccount.reduce((a, p) => a + p.amount, 0);
      receivable.push([o.newId(), onAccount[0]!.customerId, h.storeId, d.id, amount, addDays(businessDate, 30), 'open', 0]);
    }
  }
  return { sale_ticket, sale_line, sale_payment, fiscal_record, ...(o.stock ? { stock_movement } : {}), receivable };
}

/** Per till and session: the cash totals ingest keeps (CashTotals, sales-ingest/apply.ts). */
export function addCashTotals(into: Map<string, { terminalId: string; sessionId: string; totals: CashTotals }>, tickets: HistoryTicket[]): void {
  for (const h of tickets) {
    const d = h.doc;
    const key = `${h.terminalId}|${d.sessionId}`;
    let s = into.get(key);
    if (!s) into.set(key, (s = { terminalId: h.terminalId, sessionId: d.sessionId, totals: emptyCashTotals() }));
    addToCashTotals(s.totals, d);
  }
}

/** The till's ingest state after its seeded history: acked up to its last seq, chain head its last huella. */
export async function setTerminalState(ds: DataSource, terminalId: string, lastSeq: number, lastHash: string | null, lastSeenAt: string): Promise<void> {
  const pg = engineOfDs(ds) === 'postgres';
  await ds.query(
    `UPDATE terminal SET last_acked_seq = ${pg ? '$1' : '?'}, last_fiscal_hash = ${pg ? '$2' : '?'}, last_seen_at = ${pg ? '$3' : '?'} WHERE id = ${pg ? '$4' : '?'}`,
    [lastSeq, lastHash, lastSeenAt, terminalId],
  );
}

/** Whether a seeding marker exists (seeded datasets are reused: benches and demo restarts skip the work). */
export async function hasMarker(ds: DataSource, key: string): Promise<boolean> {
  const pg = engineOfDs(ds) === 'postgres';
  const rows = (await ds.query(`SELECT key FROM seed_marker WHERE key = ${pg ? '$1' : '?'}`, [key])) as unknown[];
  return rows.length > 0;
}

/** What a marker says about its dataset (size, when and how fast it was seeded), or null. */
export async function markerDetail(ds: DataSource, key: string): Promise<string | null> {
  const pg = engineOfDs(ds) === 'postgres';
  const rows = (await ds.query(`SELECT detail FROM seed_marker WHERE key = ${pg ? '$1' : '?'}`, [key])) as Array<{ detail: string }>;
  return rows[0]?.detail ?? null;
}

export async function setMarker(ds: DataSource, key: string, detail: string): Promise<void> {
  const pg = engineOfDs(ds) === 'postgres';
  await ds.query(`INSERT INTO seed_marker (key, detail, created_at) VALUES (${pg ? '$1, $2, $3' : '?, ?, ?'})`, [key, detail, new Date().toISOString()]);
}
