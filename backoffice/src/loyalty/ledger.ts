/**
 * The points ledger's SQL (both engines, `?` placeholders): one posting = one `loyalty_posting` row plus the
 * customer's `loyalty_balance` row moved by the same amount, in the caller's transaction. Written against a
 * bare `sql` function so the ingest step (LedgerTx.sql) and the HTTP services (an EntityManager) share it.
 */
import { LoyaltyProgrammeSchema, LOYALTY_PROGRAMME_ID, type LoyaltyProgramme } from '@tpv/shared/loyalty/rules';
import { walkFifo, type LedgerPosting, type PostingKind } from '@tpv/shared/loyalty/ledger';
import { updated, type Db } from '../persistence/sql';

export type Sql = <R = Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<R[]>;
export const sqlOf = (m: Db): Sql => <R>(text: string, params: readonly unknown[] = []) => updated<R>(m, text, params);

export interface PostingInput {
  id: string;
  customerId: string;
  kind: PostingKind;
  points: number;
  amountCents?: number;
  companyId: string;
  storeId?: string | null;
  terminalId?: string | null;
  ticketId?: string | null;
  refId?: string | null;
  /** Credits: the day earned; debits: the day of the posting (YYYY-MM-DD). */
  day: string;
  flagged?: boolean;
  note?: string | null;
  createdBy?: string | null;
  at: string;
}

/** Appends one posting and moves the balance with it. Answers the posting's seq and the balance after it. */
export async function post(sql: Sql, p: PostingInput): Promise<{ seq: number; balance: number }> {
  if (!Number.isSafeInteger(p.points) || p.points === 0) throw new Error(`loyalty posting of ${p.points} points`);
  const [b] = await sql<{ points: unknown; postings: unknown }>(
    `INSERT INTO loyalty_balance (customer_id, points, postings, updated_at) VALUES (?, ?, 1, ?)
     ON CONFLICT (customer_id) DO UPDATE SET points = loyalty_balance.points + excluded.points, postings = loyalty_balance.postings + 1, updated_at = excluded.updated_at
     RETURNING points, postings`,
    [p.customerId, p.points, p.at],
  );
  const seq = Number(b!.postings);
  await sql(
    `INSERT INTO loyalty_posting (id, customer_id, seq, kind, points, amount_cents, company_id, store_id, terminal_id, ticket_id, ref_id, day, flagged, note, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [p.id, p.customerId, seq, p.kind, p.points, p.amountCents ?? 0, p.companyId, p.storeId ?? null, p.terminalId ?? null, p.ticketId ?? null, p.refId ?? null, p.day, p.flagged === true, p.note ?? null, p.at, p.createdBy ?? null],
  );
  return { seq, balance: Number(b!.points) };
}

export async function programmeOf(sql: Sql): Promise<LoyaltyProgramme | null> {
  const [r] = await sql<{ rules: string }>(`SELECT rules FROM loyalty_programme WHERE id = ?`, [LOYALTY_PROGRAMME_ID]);
  if (!r) return null;
  const parsed = LoyaltyProgrammeSchema.safeParse(JSON.parse(r.rules));
  return parsed.success ? parsed.data : null;
}

export async function balanceOf(sql: Sql, customerId: string, lock = false): Promise<number> {
  const [r] = await sql<{ points: unknown }>(`SELECT points FROM loyalty_balance WHERE customer_id = ?${lock ? ' FOR UPDATE' : ''}`, [customerId]);
  return r ? Number(r.points) : 0;
}

/** Points held by active holds that have not lapsed at `now`. */
export async function heldPoints(sql: Sql, customerId: string, now: string): Promise<number> {
  const [r] = await sql<{ n: unknown }>(`SELECT COALESCE(SUM(points), 0) AS n FROM loyalty_hold WHERE customer_id = ? AND status = 'active' AND expires_at > ?`, [customerId, now]);
  return Number(r?.n ?? 0);
}

export async function memberCard(sql: Sql, customerId: string): Promise<{ name: string; card: string | null } | undefined> {
  const [r] = await sql<{ name: string; loyalty_card: string | null }>(`SELECT name, loyalty_card FROM customer WHERE id = ?`, [customerId]);
  return r ? { name: r.name, card: r.loyalty_card } : undefined;
}

/** A customer's postings as the FIFO walk reads them (or every member's, grouped by customer). */
export async function ledgerPostings(sql: Sql, customerId?: string): Promise<Map<string, LedgerPosting[]>> {
  const rows = await sql<{ customer_id: string; seq: unknown; kind: PostingKind; points: unknown; company_id: string; day: string }>(
    `SELECT customer_id, seq, kind, points, company_id, day FROM loyalty_posting${customerId ? ' WHERE customer_id = ?' : ''} ORDER BY customer_id, seq`,
    customerId ? [customerId] : [],
  );
  const out = new Map<string, LedgerPosting[]>();
  for (const r of rows) {
    const list = out.get(r.customer_id) ?? [];
    list.push({ seq: Number(r.seq), kind: r.kind, points: Number(r.points), companyId: r.company_id, day: r.day });
    out.set(r.customer_id, list);
  }
  return out;
}

/**
 * A customer merge (the customers module calls it in its merge transaction): the source's outstanding points
 * move to the target as `merge` postings, per lot — out of the source at the company where they were earned,
 * into the target with the same company and earn day (so expiry, liability and settlement read the same).
 * An overdrawn source passes its debt on the same way (at `companyId`). Answers the points moved.
 */
export async function transferPoints(sql: Sql, o: { fromCustomerId: string; toCustomerId: string; companyId: string; at: string; newId: () => string }): Promise<number> {
  if (o.fromCustomerId === o.toCustomerId) return 0;
  const w = walkFifo((await ledgerPostings(sql, o.fromCustomerId)).get(o.fromCustomerId) ?? []);
  const day = o.at.slice(0, 10);
  let moved = 0;
  const move = async (points: number, companyId: string, earnedOn: string) => {
    const note = `fusión / merge ${o.fromCustomerId} → ${o.toCustomerId}`;
    await post(sql, { id: o.newId(), customerId: o.fromCustomerId, kind: 'merge', points: -points, companyId, day, refId: o.toCustomerId, note, at: o.at });
    await post(sql, { id: o.newId(), customerId: o.toCustomerId, kind: 'merge', points, companyId, day: earnedOn, refId: o.fromCustomerId, note, at: o.at });
    moved += points;
  };
  for (const lot of w.lots) if (lot.remaining > 0) await move(lot.remaining, lot.companyId, lot.earnedOn);
  if (w.overdraft > 0) await move(-w.overdraft, o.companyId, day);
  return moved;
}
