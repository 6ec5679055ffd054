/**
 * Locking and unlocking a company's months. A locked month takes no entry: documents dated in it post into
 * the first open month after it, manual entries are refused. Unlocking is an admin act, recorded in the audit
 * log by the route like every HQ write.
 */
import type { Clock } from '@tpv/shared/clock';
import { isPeriod } from '@tpv/shared/accounting/entries';
import { refused } from '../../platform/api';
import { all, exec, isPostgres, type Db } from '../../persistence/sql';

export interface PeriodLock {
  period: string;
  lockedAt: string;
  lockedBy: string | null;
}

export async function periodLocks(m: Db, companyId: string): Promise<PeriodLock[]> {
  const rows = await all<{ period: string; locked_at: string; locked_by: string | null }>(m, `SELECT period, locked_at, locked_by FROM acc_period_lock WHERE company_id = ? ORDER BY period`, [companyId]);
  return rows.map((r) => ({ period: r.period, lockedAt: r.locked_at, lockedBy: r.locked_by }));
}

/** Locks a month (a no-op when already locked). */
export async function lockPeriod(m: Db, clock: Clock, companyId: string, period: string, by: string | null): Promise<void> {
  if (!isPeriod(period)) throw refused(422, 'VALUE_REFUSED', `Not a month (yyyy-mm): ${period}`, 'period');
  const sql = isPostgres(m)
    ? `INSERT INTO acc_period_lock (company_id, period, locked_at, locked_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`
    : `INSERT OR IGNORE INTO acc_period_lock (company_id, period, locked_at, locked_by) VALUES (?, ?, ?, ?)`;
  await exec(m, sql, [companyId, period, new Date(clock.now()).toISOString(), by]);
}

export async function unlockPeriod(m: Db, companyId: string, period: string): Promise<void> {
  if (!isPeriod(period)) throw refused(422, 'VALUE_REFUSED', `Not a month (yyyy-mm): ${period}`, 'period');
  await exec(m, `DELETE FROM acc_period_lock WHERE company_id = ? AND period = ?`, [companyId, period]);
}
