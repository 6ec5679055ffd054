/**
 * SQL of the people module (issue 16): employees, their personal data and contracts, the working-time record
 * and its per-store hash chains, self-service sessions. Plain SQL on both engines (persistence/sql.ts).
 */
import { timeRecordHash, type ChainedRecord, type TimeRecordHashFields } from '@tpv/shared/people/time-chain';
import { all, exec, inList, num, one, type Db } from '../persistence/sql';

export interface EmployeeRow {
  id: string;
  companyId: string;
  storeId: string | null;
  code: string;
  name: string;
  jobTitle: string | null;
  tillRole: 'cashier' | 'supervisor' | 'manager' | null;
  staffId: string | null;
  userId: string | null;
  hiredOn: string;
  leftOn: string | null;
  leaveReason: string | null;
  createdAt: string;
  version: number;
}

const EMPLOYEE_COLS = `id, company_id AS "companyId", store_id AS "storeId", code, name, job_title AS "jobTitle", till_role AS "tillRole", staff_id AS "staffId",
  user_id AS "userId", hired_on AS "hiredOn", left_on AS "leftOn", leave_reason AS "leaveReason", created_at AS "createdAt", version`;

const employeeOf = (r: EmployeeRow): EmployeeRow => ({ ...r, version: Number(r.version) });

export async function employeeById(m: Db, id: string): Promise<EmployeeRow | undefined> {
  const r = await one<EmployeeRow>(m, `SELECT ${EMPLOYEE_COLS} FROM employee WHERE id = ?`, [id]);
  return r && employeeOf(r);
}
export async function employeeByUser(m: Db, userId: string): Promise<EmployeeRow | undefined> {
  const r = await one<EmployeeRow>(m, `SELECT ${EMPLOYEE_COLS} FROM employee WHERE user_id = ?`, [userId]);
  return r && employeeOf(r);
}
export async function employeeByCode(m: Db, companyId: string, code: string): Promise<EmployeeRow | undefined> {
  const r = await one<EmployeeRow>(m, `SELECT ${EMPLOYEE_COLS} FROM employee WHERE company_id = ? AND code = ?`, [companyId, code]);
  return r && employeeOf(r);
}

/** Employees of the given companies (null: all), optionally of one store (its own and the company-wide ones). */
export async function listEmployees(m: Db, companyIds: string[] | null, storeIds: string[] | null, opts: { includeLeft: boolean }): Promise<EmployeeRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (companyIds !== null) {
    if (companyIds.length === 0) return [];
    where.push(`company_id IN (${inList(companyIds.length)})`);
    params.push(...companyIds);
  }
  if (storeIds !== null) {
    if (storeIds.length === 0) return [];
    where.push(`(store_id IN (${inList(storeIds.length)}) OR store_id IS NULL)`);
    params.push(...storeIds);
  }
  if (!opts.includeLeft) where.push('left_on IS NULL');
  const rows = await all<EmployeeRow>(m, `SELECT ${EMPLOYEE_COLS} FROM employee${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY company_id, code`, params);
  return rows.map(employeeOf);
}

export async function insertEmployee(m: Db, e: EmployeeRow): Promise<void> {
  await exec(
    m,
    `INSERT INTO employee (id, company_id, store_id, code, name, job_title, till_role, staff_id, user_id, hired_on, left_on, leave_reason, created_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [e.id, e.companyId, e.storeId, e.code, e.name, e.jobTitle, e.tillRole, e.staffId, e.userId, e.hiredOn, e.leftOn, e.leaveReason, e.createdAt, e.version],
  );
}

export async function markLeft(m: Db, id: string, on: string, reason: string | null): Promise<void> {
  await exec(m, `UPDATE employee SET left_on = ?, leave_reason = ?, version = version + 1 WHERE id = ?`, [on, reason, id]);
  await exec(m, `UPDATE employee_contract SET ends_on = ? WHERE employee_id = ? AND (ends_on IS NULL OR ends_on > ?)`, [on, id, on]);
}

export async function setSelfServiceHash(m: Db, id: string, hash: string): Promise<void> {
  await exec(m, `UPDATE employee SET self_service_hash = ? WHERE id = ?`, [hash, id]);
}
export async function selfServiceSecret(m: Db, id: string): Promise<{ own: string | null; pin: string | null } | undefined> {
  return one<{ own: string | null; pin: string | null }>(
    m,
    `SELECT e.self_service_hash AS own, s.pin_hash AS pin FROM employee e LEFT JOIN staff s ON s.id = e.staff_id AND s.active = ? WHERE e.id = ?`,
    [true, id],
  );
}

// ───────────────────────────── personal data, contracts ─────────────────────────────

export interface PersonalRow {
  nif: string | null;
  socialSecurityNumber: string | null;
  birthDate: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  iban: string | null;
}

export async function putPersonal(m: Db, employeeId: string, p: PersonalRow, at: string): Promise<void> {
  await exec(m, `DELETE FROM employee_personal WHERE employee_id = ?`, [employeeId]);
  await exec(
    m,
    `INSERT INTO employee_personal (employee_id, nif, social_security_number, birth_date, address, phone, email, iban, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [employeeId, p.nif, p.socialSecurityNumber, p.birthDate, p.address, p.phone, p.email, p.iban, at],
  );
}
export async function personalOf(m: Db, employeeId: string): Promise<PersonalRow | undefined> {
  return one<PersonalRow>(
    m,
    `SELECT nif, social_security_number AS "socialSecurityNumber", birth_date AS "birthDate", address, phone, email, iban FROM employee_personal WHERE employee_id = ?`,
    [employeeId],
  );
}

export interface ContractRow {
  id: string;
  type: string;
  weeklyMinutes: number;
  startsOn: string;
  endsOn: string | null;
}
export async function insertContract(m: Db, employeeId: string, c: ContractRow, at: string): Promise<void> {
  await exec(m, `INSERT INTO employee_contract (id, employee_id, type, weekly_minutes, starts_on, ends_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
    c.id, employeeId, c.type, c.weeklyMinutes, c.startsOn, c.endsOn, at,
  ]);
}
export async function contractsOf(m: Db, employeeIds: string[]): Promise<Array<ContractRow & { employeeId: string }>> {
  if (employeeIds.length === 0) return [];
  const rows = await all<ContractRow & { employeeId: string }>(
    m,
    `SELECT id, employee_id AS "employeeId", type, weekly_minutes AS "weeklyMinutes", starts_on AS "startsOn", ends_on AS "endsOn" FROM employee_contract
     WHERE employee_id IN (${inList(employeeIds.length)}) ORDER BY starts_on, id`,
    employeeIds,
  );
  return rows.map((r) => ({ ...r, weeklyMinutes: Number(r.weeklyMinutes) }));
}

// ───────────────────────────── time records ─────────────────────────────

export type RecordKind = 'clock_in' | 'break_start' | 'break_end' | 'clock_out' | 'correction' | 'approval' | 'rejection';

export interface TimeRecordRow {
  id: string;
  chainKey: string;
  seq: number;
  companyId: string;
  storeId: string | null;
  employeeId: string;
  kind: RecordKind;
  event: string | null;
  at: string;
  correctsId: string | null;
  party: 'company' | 'worker' | null;
  reason: string | null;
  source: 'till' | 'backoffice' | 'self_service';
  terminalId: string | null;
  recordedBy: string | null;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

const RECORD_COLS = `id, chain_key AS "chainKey", seq, company_id AS "companyId", store_id AS "storeId", employee_id AS "employeeId", kind, event, at,
  corrects_id AS "correctsId", party, reason, source, terminal_id AS "terminalId", recorded_by AS "recordedBy", recorded_at AS "recordedAt", prev_hash AS "prevHash", hash`;
const recordOf = (r: TimeRecordRow): TimeRecordRow => ({ ...r, seq: Number(r.seq) });

/** The hashed fields of a record (time-chain.ts), from its row. */
export function hashFieldsOf(r: Omit<TimeRecordRow, 'hash'>): TimeRecordHashFields {
  return {
    Cadena: r.chainKey, Orden: String(r.seq), Id: r.id, Empresa: r.companyId, Empleado: r.employeeId, Tipo: r.kind, Evento: r.event ?? '', Momento: r.at,
    Corrige: r.correctsId ?? '', Parte: r.party ?? '', Motivo: r.reason ?? '', Origen: r.source, Terminal: r.terminalId ?? '', Registrado: r.recordedAt, HuellaAnterior: r.prevHash,
  };
}

export type NewRecord = Omit<TimeRecordRow, 'seq' | 'prevHash' | 'hash'>;

/**
 * Appends a record to its chain inside the caller's transaction: the chain head row is created if missing
 * and bumped first (on PostgreSQL the UPDATE holds its row lock until commit, so two writers of one chain
 * queue up; SQLite writers are serialized already), then the record is hashed over the previous hash.
 */
export async function appendRecord(m: Db, r: NewRecord): Promise<TimeRecordRow> {
  await exec(m, `INSERT INTO time_record_chain (chain_key, last_seq, last_hash) VALUES (?, 0, '') ON CONFLICT (chain_key) DO NOTHING`, [r.chainKey]);
  await exec(m, `UPDATE time_record_chain SET last_seq = last_seq + 1 WHERE chain_key = ?`, [r.chainKey]);
  const head = (await one<{ seq: unknown; hash: string }>(m, `SELECT last_seq AS seq, last_hash AS hash FROM time_record_chain WHERE chain_key = ?`, [r.chainKey]))!;
  const row = { ...r, seq: Number(head.seq), prevHash: head.hash };
  const full: TimeRecordRow = { ...row, hash: timeRecordHash(hashFieldsOf(row)) };
  await exec(
    m,
    `INSERT INTO time_record (id, chain_key, seq, company_id, store_id, employee_id, kind, event, at, corrects_id, party, reason, source, terminal_id, recorded_by, recorded_at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [full.id, full.chainKey, full.seq, full.companyId, full.storeId, full.employeeId, full.kind, full.event, full.at, full.correctsId, full.party, full.reason, full.source,
      full.terminalId, full.recordedBy, full.recordedAt, full.prevHash, full.hash],
  );
  await exec(m, `UPDATE time_record_chain SET last_hash = ? WHERE chain_key = ?`, [full.hash, r.chainKey]);
  return full;
}

export async function recordById(m: Db, id: string): Promise<TimeRecordRow | undefined> {
  const r = await one<TimeRecordRow>(m, `SELECT ${RECORD_COLS} FROM time_record WHERE id = ?`, [id]);
  return r && recordOf(r);
}

/** Every record of the employees (clock events, corrections, approvals), in chain order within each chain. */
export async function recordsOfEmployees(m: Db, employeeIds: string[]): Promise<TimeRecordRow[]> {
  if (employeeIds.length === 0) return [];
  const rows = await all<TimeRecordRow>(m, `SELECT ${RECORD_COLS} FROM time_record WHERE employee_id IN (${inList(employeeIds.length)}) ORDER BY at, chain_key, seq`, employeeIds);
  return rows.map(recordOf);
}

export async function chainRecords(m: Db, chainKey: string): Promise<{ anchor: { seq: number; hash: string }; records: ChainedRecord[] }> {
  const head = await one<{ seq: unknown; hash: string }>(m, `SELECT anchor_seq AS seq, anchor_hash AS hash FROM time_record_chain WHERE chain_key = ?`, [chainKey]);
  const rows = (await all<TimeRecordRow>(m, `SELECT ${RECORD_COLS} FROM time_record WHERE chain_key = ? ORDER BY seq`, [chainKey])).map(recordOf);
  return {
    anchor: { seq: num(head?.seq) ?? 0, hash: head?.hash ?? '' },
    records: rows.map((r) => ({ seq: r.seq, prevHash: r.prevHash, hash: r.hash, fields: hashFieldsOf(r) })),
  };
}

/** Records of the companies (null: all) in [from, to) by event time, for the inspectorate's export. */
export async function recordsBetween(m: Db, companyIds: string[] | null, storeIds: string[] | null, from: string, to: string): Promise<Array<TimeRecordRow & { employeeCode: string; employeeName: string }>> {
  const where = ['r.at >= ?', 'r.at < ?'];
  const params: unknown[] = [from, to];
  if (companyIds !== null) {
    if (companyIds.length === 0) return [];
    where.push(`r.company_id IN (${inList(companyIds.length)})`);
    params.push(...companyIds);
  }
  if (storeIds !== null) {
    if (storeIds.length === 0) return [];
    where.push(`(r.store_id IN (${inList(storeIds.length)}))`);
    params.push(...storeIds);
  }
  const cols = RECORD_COLS.split(',').map((c) => `r.${c.trim()}`).join(', ');
  const rows = await all<TimeRecordRow & { employeeCode: string; employeeName: string }>(
    m,
    `SELECT ${cols}, e.code AS "employeeCode", e.name AS "employeeName" FROM time_record r JOIN employee e ON e.id = r.employee_id WHERE ${where.join(' AND ')} ORDER BY r.chain_key, r.seq`,
    params,
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/**
 * Retention purge: deletes a chain's records recorded before `before`, oldest first, and moves the chain's
 * anchor to the last one deleted (so what stays still verifies). `corrects_id` has no foreign key on purpose:
 * a younger correction of a purged record keeps its (hashed) reference.
 */
export async function purgeChainBefore(m: Db, chainKey: string, before: string): Promise<number> {
  const last = await one<{ seq: unknown; hash: string }>(
    m,
    `SELECT seq, hash FROM time_record WHERE chain_key = ? AND seq = (SELECT MAX(seq) FROM time_record WHERE chain_key = ? AND recorded_at < ? AND at < ?)`,
    [chainKey, chainKey, before, before],
  );
  if (!last) return 0;
  const upTo = Number(last.seq);
  const n = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM time_record WHERE chain_key = ? AND seq <= ?`, [chainKey, upTo]))!.n);
  await exec(m, `DELETE FROM time_record WHERE chain_key = ? AND seq <= ?`, [chainKey, upTo]);
  await exec(m, `UPDATE time_record_chain SET anchor_seq = ?, anchor_hash = ? WHERE chain_key = ?`, [upTo, last.hash, chainKey]);
  return n;
}

export async function chainKeys(m: Db): Promise<string[]> {
  return (await all<{ k: string }>(m, `SELECT chain_key AS k FROM time_record_chain ORDER BY chain_key`)).map((r) => r.k);
}

// ───────────────────────────── self-service sessions ─────────────────────────────

export async function insertSession(m: Db, tokenHash: string, employeeId: string, at: string, expiresAt: string): Promise<void> {
  await exec(m, `INSERT INTO employee_session (token_hash, employee_id, created_at, expires_at) VALUES (?, ?, ?, ?)`, [tokenHash, employeeId, at, expiresAt]);
}
export async function sessionEmployee(m: Db, tokenHash: string, now: string): Promise<string | undefined> {
  return (await one<{ id: string }>(m, `SELECT employee_id AS id FROM employee_session WHERE token_hash = ? AND expires_at > ?`, [tokenHash, now]))?.id;
}
export async function deleteSessionsOf(m: Db, employeeId: string): Promise<void> {
  await exec(m, `DELETE FROM employee_session WHERE employee_id = ?`, [employeeId]);
}
