/**
 * The ingest ledger on SQLite: better-sqlite3 prepared statements inside one IMMEDIATE transaction, taken
 * behind the database's write lock (persistence/raw.ts) so it never nests inside a TypeORM transaction.
 *
 * Tickets, lines, payments, fiscal records, movements and stock deltas go in as multi-row
 * `INSERT … VALUES (…), (…)` of up to ROWS_PER_INSERT rows, one cached statement per (table, row count): a
 * batch of 100 tickets is a few dozen statement calls instead of ~1,000. (The b-tree work itself dominates —
 * ~36 index entries per ticket before migration 1795400000006, ~31 after — see `scripts/src/loadgen/micro.ts`.)
 */
import type Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { sqliteDb, sqliteWriteLock } from '../raw';
import { startCheckpointer, type Checkpointer } from './checkpointer';
import { terminalState, type TerminalLockRow } from './terminal-row';
import type { LedgerEngine, LedgerTx, LedgerWrites, ReviewDecisionRow, ReviewRow, StoredReview, TerminalState } from '../../sales-ingest/ledger';

type Stmt = Database.Statement<unknown[], unknown>;

function statements(db: Database.Database) {
  const p = (sql: string): Stmt => db.prepare(sql);
  return {
    lock: p(`SELECT t.id, t.store_id, t.last_acked_seq, t.last_fiscal_hash, t.revoked_at, t.token_hash, t.code, t.installation,
                    s.code AS store_code, c.nif AS company_nif, c.id AS company_id,
                    (SELECT MIN(seq) FROM ingest_hold h WHERE h.terminal_id = t.id) AS min_held
               FROM terminal t JOIN store s ON s.id = t.store_id JOIN company c ON c.id = s.company_id WHERE t.id = ?`),
    storedBySeq: p(`SELECT seq, id FROM sale_ticket WHERE terminal_id = ? AND seq IN (SELECT value FROM json_each(?))`),
    rejectedSeqs: p(`SELECT seq, code FROM ingest_review WHERE terminal_id = ? AND kind = 'rejected' AND status <> 'reapplied' AND seq IN (SELECT value FROM json_each(?))`),
    existingIds: p(`SELECT id FROM sale_ticket WHERE id IN (SELECT value FROM json_each(?))`),
    substituted: p(`SELECT ticket_id, fiscal_number FROM ticket_substitution WHERE ticket_id IN (SELECT value FROM json_each(?))`),
    substitution: p(`INSERT INTO ticket_substitution (ticket_id, invoice_ticket_id, invoice_id, fiscal_number, issue_date, created_at) VALUES (?, ?, NULL, ?, ?, ?)`),
    existingNumbers: p(`SELECT s.series, s.number FROM json_each(?) j JOIN sale_ticket s
                          ON s.series = json_extract(j.value, '$[0]') AND s.number = json_extract(j.value, '$[1]')`),
    held: p(`SELECT seq, payload FROM ingest_hold WHERE terminal_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
    products: p(`SELECT id FROM product WHERE id IN (SELECT value FROM json_each(?))`),
    customers: p(`SELECT id FROM customer WHERE id IN (SELECT value FROM json_each(?))`),
    sessions: p(`SELECT session_id, totals FROM cash_session_summary WHERE terminal_id = ? AND session_id IN (SELECT value FROM json_each(?))`),
    cash: p(`INSERT INTO cash_session_summary (terminal_id, session_id, totals, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (terminal_id, session_id) DO UPDATE SET totals = excluded.totals, updated_at = excluded.updated_at`),
    demandStale: p(`INSERT INTO restock_demand_stale (location_id, product_id) VALUES (?, ?) ON CONFLICT DO NOTHING`),
    receivable: p(`INSERT INTO receivable (id, customer_id, store_id, ticket_id, amount_cents, due_date, status, paid_cents) VALUES (?, ?, ?, ?, ?, ?, 'open', 0)`),
    // The collections ledger's open item for it (same id), with its `invoiced` posting (collections/ledger.ts).
    receivableItem: p(`INSERT INTO open_item (id, company_id, side, kind, source_id, source_idx, document_ref, counterparty_kind, counterparty_id, counterparty_name, store_id, issue_date, due_date, amount_cents, balance_cents, status, created_at, updated_at)
                       SELECT r.id, s.company_id, 'receivable', 'on_account_ticket', r.ticket_id, 0, COALESCE(t.fiscal_number, t.id), 'customer', r.customer_id, c.name, r.store_id, t.business_date, r.due_date, r.amount_cents, r.amount_cents, 'open', ?, ?
                         FROM receivable r JOIN store s ON s.id = r.store_id JOIN sale_ticket t ON t.id = r.ticket_id JOIN customer c ON c.id = r.customer_id
                        WHERE r.id = ? AND r.amount_cents > 0`),
    receivablePosting: p(`INSERT INTO open_item_posting (id, item_id, kind, amount_cents, signed_cents, on_date, source_kind, source_id, created_at)
                          SELECT i.id, i.id, 'invoiced', i.amount_cents, i.amount_cents, i.issue_date, 'ticket', i.source_id, ? FROM open_item i WHERE i.id = ?`),
    review: p(`INSERT INTO ingest_review (id, terminal_id, store_id, seq, ticket_id, kind, code, reason, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    hold: p(`INSERT INTO ingest_hold (terminal_id, seq, payload, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    release: p(`DELETE FROM ingest_hold WHERE terminal_id = ? AND seq <= ?`),
    terminal: p(`UPDATE terminal SET last_acked_seq = ?, last_fiscal_hash = ?, last_seen_at = ? WHERE id = ?`),
    openGap: p(`SELECT MIN(seq) AS seq FROM ingest_review WHERE terminal_id = ? AND kind = 'gap' AND status = 'open'`),
    resolveGaps: p(`UPDATE ingest_review SET status = 'resolved', resolved_at = ?, resolved_by = 'system', resolution = 'the missing seqs arrived'
                     WHERE terminal_id = ? AND kind = 'gap' AND status = 'open' AND seq <= ?`),
    reviewOnce: p(`INSERT INTO ingest_review (id, terminal_id, store_id, seq, ticket_id, kind, code, reason, payload, created_at)
                   SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
                    WHERE NOT EXISTS (SELECT 1 FROM ingest_review WHERE terminal_id = ? AND kind = ? AND code = ? AND reason = ? AND status = 'open')`),
    reviewById: p(`SELECT id, terminal_id, store_id, seq, ticket_id, kind, code, reason, payload, created_at, status FROM ingest_review WHERE id = ?`),
    fiscalAt: p(`SELECT hash, verified FROM fiscal_record WHERE terminal_id = ? AND chain_position = ?`),
    fiscalBefore: p(`SELECT chain_position, hash FROM fiscal_record WHERE terminal_id = ? AND chain_position < ? ORDER BY chain_position DESC LIMIT 1`),
    verifyLink: p(`UPDATE fiscal_record SET verified = 1, break_reason = NULL WHERE terminal_id = ? AND chain_position = ?`),
    verifyTicket: p(`UPDATE sale_ticket SET chain_ok = 1 WHERE terminal_id = ? AND seq = ?`),
    decision: p(`INSERT INTO review_decision (id, review_id, user_id, user_email, action, outcome, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    close: p(`UPDATE ingest_review SET status = ?, resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?`),
  };
}

const b = (v: boolean) => (v ? 1 : 0);

/** Rows per multi-row INSERT (SQLite binds at most 32,766 parameters; 64 × 20 columns stays far below). */
const ROWS_PER_INSERT = 64;

/** A multi-row INSERT of one table: `head VALUES (?,…), (?,…) tail`, one prepared statement per row count. */
class MultiInsert {
  private readonly byCount = new Map<number, Stmt>();
  private readonly tuple: string;
  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly tail = '',
  ) {
    this.tuple = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  }
  private stmt(rows: number): Stmt {
    let st = this.byCount.get(rows);
    if (!st) {
      st = this.db.prepare(`${this.head} VALUES ${Array.from({ length: rows }, () => this.tuple).join(', ')} ${this.tail}`);
      this.byCount.set(rows, st);
    }
    return st;
  }
  /** Inserts every row (`values(row)` gives its parameters in column order). */
  run<T>(rows: readonly T[], values: (row: T, out: unknown[]) => void): void {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const n = Math.min(ROWS_PER_INSERT, rows.length - i);
      const params: unknown[] = [];
      for (let k = i; k < i + n; k++) values(rows[k]!, params);
      this.stmt(n).run(params);
    }
  }
}

function inserts(db: Database.Database) {
  const m = (head: string, columns: number, tail = '') => new MultiInsert(db, head, columns, tail);
  return {
    ticket: m(
      `INSERT INTO sale_ticket (id, terminal_id, store_id, seq, kind, series, number, fiscal_number, issued_at, business_date,
         cashier_id, customer_id, session_id, total_cents, tax_cents, discount_cents, original_ticket_id, document, received_at, chain_ok)`,
      20,
    ),
    line: m(`INSERT INTO sale_line (ticket_id, line_no, product_id, units, grams, total_cents, tax_rate_bp)`, 7),
    payment: m(`INSERT INTO sale_payment (ticket_id, idx, method, amount_cents)`, 4),
    fiscal: m(`INSERT INTO fiscal_record (terminal_id, chain_position, record_kind, ticket_id, hash, previous_hash, verified, break_reason)`, 8, 'ON CONFLICT DO NOTHING'),
    movement: m(`INSERT INTO stock_movement (id, location_id, product_id, delta, reason, ticket_id, line_no, at)`, 8),
    stock: m(
      `INSERT INTO stock_level (location_id, company_id, product_id, quantity, updated_at)`,
      5,
      'ON CONFLICT (location_id, product_id) DO UPDATE SET quantity = quantity + excluded.quantity, updated_at = excluded.updated_at',
    ),
    salesWeek: m(
      `INSERT INTO sales_week (location_id, week, product_id, quantity)`,
      4,
      'ON CONFLICT (location_id, week, product_id) DO UPDATE SET quantity = quantity + excluded.quantity',
    ),
    salesDay: m(
      `INSERT INTO sales_day (store_id, business_date, sales_count, sales_base_cents, sales_tax_cents, returns_count, returns_base_cents, returns_tax_cents)`,
      8,
      `ON CONFLICT (store_id, business_date) DO UPDATE SET sales_count = sales_count + excluded.sales_count, sales_base_cents = sales_base_cents + excluded.sales_base_cents,
         sales_tax_cents = sales_tax_cents + excluded.sales_tax_cents, returns_count = returns_count + excluded.returns_count,
         returns_base_cents = returns_base_cents + excluded.returns_base_cents, returns_tax_cents = returns_tax_cents + excluded.returns_tax_cents`,
    ),
    // Accounting's daily sales rollups: a row that moves is pending again (its day's entry gets the difference).
    salesTax: m(
      `INSERT INTO sales_tax_session (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, base_cents, iva_cents, re_cents)`,
      9,
      `ON CONFLICT (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp) DO UPDATE SET base_cents = base_cents + excluded.base_cents,
         iva_cents = iva_cents + excluded.iva_cents, re_cents = re_cents + excluded.re_cents, pending = 1`,
    ),
    salesPay: m(
      `INSERT INTO sales_pay_session (terminal_id, session_id, business_date, method, customer_id, store_id, amount_cents)`,
      7,
      `ON CONFLICT (terminal_id, session_id, business_date, method, customer_id) DO UPDATE SET amount_cents = amount_cents + excluded.amount_cents, pending = 1`,
    ),
  };
}


class SqliteLedgerTx implements LedgerTx {
  constructor(
    private readonly s: ReturnType<typeof statements>,
    private readonly ins: ReturnType<typeof inserts>,
    private readonly db: Database.Database,
    private readonly cache: Map<string, Stmt>,
  ) {}

  async sql<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    let st = this.cache.get(text);
    if (!st) {
      st = this.db.prepare(text);
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(text, st);
    }
    const values = params.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
    if (st.reader) return st.all(...values) as R[];
    st.run(...values);
    return [];
  }

  async lockTerminal(terminalId: string): Promise<TerminalState | undefined> {
    const r = this.s.lock.get(terminalId) as TerminalLockRow | undefined;
    return r ? terminalState(r) : undefined;
  }
  async storedIdsBySeq(terminalId: string, seqs: number[]) {
    const rows = this.s.storedBySeq.all(terminalId, JSON.stringify(seqs)) as Array<{ seq: number; id: string }>;
    return new Map(rows.map((r) => [Number(r.seq), r.id]));
  }
  async rejectedSeqs(terminalId: string, seqs: number[]) {
    const rows = this.s.rejectedSeqs.all(terminalId, JSON.stringify(seqs)) as Array<{ seq: number; code: string }>;
    return new Map(rows.map((r) => [Number(r.seq), r.code]));
  }
  async existingTicketIds(ids: string[]) {
    return new Set((this.s.existingIds.all(JSON.stringify(ids)) as Array<{ id: string }>).map((r) => r.id));
  }
  async existingFiscalNumbers(pairs: Array<{ series: string; number: number }>) {
    const rows = this.s.existingNumbers.all(JSON.stringify(pairs.map((p) => [p.series, p.number]))) as Array<{ series: string; number: number }>;
    return new Set(rows.map((r) => `${r.series}/${Number(r.number)}`));
  }
  async substitutedTickets(ids: string[]) {
    const rows = this.s.substituted.all(JSON.stringify(ids)) as Array<{ ticket_id: string; fiscal_number: string }>;
    return new Map(rows.map((r) => [r.ticket_id, r.fiscal_number]));
  }
  async held(terminalId: string, afterSeq: number, limit: number) {
    return (this.s.held.all(terminalId, afterSeq, limit) as Array<{ seq: number; payload: string }>).map((r) => ({ seq: Number(r.seq), payload: r.payload }));
  }
  async existingProducts(ids: string[]) {
    return new Set((this.s.products.all(JSON.stringify(ids)) as Array<{ id: string }>).map((r) => r.id));
  }
  async existingCustomers(ids: string[]) {
    return new Set((this.s.customers.all(JSON.stringify(ids)) as Array<{ id: string }>).map((r) => r.id));
  }
  async sessionTotals(terminalId: string, sessionIds: string[]) {
    const rows = this.s.sessions.all(terminalId, JSON.stringify(sessionIds)) as Array<{ session_id: string; totals: string }>;
    return new Map(rows.map((r) => [r.session_id, r.totals]));
  }
  async write(w: LedgerWrites): Promise<void> {
    const s = this.s;
    const ins = this.ins;
    ins.ticket.run(w.tickets, (t, o) =>
      o.push(
        t.id, t.terminal_id, t.store_id, t.seq, t.kind, t.series, t.number, t.fiscal_number, t.issued_at, t.business_date,
        t.cashier_id, t.customer_id, t.session_id, t.total_cents, t.tax_cents, t.discount_cents, t.original_ticket_id, t.document,
        t.received_at, b(t.chain_ok),
      ),
    );
    ins.line.run(w.lines, (l, o) => o.push(l.ticket_id, l.line_no, l.product_id, l.units, l.grams, l.total_cents, l.tax_rate_bp));
    ins.payment.run(w.payments, (p, o) => o.push(p.ticket_id, p.idx, p.method, p.amount_cents));
    ins.fiscal.run(w.fiscal, (f, o) => o.push(f.terminal_id, f.chain_position, f.record_kind, f.ticket_id, f.hash, f.previous_hash, b(f.verified), f.break_reason));
    ins.movement.run(w.movements, (m, o) => o.push(m.id, m.location_id, m.product_id, m.delta, m.reason, m.ticket_id, m.line_no, m.at));
    // One row per (store, product) of the batch: a stock_level row appears at most once per statement.
    ins.stock.run(w.stock, (k, o) => o.push(k.location_id, k.company_id, k.product_id, k.delta, k.updated_at));
    // The restocking rollup: one row per (store, week, product) of the batch.
    ins.salesWeek.run(w.salesWeeks, (r, o) => o.push(r.location_id, r.week, r.product_id, r.quantity));
    ins.salesDay.run(w.salesDays, (r, o) => o.push(r.store_id, r.business_date, r.sales_count, r.sales_base_cents, r.sales_tax_cents, r.returns_count, r.returns_base_cents, r.returns_tax_cents));
    ins.salesTax.run(w.salesTax ?? [], (r, o) => o.push(r.terminal_id, r.session_id, r.business_date, r.iva_rate_bp, r.re_rate_bp, r.store_id, r.base_cents, r.iva_cents, r.re_cents));
    ins.salesPay.run(w.salesPay ?? [], (r, o) => o.push(r.terminal_id, r.session_id, r.business_date, r.method, r.customer_id, r.store_id, r.amount_cents));
    // Late tickets (a week before this one): their pairs' demand statistics are recomputed by the next proposal.
    for (const r of w.lateDemand ?? []) s.demandStale.run(r.location_id, r.product_id);
    for (const c of w.cash) s.cash.run(c.terminal_id, c.session_id, c.totals, c.updated_at);
    for (const r of w.substitutions) s.substitution.run(r.ticket_id, r.invoice_ticket_id, r.fiscal_number, r.issue_date, r.created_at);
    for (const r of w.receivables) {
      s.receivable.run(r.id, r.customer_id, r.store_id, r.ticket_id, r.amount_cents, r.due_date);
      const at = new Date().toISOString();
      s.receivableItem.run(at, at, r.id);
      s.receivablePosting.run(at, r.id);
    }
    for (const r of w.reviews) s.review.run(r.id, r.terminal_id, r.store_id, r.seq, r.ticket_id, r.kind, r.code, r.reason, r.payload, r.created_at);
    for (const h of w.holds) s.hold.run(h.terminal_id, h.seq, h.payload, h.received_at);
    if (w.terminal !== null) {
      if (w.releaseHeldUpTo !== null) s.release.run(w.terminal.id, w.releaseHeldUpTo);
      if (w.resolveGapsUpTo !== null) s.resolveGaps.run(w.terminal.lastSeenAt, w.terminal.id, w.resolveGapsUpTo);
      s.terminal.run(w.terminal.lastAckedSeq, w.terminal.lastFiscalHash, w.terminal.lastSeenAt, w.terminal.id);
    }
  }
  async openGapSeq(terminalId: string) {
    const r = this.s.openGap.get(terminalId) as { seq: number | null } | undefined;
    return r?.seq === null || r?.seq === undefined ? null : Number(r.seq);
  }
  async addReviewOnce(r: ReviewRow) {
    const values = [r.id, r.terminal_id, r.store_id, r.seq, r.ticket_id, r.kind, r.code, r.reason, r.payload, r.created_at];
    return this.s.reviewOnce.run(...values, r.terminal_id, r.kind, r.code, r.reason).changes > 0;
  }
  async review(id: string) {
    const r = this.s.reviewById.get(id) as StoredReview | undefined;
    return r ? { ...r, seq: r.seq === null ? null : Number(r.seq) } : undefined;
  }
  async fiscalAt(terminalId: string, position: number) {
    const r = this.s.fiscalAt.get(terminalId, position) as { hash: string; verified: number } | undefined;
    return r ? { hash: r.hash, verified: r.verified === 1 } : undefined;
  }
  async fiscalBefore(terminalId: string, position: number) {
    const r = this.s.fiscalBefore.get(terminalId, position) as { chain_position: number; hash: string } | undefined;
    return r ? { position: Number(r.chain_position), hash: r.hash } : undefined;
  }
  async markLinkVerified(terminalId: string, position: number) {
    this.s.verifyLink.run(terminalId, position);
    this.s.verifyTicket.run(terminalId, position);
  }
  async decide(d: ReviewDecisionRow, close: { status: string; resolution: string | null } | null) {
    this.s.decision.run(d.id, d.review_id, d.user_id, d.user_email, d.action, d.outcome, d.detail, d.at);
    if (close) this.s.close.run(close.status, d.at, d.user_email, close.resolution, d.review_id);
  }
}

export function sqliteLedger(ds: DataSource): LedgerEngine {
  const db = sqliteDb(ds);
  const lock = sqliteWriteLock(ds)!;
  let stmts: ReturnType<typeof statements> | undefined;
  let multi: ReturnType<typeof inserts> | undefined;
  // Module steps' statements, prepared once per text.
  const stepStatements = new Map<string, Stmt>();
  // The ingest's working set (recent index pages of tickets, lines, movements, stock) stays in memory.
  db.pragma('cache_size = -131072'); // 128 MiB
  // Checkpoints run in a worker thread (checkpointer.ts), never inside a commit on the event loop.
  let checkpointer: Checkpointer | undefined;
  if (db.name !== ':memory:' && !db.memory) {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = startCheckpointer(db.name);
  }
  const acked = db.prepare('SELECT last_acked_seq AS s FROM terminal WHERE id = ?');
  return {
    engine: 'sqlite',
    ackedSeq: async (terminalId) => Number((acked.get(terminalId) as { s: number } | undefined)?.s ?? 0),
    close: async () => {
      await checkpointer?.stop();
      checkpointer = undefined;
      // Back to SQLite's default for whoever keeps using this connection.
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
    },
    transaction: (fn) =>
      lock.run(async () => {
        // Anything that wrote outside the lock must finish first; we never nest in someone's transaction.
        while (db.inTransaction) await new Promise((r) => setImmediate(r));
        stmts ??= statements(db);
        multi ??= inserts(db);
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(new SqliteLedgerTx(stmts, multi, db, stepStatements));
          db.exec('COMMIT');
          return result;
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
      }),
  };
}
