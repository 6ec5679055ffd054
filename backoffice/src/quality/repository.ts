/**
 * All SQL of the incidents register: insert, scoped list, one incident with its photos, comments and
 * history, state changes. Every read takes the caller's scope and filters in SQL.
 */
import type { IncidentKind, IncidentSeverity, IncidentSource, IncidentState } from '@tpv/shared/quality/rules';
import { all, exec, inList, num, one, type Db } from '../persistence/sql';

export interface IncidentRow {
  id: string;
  number: string;
  kind: IncidentKind;
  severity: IncidentSeverity;
  state: IncidentState;
  source: IncidentSource;
  title: string;
  companyId: string;
  storeId: string | null;
  storeName: string | null;
  documentNumber: string | null;
  quantity: number | null;
  createdAt: string;
  dueAt: string | null;
  assigneeEmail: string | null;
  closedAt: string | null;
}
export interface IncidentDetailRow extends IncidentRow {
  description: string | null;
  productId: string | null;
  productName: string | null;
  supplierId: string | null;
  supplierName: string | null;
  customerId: string | null;
  customerName: string | null;
  documentType: string | null;
  documentId: string | null;
  complaintFormNumber: string | null;
  resolution: string | null;
  resolvedAt: string | null;
  assigneeId: string | null;
  createdBy: string | null;
}

const COLUMNS = `i.id, i.number, i.kind, i.severity, i.state, COALESCE(i.source, 'system') AS source, i.title, i.company_id AS "companyId", i.store_id AS "storeId",
  s.name AS "storeName", i.document_number AS "documentNumber", i.quantity, i.created_at AS "createdAt", i.due_at AS "dueAt", i.assignee_email AS "assigneeEmail",
  i.closed_at AS "closedAt"`;
const FROM = 'FROM incident i LEFT JOIN store s ON s.id = i.store_id';
const rowOf = <T extends IncidentRow>(r: T): T => ({ ...r, quantity: num(r.quantity) });

export interface NewIncident {
  id: string; number: string; companyId: string; storeId: string | null; kind: string; severity: string; source: IncidentSource; title: string; description: string | null;
  productId: string | null; documentType: string | null; documentId: string | null; documentNumber: string | null; quantity: number | null;
  supplierId: string | null; customerId: string | null; complaintFormNumber: string | null; dueAt: string; at: string; byId: string | null; byEmail: string | null;
}

export const insertIncident = (m: Db, i: NewIncident) =>
  exec(
    m,
    `INSERT INTO incident (id, number, company_id, store_id, kind, severity, state, source, title, description, product_id, document_type, document_id, document_number,
       quantity, supplier_id, customer_id, complaint_form_number, due_at, created_at, updated_at, created_by_id, created_by_email)
     VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      i.id, i.number, i.companyId, i.storeId, i.kind, i.severity, i.source, i.title, i.description, i.productId, i.documentType, i.documentId, i.documentNumber, i.quantity,
      i.supplierId, i.customerId, i.complaintFormNumber, i.dueAt, i.at, i.at, i.byId, i.byEmail,
    ],
  );

export interface IncidentScope {
  /** null: franchise-wide. */
  companyIds: readonly string[] | null;
  /** A store manager: that store only. */
  storeId: string | null;
}
function scopeSql(s: IncidentScope): { sql: string; params: string[] } {
  if (s.storeId !== null) return { sql: ' AND i.store_id = ?', params: [s.storeId] };
  if (s.companyIds === null) return { sql: '', params: [] };
  if (s.companyIds.length === 0) return { sql: ' AND 1 = 0', params: [] };
  return { sql: ` AND i.company_id IN (${inList(s.companyIds.length)})`, params: [...s.companyIds] };
}
export const inScope = (s: IncidentScope, row: { storeId: string | null; companyId: string }) =>
  s.storeId !== null ? row.storeId === s.storeId : s.companyIds === null || s.companyIds.includes(row.companyId);

const SORT = { createdAt: 'i.created_at', number: 'i.number', kind: 'i.kind', state: 'i.state', dueAt: 'i.due_at', severity: 'i.severity' } as const;
export type IncidentSort = keyof typeof SORT;
export const INCIDENT_SORTS = Object.keys(SORT) as [IncidentSort, ...IncidentSort[]];

export interface IncidentListFilter {
  storeId?: string | undefined;
  kind?: string | undefined;
  state?: string | undefined;
  severity?: string | undefined;
  documentId?: string | undefined;
  /** Past due and not closed at this instant. */
  overdueAt?: string | undefined;
}

export async function listIncidents(m: Db, scope: IncidentScope, f: IncidentListFilter, sort: IncidentSort, dir: 'asc' | 'desc', limit: number, offset: number) {
  const s = scopeSql(scope);
  let where = `WHERE 1 = 1${s.sql}`;
  const params: unknown[] = [...s.params];
  const eq = (col: string, v: string | undefined) => {
    if (!v) return;
    where += ` AND ${col} = ?`;
    params.push(v);
  };
  eq('i.store_id', f.storeId);
  eq('i.kind', f.kind);
  eq('i.state', f.state);
  eq('i.severity', f.severity);
  eq('i.document_id', f.documentId);
  if (f.overdueAt) {
    where += ` AND i.state <> 'closed' AND i.due_at IS NOT NULL AND i.due_at < ?`;
    params.push(f.overdueAt);
  }
  const total = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n ${FROM} ${where}`, params))!.n);
  const rows = await all<IncidentRow>(m, `SELECT ${COLUMNS} ${FROM} ${where} ORDER BY ${SORT[sort]} ${dir === 'desc' ? 'DESC' : 'ASC'}, i.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
  return { total, rows: rows.map(rowOf) };
}

export async function incidentById(m: Db, id: string): Promise<IncidentDetailRow | undefined> {
  const r = await one<IncidentDetailRow>(
    m,
    `SELECT ${COLUMNS}, i.description, i.product_id AS "productId", p.name AS "productName", i.supplier_id AS "supplierId", su.name AS "supplierName",
       i.customer_id AS "customerId", c.name AS "customerName", i.document_type AS "documentType", i.document_id AS "documentId",
       i.complaint_form_number AS "complaintFormNumber", i.resolution, i.resolved_at AS "resolvedAt", i.assignee_id AS "assigneeId", i.created_by_email AS "createdBy"
     ${FROM} LEFT JOIN product p ON p.id = i.product_id LEFT JOIN supplier su ON su.id = i.supplier_id LEFT JOIN customer c ON c.id = i.customer_id WHERE i.id = ?`,
    [id],
  );
  return r && rowOf(r);
}

export const complaintFormTaken = async (m: Db, storeId: string, number: string) =>
  !!(await one(m, 'SELECT id FROM incident WHERE store_id = ? AND complaint_form_number = ?', [storeId, number]));

export async function setAssignee(m: Db, id: string, a: { id: string; email: string }, state: IncidentState, at: string): Promise<void> {
  await exec(m, 'UPDATE incident SET assignee_id = ?, assignee_email = ?, state = ?, updated_at = ? WHERE id = ?', [a.id, a.email, state, at, id]);
}
export async function setState(m: Db, id: string, v: { state: IncidentState; resolution: string | null; resolvedAt: string | null; closedAt: string | null; at: string }): Promise<void> {
  await exec(m, 'UPDATE incident SET state = ?, resolution = ?, resolved_at = ?, closed_at = ?, updated_at = ? WHERE id = ?', [v.state, v.resolution, v.resolvedAt, v.closedAt, v.at, id]);
}

export const insertPhoto = (m: Db, incidentId: string, fileId: string, at: string) =>
  exec(m, 'INSERT INTO incident_photo (incident_id, file_id, created_at) VALUES (?, ?, ?)', [incidentId, fileId, at]);
export const photosOf = async (m: Db, incidentId: string) =>
  (await all<{ fileId: string }>(m, 'SELECT file_id AS "fileId" FROM incident_photo WHERE incident_id = ? ORDER BY created_at, file_id', [incidentId])).map((p) => p.fileId);

export const insertComment = (m: Db, c: { id: string; incidentId: string; text: string; at: string; byId: string | null; byEmail: string | null }) =>
  exec(m, 'INSERT INTO incident_comment (id, incident_id, text, created_at, created_by_id, created_by_email) VALUES (?, ?, ?, ?, ?, ?)', [c.id, c.incidentId, c.text, c.at, c.byId, c.byEmail]);
export const commentsOf = (m: Db, incidentId: string) =>
  all<{ id: string; text: string; createdAt: string; by: string | null }>(
    m, 'SELECT id, text, created_at AS "createdAt", created_by_email AS "by" FROM incident_comment WHERE incident_id = ? ORDER BY created_at, id', [incidentId],
  );

export const insertEvent = (m: Db, e: { id: string; incidentId: string; action: string; detail: string | null; at: string; byId: string | null; byEmail: string | null }) =>
  exec(m, 'INSERT INTO incident_event (id, incident_id, action, detail, created_at, created_by_id, created_by_email) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    e.id, e.incidentId, e.action, e.detail?.slice(0, 2000) ?? null, e.at, e.byId, e.byEmail,
  ]);
export const historyOf = (m: Db, incidentId: string) =>
  all<{ id: string; action: string; detail: string | null; createdAt: string; by: string | null }>(
    m, 'SELECT id, action, detail, created_at AS "createdAt", created_by_email AS "by" FROM incident_event WHERE incident_id = ? ORDER BY created_at, id', [incidentId],
  );

export const storeOf = (m: Db, id: string) => one<{ id: string; companyId: string; name: string }>(m, 'SELECT id, company_id AS "companyId", name FROM store WHERE id = ?', [id]);
export const companyExists = async (m: Db, id: string) => !!(await one(m, 'SELECT id FROM company WHERE id = ?', [id]));
export const franchisorId = async (m: Db) => (await one<{ id: string }>(m, `SELECT id FROM company WHERE kind = 'franchisor' ORDER BY id LIMIT 1`))?.id ?? null;
export const exists = async (m: Db, table: 'product' | 'supplier' | 'customer', id: string) => !!(await one(m, `SELECT id FROM ${table} WHERE id = ?`, [id]));
export const documentNumberOf = async (m: Db, type: string, id: string): Promise<string | null | undefined> => {
  const table = ({ purchase_order: 'purchase_order', delivery_note: 'delivery_note', replenishment_order: 'replenishment_order' } as Record<string, string>)[type];
  if (!table) return undefined;
  const r = await one<{ number: string | null }>(m, `SELECT number FROM ${table} WHERE id = ?`, [id]);
  return r === undefined ? undefined : r.number;
};

/**
 * Users an incident may be assigned to: active HQ users, the store's managers and the company's franchisee
 * managers (the caller filters by permission).
 */
export async function assigneeCandidates(m: Db, row: { storeId: string | null; companyId: string }) {
  return all<{ id: string; email: string; name: string; role: string }>(
    m,
    `SELECT u.id, u.email, u.name, u.role FROM app_user u WHERE u.active = ? AND (
       u.role IN ('hq_admin', 'hq_operations', 'hq_accountant')
       OR (u.role = 'store_manager' AND u.store_id = ?)
       OR (u.role = 'franchisee_manager' AND (u.company_id = ? OR EXISTS (SELECT 1 FROM user_company l WHERE l.user_id = u.id AND l.company_id = ?))))
     ORDER BY u.name, u.email`,
    [true, row.storeId ?? '-', row.companyId, row.companyId],
  );
}
