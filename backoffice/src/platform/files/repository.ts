/** The `stored_file` index: the only SQL of the files area. */
import type { DataSource, EntityManager } from 'typeorm';
import { engineOfDs, placeholders } from '../../persistence/raw';
import { scopeSql, type ScopeFilter } from '../owner-scope';

export interface StoredFile {
  id: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  purpose: string;
  companyId: string | null;
  storeId: string | null;
  createdBy: string | null;
  createdAt: string;
}

const COLUMNS = `id, name, media_type AS "mediaType", size_bytes AS "sizeBytes", sha256, storage_key AS "storageKey", purpose,
  company_id AS "companyId", store_id AS "storeId", created_by AS "createdBy", created_at AS "createdAt"`;

const hydrate = (r: StoredFile): StoredFile => ({ ...r, sizeBytes: Number(r.sizeBytes) });

export async function insertFile(db: DataSource | EntityManager, f: StoredFile): Promise<void> {
  const e = engineOfDs('connection' in db ? db.connection : db);
  await db.query(
    `INSERT INTO stored_file (id, name, media_type, size_bytes, sha256, storage_key, purpose, company_id, store_id, created_by, created_at)
     VALUES (${placeholders(e, 11)})`,
    [f.id, f.name, f.mediaType, f.sizeBytes, f.sha256, f.storageKey, f.purpose, f.companyId, f.storeId, f.createdBy, f.createdAt],
  );
}

export async function findFile(ds: DataSource, id: string): Promise<StoredFile | null> {
  const rows = (await ds.query(`SELECT ${COLUMNS} FROM stored_file WHERE id = ${placeholders(engineOfDs(ds), 1)}`, [id])) as StoredFile[];
  return rows[0] ? hydrate(rows[0]) : null;
}

export async function deleteFileRow(ds: DataSource, id: string): Promise<void> {
  await ds.query(`DELETE FROM stored_file WHERE id = ${placeholders(engineOfDs(ds), 1)}`, [id]);
}

/** Newest first, within the caller's scope (`null`: all). */
export async function listFiles(ds: DataSource, scope: ScopeFilter | null, q: { offset: number; limit: number; purpose?: string | undefined }): Promise<{ items: StoredFile[]; total: number }> {
  const pg = engineOfDs(ds) === 'postgres';
  const where: string[] = [];
  const params: unknown[] = [];
  if (scope) {
    const s = scopeSql(scope, pg, params.length + 1);
    where.push(s.sql);
    params.push(...s.params);
  }
  if (q.purpose) {
    params.push(q.purpose);
    where.push(`purpose = ${pg ? `$${params.length}` : '?'}`);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number(((await ds.query(`SELECT COUNT(*) AS n FROM stored_file ${w}`, params)) as Array<{ n: number }>)[0]?.n ?? 0);
  const p = (i: number) => (pg ? `$${params.length + i}` : '?');
  const items = (await ds.query(`SELECT ${COLUMNS} FROM stored_file ${w} ORDER BY created_at DESC, id DESC LIMIT ${p(1)} OFFSET ${p(2)}`, [...params, q.limit, q.offset])) as StoredFile[];
  return { items: items.map(hydrate), total };
}
