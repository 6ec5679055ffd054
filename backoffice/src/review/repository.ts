/**
 * Review module's repository: the read side of the ingest review queue (ingest_review + review_decision) for
 * the HQ API. (Decisions are written by the ingest's own ledger, sales-ingest/review.ts.)
 */
import type { DataSource } from 'typeorm';
import type { ReviewDecisionView, ReviewDetail, ReviewItemView, ReviewPage } from '@tpv/shared/wire/http/review';
import type { ReviewKind, ReviewStatus } from '../sales-ingest/ledger';
import { engineOfDs } from '../persistence/raw';

export type { ReviewDecisionView, ReviewDetail, ReviewItemView, ReviewPage } from '@tpv/shared/wire/http/review';

export interface ReviewFilter {
  terminalId?: string;
  storeId?: string;
  kind?: ReviewKind;
  status?: ReviewStatus;
  code?: string;
}

const COLUMNS = `r.id, r.terminal_id, t.code AS terminal_code, r.store_id, s.code AS store_code, r.seq, r.ticket_id, r.kind, r.code,
                 r.reason, r.status, r.created_at, r.resolved_at, r.resolved_by, r.resolution`;
const FROM = `FROM ingest_review r JOIN terminal t ON t.id = r.terminal_id JOIN store s ON s.id = r.store_id`;

function itemOf(r: Record<string, unknown>): ReviewItemView {
  return {
    id: String(r.id),
    terminalId: String(r.terminal_id),
    terminalCode: String(r.terminal_code),
    storeId: String(r.store_id),
    storeCode: String(r.store_code),
    seq: r.seq === null ? null : Number(r.seq),
    ticketId: (r.ticket_id as string | null) ?? null,
    kind: r.kind as ReviewKind,
    code: String(r.code),
    reason: String(r.reason),
    status: r.status as ReviewStatus,
    createdAt: String(r.created_at),
    resolvedAt: (r.resolved_at as string | null) ?? null,
    resolvedBy: (r.resolved_by as string | null) ?? null,
    resolution: (r.resolution as string | null) ?? null,
  };
}

/** Newest first (then by seq, highest first), filtered and paged; `total` counts every match. */
export async function listReviews(ds: DataSource, f: ReviewFilter, limit: number, offset: number): Promise<ReviewPage> {
  const pg = engineOfDs(ds) === 'postgres';
  const params: unknown[] = [];
  const mark = (v: unknown) => (params.push(v), pg ? `$${params.length}` : '?');
  const where: string[] = [];
  if (f.terminalId !== undefined) where.push(`r.terminal_id = ${mark(f.terminalId)}`);
  if (f.storeId !== undefined) where.push(`r.store_id = ${mark(f.storeId)}`);
  if (f.kind !== undefined) where.push(`r.kind = ${mark(f.kind)}`);
  if (f.status !== undefined) where.push(`r.status = ${mark(f.status)}`);
  if (f.code !== undefined) where.push(`r.code = ${mark(f.code)}`);
  const cond = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const counted = (await ds.query(`SELECT COUNT(*) AS n ${FROM} ${cond}`, params)) as Array<{ n: number | string }>;
  const rows = (await ds.query(
    `SELECT ${COLUMNS} ${FROM} ${cond} ORDER BY r.created_at DESC, r.seq DESC, r.id DESC LIMIT ${mark(limit)} OFFSET ${mark(offset)}`,
    params,
  )) as Array<Record<string, unknown>>;
  return { items: rows.map(itemOf), total: Number(counted[0]!.n), limit, offset };
}

export async function reviewDetail(ds: DataSource, id: string): Promise<ReviewDetail | null> {
  const pg = engineOfDs(ds) === 'postgres';
  const rows = (await ds.query(`SELECT ${COLUMNS}, r.payload ${FROM} WHERE r.id = ${pg ? '$1' : '?'}`, [id])) as Array<Record<string, unknown>>;
  const r = rows[0];
  if (!r) return null;
  const decisions = (await ds.query(
    `SELECT id, user_id, user_email, action, outcome, detail, at FROM review_decision WHERE review_id = ${pg ? '$1' : '?'} ORDER BY at, id`,
    [id],
  )) as Array<Record<string, unknown>>;
  return {
    ...itemOf(r),
    payload: (r.payload as string | null) ?? null,
    decisions: decisions.map((d) => ({
      id: String(d.id),
      userId: String(d.user_id),
      userEmail: String(d.user_email),
      action: d.action as ReviewDecisionView['action'],
      outcome: d.outcome as ReviewDecisionView['outcome'],
      detail: (d.detail as string | null) ?? null,
      at: String(d.at),
    })),
  };
}
