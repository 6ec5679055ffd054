/** All SQL of the (minimal) incidents register: insert, scoped list, one incident. */
import { all, exec, inList, num, one, type Db } from '../persistence/sql';

export interface IncidentRow {
  id: string;
  number: string;
  kind: string;
  severity: string;
  state: string;
  title: string;
  companyId: string;
  storeId: string | null;
  storeName: string | null;
  documentNumber: string | null;
  quantity: number | null;
  createdAt: string;
}
export interface IncidentDetailRow extends IncidentRow {
  description: string | null;
  productId: string | null;
  productName: string | null;
  documentType: string | null;
  documentId: string | null;
  createdBy: string | null;
}

const COLUMNS = `i.id, i.number, i.kind, i.severity, i.state, i.title, i.company_id AS "companyId", i.store_id AS "storeId", s.name AS "storeName",
  i.document_number AS "documentNumber", i.quantity, i.created_at AS "createdAt"`;
const FROM = 'FROM incident i LEFT JOIN store s ON s.id = i.store_id';
const rowOf = <T extends IncidentRow>(r: T): T => ({ ...r, quantity: num(r.quantity) });

export const insertIncident = (
  m: Db,
  i: {
    id: string; number: string; companyId: string; storeId: string | null; kind: string; severity: string; title: string; description: string | null;
    productId: string | null; documentType: string | null; documentId: string | null; documentNumber: string | null; quantity: number | null;
    supplierId: string | null; at: string; byId: string | null; byEmail: string | null;
  },
) =>
  exec(
    m,
    `INSERT INTO incident (id, number, company_id, store_id, kind, severity, state, title, description, product_id, document_type, document_id, document_number,
       quantity, supplier_id, created_at, created_by_id, created_by_email) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [i.id, i.number, i.companyId, i.storeId, i.kind, i.severity, i.title, i.description, i.productId, i.documentType, i.documentId, i.documentNumber, i.quantity, i.supplierId, i.at, i.byId, i.byEmail],
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

const SORT = { createdAt: 'i.created_at', number: 'i.number', kind: 'i.kind', state: 'i.state' } as const;
export type IncidentSort = keyof typeof SORT;

export async function listIncidents(
  m: Db,
  scope: IncidentScope,
  f: { storeId?: string | undefined; kind?: string | undefined; state?: string | undefined; documentId?: string | undefined },
  sort: IncidentSort,
  dir: 'asc' | 'desc',
  limit: number,
  offset: number,
) {
  const s = scopeSql(scope);
  let where = `WHERE 1 = 1${s.sql}`;
  const params: unknown[] = [...s.params];
  if (f.storeId) {
    where += ' AND i.store_id = ?';
    params.push(f.storeId);
  }
  if (f.kind) {
    where += ' AND i.kind = ?';
    params.push(f.kind);
  }
  if (f.state) {
    where += ' AND i.state = ?';
    params.push(f.state);
  }
  if (f.documentId) {
    where += ' AND i.document_id = ?';
    params.push(f.documentId);
  }
  const total = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n ${FROM} ${where}`, params))!.n);
  const rows = await all<IncidentRow>(m, `SELECT ${COLUMNS} ${FROM} ${where} ORDER BY ${SORT[sort]} ${dir === 'desc' ? 'DESC' : 'ASC'}, i.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
  return { total, rows: rows.map(rowOf) };
}

export async function incidentById(m: Db, id: string): Promise<IncidentDetailRow | undefined> {
  const r = await one<IncidentDetailRow>(
    m,
    `SELECT ${COLUMNS}, i.description, i.product_id AS "productId", p.name AS "productName", i.document_type AS "documentType", i.document_id AS "documentId",
       i.created_by_email AS "createdBy" ${FROM} LEFT JOIN product p ON p.id = i.product_id WHERE i.id = ?`,
    [id],
  );
  return r && rowOf(r);
}
