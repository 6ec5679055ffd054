/**
 * Users and roles use cases: list (scoped), invite, edit, reset password, deactivate/reactivate, sessions,
 * own password, TOTP enrolment. Each write checks the caller's scope on the row it touches and records an
 * audit entry inside its transaction; a refused request writes nothing.
 *
 * Who manages whom: the HQ admin everybody (and is the only one who creates HQ roles); a franchisee manager
 * the store managers of their companies' stores. Who sees whom: the HQ admin everybody; a franchisee
 * manager the users of their companies; everybody else (other HQ roles, the auditor) themselves only.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, validationProblem } from '@tpv/shared/problem';
import { passwordMessage, passwordProblems, type CreateUserBody, type UpdateUserBody, type UserRow } from '@tpv/shared/wire/http/auth';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import { recordAudit } from '../platform/audit';
import { refused } from '../platform/api';
import { isHqRole, type Role } from '../platform/permissions';
import { pageOf, type Page } from '../platform/list';
import { forbidden } from './http';
import * as repo from './repository';
import { hashPassword, verifyPassword, type AuthUser } from './service';
import { newToken, sha256Hex } from './tokens';
import { newEnrolment, openSecret, sealSecret, stepOf } from './totp';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const RESET_TTL_MS = 24 * 60 * 60 * 1000;

export const toUserRow = (u: repo.UserRecord): UserRow => ({
  id: u.id, email: u.email, name: u.name, role: u.role, companyIds: u.companyIds, storeId: u.storeId, active: u.active,
  invitationPending: u.invitationPending, totpEnabled: u.totpEnabledAt !== null, createdAt: u.createdAt,
});

const iso = (clock: Clock, plus = 0) => new Date(clock.now() + plus).toISOString();
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });
const auditScope = (u: repo.UserRecord | { companyIds: string[]; storeId: string | null }) => ({ companyId: u.companyIds[0] ?? null, storeId: u.storeId });

/** Whether `actor` may see `target` (list, detail): HQ admin everybody, a franchisee manager their companies' users, anyone else themselves. */
export function maySee(actor: AuthUser, target: { id: string; companyIds: string[] }): boolean {
  if (actor.role === 'hq_admin' || actor.id === target.id) return true;
  return actor.role === 'franchisee_manager' && target.companyIds.some((c) => actor.companyIds.includes(c));
}

/** Whether `actor` may change `target` as it is now (or as it would become). */
export function mayManage(actor: AuthUser, target: { role: Role; companyIds: string[] }): boolean {
  if (actor.role === 'hq_admin') return true;
  return actor.role === 'franchisee_manager' && target.role === 'store_manager' && target.companyIds.length > 0 && target.companyIds.every((c) => actor.companyIds.includes(c));
}

async function loadOrThrow(ds: DataSource | EntityManager, id: string): Promise<repo.UserRecord> {
  const u = await repo.userById(ds, id);
  if (!u) throw refused(404, 'NOT_FOUND', 'user not found');
  return u;
}

async function manageable(ds: DataSource | EntityManager, actor: AuthUser, id: string): Promise<repo.UserRecord> {
  const u = await loadOrThrow(ds, id);
  if (!mayManage(actor, u)) throw forbidden('This user is outside what you may manage.');
  return u;
}

// ── Reads ────────────────────────────────────────────────────────────────────────────────────────────────

export interface UserListQuery {
  page: number;
  pageSize: number;
  /** Checked by the route's schema; anything else sorts by e-mail. */
  sort?: string | undefined;
  dir: 'asc' | 'desc';
  q?: string | undefined;
  role?: string | undefined;
  active?: boolean | undefined;
  companyId?: string | undefined;
}

export async function listUsers(ds: DataSource, actor: AuthUser, q: UserListQuery): Promise<Page<UserRow>> {
  const scope = actor.role === 'hq_admin' ? null : actor.role === 'franchisee_manager' ? actor.companyIds : [];
  const r = await repo.listUsers(ds, {
    scopeCompanyIds: scope, selfId: actor.id, q: q.q, role: q.role, active: q.active, companyId: q.companyId,
    sort: (['email', 'name', 'role', 'createdAt'] as const).find((c) => c === q.sort) ?? 'email', dir: q.dir, limit: q.pageSize, offset: (q.page - 1) * q.pageSize,
  });
  return pageOf(r.rows.map(toUserRow), q, r.total);
}

export async function getUser(ds: DataSource, actor: AuthUser, id: string): Promise<UserRow> {
  const u = await loadOrThrow(ds, id);
  if (!maySee(actor, u)) throw forbidden('This user is outside your scope.');
  return toUserRow(u);
}

// ── Assignment checks ────────────────────────────────────────────────────────────────────────────────────

/** Resolves role/companies/store into what is stored, refusing (422, with the field) what cannot be. */
async function resolveAssignment(ds: DataSource, actor: AuthUser, v: { role: Role; companyIds: string[]; storeId: string | null }) {
  if (isHqRole(v.role) || v.role === 'auditor') {
    if (actor.role !== 'hq_admin') throw forbidden('Only an HQ admin may give HQ or auditor roles.');
    return { role: v.role, companyId: null, storeId: null, companyIds: [] as string[] };
  }
  if (v.role === 'store_manager') {
    const store = v.storeId ? await repo.storeById(ds, v.storeId) : null;
    if (!store) throw refused(422, 'UNKNOWN_STORE', 'no such store', 'storeId');
    const a = { role: v.role, companyId: store.companyId, storeId: store.id, companyIds: [store.companyId] };
    if (!mayManage(actor, a)) throw forbidden('That store is outside what you may manage.');
    return a;
  }
  const ids = [...new Set(v.companyIds)].sort();
  const known = await repo.existingCompanyIds(ds, ids);
  const missing = ids.filter((c) => !known.includes(c));
  if (missing.length) throw refused(422, 'UNKNOWN_COMPANY', `no such company: ${missing.join(', ')}`, 'companyIds');
  const a = { role: v.role, companyId: ids[0] ?? null, storeId: null, companyIds: ids };
  if (!mayManage(actor, a)) throw forbidden('Only an HQ admin may manage franchisee managers.');
  return a;
}

function assertPassword(password: string, email: string, field = 'password'): void {
  const rules = passwordProblems(password, email);
  // One message per field (forms show one under each input): every broken rule, joined.
  if (rules.length) throw new HttpProblem(validationProblem([{ path: [field], message: rules.map(passwordMessage).join(' · ') }]));
}

// ── Writes ───────────────────────────────────────────────────────────────────────────────────────────────

export async function createUser(ds: DataSource, clock: Clock, actor: AuthUser, body: CreateUserBody) {
  const a = await resolveAssignment(ds, actor, body);
  if (await repo.userByEmail(ds, body.email)) throw refused(409, 'EMAIL_TAKEN', 'a user with this e-mail already exists', 'email');
  const id = newRowId(clock);
  const token = newToken();
  // Unusable until the invitation is accepted: a hash of a password nobody knows.
  const placeholderHash = await hashPassword(newToken());
  const expiresAt = iso(clock, INVITATION_TTL_MS);
  await writeTransaction(ds, async (m) => {
    await repo.insertUser(m, { id, email: body.email, name: body.name, role: a.role, companyId: a.companyId, storeId: a.storeId, passwordHash: placeholderHash, createdAt: iso(clock) });
    if (a.role === 'franchisee_manager') await repo.setUserCompanies(m, id, a.companyIds);
    await repo.insertOneTimeToken(m, { tokenHash: sha256Hex(token), kind: 'invite', userId: id, createdAt: iso(clock), expiresAt, createdBy: actor.id });
    const after = toUserRow((await repo.userById(m, id))!);
    await recordAudit(m, clock, { actor: actorOf(actor), action: 'user.invite', entity: 'user', entityId: id, ...auditScope(after), after });
  });
  const user = toUserRow((await repo.userById(ds, id))!);
  return { user, invitation: { token, expiresAt, path: `/accept-invitation?token=${encodeURIComponent(token)}` } };
}

export async function updateUser(ds: DataSource, clock: Clock, actor: AuthUser, id: string, body: UpdateUserBody): Promise<UserRow> {
  const current = await manageable(ds, actor, id);
  if (id === actor.id && body.role !== current.role) throw refused(409, 'OWN_ROLE', 'you cannot change your own role', 'role');
  const a = await resolveAssignment(ds, actor, body);
  return writeTransaction(ds, async (m) => {
    const before = toUserRow(current);
    await repo.updateUserAssignment(m, id, { name: body.name, role: a.role, companyId: a.companyId, storeId: a.storeId });
    await repo.setUserCompanies(m, id, a.role === 'franchisee_manager' ? a.companyIds : []);
    const after = toUserRow((await repo.userById(m, id))!);
    await recordAudit(m, clock, { actor: actorOf(actor), action: 'user.update', entity: 'user', entityId: id, ...auditScope(after), before, after });
    return after;
  });
}

export async function issuePasswordReset(ds: DataSource, clock: Clock, actor: AuthUser, id: string) {
  const target = await manageable(ds, actor, id);
  if (!target.active) throw refused(409, 'USER_INACTIVE', 'reactivate the user first');
  const token = newToken();
  const kind = target.invitationPending ? 'invite' : 'reset';
  const expiresAt = iso(clock, kind === 'invite' ? INVITATION_TTL_MS : RESET_TTL_MS);
  await writeTransaction(ds, async (m) => {
    await repo.insertOneTimeToken(m, { tokenHash: sha256Hex(token), kind, userId: id, createdAt: iso(clock), expiresAt, createdBy: actor.id });
    await recordAudit(m, clock, { actor: actorOf(actor), action: kind === 'invite' ? 'user.reinvite' : 'user.password_reset', entity: 'user', entityId: id, ...auditScope(target) });
  });
  return { token, expiresAt, path: `/${kind === 'invite' ? 'accept-invitation' : 'reset-password'}?token=${encodeURIComponent(token)}` };
}

/** Sets the password through an invitation or reset link (used once); every session of the user ends. */
export async function acceptOneTimeToken(ds: DataSource, clock: Clock, token: string, password: string, kinds: Array<'invite' | 'reset'>): Promise<{ email: string }> {
  const now = iso(clock);
  const bad = () => new HttpProblem(validationProblem([{ path: ['token'], message: 'El enlace no es válido o ha caducado / The link is invalid or has expired' }]));
  let pending: { userId: string } | null = null;
  for (const k of kinds) pending ??= await repo.peekOneTimeToken(ds, sha256Hex(token), k, now);
  const user = pending ? await repo.userById(ds, pending.userId) : null;
  if (!user || !user.active) throw bad();
  assertPassword(password, user.email);
  const hash = await hashPassword(password);
  await writeTransaction(ds, async (m) => {
    const used = await repo.consumeOneTimeToken(m, sha256Hex(token), kinds, now);
    if (!used || used.userId !== user.id) throw bad();
    await repo.setPassword(m, user.id, hash, now);
    await repo.deleteSessionsOf(m, user.id);
    await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: used.kind === 'invite' ? 'user.accept_invitation' : 'user.password_set', entity: 'user', entityId: user.id, ...auditScope(user) });
  });
  return { email: user.email };
}

export async function changeOwnPassword(ds: DataSource, clock: Clock, actor: AuthUser, currentTokenHash: string, current: string, next: string): Promise<boolean> {
  const user = await loadOrThrow(ds, actor.id);
  if (!(await verifyPassword(user.passwordHash, current))) return false;
  assertPassword(next, user.email, 'newPassword');
  if (current === next) throw new HttpProblem(validationProblem([{ path: ['newPassword'], message: 'La nueva contraseña debe ser distinta / The new password must differ' }]));
  const hash = await hashPassword(next);
  await writeTransaction(ds, async (m) => {
    await repo.setPassword(m, user.id, hash, iso(clock));
    // Whoever may know the old password is signed out everywhere else.
    await repo.deleteSessionsOf(m, user.id, currentTokenHash);
    await recordAudit(m, clock, { actor: actorOf(actor), action: 'user.password_change', entity: 'user', entityId: user.id, ...auditScope(user) });
  });
  return true;
}

export async function setActive(ds: DataSource, clock: Clock, actor: AuthUser, id: string, active: boolean): Promise<UserRow> {
  const target = await manageable(ds, actor, id);
  if (id === actor.id) throw refused(409, 'OWN_ACCOUNT', 'you cannot deactivate yourself');
  return writeTransaction(ds, async (m) => {
    const before = toUserRow(target);
    await repo.setActive(m, id, active);
    // Deactivation ends every session at once.
    if (!active) await repo.deleteSessionsOf(m, id);
    const after = toUserRow((await repo.userById(m, id))!);
    if (before.active !== after.active)
      await recordAudit(m, clock, { actor: actorOf(actor), action: active ? 'user.reactivate' : 'user.deactivate', entity: 'user', entityId: id, ...auditScope(target), before, after });
    return after;
  });
}

// ── Sessions ─────────────────────────────────────────────────────────────────────────────────────────────

export async function sessionsFor(ds: DataSource, clock: Clock, actor: AuthUser, userId: string) {
  if (userId !== actor.id) await manageable(ds, actor, userId);
  const rows = await repo.sessionsOf(ds, userId, iso(clock));
  return rows.map(({ tokenHash: _hash, ...s }) => ({ ...s, current: s.id === actor.sessionId }));
}

export async function revokeSession(ds: DataSource, clock: Clock, actor: AuthUser, userId: string, sessionId: string): Promise<void> {
  const target = userId === actor.id ? await loadOrThrow(ds, userId) : await manageable(ds, actor, userId);
  await writeTransaction(ds, async (m) => {
    const n = await repo.deleteSession(m, userId, sessionId);
    if (n === 0) throw refused(404, 'NOT_FOUND', 'no such session');
    await recordAudit(m, clock, { actor: actorOf(actor), action: 'session.revoke', entity: 'user', entityId: userId, ...auditScope(target), before: { sessionId } });
  });
}

// ── TOTP ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Starts (or restarts) enrolment: a new secret, shown this once; not required at sign-in until confirmed. */
export async function enrolTotp(ds: DataSource, clock: Clock, actor: AuthUser) {
  const user = await loadOrThrow(ds, actor.id);
  if (user.totpEnabledAt) throw refused(409, 'TOTP_ENABLED', 'two-factor sign-in is already on; disable it first');
  const e = await newEnrolment(user.email);
  const sealed = await sealSecret(ds, e.secret);
  await writeTransaction(ds, async (m) => {
    await repo.setTotp(m, user.id, { secret: sealed, enabledAt: null });
    await recordAudit(m, clock, { actor: actorOf(actor), action: 'user.totp_enrol', entity: 'user', entityId: user.id, ...auditScope(user) });
  });
  return e;
}

const badCode = () => new HttpProblem(validationProblem([{ path: ['code'], message: 'Código incorrecto o caducado / Wrong or expired code' }]));

export async function confirmTotp(ds: DataSource, clock: Clock, actor: AuthUser, code: string): Promise<boolean> {
  const user = await loadOrThrow(ds, actor.id);
  if (user.totpEnabledAt) throw refused(409, 'TOTP_ENABLED', 'two-factor sign-in is already on');
  if (!user.totpSecret) throw refused(409, 'TOTP_NOT_ENROLLING', 'start the enrolment first');
  const step = stepOf(await openSecret(ds, user.totpSecret), code, clock.now());
  if (step === null) return false;
  await writeTransaction(ds, async (m) => {
    await repo.setTotp(m, user.id, { secret: user.totpSecret, enabledAt: iso(clock) });
    if (!(await repo.useTotpStep(m, user.id, step))) throw badCode();
    await repo.endEnrolOnlySessions(m, user.id);
    await recordAudit(m, clock, { actor: actorOf(actor), action: 'user.totp_enable', entity: 'user', entityId: user.id, ...auditScope(user), before: { totpEnabled: false }, after: { totpEnabled: true } });
  });
  return true;
}

export async function disableTotp(ds: DataSource, clock: Clock, actor: AuthUser, code: string, requireTotpHq: boolean): Promise<boolean> {
  const user = await loadOrThrow(ds, actor.id);
  if (!user.totpEnabledAt || !user.totpSecret) throw refused(409, 'TOTP_NOT_ENABLED', 'two-factor sign-in is not on');
  if (requireTotpHq && isHqRole(user.role)) throw refused(409, 'TOTP_REQUIRED', 'this deployment requires two-factor sign-in for HQ roles');
  const step = stepOf(await openSecret(ds, user.totpSecret), code, clock.now());
  if (step === null) return false;
  await writeTransaction(ds, async (m) => {
    if (!(await repo.useTotpStep(m, user.id, step))) throw badCode();
    await repo.setTotp(m, user.id, { secret: null, enabledAt: null });
    await recordAudit(m, clock, { actor: actorOf(actor), action: 'user.totp_disable', entity: 'user', entityId: user.id, ...auditScope(user), before: { totpEnabled: true }, after: { totpEnabled: false } });
  });
  return true;
}

