/**
 * SQL of returns at any till (see `returns/`): a ticket of one company by id or series/number, the credit
 * notes HQ holds against an original, and the review entry of an over-return. Plain parameterised queries on
 * both engines; the scoping to the asking till's company is in the query itself, so a till of company A can
 * never read a ticket of company B.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { TicketQuery } from '@tpv/shared/wire/ticket-lookup';
import { engineOfDs } from './raw';

/** Where a query runs: the DataSource, or the manager of a transaction opened on it. */
export type On = { ds: DataSource; m?: EntityManager | undefined };

export interface CompanyTicketRow {
  id: string;
  kind: string;
  document: string;
  terminal_id: string;
  terminal_code: string;
  terminal_name: string;
  store_id: string;
  store_code: string;
  store_name: string;
}

export interface CreditNoteRow {
  id: string;
  fiscal_number: string;
  issued_at: string;
  terminal_id: string;
  store_id: string;
  document: string;
}

const p = (ds: DataSource, n: number) => (engineOfDs(ds) === 'postgres' ? `$${n}` : '?');

/** The ticket `q` designates among the tickets of the company that owns `storeId` (any of its stores). */
export async function findCompanyTicket(ds: DataSource, storeId: string, q: TicketQuery): Promise<CompanyTicketRow | undefined> {
  const match = 'id' in q ? `t.id = ${p(ds, 2)}` : `t.series = ${p(ds, 2)} AND t.number = ${p(ds, 3)}`;
  const params = 'id' in q ? [storeId, q.id] : [storeId, q.series, q.number];
  const rows = (await ds.query(
    `SELECT t.id, t.kind, t.document, t.terminal_id, tm.code AS terminal_code, tm.name AS terminal_name,
            t.store_id, s.code AS store_code, s.name AS store_name
       FROM sale_ticket t
       JOIN store s ON s.id = t.store_id
       JOIN terminal tm ON tm.id = t.terminal_id
      WHERE s.company_id = (SELECT company_id FROM store WHERE id = ${p(ds, 1)}) AND ${match}`,
    params,
  )) as CompanyTicketRow[];
  return rows[0];
}

/**
 * Every credit note ingested against `originalId` from any till of the company that owns `originalStoreId`,
 * oldest first (a forged one from another company is flagged at ingest and never counted here).
 */
export async function creditNotesOf({ ds, m }: On, originalId: string, originalStoreId: string): Promise<CreditNoteRow[]> {
  return (await (m ?? ds).query(
    `SELECT t.id, t.fiscal_number, t.issued_at, t.terminal_id, t.store_id, t.document
       FROM sale_ticket t JOIN store s ON s.id = t.store_id
      WHERE t.original_ticket_id = ${p(ds, 1)} AND s.company_id = (SELECT company_id FROM store WHERE id = ${p(ds, 2)})
      ORDER BY t.received_at, t.id`,
    [originalId, originalStoreId],
  )) as CreditNoteRow[];
}

/** The company of a store, and of the store of a ticket (null when unknown). */
export async function companiesOf(
  { ds, m }: On,
  storeId: string,
  ticketId: string,
): Promise<{ asking: string | null; ticket: string | null; ticketDocument: string | null }> {
  const run = m ?? ds;
  const a = (await run.query(`SELECT company_id FROM store WHERE id = ${p(ds, 1)}`, [storeId])) as Array<{ company_id: string }>;
  const t = (await run.query(
    `SELECT s.company_id, t.document FROM sale_ticket t JOIN store s ON s.id = t.store_id WHERE t.id = ${p(ds, 1)}`,
    [ticketId],
  )) as Array<{ company_id: string; document: string }>;
  return { asking: a[0]?.company_id ?? null, ticket: t[0]?.company_id ?? null, ticketDocument: t[0]?.document ?? null };
}

export interface ReviewEntry {
  id: string;
  terminalId: string;
  storeId: string;
  seq: number;
  ticketId: string;
  code: string;
  reason: string;
  createdAt: string;
}

/** An `anomaly` in the ingest review queue (the ticket itself is stored and counted). */
export async function insertReviewAnomaly({ ds, m }: On, e: ReviewEntry): Promise<void> {
  const [a, b, c, d, f, g, h, k] = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => p(ds, n));
  await (m ?? ds).query(
    `INSERT INTO ingest_review (id, terminal_id, store_id, seq, ticket_id, kind, code, reason, payload, created_at)
     VALUES (${a}, ${b}, ${c}, ${d}, ${f}, 'anomaly', ${g}, ${h}, NULL, ${k})`,
    [e.id, e.terminalId, e.storeId, e.seq, e.ticketId, e.code, e.reason, e.createdAt],
  );
}
