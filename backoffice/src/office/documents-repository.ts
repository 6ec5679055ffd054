/** The only SQL of the documents library: documents, their audience, versions (files area) and acknowledgements. */
import type { NoticeTargetKind } from '@tpv/shared/office/notices';
import { all, exec, inList, one, type Db } from '../persistence/sql';

export interface DocumentRow {
  id: string; title: string; category: string; target: NoticeTargetKind; targetIds: string[]; targetCompanies: string[]; roles: string[]; currentVersion: number; updatedAt: string;
}
interface Raw { id: string; title: string; category: string; target: NoticeTargetKind; roles: string; current_version: unknown; updated_at: string }

export async function documents(m: Db, id?: string): Promise<DocumentRow[]> {
  const rows = await all<Raw>(m, `SELECT id, title, category, target, roles, current_version, updated_at FROM office_document${id ? ' WHERE id = ?' : ''} ORDER BY title, id`, id ? [id] : []);
  if (rows.length === 0) return [];
  const targets = await all<{ document_id: string; ref_id: string; company_id: string }>(m, `SELECT document_id, ref_id, company_id FROM office_document_target WHERE document_id IN (${inList(rows.length)})`, rows.map((r) => r.id));
  return rows.map((r) => {
    const mine = targets.filter((t) => t.document_id === r.id);
    return {
      id: r.id, title: r.title, category: r.category, target: r.target, targetIds: mine.map((t) => t.ref_id).sort(), targetCompanies: [...new Set(mine.map((t) => t.company_id))],
      roles: r.roles === '' ? [] : r.roles.split(','), currentVersion: Number(r.current_version), updatedAt: r.updated_at,
    };
  });
}

export async function insertDocument(m: Db, d: { id: string; title: string; category: string; target: NoticeTargetKind; roles: string[]; at: string; by: string }, targets: ReadonlyArray<{ refId: string; companyId: string }>): Promise<void> {
  await exec(m, 'INSERT INTO office_document (id, title, category, target, roles, current_version, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)', [d.id, d.title, d.category, d.target, d.roles.join(','), d.at, d.by, d.at]);
  for (const t of targets) await exec(m, 'INSERT INTO office_document_target (document_id, ref_id, company_id) VALUES (?, ?, ?)', [d.id, t.refId, t.companyId]);
}

/** Appends the next version (the current one + 1) and makes it current; returns its number. */
export async function addVersion(m: Db, v: { documentId: string; fileId: string; note: string | null; at: string; by: string }): Promise<number> {
  const cur = await one<{ current_version: unknown }>(m, 'SELECT current_version FROM office_document WHERE id = ?', [v.documentId]);
  const next = Number(cur?.current_version ?? 0) + 1;
  await exec(m, 'INSERT INTO office_document_version (document_id, version, file_id, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)', [v.documentId, next, v.fileId, v.note, v.at, v.by]);
  await exec(m, 'UPDATE office_document SET current_version = ?, updated_at = ? WHERE id = ?', [next, v.at, v.documentId]);
  return next;
}

export async function versions(m: Db, documentId: string) {
  return (await all<{ version: unknown; file_id: string; name: string; media_type: string; size_bytes: unknown; sha256: string; note: string | null; created_at: string }>(
    m,
    `SELECT v.version, v.file_id, f.name, f.media_type, f.size_bytes, f.sha256, v.note, v.created_at FROM office_document_version v JOIN stored_file f ON f.id = v.file_id
      WHERE v.document_id = ? ORDER BY v.version DESC`,
    [documentId],
  )).map((r) => ({ version: Number(r.version), fileId: r.file_id, fileName: r.name, mediaType: r.media_type, sizeBytes: Number(r.size_bytes), sha256: r.sha256, note: r.note, createdAt: r.created_at }));
}

/** Acknowledgements, newest first; `companies` (null: all) keeps those of users of these companies (HQ users: only for HQ). */
export async function acknowledgements(m: Db, documentId: string, companies: readonly string[] | null) {
  const filter = companies === null ? '' : companies.length === 0 ? ' AND 1 = 0' : ` AND u.company_id IN (${inList(companies.length)})`;
  return (await all<{ user_id: string; name: string; role: string; version: unknown; acknowledged_at: string }>(
    m,
    `SELECT a.user_id, u.name, u.role, a.version, a.acknowledged_at FROM office_document_ack a JOIN app_user u ON u.id = a.user_id
      WHERE a.document_id = ?${filter} ORDER BY a.acknowledged_at DESC, a.user_id`,
    [documentId, ...(companies ?? [])],
  )).map((r) => ({ userId: r.user_id, name: r.name, role: r.role, version: Number(r.version), acknowledgedAt: r.acknowledged_at }));
}

export async function lastAck(m: Db, documentId: string, userId: string): Promise<number | null> {
  const r = await one<{ v: unknown }>(m, 'SELECT MAX(version) AS v FROM office_document_ack WHERE document_id = ? AND user_id = ?', [documentId, userId]);
  return r?.v === null || r?.v === undefined ? null : Number(r.v);
}

export async function insertAck(m: Db, documentId: string, version: number, userId: string, at: string): Promise<void> {
  await exec(m, 'INSERT INTO office_document_ack (document_id, version, user_id, acknowledged_at) VALUES (?, ?, ?, ?)', [documentId, version, userId, at]);
}
