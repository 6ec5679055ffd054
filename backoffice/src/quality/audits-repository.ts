/** All SQL of store audits: templates and questions, audits with answers and photos, corrective actions, trends. */
import type { AuditScale, AuditSection } from '@tpv/shared/quality/rules';
import { all, bool, exec, inList, num, one, type Db } from '../persistence/sql';

export interface QuestionRow { id: string; position: number; section: AuditSection; text: string; weight: number; scale: AuditScale }

export async function insertTemplate(m: Db, t: { id: string; name: string; at: string; by: string }, questions: ReadonlyArray<Omit<QuestionRow, 'position'>>): Promise<void> {
  await exec(m, 'INSERT INTO store_audit_template (id, name, active, created_at, created_by) VALUES (?, ?, ?, ?, ?)', [t.id, t.name, true, t.at, t.by]);
  for (const [i, q] of questions.entries()) {
    await exec(m, 'INSERT INTO store_audit_question (id, template_id, position, section, text, weight, scale) VALUES (?, ?, ?, ?, ?, ?, ?)', [q.id, t.id, i + 1, q.section, q.text, q.weight, q.scale]);
  }
}
export async function templates(m: Db) {
  const rows = await all<{ id: string; name: string; active: unknown; createdAt: string; questionCount: unknown }>(
    m,
    `SELECT t.id, t.name, t.active, t.created_at AS "createdAt", (SELECT COUNT(*) FROM store_audit_question q WHERE q.template_id = t.id) AS "questionCount"
     FROM store_audit_template t ORDER BY t.created_at DESC, t.id`,
  );
  return rows.map((r) => ({ ...r, active: bool(r.active), questionCount: Number(r.questionCount) }));
}
export async function templateById(m: Db, id: string) {
  const t = await one<{ id: string; name: string; active: unknown; createdAt: string }>(m, 'SELECT id, name, active, created_at AS "createdAt" FROM store_audit_template WHERE id = ?', [id]);
  if (!t) return undefined;
  const questions = await all<QuestionRow>(m, 'SELECT id, position, section, text, weight, scale FROM store_audit_question WHERE template_id = ? ORDER BY position', [id]);
  return { ...t, active: bool(t.active), questions: questions.map((q) => ({ ...q, position: Number(q.position), weight: Number(q.weight) })) };
}

export const auditExists = async (m: Db, id: string) => !!(await one(m, 'SELECT id FROM store_audit WHERE id = ?', [id]));
export async function insertAudit(
  m: Db,
  a: { id: string; number: string; templateId: string; storeId: string; companyId: string; at: string; scoreCp: number | null; note: string | null; byId: string; byEmail: string },
): Promise<void> {
  await exec(m, `INSERT INTO store_audit (id, number, template_id, store_id, company_id, audited_at, score_cp, note, auditor_id, auditor_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
    a.id, a.number, a.templateId, a.storeId, a.companyId, a.at, a.scoreCp, a.note, a.byId, a.byEmail,
  ]);
}
export async function insertAnswer(m: Db, a: { auditId: string; questionId: string; value: number | null; failed: boolean; note: string | null }, photoIds: readonly string[]): Promise<void> {
  await exec(m, 'INSERT INTO store_audit_answer (audit_id, question_id, value, na, failed, note) VALUES (?, ?, ?, ?, ?, ?)', [a.auditId, a.questionId, a.value, a.value === null, a.failed, a.note]);
  for (const f of photoIds) await exec(m, 'INSERT INTO store_audit_photo (audit_id, question_id, file_id) VALUES (?, ?, ?)', [a.auditId, a.questionId, f]);
}
export async function insertAction(
  m: Db,
  a: { id: string; auditId: string; questionId: string; storeId: string; companyId: string; description: string; owner: string; dueDate: string; at: string },
): Promise<void> {
  await exec(m, `INSERT INTO corrective_action (id, audit_id, question_id, store_id, company_id, description, owner, due_date, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`, [
    a.id, a.auditId, a.questionId, a.storeId, a.companyId, a.description, a.owner, a.dueDate, a.at,
  ]);
}

/** `AND <col> IN (…)` for the caller's stores (null: all). */
function storeFilter(col: string, stores: readonly string[] | null): { sql: string; params: string[] } {
  if (stores === null) return { sql: '', params: [] };
  if (stores.length === 0) return { sql: ' AND 1 = 0', params: [] };
  return { sql: ` AND ${col} IN (${inList(stores.length)})`, params: [...stores] };
}

const AUDIT_SELECT = `SELECT a.id, a.number, a.store_id AS "storeId", s.name AS "storeName", t.name AS "templateName", a.audited_at AS "auditedAt", a.score_cp AS "scoreCp",
    a.auditor_email AS "auditorEmail", a.note, a.company_id AS "companyId",
    (SELECT COUNT(*) FROM store_audit_answer x WHERE x.audit_id = a.id AND x.failed = ?) AS failed,
    (SELECT COUNT(*) FROM corrective_action c WHERE c.audit_id = a.id AND c.state = 'open') AS "openActions"
  FROM store_audit a JOIN store s ON s.id = a.store_id JOIN store_audit_template t ON t.id = a.template_id`;
interface RawAudit { id: string; number: string; storeId: string; storeName: string; templateName: string; auditedAt: string; scoreCp: unknown; auditorEmail: string | null; note: string | null; companyId: string; failed: unknown; openActions: unknown }
const toAudit = (r: RawAudit) => ({ ...r, scoreCp: num(r.scoreCp), failed: Number(r.failed), openActions: Number(r.openActions) });

export async function listAudits(m: Db, stores: readonly string[] | null, q: { storeId?: string | undefined; limit: number }) {
  const f = storeFilter('a.store_id', stores);
  const params: unknown[] = [true, ...f.params];
  let where = `WHERE 1 = 1${f.sql}`;
  if (q.storeId) {
    where += ' AND a.store_id = ?';
    params.push(q.storeId);
  }
  return (await all<RawAudit>(m, `${AUDIT_SELECT} ${where} ORDER BY a.audited_at DESC, a.id DESC LIMIT ${q.limit}`, params)).map(toAudit);
}
export async function auditById(m: Db, id: string) {
  const r = await one<RawAudit>(m, `${AUDIT_SELECT} WHERE a.id = ?`, [true, id]);
  return r && toAudit(r);
}
export async function answersOf(m: Db, auditId: string) {
  const rows = await all<{ questionId: string; section: AuditSection; text: string; weight: unknown; scale: AuditScale; value: unknown; failed: unknown; note: string | null }>(
    m,
    `SELECT q.id AS "questionId", q.section, q.text, q.weight, q.scale, x.value, x.failed, x.note
     FROM store_audit_answer x JOIN store_audit_question q ON q.id = x.question_id WHERE x.audit_id = ? ORDER BY q.position`,
    [auditId],
  );
  const photos = await all<{ questionId: string; fileId: string }>(m, 'SELECT question_id AS "questionId", file_id AS "fileId" FROM store_audit_photo WHERE audit_id = ? ORDER BY file_id', [auditId]);
  return rows.map((r) => ({
    ...r, weight: Number(r.weight), value: num(r.value), failed: bool(r.failed),
    photos: photos.filter((p) => p.questionId === r.questionId).map((p) => p.fileId),
  }));
}

const ACTION_SELECT = `SELECT c.id, c.audit_id AS "auditId", a.number AS "auditNumber", c.question_id AS "questionId", q.text AS "questionText", c.store_id AS "storeId",
    s.name AS "storeName", c.description, c.owner, c.due_date AS "dueDate", c.state, c.close_note AS "closeNote", c.closed_at AS "closedAt", c.closed_by_email AS "closedBy",
    c.created_at AS "createdAt", c.company_id AS "companyId"
  FROM corrective_action c JOIN store_audit a ON a.id = c.audit_id JOIN store_audit_question q ON q.id = c.question_id JOIN store s ON s.id = c.store_id`;
export interface ActionRow {
  id: string; auditId: string; auditNumber: string; questionId: string; questionText: string; storeId: string; storeName: string; description: string; owner: string;
  dueDate: string; state: 'open' | 'closed'; closeNote: string | null; closedAt: string | null; closedBy: string | null; createdAt: string; companyId: string;
}
export async function listActions(m: Db, stores: readonly string[] | null, q: { storeId?: string | undefined; state?: string | undefined; auditId?: string; limit: number }): Promise<ActionRow[]> {
  const f = storeFilter('c.store_id', stores);
  const params: unknown[] = [...f.params];
  let where = `WHERE 1 = 1${f.sql}`;
  for (const [col, v] of [['c.store_id', q.storeId], ['c.state', q.state], ['c.audit_id', q.auditId]] as const) {
    if (!v) continue;
    where += ` AND ${col} = ?`;
    params.push(v);
  }
  return all<ActionRow>(m, `${ACTION_SELECT} ${where} ORDER BY c.state DESC, c.due_date, c.id LIMIT ${q.limit}`, params);
}
export const actionById = (m: Db, id: string) => one<ActionRow>(m, `${ACTION_SELECT} WHERE c.id = ?`, [id]);
export const closeAction = (m: Db, id: string, v: { note: string; at: string; by: string }) =>
  exec(m, `UPDATE corrective_action SET state = 'closed', close_note = ?, closed_at = ?, closed_by_email = ? WHERE id = ?`, [v.note, v.at, v.by, id]);

/** Audits with a score, per store in date order (the caller's stores), for the trends. */
export async function scoredAudits(m: Db, stores: readonly string[] | null, q: { storeId?: string | undefined; templateId?: string | undefined }) {
  const f = storeFilter('a.store_id', stores);
  const params: unknown[] = [...f.params];
  let where = `WHERE 1 = 1${f.sql}`;
  for (const [col, v] of [['a.store_id', q.storeId], ['a.template_id', q.templateId]] as const) {
    if (!v) continue;
    where += ` AND ${col} = ?`;
    params.push(v);
  }
  const rows = await all<{ auditId: string; storeId: string; storeName: string; date: string; scoreCp: unknown }>(
    m, `SELECT a.id AS "auditId", a.store_id AS "storeId", s.name AS "storeName", a.audited_at AS date, a.score_cp AS "scoreCp" FROM store_audit a JOIN store s ON s.id = a.store_id ${where} ORDER BY s.name, a.audited_at, a.id`, params,
  );
  return rows.map((r) => ({ ...r, scoreCp: num(r.scoreCp) }));
}
/** Every answer that was not N/A, with its question and the audit's month, for the per-question trend. */
export async function answeredValues(m: Db, stores: readonly string[] | null, q: { storeId?: string | undefined; templateId?: string | undefined }) {
  const f = storeFilter('a.store_id', stores);
  const params: unknown[] = [...f.params, false];
  let where = `WHERE 1 = 1${f.sql} AND x.na = ?`;
  for (const [col, v] of [['a.store_id', q.storeId], ['a.template_id', q.templateId]] as const) {
    if (!v) continue;
    where += ` AND ${col} = ?`;
    params.push(v);
  }
  const rows = await all<{ questionId: string; text: string; section: AuditSection; scale: AuditScale; position: unknown; at: string; value: unknown; failed: unknown }>(
    m,
    `SELECT q.id AS "questionId", q.text, q.section, q.scale, q.position, a.audited_at AS at, x.value, x.failed
     FROM store_audit_answer x JOIN store_audit a ON a.id = x.audit_id JOIN store_audit_question q ON q.id = x.question_id ${where} ORDER BY q.template_id, q.position, a.audited_at`,
    params,
  );
  return rows.map((r) => ({ ...r, position: Number(r.position), value: Number(r.value), failed: bool(r.failed) }));
}
