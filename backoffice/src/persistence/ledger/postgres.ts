/**
 * The ingest ledger on PostgreSQL: one pooled client per batch, `SELECT … FOR UPDATE` on the terminal row
 * (serializes a terminal's batches across back-office nodes too), and one `INSERT … SELECT FROM unnest(…)`
 * per table — a batch of 200 tickets costs about a dozen round trips whatever its size. Named statements
 * are prepared once per connection.
 */
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { pgPool } from '../raw';
import { terminalState, type TerminalLockRow } from './terminal-row';
import type { LedgerEngine, LedgerTx, LedgerWrites, ReviewDecisionRow, ReviewRow, StoredReview, TerminalState } from '../../sales-ingest/ledger';

const SQL = {
  lock: `SELECT t.id, t.store_id, t.last_acked_seq, t.last_fiscal_hash, t.revoked_at, t.token_hash, t.code, t.installation,
                s.code AS store_code, c.nif AS company_nif, c.id AS company_id,
                (SELECT MIN(seq) FROM ingest_hold h WHERE h.terminal_id = t.id) AS min_held
           FROM terminal t JOIN store s ON s.id = t.store_id JOIN company c ON c.id = s.company_id WHERE t.id = $1 FOR UPDATE OF t`,
  storedBySeq: `SELECT seq, id FROM sale_ticket WHERE terminal_id = $1 AND seq = ANY($2::bigint[])`,
  rejectedSeqs: `SELECT seq, code FROM ingest_review WHERE terminal_id = $1 AND kind = 'rejected' AND status <> 'reapplied' AND seq = ANY($2::bigint[])`,
  existingIds: `SELECT id FROM sale_ticket WHERE id = ANY($1::varchar[])`,
  existingNumbers: `SELECT s.series, s.number FROM unnest($1::varchar[], $2::bigint[]) AS u(series, number)
                      JOIN sale_ticket s ON s.series = u.series AND s.number = u.number`,
  held: `SELECT seq, payload FROM ingest_hold WHERE terminal_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
  products: `SELECT id FROM product WHERE id = ANY($1::varchar[])`,
  customers: `SELECT id FROM customer WHERE id = ANY($1::varchar[])`,
  sessions: `SELECT session_id, totals FROM cash_session_summary WHERE terminal_id = $1 AND session_id = ANY($2::varchar[])`,
  // The documents travel as one JSON array of the tickets' own text ($18::json keeps each element's text as
  // it came): no text[] literal to escape on our side and parse on the server's, ~2 KB of quotes a ticket.
  ticket: `INSERT INTO sale_ticket (id, terminal_id, store_id, seq, kind, series, number, fiscal_number, issued_at, business_date,
             cashier_id, customer_id, session_id, total_cents, tax_cents, discount_cents, original_ticket_id, document, received_at, chain_ok)
           SELECT u.id, u.terminal_id, u.store_id, u.seq, u.kind, u.series, u.number, u.fiscal_number, u.issued_at, u.business_date,
                  u.cashier_id, u.customer_id, u.session_id, u.total_cents, u.tax_cents, u.discount_cents, u.original_ticket_id,
                  d.value::text, u.received_at, u.chain_ok
             FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::bigint[], $5::varchar[], $6::varchar[], $7::bigint[],
                  $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[], $12::varchar[], $13::varchar[], $14::bigint[], $15::bigint[],
                  $16::bigint[], $17::varchar[], $19::varchar[], $20::boolean[])
                  WITH ORDINALITY AS u(id, terminal_id, store_id, seq, kind, series, number, fiscal_number, issued_at, business_date,
                  cashier_id, customer_id, session_id, total_cents, tax_cents, discount_cents, original_ticket_id, received_at, chain_ok, n)
             JOIN json_array_elements($18::json) WITH ORDINALITY AS d(value, n) ON d.n = u.n`,
  line: `INSERT INTO sale_line (ticket_id, line_no, product_id, units, grams, total_cents, tax_rate_bp)
         SELECT * FROM unnest($1::varchar[], $2::int[], $3::varchar[], $4::int[], $5::int[], $6::bigint[], $7::int[])`,
  payment: `INSERT INTO sale_payment (ticket_id, idx, method, amount_cents) SELECT * FROM unnest($1::varchar[], $2::int[], $3::varchar[], $4::bigint[])`,
  fiscal: `INSERT INTO fiscal_record (terminal_id, chain_position, record_kind, ticket_id, hash, previous_hash, verified, break_reason)
           SELECT * FROM unnest($1::varchar[], $2::bigint[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::boolean[], $8::text[])
           ON CONFLICT DO NOTHING`,
  movement: `INSERT INTO stock_movement (id, location_id, product_id, delta, reason, ticket_id, line_no, at)
             SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::bigint[], $5::varchar[], $6::varchar[], $7::int[], $8::varchar[])`,
  stock: `INSERT INTO stock_level (location_id, company_id, product_id, quantity, updated_at)
          SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::bigint[], $5::varchar[])
          ON CONFLICT (location_id, product_id) DO UPDATE SET quantity = stock_level.quantity + excluded.quantity, updated_at = excluded.updated_at`,
  salesWeek: `INSERT INTO sales_week (location_id, week, product_id, quantity)
              SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::bigint[])
              ON CONFLICT (location_id, week, product_id) DO UPDATE SET quantity = sales_week.quantity + excluded.quantity`,
  salesDay: `INSERT INTO sales_day (store_id, business_date, sales_count, sales_base_cents, sales_tax_cents, returns_count, returns_base_cents, returns_tax_cents)
             SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::bigint[], $5::bigint[], $6::int[], $7::bigint[], $8::bigint[])
             ON CONFLICT (store_id, business_date) DO UPDATE SET sales_count = sales_day.sales_count + excluded.sales_count,
               sales_base_cents = sales_day.sales_base_cents + excluded.sales_base_cents, sales_tax_cents = sales_day.sales_tax_cents + excluded.sales_tax_cents,
               returns_count = sales_day.returns_count + excluded.returns_count, returns_base_cents = sales_day.returns_base_cents + excluded.returns_base_cents,
               returns_tax_cents = sales_day.returns_tax_cents + excluded.returns_tax_cents`,
  salesTax: `INSERT INTO sales_tax_session (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, base_cents, iva_cents, re_cents)
             SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::int[], $5::int[], $6::varchar[], $7::bigint[], $8::bigint[], $9::bigint[])
             ON CONFLICT (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp) DO UPDATE SET base_cents = sales_tax_session.base_cents + excluded.base_cents,
               iva_cents = sales_tax_session.iva_cents + excluded.iva_cents, re_cents = sales_tax_session.re_cents + excluded.re_cents, pending = true`,
  salesPay: `INSERT INTO sales_pay_session (terminal_id, session_id, business_date, method, customer_id, store_id, amount_cents)
             SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::bigint[])
             ON CONFLICT (terminal_id, session_id, business_date, method, customer_id) DO UPDATE SET amount_cents = sales_pay_session.amount_cents + excluded.amount_cents, pending = true`,
  demandStale: `INSERT INTO restock_demand_stale (location_id, product_id) SELECT * FROM unnest($1::varchar[], $2::varchar[]) ON CONFLICT DO NOTHING`,
  cash: `INSERT INTO cash_session_summary (terminal_id, session_id, totals, updated_at)
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::varchar[])
         ON CONFLICT (terminal_id, session_id) DO UPDATE SET totals = excluded.totals, updated_at = excluded.updated_at`,
  substituted: `SELECT ticket_id, fiscal_number FROM ticket_substitution WHERE ticket_id = ANY($1::varchar[])`,
  substitution: `INSERT INTO ticket_substitution (ticket_id, invoice_ticket_id, invoice_id, fiscal_number, issue_date, created_at)
                 SELECT u.ticket_id, u.invoice_ticket_id, NULL, u.fiscal_number, u.issue_date, u.created_at
                   FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[]) AS u(ticket_id, invoice_ticket_id, fiscal_number, issue_date, created_at)`,
  receivable: `INSERT INTO receivable (id, customer_id, store_id, ticket_id, amount_cents, due_date, status, paid_cents)
               SELECT u.*, 'open', 0 FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::bigint[], $6::varchar[]) AS u`,
  // The collections ledger's open items for them (same ids), with their `invoiced` postings (collections/ledger.ts).
  receivableItems: `INSERT INTO open_item (id, company_id, side, kind, source_id, source_idx, document_ref, counterparty_kind, counterparty_id, counterparty_name, store_id, issue_date, due_date, amount_cents, balance_cents, status, created_at, updated_at)
                    SELECT r.id, s.company_id, 'receivable', 'on_account_ticket', r.ticket_id, 0, COALESCE(t.fiscal_number, t.id), 'customer', r.customer_id, c.name, r.store_id, t.business_date, r.due_date, r.amount_cents, r.amount_cents, 'open', $1, $1
                      FROM receivable r JOIN store s ON s.id = r.store_id JOIN sale_ticket t ON t.id = r.ticket_id JOIN customer c ON c.id = r.customer_id
                     WHERE r.id = ANY($2::varchar[]) AND r.amount_cents > 0`,
  receivablePostings: `INSERT INTO open_item_posting (id, item_id, kind, amount_cents, signed_cents, on_date, source_kind, source_id, created_at)
                       SELECT i.id, i.id, 'invoiced', i.amount_cents, i.amount_cents, i.issue_date, 'ticket', i.source_id, $1 FROM open_item i WHERE i.id = ANY($2::varchar[])`,
  review: `INSERT INTO ingest_review (id, terminal_id, store_id, seq, ticket_id, kind, code, reason, payload, created_at)
           SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::bigint[], $5::varchar[], $6::varchar[], $7::varchar[], $8::text[], $9::text[], $10::varchar[])`,
  hold: `INSERT INTO ingest_hold (terminal_id, seq, payload, received_at)
         SELECT * FROM unnest($1::varchar[], $2::bigint[], $3::text[], $4::varchar[]) ON CONFLICT DO NOTHING`,
  release: `DELETE FROM ingest_hold WHERE terminal_id = $1 AND seq <= $2`,
  terminal: `UPDATE terminal SET last_acked_seq = $1, last_fiscal_hash = $2, last_seen_at = $3 WHERE id = $4`,
  openGap: `SELECT MIN(seq) AS seq FROM ingest_review WHERE terminal_id = $1 AND kind = 'gap' AND status = 'open'`,
  resolveGaps: `UPDATE ingest_review SET status = 'resolved', resolved_at = $1, resolved_by = 'system', resolution = 'the missing seqs arrived'
                 WHERE terminal_id = $2 AND kind = 'gap' AND status = 'open' AND seq <= $3`,
  reviewOnce: `INSERT INTO ingest_review (id, terminal_id, store_id, seq, ticket_id, kind, code, reason, payload, created_at)
               SELECT $1::varchar, $2::varchar, $3::varchar, $4::bigint, $5::varchar, $6::varchar, $7::varchar, $8::text, $9::text, $10::varchar
                WHERE NOT EXISTS (SELECT 1 FROM ingest_review WHERE terminal_id = $2 AND kind = $6 AND code = $7 AND reason = $8 AND status = 'open')`,
  reviewById: `SELECT id, terminal_id, store_id, seq, ticket_id, kind, code, reason, payload, created_at, status FROM ingest_review WHERE id = $1 FOR UPDATE`,
  fiscalAt: `SELECT hash, verified FROM fiscal_record WHERE terminal_id = $1 AND chain_position = $2`,
  fiscalBefore: `SELECT chain_position, hash FROM fiscal_record WHERE terminal_id = $1 AND chain_position < $2 ORDER BY chain_position DESC LIMIT 1`,
  verifyLink: `UPDATE fiscal_record SET verified = true, break_reason = NULL WHERE terminal_id = $1 AND chain_position = $2`,
  verifyTicket: `UPDATE sale_ticket SET chain_ok = true WHERE terminal_id = $1 AND seq = $2`,
  decision: `INSERT INTO review_decision (id, review_id, user_id, user_email, action, outcome, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  close: `UPDATE ingest_review SET status = $1, resolved_at = $2, resolved_by = $3, resolution = $4 WHERE id = $5`,
} as const;

type Name = keyof typeof SQL;

/** Columns of an array of row objects, in the order given. */
function cols<T>(rows: readonly T[], keys: ReadonlyArray<keyof T>): unknown[][] {
  return keys.map((k) => rows.map((r) => r[k]));
}

class PgLedgerTx implements LedgerTx {
  constructor(
    private readonly client: PoolClient,
    private readonly prefix: string,
  ) {}

  async sql<R>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    let n = 0;
    const r = await this.client.query(text.replace(/\?/g, () => `$${++n}`), [...params]);
    return r.rows as R[];
  }

  private async q<R>(name: Name, values: unknown[]): Promise<R[]> {
    const r = await this.client.query({ name: `${this.prefix}${name}`, text: SQL[name], values });
    return r.rows as R[];
  }

  async lockTerminal(terminalId: string): Promise<TerminalState | undefined> {
    const [r] = await this.q<TerminalLockRow>('lock', [terminalId]);
    return r ? terminalState(r) : undefined;
  }
  async storedIdsBySeq(terminalId: string, seqs: number[]) {
    const rows = await this.q<{ seq: number; id: string }>('storedBySeq', [terminalId, seqs]);
    return new Map(rows.map((r) => [Number(r.seq), r.id]));
  }
  async rejectedSeqs(terminalId: string, seqs: number[]) {
    const rows = await this.q<{ seq: number; code: string }>('rejectedSeqs', [terminalId, seqs]);
    return new Map(rows.map((r) => [Number(r.seq), r.code]));
  }
  async existingTicketIds(ids: string[]) {
    return new Set((await this.q<{ id: string }>('existingIds', [ids])).map((r) => r.id));
  }
  async existingFiscalNumbers(pairs: Array<{ series: string; number: number }>) {
    const rows = await this.q<{ series: string; number: number }>('existingNumbers', [pairs.map((p) => p.series), pairs.map((p) => p.number)]);
    return new Set(rows.map((r) => `${r.series}/${Number(r.number)}`));
  }
  async substitutedTickets(ids: string[]) {
    const rows = await this.q<{ ticket_id: string; fiscal_number: string }>('substituted', [ids]);
    return new Map(rows.map((r) => [r.ticket_id, r.fiscal_number]));
  }
  async held(terminalId: string, afterSeq: number, limit: number) {
    return (await this.q<{ seq: number; payload: string }>('held', [terminalId, afterSeq, limit])).map((r) => ({ seq: Number(r.seq), payload: r.payload }));
  }
  async existingProducts(ids: string[]) {
    return new Set((await this.q<{ id: string }>('products', [ids])).map((r) => r.id));
  }
  async existingCustomers(ids: string[]) {
    return new Set((await this.q<{ id: string }>('customers', [ids])).map((r) => r.id));
  }
  async sessionTotals(terminalId: string, sessionIds: string[]) {
    const rows = await this.q<{ session_id: string; totals: string }>('sessions', [terminalId, sessionIds]);
    return new Map(rows.map((r) => [r.session_id, r.totals]));
  }
  async write(w: LedgerWrites): Promise<void> {
    if (w.tickets.length) {
      const v: unknown[] = cols(w.tickets, ['id', 'terminal_id', 'store_id', 'seq', 'kind', 'series', 'number', 'fiscal_number', 'issued_at', 'business_date', 'cashier_id', 'customer_id', 'session_id', 'total_cents', 'tax_cents', 'discount_cents', 'original_ticket_id', 'document', 'received_at', 'chain_ok']);
      v[17] = `[${w.tickets.map((t) => t.document).join(',')}]`;
      await this.q('ticket', v);
    }
    if (w.lines.length) await this.q('line', cols(w.lines, ['ticket_id', 'line_no', 'product_id', 'units', 'grams', 'total_cents', 'tax_rate_bp']));
    if (w.payments.length) await this.q('payment', cols(w.payments, ['ticket_id', 'idx', 'method', 'amount_cents']));
    if (w.fiscal.length) await this.q('fiscal', cols(w.fiscal, ['terminal_id', 'chain_position', 'record_kind', 'ticket_id', 'hash', 'previous_hash', 'verified', 'break_reason']));
    if (w.movements.length) await this.q('movement', cols(w.movements, ['id', 'location_id', 'product_id', 'delta', 'reason', 'ticket_id', 'line_no', 'at']));
    if (w.stock.length) await this.q('stock', cols(w.stock, ['location_id', 'company_id', 'product_id', 'delta', 'updated_at']));
    if (w.salesWeeks.length) await this.q('salesWeek', cols(w.salesWeeks, ['location_id', 'week', 'product_id', 'quantity']));
    if (w.salesDays.length) await this.q('salesDay', cols(w.salesDays, ['store_id', 'business_date', 'sales_count', 'sales_base_cents', 'sales_tax_cents', 'returns_count', 'returns_base_cents', 'returns_tax_cents']));
    if (w.salesTax?.length) await this.q('salesTax', cols(w.salesTax, ['terminal_id', 'session_id', 'business_date', 'iva_rate_bp', 're_rate_bp', 'store_id', 'base_cents', 'iva_cents', 're_cents']));
    if (w.salesPay?.length) await this.q('salesPay', cols(w.salesPay, ['terminal_id', 'session_id', 'business_date', 'method', 'customer_id', 'store_id', 'amount_cents']));
    // Late tickets (a week before this one): their pairs' demand statistics are recomputed by the next proposal.
    if (w.lateDemand?.length) await this.q('demandStale', cols(w.lateDemand, ['location_id', 'product_id']));
    if (w.cash.length) await this.q('cash', cols(w.cash, ['terminal_id', 'session_id', 'totals', 'updated_at']));
    if (w.substitutions.length) await this.q('substitution', cols(w.substitutions, ['ticket_id', 'invoice_ticket_id', 'fiscal_number', 'issue_date', 'created_at']));
    if (w.receivables.length) {
      await this.q('receivable', cols(w.receivables, ['id', 'customer_id', 'store_id', 'ticket_id', 'amount_cents', 'due_date']));
      const at = new Date().toISOString();
      const ids = w.receivables.map((r) => r.id);
      await this.q('receivableItems', [at, ids]);
      await this.q('receivablePostings', [at, ids]);
    }
    if (w.reviews.length) await this.q('review', cols(w.reviews, ['id', 'terminal_id', 'store_id', 'seq', 'ticket_id', 'kind', 'code', 'reason', 'payload', 'created_at']));
    if (w.holds.length) await this.q('hold', cols(w.holds, ['terminal_id', 'seq', 'payload', 'received_at']));
    if (w.terminal !== null) {
      if (w.releaseHeldUpTo !== null) await this.q('release', [w.terminal.id, w.releaseHeldUpTo]);
      if (w.resolveGapsUpTo !== null) await this.q('resolveGaps', [w.terminal.lastSeenAt, w.terminal.id, w.resolveGapsUpTo]);
      await this.q('terminal', [w.terminal.lastAckedSeq, w.terminal.lastFiscalHash, w.terminal.lastSeenAt, w.terminal.id]);
    }
  }
  async openGapSeq(terminalId: string) {
    const [r] = await this.q<{ seq: number | string | null }>('openGap', [terminalId]);
    return r?.seq === null || r?.seq === undefined ? null : Number(r.seq);
  }
  async addReviewOnce(r: ReviewRow) {
    const res = await this.client.query({
      name: `${this.prefix}reviewOnce`,
      text: SQL.reviewOnce,
      values: [r.id, r.terminal_id, r.store_id, r.seq, r.ticket_id, r.kind, r.code, r.reason, r.payload, r.created_at],
    });
    return (res.rowCount ?? 0) > 0;
  }
  async review(id: string) {
    const [r] = await this.q<StoredReview>('reviewById', [id]);
    return r ? { ...r, seq: r.seq === null ? null : Number(r.seq) } : undefined;
  }
  async fiscalAt(terminalId: string, position: number) {
    const [r] = await this.q<{ hash: string; verified: boolean }>('fiscalAt', [terminalId, position]);
    return r ? { hash: r.hash, verified: r.verified } : undefined;
  }
  async fiscalBefore(terminalId: string, position: number) {
    const [r] = await this.q<{ chain_position: number | string; hash: string }>('fiscalBefore', [terminalId, position]);
    return r ? { position: Number(r.chain_position), hash: r.hash } : undefined;
  }
  async markLinkVerified(terminalId: string, position: number) {
    await this.q('verifyLink', [terminalId, position]);
    await this.q('verifyTicket', [terminalId, position]);
  }
  async decide(d: ReviewDecisionRow, close: { status: string; resolution: string | null } | null) {
    await this.q('decision', [d.id, d.review_id, d.user_id, d.user_email, d.action, d.outcome, d.detail, d.at]);
    if (close) await this.q('close', [close.status, d.at, d.user_email, close.resolution, d.review_id]);
  }
}

const RETRYABLE = new Set(['40001', '40P01']);

export function pgLedger(ds: DataSource): LedgerEngine {
  const pool: Pool = pgPool(ds);
  // Statement names are per connection; the prefix keeps them apart from anything else on the pool.
  const prefix = 'tpv_ingest_';
  return {
    engine: 'postgres',
    async ackedSeq(terminalId) {
      const r = await pool.query<{ s: number }>({ name: `${prefix}acked`, text: 'SELECT last_acked_seq AS s FROM terminal WHERE id = $1', values: [terminalId] });
      return Number(r.rows[0]?.s ?? 0);
    },
    close: async () => undefined,
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query('BEGIN');
          const result = await fn(new PgLedgerTx(client, prefix));
          await client.query('COMMIT');
          return result;
        } catch (e) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
          const code = (e as { code?: string }).code;
          if (code && RETRYABLE.has(code) && attempt < 5) continue;
          throw e;
        } finally {
          client.release(broken);
        }
      }
    },
  };
}
