/**
 * Quality figures (issue 17) over a period of days (UTC, both ends included; open-ended when absent):
 * incidents per store and kind (reported in the period, and how many are still not closed), time to close
 * (incidents closed in the period: minutes from report to close, mean and median), the mean audit score per
 * store and month, and the supplier rating (shared/quality/rules: supplierRating) from goods receipts and
 * their orders' expected dates (purchasing), delivery-discrepancy incidents naming the supplier, and
 * returns to the supplier (supplier-returns). Suppliers are franchise-wide: HQ roles only.
 */
import type { DataSource } from 'typeorm';
import { isFranchiseWide } from '@tpv/shared/permissions';
import { divHalfUp, meanMedian, supplierRating, type IncidentKind } from '@tpv/shared/quality/rules';
import type { QualityFigures } from '@tpv/shared/wire/http/quality';
import { visibleStoreIds, type AuthUser } from '../auth/service';
import { all, inList, type Db } from '../persistence/sql';
import { incidentScopeOf } from './incidents-service';
import type { IncidentScope } from './repository';

const MINUTE_MS = 60_000;
/** `col` within [from, to] days: instants are ISO text, so `to` + '~' sorts after every instant of that day. */
function period(col: string, from: string | undefined, to: string | undefined): { sql: string; params: string[] } {
  let sql = '';
  const params: string[] = [];
  if (from) {
    sql += ` AND ${col} >= ?`;
    params.push(from);
  }
  if (to) {
    sql += ` AND ${col} < ?`;
    params.push(`${to}~`);
  }
  return { sql, params };
}
function scope(s: IncidentScope): { sql: string; params: string[] } {
  if (s.storeId !== null) return { sql: ' AND i.store_id = ?', params: [s.storeId] };
  if (s.companyIds === null) return { sql: '', params: [] };
  if (s.companyIds.length === 0) return { sql: ' AND 1 = 0', params: [] };
  return { sql: ` AND i.company_id IN (${inList(s.companyIds.length)})`, params: [...s.companyIds] };
}

export async function qualityFigures(ds: DataSource, user: AuthUser, q: { from?: string | undefined; to?: string | undefined }): Promise<QualityFigures> {
  const m: Db = ds.manager;
  const sc = scope(incidentScopeOf(user));
  const created = period('i.created_at', q.from, q.to);
  const incidents = await all<{ storeId: string | null; storeName: string | null; kind: IncidentKind; count: unknown; open: unknown }>(
    m,
    `SELECT i.store_id AS "storeId", s.name AS "storeName", i.kind, COUNT(*) AS count, SUM(CASE WHEN i.state <> 'closed' THEN 1 ELSE 0 END) AS open
     FROM incident i LEFT JOIN store s ON s.id = i.store_id WHERE 1 = 1${sc.sql}${created.sql}
     GROUP BY i.store_id, s.name, i.kind ORDER BY s.name, i.kind`,
    [...sc.params, ...created.params],
  );
  const closedIn = period('i.closed_at', q.from, q.to);
  const closed = await all<{ createdAt: string; closedAt: string }>(
    m, `SELECT i.created_at AS "createdAt", i.closed_at AS "closedAt" FROM incident i WHERE i.state = 'closed' AND i.closed_at IS NOT NULL${sc.sql}${closedIn.sql}`,
    [...sc.params, ...closedIn.params],
  );
  const minutes = closed.map((c) => Math.floor((Date.parse(c.closedAt) - Date.parse(c.createdAt)) / MINUTE_MS));
  const mm = meanMedian(minutes);

  const stores = await visibleStoreIds(ds, user);
  const audited = period('a.audited_at', q.from, q.to);
  const storeSql = stores === null ? '' : stores.length === 0 ? ' AND 1 = 0' : ` AND a.store_id IN (${inList(stores.length)})`;
  const audits = await all<{ storeId: string; storeName: string; at: string; scoreCp: unknown }>(
    m,
    `SELECT a.store_id AS "storeId", s.name AS "storeName", a.audited_at AS at, a.score_cp AS "scoreCp" FROM store_audit a JOIN store s ON s.id = a.store_id
     WHERE a.score_cp IS NOT NULL${storeSql}${audited.sql} ORDER BY s.name, a.audited_at`,
    [...(stores ?? []), ...audited.params],
  );
  const perMonth = new Map<string, { storeId: string; storeName: string; month: string; sum: number; audits: number }>();
  for (const a of audits) {
    const key = `${a.storeId}|${a.at.slice(0, 7)}`;
    const e = perMonth.get(key) ?? { storeId: a.storeId, storeName: a.storeName, month: a.at.slice(0, 7), sum: 0, audits: 0 };
    e.sum += Number(a.scoreCp);
    e.audits += 1;
    perMonth.set(key, e);
  }

  return {
    from: q.from ?? null,
    to: q.to ?? null,
    incidents: incidents.map((r) => ({ ...r, count: Number(r.count), open: Number(r.open) })),
    timeToClose: { closed: minutes.length, meanMinutes: mm.mean, medianMinutes: mm.median },
    auditScores: [...perMonth.values()].map((e) => ({ storeId: e.storeId, storeName: e.storeName, month: e.month, audits: e.audits, meanCp: divHalfUp(e.sum, e.audits) })),
    suppliers: isFranchiseWide(user.role) ? await supplierFigures(m, q) : [],
  };
}

async function supplierFigures(m: Db, q: { from?: string | undefined; to?: string | undefined }): Promise<QualityFigures['suppliers']> {
  const received = period('r.posted_at', q.from, q.to);
  // A delivery is late when posted after the order's expected day (orders without one are never late).
  const deliveries = await all<{ supplierId: string; deliveries: unknown; late: unknown }>(
    m,
    `SELECT o.supplier_id AS "supplierId", COUNT(*) AS deliveries,
       SUM(CASE WHEN o.expected_date IS NOT NULL AND SUBSTR(r.posted_at, 1, 10) > o.expected_date THEN 1 ELSE 0 END) AS late
     FROM goods_receipt r JOIN purchase_order o ON o.id = r.order_id WHERE 1 = 1${received.sql} GROUP BY o.supplier_id`,
    received.params,
  );
  const reported = period('i.created_at', q.from, q.to);
  const discrepancies = await all<{ supplierId: string; n: unknown }>(
    m, `SELECT i.supplier_id AS "supplierId", COUNT(*) AS n FROM incident i WHERE i.kind = 'delivery_discrepancy' AND i.supplier_id IS NOT NULL${reported.sql} GROUP BY i.supplier_id`,
    reported.params,
  );
  const returned = period('x.posted_at', q.from, q.to);
  const returns = await all<{ supplierId: string; n: unknown }>(
    m, `SELECT x.supplier_id AS "supplierId", COUNT(*) AS n FROM supplier_return x WHERE 1 = 1${returned.sql} GROUP BY x.supplier_id`, returned.params,
  );
  const ids = [...new Set([...deliveries, ...discrepancies, ...returns].map((r) => r.supplierId))];
  if (ids.length === 0) return [];
  const names = await all<{ id: string; name: string }>(m, `SELECT id, name FROM supplier WHERE id IN (${inList(ids.length)})`, ids);
  const count = (rows: Array<{ supplierId: string; n: unknown }>, id: string) => Number(rows.find((r) => r.supplierId === id)?.n ?? 0);
  return ids
    .map((id) => {
      const d = deliveries.find((r) => r.supplierId === id);
      const s = { deliveries: Number(d?.deliveries ?? 0), late: Number(d?.late ?? 0), discrepancies: count(discrepancies, id), returns: count(returns, id) };
      return { supplierId: id, supplierName: names.find((n) => n.id === id)?.name ?? id, ...s, rating: supplierRating(s) };
    })
    .sort((a, b) => a.supplierName.localeCompare(b.supplierName));
}
