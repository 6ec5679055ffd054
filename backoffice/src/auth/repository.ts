/**
 * The only place with SQL for users, their companies, sessions, one-time tokens and second factors.
 * Placeholders differ per engine (`$1` vs `?`); callers pass a DataSource or a transaction's manager.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { engineOfDs, engineOfManager, placeholders, type Engine } from '../persistence/raw';
import type { Role } from '../platform/permissions';

type Db = DataSource | EntityManager;
const engineOf = (db: Db): Engine => ('manager' in db && 'options' in db ? engineOfDs(db as DataSource) : engineOfManager(db as EntityManager));
/** `$1…$n` or `?`: the n-th placeholder of this engine. */
const ph = (e: Engine) => {
  let n = 0;
  return () => (e === 'postgres' ? `$${++n}` : '?');
};

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  companyId: string | null;
  storeId: string | null;
  passwordHash: string;
  active: boolean;
  invitationPending: boolean;
  createdAt: string | null;
  totpSecret: string | null;
  totpEnabledAt: string | null;
  totpLastStep: number | null;
  companyIds: string[];
}

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.company_id AS "companyId", u.store_id AS "storeId", u.password_hash AS "passwordHash",
  u.active, u.invitation_pending AS "invitationPending", u.created_at AS "createdAt", u.totp_secret AS "totpSecret",
  u.totp_enabled_at AS "totpEnabledAt", u.totp_last_step AS "totpLastStep"`;

type RawUser = Omit<UserRecord, 'companyIds' | 'active' | 'invitationPending' | 'totpLastStep'> & { active: unknown; invitationPending: unknown; totpLastStep: unknown };
const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

async function withCompanies(db: Db, rows: RawUser[]): Promise<UserRecord[]> {
  if (rows.length === 0) return [];
  const e = engineOf(db);
  const links = (await db.query(`SELECT user_id AS "userId", company_id AS "companyId" FROM user_company WHERE user_id IN (${placeholders(e, rows.length)}) ORDER BY company_id`, rows.map((r) => r.id))) as Array<{ userId: string; companyId: string }>;
  return rows.map((r) => {
    const linked = links.filter((l) => l.userId === r.id).map((l) => l.companyId);
    return {
      ...r,
      active: bool(r.active),
      invitationPending: bool(r.invitationPending),
      totpLastStep: r.totpLastStep === null || r.totpLastStep === undefined ? null : Number(r.totpLastStep),
      // A store manager's company is their store's; HQ has none.
      companyIds: r.role === 'franchisee_manager' ? managedCompanies(r.companyId, linked) : r.companyId ? [r.companyId] : [],
    };
  });
}

/**
 * A franchisee manager's companies: the `user_company` links plus `app_user.company_id` (their first one,
 * kept in step by the users use cases; rows written by older code or a seed have only that).
 */
export function managedCompanies(primary: string | null, linked: readonly string[]): string[] {
  return [...new Set([...(primary ? [primary] : []), ...linked])].sort();
}

export async function userById(db: Db, id: string): Promise<UserRecord | null> {
  const p = ph(engineOf(db));
  const rows = (await db.query(`SELECT ${USER_COLUMNS} FROM app_user u WHERE u.id = ${p()}`, [id])) as RawUser[];
  return (await withCompanies(db, rows))[0] ?? null;
}

export async function userByEmail(db: Db, email: string): Promise<UserRecord | null> {
  const p = ph(engineOf(db));
  const rows = (await db.query(`SELECT ${USER_COLUMNS} FROM app_user u WHERE u.email = ${p()}`, [email.trim().toLowerCase()])) as RawUser[];
  return (await withCompanies(db, rows))[0] ?? null;
}

/** Companies a franchisee manager is linked to. */
export async function companyIdsOf(db: Db, userId: string): Promise<string[]> {
  const p = ph(engineOf(db));
  const rows = (await db.query(`SELECT company_id AS "companyId" FROM user_company WHERE user_id = ${p()} ORDER BY company_id`, [userId])) as Array<{ companyId: string }>;
  return rows.map((r) => r.companyId);
}

export async function storeIdsOfCompanies(db: Db, companyIds: readonly string[]): Promise<string[]> {
  if (companyIds.length === 0) return [];
  const e = engineOf(db);
  const rows = (await db.query(`SELECT id FROM store WHERE company_id IN (${placeholders(e, companyIds.length)}) ORDER BY id`, [...companyIds])) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

export async function storeById(db: Db, id: string): Promise<{ id: string; companyId: string } | null> {
  const p = ph(engineOf(db));
  const rows = (await db.query(`SELECT id, company_id AS "companyId" FROM store WHERE id = ${p()}`, [id])) as Array<{ id: string; companyId: string }>;
  return rows[0] ?? null;
}

export async function existingCompanyIds(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const e = engineOf(db);
  const rows = (await db.query(`SELECT id FROM company WHERE id IN (${placeholders(e, ids.length)})`, [...ids])) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

// ── Lists ────────────────────────────────────────────────────────────────────────────────────────────────

export interface UserListFilter {
  /** null: every user; otherwise users linked to one of these companies, or store managers of these stores, or `selfId`. */
  scopeCompanyIds: string[] | null;
  selfId: string;
  q?: string | undefined;
  role?: string | undefined;
  active?: boolean | undefined;
  companyId?: string | undefined;
  sort: 'email' | 'name' | 'role' | 'createdAt';
  dir: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const SORT_COLUMNS: Record<UserListFilter['sort'], string> = { email: 'u.email', name: 'u.name', role: 'u.role', createdAt: 'u.created_at' };

export async function listUsers(db: Db, f: UserListFilter): Promise<{ rows: UserRecord[]; total: number }> {
  const e = engineOf(db);
  const p = ph(e);
  const where: string[] = [];
  const args: unknown[] = [];
  const inCompanies = (ids: string[]) => {
    const marks = ids.map(() => p());
    args.push(...ids);
    const marks2 = ids.map(() => p());
    args.push(...ids);
    return `(u.id IN (SELECT user_id FROM user_company WHERE company_id IN (${marks.join(', ')})) OR (u.role IN ('store_manager', 'franchisee_manager') AND u.company_id IN (${marks2.join(', ')})))`;
  };
  if (f.scopeCompanyIds !== null) {
    const scope = f.scopeCompanyIds.length ? inCompanies(f.scopeCompanyIds) : '1 = 0';
    where.push(`(${scope} OR u.id = ${p()})`);
    args.push(f.selfId);
  }
  if (f.q) {
    where.push(`(LOWER(u.email) LIKE ${p()} OR LOWER(u.name) LIKE ${p()})`);
    const like = `%${f.q.toLowerCase().replace(/[%_]/g, '')}%`;
    args.push(like, like);
  }
  if (f.role) {
    where.push(`u.role = ${p()}`);
    args.push(f.role);
  }
  if (f.active !== undefined) {
    where.push(`u.active = ${p()}`);
    args.push(e === 'postgres' ? f.active : f.active ? 1 : 0);
  }
  if (f.companyId) where.push(inCompanies([f.companyId]));
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number(((await db.query(`SELECT COUNT(*) AS n FROM app_user u ${w}`, args)) as Array<{ n: unknown }>)[0]?.n ?? 0);
  const rows = (await db.query(
    `SELECT ${USER_COLUMNS} FROM app_user u ${w} ORDER BY ${SORT_COLUMNS[f.sort]} ${f.dir === 'desc' ? 'DESC' : 'ASC'}, u.id LIMIT ${p()} OFFSET ${p()}`,
    [...args, f.limit, f.offset],
  )) as RawUser[];
  return { rows: await withCompanies(db, rows), total };
}

// ── Writes (inside a transaction) ────────────────────────────────────────────────────────────────────────

export async function insertUser(m: EntityManager, u: { id: string; email: string; name: string; role: Role; companyId: string | null; storeId: string | null; passwordHash: string; createdAt: string }): Promise<void> {
  const p = ph(engineOfManager(m));
  await m.query(
    `INSERT INTO app_user (id, email, name, password_hash, role, company_id, store_id, active, invitation_pending, created_at)
     VALUES (${p()}, ${p()}, ${p()}, ${p()}, ${p()}, ${p()}, ${p()}, ${p()}, ${p()}, ${p()})`,
    [u.id, u.email, u.name, u.passwordHash, u.role, u.companyId, u.storeId, engineOfManager(m) === 'postgres' ? true : 1, engineOfManager(m) === 'postgres' ? true : 1, u.createdAt],
  );
}

export async function updateUserAssignment(m: EntityManager, id: string, v: { name: string; role: Role; companyId: string | null; storeId: string | null }): Promise<void> {
  const p = ph(engineOfManager(m));
  await m.query(`UPDATE app_user SET name = ${p()}, role = ${p()}, company_id = ${p()}, store_id = ${p()} WHERE id = ${p()}`, [v.name, v.role, v.companyId, v.storeId, id]);
}

export async function setUserCompanies(m: EntityManager, userId: string, companyIds: readonly string[]): Promise<void> {
  const e = engineOfManager(m);
  await m.query(`DELETE FROM user_company WHERE user_id = ${placeholders(e, 1)}`, [userId]);
  for (const c of companyIds) await m.query(`INSERT INTO user_company (user_id, company_id) VALUES (${placeholders(e, 2)})`, [userId, c]);
}

export async function setActive(m: EntityManager, id: string, active: boolean): Promise<void> {
  const e = engineOfManager(m);
  const p = ph(e);
  await m.query(`UPDATE app_user SET active = ${p()} WHERE id = ${p()}`, [e === 'postgres' ? active : active ? 1 : 0, id]);
}

export async function setPassword(m: EntityManager, id: string, hash: string, at: string): Promise<void> {
  const e = engineOfManager(m);
  const p = ph(e);
  await m.query(`UPDATE app_user SET password_hash = ${p()}, password_changed_at = ${p()}, invitation_pending = ${p()} WHERE id = ${p()}`, [hash, at, e === 'postgres' ? false : 0, id]);
}

export async function setTotp(m: EntityManager, id: string, v: { secret: string | null; enabledAt: string | null }): Promise<void> {
  const p = ph(engineOfManager(m));
  await m.query(`UPDATE app_user SET totp_secret = ${p()}, totp_enabled_at = ${p()}, totp_last_step = NULL WHERE id = ${p()}`, [v.secret, v.enabledAt, id]);
}

/** Records a used time step; false when it (or a later one) was already used: a replayed code. */
export async function useTotpStep(m: EntityManager, id: string, step: number): Promise<boolean> {
  const p = ph(engineOfManager(m));
  const sql = `UPDATE app_user SET totp_last_step = ${p()} WHERE id = ${p()} AND (totp_last_step IS NULL OR totp_last_step < ${p()})`;
  const args = [step, id, step];
  if (engineOfManager(m) === 'postgres') {
    const r = (await m.query(`${sql} RETURNING id`, args)) as unknown[];
    return (Array.isArray(r[0]) ? (r[0] as unknown[]) : r).length > 0;
  }
  // SQLite: writeTransaction lets one writer in at a time, so read-then-write is atomic here.
  const row = (await m.query(`SELECT totp_last_step AS s FROM app_user WHERE id = ?`, [id])) as Array<{ s: unknown }>;
  const last = row[0]?.s;
  if (last !== null && last !== undefined && Number(last) >= step) return false;
  await m.query(sql, args);
  return true;
}

// ── Sessions ─────────────────────────────────────────────────────────────────────────────────────────────

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  userAgent: string | null;
  ip: string | null;
  tokenHash: string;
}

export async function insertSession(m: EntityManager, s: { id: string; tokenHash: string; userId: string; createdAt: string; expiresAt: string; userAgent: string | null; ip: string | null; enrolOnly: boolean }): Promise<void> {
  const e = engineOfManager(m);
  await m.query(`INSERT INTO user_session (token_hash, id, user_id, created_at, expires_at, user_agent, ip, enrol_only) VALUES (${placeholders(e, 8)})`, [
    s.tokenHash, s.id, s.userId, s.createdAt, s.expiresAt, s.userAgent, s.ip, e === 'postgres' ? s.enrolOnly : s.enrolOnly ? 1 : 0,
  ]);
}

export async function sessionsOf(db: Db, userId: string, now: string): Promise<SessionRecord[]> {
  const p = ph(engineOf(db));
  return (await db.query(
    `SELECT id, user_id AS "userId", created_at AS "createdAt", expires_at AS "expiresAt", last_used_at AS "lastUsedAt", user_agent AS "userAgent", ip, token_hash AS "tokenHash"
       FROM user_session WHERE user_id = ${p()} AND expires_at > ${p()} ORDER BY created_at DESC`,
    [userId, now],
  )) as SessionRecord[];
}

export async function deleteSession(m: EntityManager, userId: string, id: string): Promise<number> {
  const p = ph(engineOfManager(m));
  const before = (await m.query(`SELECT COUNT(*) AS n FROM user_session WHERE user_id = ${p()} AND id = ${p()}`, [userId, id])) as Array<{ n: unknown }>;
  const q = ph(engineOfManager(m));
  await m.query(`DELETE FROM user_session WHERE user_id = ${q()} AND id = ${q()}`, [userId, id]);
  return Number(before[0]?.n ?? 0);
}

/** Ends every session of a user, but `keepTokenHash` (the one asking, when they change their own password). */
export async function deleteSessionsOf(m: EntityManager, userId: string, keepTokenHash?: string): Promise<void> {
  const p = ph(engineOfManager(m));
  if (keepTokenHash) await m.query(`DELETE FROM user_session WHERE user_id = ${p()} AND token_hash <> ${p()}`, [userId, keepTokenHash]);
  else await m.query(`DELETE FROM user_session WHERE user_id = ${p()}`, [userId]);
}

export async function endEnrolOnlySessions(m: EntityManager, userId: string): Promise<void> {
  const e = engineOfManager(m);
  const p = ph(e);
  await m.query(`UPDATE user_session SET enrol_only = ${p()} WHERE user_id = ${p()}`, [e === 'postgres' ? false : 0, userId]);
}

export interface SessionLookup {
  id: string;
  email: string;
  name: string;
  role: Role;
  companyId: string | null;
  storeId: string | null;
  expiresAt: string;
  enrolOnly: boolean;
  totpEnabled: boolean;
  sessionId: string | null;
}

export async function sessionByTokenHash(db: Db, tokenHash: string): Promise<SessionLookup | null> {
  const p = ph(engineOf(db));
  const rows = (await db.query(
    `SELECT u.id, u.email, u.name, u.role, u.company_id AS "companyId", u.store_id AS "storeId", s.expires_at AS "expiresAt", s.enrol_only AS "enrolOnly",
            u.totp_enabled_at AS "totpEnabledAt", s.id AS "sessionId"
       FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ${p()} AND u.active = ${p()}`,
    [tokenHash, engineOf(db) === 'postgres' ? true : 1],
  )) as Array<Omit<SessionLookup, 'enrolOnly' | 'totpEnabled'> & { enrolOnly: unknown; totpEnabledAt: string | null }>;
  const r = rows[0];
  if (!r) return null;
  const { totpEnabledAt, ...rest } = r;
  return { ...rest, enrolOnly: bool(r.enrolOnly), totpEnabled: totpEnabledAt !== null };
}

// ── One-time tokens (invitation, password reset, second sign-in step) ───────────────────────────────────

export type OneTimeKind = 'invite' | 'reset' | 'totp_login';

export async function insertOneTimeToken(m: EntityManager, t: { tokenHash: string; kind: OneTimeKind; userId: string; createdAt: string; expiresAt: string; createdBy: string | null }): Promise<void> {
  const e = engineOfManager(m);
  // A new link of a kind replaces the older unused ones.
  const p = ph(e);
  await m.query(`DELETE FROM auth_token WHERE user_id = ${p()} AND kind = ${p()} AND used_at IS NULL`, [t.userId, t.kind]);
  await m.query(`INSERT INTO auth_token (token_hash, kind, user_id, created_at, expires_at, created_by) VALUES (${placeholders(e, 6)})`, [
    t.tokenHash, t.kind, t.userId, t.createdAt, t.expiresAt, t.createdBy,
  ]);
}

/** Marks an unused, unexpired token used and returns its user; null when unknown, used or expired. */
export async function consumeOneTimeToken(m: EntityManager, tokenHash: string, kinds: readonly OneTimeKind[], now: string): Promise<{ userId: string; kind: OneTimeKind } | null> {
  const e = engineOfManager(m);
  const p = ph(e);
  const rows = (await m.query(
    `SELECT user_id AS "userId", kind FROM auth_token WHERE token_hash = ${p()} AND used_at IS NULL AND expires_at > ${p()} AND kind IN (${kinds.map(() => p()).join(', ')})`,
    [tokenHash, now, ...kinds],
  )) as Array<{ userId: string; kind: OneTimeKind }>;
  if (!rows[0]) return null;
  const q = ph(e);
  await m.query(`UPDATE auth_token SET used_at = ${q()} WHERE token_hash = ${q()}`, [now, tokenHash]);
  return rows[0];
}

export async function peekOneTimeToken(db: Db, tokenHash: string, kind: OneTimeKind, now: string): Promise<{ userId: string } | null> {
  const p = ph(engineOf(db));
  const rows = (await db.query(`SELECT user_id AS "userId" FROM auth_token WHERE token_hash = ${p()} AND kind = ${p()} AND used_at IS NULL AND expires_at > ${p()}`, [tokenHash, kind, now])) as Array<{ userId: string }>;
  return rows[0] ?? null;
}
