/**
 * The only SQL of office notices: the notice, what it targets, the stores it reached when posted, the reads
 * the tills sent up, and the till people (staff) of the companies it reached. Reads of people and stores take
 * the caller's scope (stores and companies; null: all).
 */
import type { NoticePriority, NoticeTargetKind, TillRole } from '@tpv/shared/office/notices';
import { all, bool, exec, inList, one, type Db } from '../persistence/sql';

export interface NoticeRow {
  id: string; title: string; body: string; titleEn: string | null; bodyEn: string | null; priority: NoticePriority;
  startsAt: string; endsAt: string | null; target: NoticeTargetKind; targetIds: string[]; roles: TillRole[];
  createdAt: string; createdBy: string | null; withdrawnAt: string | null;
}

interface RawNotice {
  id: string; title: string; body: string; title_en: string | null; body_en: string | null; priority: NoticePriority; starts_at: string; ends_at: string | null;
  target: NoticeTargetKind; roles: string; created_at: string; created_by: string | null; withdrawn_at: string | null;
}
const SELECT = `SELECT n.id, n.title, n.body, n.title_en, n.body_en, n.priority, n.starts_at, n.ends_at, n.target, n.roles, n.created_at, u.name AS created_by, n.withdrawn_at
  FROM office_notice n LEFT JOIN app_user u ON u.id = n.created_by`;

async function withTargets(m: Db, rows: RawNotice[]): Promise<NoticeRow[]> {
  if (rows.length === 0) return [];
  const targets = await all<{ notice_id: string; ref_id: string }>(m, `SELECT notice_id, ref_id FROM office_notice_target WHERE notice_id IN (${inList(rows.length)}) ORDER BY ref_id`, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id, title: r.title, body: r.body, titleEn: r.title_en, bodyEn: r.body_en, priority: r.priority, startsAt: r.starts_at, endsAt: r.ends_at, target: r.target,
    targetIds: targets.filter((t) => t.notice_id === r.id).map((t) => t.ref_id), roles: r.roles === '' ? [] : (r.roles.split(',') as TillRole[]),
    createdAt: r.created_at, createdBy: r.created_by, withdrawnAt: r.withdrawn_at,
  }));
}

export async function noticeById(m: Db, id: string): Promise<NoticeRow | undefined> {
  const r = await one<RawNotice>(m, `${SELECT} WHERE n.id = ?`, [id]);
  return r ? (await withTargets(m, [r]))[0] : undefined;
}

/** Notices that reached at least one of the stores (null: every notice), newest first; `current`: not withdrawn nor ended at `now`. */
export async function listNotices(m: Db, stores: readonly string[] | null, q: { status: 'current' | 'all'; limit: number; now: string }): Promise<NoticeRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (stores !== null) {
    if (stores.length === 0) return [];
    where.push(`EXISTS (SELECT 1 FROM office_notice_store s WHERE s.notice_id = n.id AND s.store_id IN (${inList(stores.length)}))`);
    params.push(...stores);
  }
  if (q.status === 'current') {
    where.push('n.withdrawn_at IS NULL AND (n.ends_at IS NULL OR n.ends_at >= ?)');
    params.push(q.now);
  }
  const rows = await all<RawNotice>(m, `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY n.created_at DESC, n.id DESC LIMIT ${q.limit}`, params);
  return withTargets(m, rows);
}

export async function insertNotice(
  m: Db,
  n: Omit<NoticeRow, 'createdBy' | 'withdrawnAt'> & { createdBy: string | null },
  stores: ReadonlyArray<{ id: string; companyId: string }>,
): Promise<void> {
  await exec(
    m,
    `INSERT INTO office_notice (id, title, body, title_en, body_en, priority, starts_at, ends_at, target, roles, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [n.id, n.title, n.body, n.titleEn, n.bodyEn, n.priority, n.startsAt, n.endsAt, n.target, n.roles.join(','), n.createdAt, n.createdBy],
  );
  for (const ref of n.targetIds) await exec(m, 'INSERT INTO office_notice_target (notice_id, ref_id) VALUES (?, ?)', [n.id, ref]);
  for (let i = 0; i < stores.length; i += 300) {
    const c = stores.slice(i, i + 300);
    await exec(m, `INSERT INTO office_notice_store (notice_id, store_id, company_id) VALUES ${c.map(() => '(?, ?, ?)').join(', ')}`, c.flatMap((s) => [n.id, s.id, s.companyId]));
  }
}

export async function setWithdrawn(m: Db, id: string, at: string, by: string | null): Promise<void> {
  await exec(m, 'UPDATE office_notice SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL', [at, by, id]);
}

export interface NoticeStore { storeId: string; storeCode: string; storeName: string; companyId: string }
/** The stores the notice reached when posted (within `stores`, null: all). */
export async function noticeStores(m: Db, noticeId: string, stores: readonly string[] | null): Promise<NoticeStore[]> {
  const filter = stores === null ? '' : stores.length === 0 ? ' AND 1 = 0' : ` AND ns.store_id IN (${inList(stores.length)})`;
  return (await all<{ store_id: string; code: string; name: string; company_id: string }>(
    m, `SELECT ns.store_id, st.code, st.name, ns.company_id FROM office_notice_store ns JOIN store st ON st.id = ns.store_id WHERE ns.notice_id = ?${filter} ORDER BY st.code`, [noticeId, ...(stores ?? [])],
  )).map((r) => ({ storeId: r.store_id, storeCode: r.code, storeName: r.name, companyId: r.company_id }));
}

export interface StaffCandidate {
  staffId: string; code: string; name: string; role: TillRole; companyId: string; storeId: string | null; storeName: string | null; active: boolean;
  readAt: string | null; readStoreId: string | null;
}
/**
 * Till people who may be reached: the staff of the companies whose stores the notice reached, and anyone
 * who read it. The rule (`noticeReaches`) decides who is; the caller's scope filters here.
 */
export async function noticeCandidates(m: Db, noticeId: string, scope: { stores: readonly string[]; companies: readonly string[] } | null): Promise<StaffCandidate[]> {
  let filter = '';
  const params: unknown[] = [noticeId, noticeId, noticeId];
  if (scope !== null) {
    const st = scope.stores.length ? `s.store_id IN (${inList(scope.stores.length)})` : '1 = 0';
    const co = scope.companies.length ? `(s.store_id IS NULL AND s.company_id IN (${inList(scope.companies.length)}))` : '1 = 0';
    filter = ` AND (${st} OR ${co})`;
    params.push(...scope.stores, ...scope.companies);
  }
  const rows = await all<{ id: string; code: string; name: string; role: TillRole; company_id: string; store_id: string | null; store_name: string | null; active: unknown; read_at: string | null; read_store: string | null }>(
    m,
    `SELECT s.id, s.code, s.name, s.role, s.company_id, s.store_id, st.name AS store_name, s.active, r.read_at, r.store_id AS read_store
       FROM staff s LEFT JOIN store st ON st.id = s.store_id LEFT JOIN office_notice_read r ON r.notice_id = ? AND r.staff_id = s.id
      WHERE (s.company_id IN (SELECT ns.company_id FROM office_notice_store ns WHERE ns.notice_id = ?)
             OR s.id IN (SELECT rr.staff_id FROM office_notice_read rr WHERE rr.notice_id = ?))${filter}
      ORDER BY st.code, s.name, s.id`,
    params,
  );
  return rows.map((r) => ({
    staffId: r.id, code: r.code, name: r.name, role: r.role, companyId: r.company_id, storeId: r.store_id, storeName: r.store_name, active: bool(r.active),
    readAt: r.read_at, readStoreId: r.read_store,
  }));
}

// ── reads sent up by the tills ──

export async function staffOf(m: Db, id: string): Promise<{ id: string; companyId: string; storeId: string | null } | undefined> {
  const r = await one<{ id: string; company_id: string; store_id: string | null }>(m, 'SELECT id, company_id, store_id FROM staff WHERE id = ?', [id]);
  return r ? { id: r.id, companyId: r.company_id, storeId: r.store_id } : undefined;
}

/** Whether a notice with this id exists: an office notice, or a catalog notice (`PUT /api/notices/:id`). */
export async function anyNoticeExists(m: Db, id: string): Promise<boolean> {
  return (await one(m, 'SELECT id FROM office_notice WHERE id = ? UNION SELECT id FROM notice WHERE id = ?', [id, id])) !== undefined;
}

export async function readOf(m: Db, noticeId: string, staffId: string): Promise<{ readAt: string; documentId: string } | undefined> {
  const r = await one<{ read_at: string; document_id: string }>(m, 'SELECT read_at, document_id FROM office_notice_read WHERE notice_id = ? AND staff_id = ?', [noticeId, staffId]);
  return r ? { readAt: r.read_at, documentId: r.document_id } : undefined;
}

export async function insertRead(m: Db, r: { noticeId: string; staffId: string; companyId: string; storeId: string; terminalId: string; readAt: string; receivedAt: string; documentId: string }): Promise<void> {
  await exec(
    m,
    'INSERT INTO office_notice_read (notice_id, staff_id, company_id, store_id, terminal_id, read_at, received_at, document_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [r.noticeId, r.staffId, r.companyId, r.storeId, r.terminalId, r.readAt, r.receivedAt, r.documentId],
  );
}

export async function storesByIds(m: Db, ids: readonly string[]): Promise<Array<{ id: string; companyId: string }>> {
  if (ids.length === 0) return [];
  return (await all<{ id: string; company_id: string }>(m, `SELECT id, company_id FROM store WHERE id IN (${inList(ids.length)})`, ids)).map((r) => ({ id: r.id, companyId: r.company_id }));
}
export async function storesOfCompanies(m: Db, companyIds: readonly string[] | null): Promise<Array<{ id: string; companyId: string }>> {
  if (companyIds !== null && companyIds.length === 0) return [];
  const rows = await all<{ id: string; company_id: string }>(m, `SELECT id, company_id FROM store${companyIds === null ? '' : ` WHERE company_id IN (${inList(companyIds.length)})`} ORDER BY id`, companyIds ?? []);
  return rows.map((r) => ({ id: r.id, companyId: r.company_id }));
}
export async function knownCompanies(m: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set((await all<{ id: string }>(m, `SELECT id FROM company WHERE id IN (${inList(ids.length)})`, ids)).map((r) => r.id));
}
