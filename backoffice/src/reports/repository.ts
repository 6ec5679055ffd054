/** Reports module's repository: terminals and their sync state, sales per store and day (from the rollups). */
import type { DataSource } from 'typeorm';
import type { DailySales, TerminalStatus } from '@tpv/shared/wire/http/reports';
import { engineOfDs } from '../persistence/raw';

/** `IN (…)` filter on store ids for a scope (null = all stores). */
function storeFilter(ds: DataSource, column: string, stores: string[] | null, params: unknown[]): string {
  if (stores === null) return '1 = 1';
  if (stores.length === 0) return '1 = 0';
  const pg = engineOfDs(ds) === 'postgres';
  const marks = stores.map((s) => (params.push(s), pg ? `$${params.length}` : '?'));
  return `${column} IN (${marks.join(', ')})`;
}

export async function terminalStatuses(
  ds: DataSource,
  stores: string[] | null,
  live: { online: Set<string>; highestSeen: (id: string) => number | null },
): Promise<TerminalStatus[]> {
  const params: unknown[] = [];
  const rows = (await ds.query(
    `SELECT t.id, t.code, t.name, t.store_id, s.code AS store_code, s.name AS store_name, t.installation, t.token_hash, t.revoked_at,
            t.last_seen_at, t.last_acked_seq, t.catalog_version, t.app_version, t.sync_conflict, t.sync_conflict_at, t.replaced_by_id, t.replaces_id,
            (SELECT COUNT(*) FROM ingest_hold h WHERE h.terminal_id = t.id) AS held,
            (SELECT COUNT(*) FROM fiscal_record f WHERE f.terminal_id = t.id AND f.verified = ${engineOfDs(ds) === 'postgres' ? 'false' : '0'}) AS breaks,
            (SELECT COUNT(*) FROM ingest_review r WHERE r.terminal_id = t.id AND r.kind = 'rejected' AND r.status <> 'reapplied') AS rejected
       FROM terminal t JOIN store s ON s.id = t.store_id
      WHERE ${storeFilter(ds, 't.store_id', stores, params)}
      ORDER BY s.code, t.code`,
    params,
  )) as Array<Record<string, unknown>>;
  return rows.map((r) => {
    const acked = Number(r.last_acked_seq);
    const seen = live.highestSeen(String(r.id));
    return {
      id: String(r.id),
      code: String(r.code),
      name: String(r.name),
      storeId: String(r.store_id),
      storeCode: String(r.store_code),
      storeName: String(r.store_name),
      installation: String(r.installation),
      paired: r.token_hash !== null,
      revoked: r.revoked_at !== null,
      lastSeenAt: (r.last_seen_at as string | null) ?? null,
      lastAckedSeq: acked,
      held: Number(r.held),
      pending: seen === null ? null : Math.max(0, seen - acked),
      catalogVersion: Number(r.catalog_version),
      appVersion: (r.app_version as string | null) ?? null,
      online: live.online.has(String(r.id)),
      chainBreaks: Number(r.breaks),
      rejected: Number(r.rejected),
      conflict: r.sync_conflict ? { message: String(r.sync_conflict), at: String(r.sync_conflict_at) } : null,
      replacedById: (r.replaced_by_id as string | null) ?? null,
      replacesId: (r.replaces_id as string | null) ?? null,
    };
  });
}

/** Sales per store and business day, from the reports' ticket rollup (issue 18), not from the tickets. */
export async function dailySales(ds: DataSource, stores: string[] | null, from: string, to: string): Promise<DailySales[]> {
  const pg = engineOfDs(ds) === 'postgres';
  const params: unknown[] = [from, to];
  const rows = (await ds.query(
    `SELECT t.store_id, s.code AS store_code, s.name AS store_name, t.business_date,
            SUM(t.tickets + t.returns_tickets) AS tickets, SUM(t.tickets) AS sales, SUM(t.returns_tickets) AS returns,
            SUM(t.gross_cents) AS total_cents, SUM(t.gross_cents - t.net_cents) AS tax_cents
       FROM report_ticket_hour t JOIN store s ON s.id = t.store_id
      WHERE t.business_date >= ${pg ? '$1' : '?'} AND t.business_date <= ${pg ? '$2' : '?'} AND ${storeFilter(ds, 't.store_id', stores, params)}
      GROUP BY t.store_id, s.code, s.name, t.business_date
      ORDER BY t.business_date DESC, s.code`,
    params,
  )) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    storeId: String(r.store_id),
    storeCode: String(r.store_code),
    storeName: String(r.store_name),
    businessDate: String(r.business_date),
    tickets: Number(r.tickets),
    sales: Number(r.sales),
    returns: Number(r.returns),
    totalCents: Number(r.total_cents),
    taxCents: Number(r.tax_cents),
  }));
}
