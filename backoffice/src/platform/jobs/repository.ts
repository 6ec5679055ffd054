/**
 * The `job` table: the only SQL of the jobs platform. Claims are one UPDATE of the oldest claimable row —
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL, so nodes claiming at once take different jobs without waiting;
 * SQLite has one writer at a time, which serializes claims by itself. Every later write of a running job is
 * guarded by `lease_owner`: a node whose lease expired (and whose job another node re-claimed) cannot
 * overwrite what the new owner does.
 */
import type { DataSource } from 'typeorm';
import { engineOfDs, sqliteDb, writeTransaction } from '../../persistence/raw';
import { scopeSql, type ScopeFilter } from '../owner-scope';

import type { JobStatus } from '@tpv/shared/wire/http/jobs';

export type { JobStatus };
export const FINISHED: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface JobRow {
  id: string;
  kind: string;
  status: JobStatus;
  progressDone: number;
  progressTotal: number | null;
  message: string | null;
  params: unknown;
  result: unknown;
  resultFileId: string | null;
  error: string | null;
  createdBy: string | null;
  companyId: string | null;
  storeId: string | null;
  attempts: number;
  maxAttempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

const COLUMNS = `id, kind, status, progress_done AS "progressDone", progress_total AS "progressTotal", message, params_json AS "params",
  result_json AS "result", result_file_id AS "resultFileId", error, created_by AS "createdBy", company_id AS "companyId", store_id AS "storeId",
  attempts, max_attempts AS "maxAttempts", lease_owner AS "leaseOwner", lease_expires_at AS "leaseExpiresAt", cancel_requested AS "cancelRequested",
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt", updated_at AS "updatedAt"`;
/** The list leaves out params and result (an import's result lists every bad row). */
const LIST_COLUMNS = COLUMNS.replace('params_json AS "params"', 'NULL AS "params"').replace('result_json AS "result"', 'NULL AS "result"');

type Raw = Omit<JobRow, 'params' | 'result' | 'cancelRequested'> & { params: string | null; result: string | null; cancelRequested: boolean | number };

const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));
function hydrate(r: Raw): JobRow {
  return {
    ...r,
    progressDone: Number(r.progressDone),
    progressTotal: r.progressTotal === null ? null : Number(r.progressTotal),
    attempts: Number(r.attempts),
    maxAttempts: Number(r.maxAttempts),
    cancelRequested: r.cancelRequested === true || r.cancelRequested === 1,
    params: parse(r.params),
    result: parse(r.result),
  };
}

/** Rows of an `UPDATE … RETURNING` (TypeORM's pg driver answers `[rows, count]` for UPDATE). */
function returned<T>(res: unknown): T[] {
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as T[];
  return (Array.isArray(res) ? res : []) as T[];
}

export function createJobRepository(ds: DataSource) {
  const pg = engineOfDs(ds) === 'postgres';
  /** Placeholder `i` (1-based), written `$i` in every statement here; `bind` maps them for SQLite. */
  const p = (i: number) => `$${i}`;
  /** SQLite's `?` are positional: each `$i` becomes `?` and its value is repeated as often as it is used. */
  const bind = (sql: string, params: unknown[]): [string, unknown[]] => {
    if (pg) return [sql, params];
    const out: unknown[] = [];
    return [sql.replace(/\$(\d+)/g, (_m, i: string) => (out.push(params[Number(i) - 1]), '?')), out];
  };
  const read = (sql: string, params: unknown[]) => ds.query(...bind(sql, params));
  /** A write: queued behind other writers on SQLite, straight to the pool on PostgreSQL. */
  const write = (sql: string, params: unknown[]) => (pg ? ds.query(sql, params) : writeTransaction(ds, (m) => m.query(...bind(sql, params))));

  return {
    async insert(j: { id: string; kind: string; params: unknown; createdBy: string | null; companyId: string | null; storeId: string | null; maxAttempts: number; at: string }): Promise<void> {
      await write(
        `INSERT INTO job (id, kind, status, progress_done, params_json, created_by, company_id, store_id, attempts, max_attempts, cancel_requested, created_at, updated_at)
         VALUES ($1, $2, 'queued', 0, $3, $4, $5, $6, 0, $7, ${pg ? 'false' : '0'}, $8, $8)`,
        [j.id, j.kind, j.params === undefined ? null : JSON.stringify(j.params), j.createdBy, j.companyId, j.storeId, j.maxAttempts, j.at],
      );
    },

    async find(id: string): Promise<JobRow | null> {
      const rows = (await read(`SELECT ${COLUMNS} FROM job WHERE id = $1`, [id])) as Raw[];
      return rows[0] ? hydrate(rows[0]) : null;
    },

    async list(scope: ScopeFilter | null, q: { offset: number; limit: number; status?: JobStatus | undefined; kind?: string | undefined; mine?: string | undefined }): Promise<{ items: JobRow[]; total: number }> {
      const where: string[] = [];
      const params: unknown[] = [];
      if (scope) {
        const s = scopeSql(scope, true, 1);
        where.push(s.sql);
        params.push(...s.params);
      }
      for (const [col, v] of [['status', q.status], ['kind', q.kind], ['created_by', q.mine]] as const) {
        if (v === undefined) continue;
        params.push(v);
        where.push(`${col} = ${p(params.length)}`);
      }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = Number(((await read(`SELECT COUNT(*) AS n FROM job ${w}`, params)) as Array<{ n: number }>)[0]?.n ?? 0);
      const rows = (await read(`SELECT ${LIST_COLUMNS} FROM job ${w} ORDER BY created_at DESC, id DESC LIMIT ${p(params.length + 1)} OFFSET ${p(params.length + 2)}`, [
        ...params,
        q.limit,
        q.offset,
      ])) as Raw[];
      return { items: rows.map(hydrate), total };
    },

    /**
     * Claims the oldest job of these kinds that is queued, or running under an expired lease (its node died),
     * for `owner` until `leaseUntil`. Jobs whose attempts are spent are failed first.
     */
    async claim(kinds: readonly string[], owner: string, now: string, leaseUntil: string): Promise<JobRow | null> {
      if (kinds.length === 0) return null;
      await write(
        `UPDATE job SET status = 'failed', error = 'the node running it stopped ' || attempts || ' times', finished_at = ${p(1)}, updated_at = ${p(1)}, lease_owner = NULL
          WHERE status = 'running' AND lease_expires_at < ${p(1)} AND attempts >= max_attempts`,
        [now],
      );
      const k = kinds.map((_, i) => p(5 + i)).join(', ');
      const pick = `SELECT id FROM job WHERE kind IN (${k}) AND attempts < max_attempts
          AND (status = 'queued' OR (status = 'running' AND lease_expires_at < ${p(1)}))
          ORDER BY created_at, id LIMIT 1${pg ? ' FOR UPDATE SKIP LOCKED' : ''}`;
      const res = await write(
        `UPDATE job SET status = 'running', lease_owner = ${p(2)}, lease_expires_at = ${p(3)}, attempts = attempts + 1,
            started_at = COALESCE(started_at, ${p(4)}), updated_at = ${p(4)}
          WHERE id = (${pick}) RETURNING ${COLUMNS}`,
        [now, owner, leaseUntil, now, ...kinds],
      );
      const rows = returned<Raw>(res);
      return rows[0] ? hydrate(rows[0]) : null;
    },

    /**
     * Progress and a lease extension for the owner. Answers whether a cancel was asked for, or `null` when the
     * job is no longer this owner's (lease lost). On SQLite inside an open transaction (the job's own write)
     * nothing is written: the caller keeps the progress in memory until the next call.
     */
    async progress(id: string, owner: string, v: { done: number; total: number | null; message: string | null; now: string; leaseUntil: string }): Promise<{ cancelRequested: boolean } | null | 'deferred'> {
      if (!pg && sqliteDb(ds).inTransaction) return 'deferred';
      const res = await write(
        `UPDATE job SET progress_done = ${p(1)}, progress_total = ${p(2)}, message = ${p(3)}, updated_at = ${p(4)}, lease_expires_at = ${p(5)}
          WHERE id = ${p(6)} AND lease_owner = ${p(7)} AND status = 'running' RETURNING cancel_requested AS "cancelRequested"`,
        [v.done, v.total, v.message?.slice(0, 200) ?? null, v.now, v.leaseUntil, id, owner],
      );
      const rows = returned<{ cancelRequested: boolean | number }>(res);
      return rows[0] ? { cancelRequested: rows[0].cancelRequested === true || rows[0].cancelRequested === 1 } : null;
    },

    /** The end of a run (guarded by the lease owner). False when the job was no longer ours. */
    async finish(
      id: string,
      owner: string,
      v: { status: JobStatus; result: unknown; resultFileId: string | null; error: string | null; message: string | null; done: number; total: number | null; now: string },
    ): Promise<boolean> {
      const res = await write(
        `UPDATE job SET status = ${p(1)}, result_json = ${p(2)}, result_file_id = ${p(3)}, error = ${p(4)}, message = ${p(5)}, progress_done = ${p(6)},
            progress_total = ${p(7)}, finished_at = ${p(8)}, updated_at = ${p(8)}, lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ${p(9)} AND lease_owner = ${p(10)} AND status = 'running' RETURNING id`,
        [v.status, v.result === undefined ? null : JSON.stringify(v.result), v.resultFileId, v.error, v.message?.slice(0, 200) ?? null, v.done, v.total, v.now, id, owner],
      );
      return returned(res).length > 0;
    },

    /** Gives a job back to the queue (this node is shutting down): another node picks it up at once. */
    async release(id: string, owner: string, now: string): Promise<void> {
      await write(
        `UPDATE job SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, attempts = attempts - 1, updated_at = ${p(1)}
          WHERE id = ${p(2)} AND lease_owner = ${p(3)} AND status = 'running'`,
        [now, id, owner],
      );
    },

    /** A queued job is cancelled at once; a running one is asked to stop (its node sees it at its next progress). */
    async cancel(id: string, now: string): Promise<'cancelled' | 'requested' | 'finished'> {
      const direct = returned(
        await write(`UPDATE job SET status = 'cancelled', finished_at = ${p(1)}, updated_at = ${p(1)} WHERE id = ${p(2)} AND status = 'queued' RETURNING id`, [now, id]),
      );
      if (direct.length > 0) return 'cancelled';
      const asked = returned(
        await write(`UPDATE job SET cancel_requested = ${pg ? 'true' : '1'}, updated_at = ${p(1)} WHERE id = ${p(2)} AND status = 'running' RETURNING id`, [now, id]),
      );
      return asked.length > 0 ? 'requested' : 'finished';
    },
  };
}

export type JobRepository = ReturnType<typeof createJobRepository>;
