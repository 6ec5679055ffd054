/**
 * The voucher ledger (the only place with SQL on voucher tables): append a posting and keep the voucher's
 * balance equal to Σ postings in the same transaction; holds. Written once over a `Sql` function so it runs in
 * an EntityManager's transaction (routes, till documents, till requests) and in the ingest's (ticket step).
 */
import type { EntityManager } from 'typeorm';
import { all, forUpdate, isPostgres } from '../persistence/sql';

/** `?` placeholders; the rows of a SELECT / RETURNING. */
export type Sql = <R = Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<R[]>;
export const sqlOf = (m: EntityManager): Sql => (text, params = []) => all(m, text, params);

export type PostingKind = 'issue' | 'load' | 'redeem' | 'refund' | 'expire' | 'adjust';
export type VoucherStatus = 'active' | 'blocked' | 'void' | 'expired';

export interface VoucherRow {
  id: string;
  code: string;
  companyId: string;
  storeId: string | null;
  terminalId: string | null;
  status: VoucherStatus;
  balanceCents: number;
  overdrawn: boolean;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

const COLS = `id, code, company_id, store_id, terminal_id, status, balance_cents, overdrawn, expires_at, created_at, updated_at`;
type Raw = Record<string, unknown>;
const toVoucher = (r: Raw): VoucherRow => ({
  id: String(r.id), code: String(r.code), companyId: String(r.company_id), storeId: (r.store_id as string | null) ?? null,
  terminalId: (r.terminal_id as string | null) ?? null, status: r.status as VoucherStatus, balanceCents: Number(r.balance_cents),
  overdrawn: Number(r.overdrawn) === 1, expiresAt: String(r.expires_at), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
});

/** The voucher by code, locked for the transaction on PostgreSQL (SQLite's writer holds the database). */
export async function lockVoucher(sql: Sql, pg: boolean, code: string): Promise<VoucherRow | undefined> {
  const [r] = await sql<Raw>(`SELECT ${COLS} FROM voucher WHERE code = ?${pg ? ' FOR UPDATE' : ''}`, [code]);
  return r ? toVoucher(r) : undefined;
}
export async function voucherByCode(sql: Sql, code: string): Promise<VoucherRow | undefined> {
  const [r] = await sql<Raw>(`SELECT ${COLS} FROM voucher WHERE code = ?`, [code]);
  return r ? toVoucher(r) : undefined;
}
export const lockVoucherM = (m: EntityManager, code: string) => lockVoucher(sqlOf(m), isPostgres(m), code);
export const forUpdateOf = forUpdate;

export async function insertVoucher(sql: Sql, v: Omit<VoucherRow, 'balanceCents' | 'overdrawn' | 'updatedAt'>): Promise<VoucherRow> {
  await sql(`INSERT INTO voucher (${COLS}) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`, [
    v.id, v.code, v.companyId, v.storeId, v.terminalId, v.status, v.expiresAt, v.createdAt, v.createdAt,
  ]);
  return { ...v, balanceCents: 0, overdrawn: false, updatedAt: v.createdAt };
}

export interface PostingInput {
  id: string;
  kind: PostingKind;
  /** Signed: issue/load/refund positive, redeem/expire negative, adjust either. */
  amountCents: number;
  companyId: string;
  storeId: string | null;
  terminalId: string | null;
  source: { kind: 'till' | 'ticket' | 'hq' | 'job'; id: string; idx?: number };
  reference?: string | null;
  note?: string | null;
  actor?: string | null;
  at: string;
}

/** Already posted from this source (a repeat of the same document / ticket payment)? */
export async function postedFrom(sql: Sql, source: PostingInput['source']): Promise<boolean> {
  const r = await sql(`SELECT 1 AS x FROM voucher_posting WHERE source_kind = ? AND source_id = ? AND source_idx = ?`, [source.kind, source.id, source.idx ?? 0]);
  return r.length > 0;
}

/**
 * Appends one posting to a locked voucher and moves its balance by the same amount (the caller holds the
 * lock: `lockVoucher` in this transaction). Returns the voucher after it, with `status`/`overdrawn` as given.
 */
export async function post(sql: Sql, v: VoucherRow, p: PostingInput, after?: { status?: VoucherStatus; overdrawn?: boolean; expiresAt?: string }): Promise<VoucherRow> {
  if (!Number.isSafeInteger(p.amountCents)) throw new Error('voucher posting: amount must be integer cents');
  const balance = v.balanceCents + p.amountCents;
  const [last] = await sql<Raw>(`SELECT COALESCE(MAX(seq), 0) AS s FROM voucher_posting WHERE voucher_id = ?`, [v.id]);
  await sql(
    `INSERT INTO voucher_posting (id, voucher_id, seq, kind, amount_cents, balance_after_cents, company_id, store_id, terminal_id, source_kind, source_id, source_idx, reference, note, actor, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [p.id, v.id, Number(last?.s ?? 0) + 1, p.kind, p.amountCents, balance, p.companyId, p.storeId, p.terminalId, p.source.kind, p.source.id, p.source.idx ?? 0, p.reference ?? null, p.note ?? null, p.actor ?? null, p.at],
  );
  const next: VoucherRow = { ...v, balanceCents: balance, status: after?.status ?? v.status, overdrawn: after?.overdrawn ?? v.overdrawn, expiresAt: after?.expiresAt ?? v.expiresAt, updatedAt: p.at };
  await sql(`UPDATE voucher SET balance_cents = ?, status = ?, overdrawn = ?, expires_at = ?, updated_at = ? WHERE id = ?`, [
    next.balanceCents, next.status, next.overdrawn ? 1 : 0, next.expiresAt, next.updatedAt, v.id,
  ]);
  return next;
}

export async function setStatus(sql: Sql, v: VoucherRow, status: VoucherStatus, at: string): Promise<void> {
  await sql(`UPDATE voucher SET status = ?, updated_at = ? WHERE id = ?`, [status, at, v.id]);
}

// --- holds ------------------------------------------------------------------------------------------------

export interface HoldRow { id: string; voucherId: string; terminalId: string; amountCents: number; status: 'active' | 'consumed' | 'released'; expiresAt: string; ticketId: string | null }
const toHold = (r: Raw): HoldRow => ({
  id: String(r.id), voucherId: String(r.voucher_id), terminalId: String(r.terminal_id), amountCents: Number(r.amount_cents),
  status: r.status as HoldRow['status'], expiresAt: String(r.expires_at), ticketId: (r.ticket_id as string | null) ?? null,
});
const HOLD_COLS = 'id, voucher_id, terminal_id, amount_cents, status, expires_at, ticket_id';

export async function holdById(sql: Sql, id: string): Promise<HoldRow | undefined> {
  const [r] = await sql<Raw>(`SELECT ${HOLD_COLS} FROM voucher_hold WHERE id = ?`, [id]);
  return r ? toHold(r) : undefined;
}
/** Σ of the voucher's live holds (active and not lapsed at `now`). */
export async function heldCents(sql: Sql, voucherId: string, now: string): Promise<number> {
  const [r] = await sql<Raw>(`SELECT COALESCE(SUM(amount_cents), 0) AS c FROM voucher_hold WHERE voucher_id = ? AND status = 'active' AND expires_at > ?`, [voucherId, now]);
  return Number(r?.c ?? 0);
}
export async function insertHold(sql: Sql, h: Omit<HoldRow, 'status' | 'ticketId'>, at: string): Promise<void> {
  await sql(`INSERT INTO voucher_hold (${HOLD_COLS}, created_at) VALUES (?, ?, ?, ?, 'active', ?, NULL, ?)`, [h.id, h.voucherId, h.terminalId, h.amountCents, h.expiresAt, at]);
}
/**
 * The hold a ticket's voucher payment consumes: this till's, on this voucher, still active (lapsed or not:
 * the till took the payment while it was live), the one of the same amount first, then the oldest.
 */
export async function holdForPayment(sql: Sql, voucherId: string, terminalId: string, amountCents: number): Promise<HoldRow | undefined> {
  const rows = await sql<Raw>(
    `SELECT ${HOLD_COLS} FROM voucher_hold WHERE voucher_id = ? AND terminal_id = ? AND status = 'active' ORDER BY CASE WHEN amount_cents = ? THEN 0 ELSE 1 END, created_at, id`,
    [voucherId, terminalId, amountCents],
  );
  return rows[0] ? toHold(rows[0]) : undefined;
}
export async function closeHold(sql: Sql, id: string, status: 'consumed' | 'released', ticketId: string | null): Promise<void> {
  await sql(`UPDATE voucher_hold SET status = ?, ticket_id = ? WHERE id = ?`, [status, ticketId, id]);
}
/** Lapsed holds released (housekeeping; a lapsed hold already counts for nothing). */
export async function releaseLapsedHolds(sql: Sql, now: string): Promise<void> {
  await sql(`UPDATE voucher_hold SET status = 'released' WHERE status = 'active' AND expires_at <= ?`, [now]);
}
