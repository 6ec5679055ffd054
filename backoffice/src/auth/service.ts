/**
 * Back-office users: login with e-mail and password (argon2), a second step with a TOTP code for users who
 * enrolled one, bearer sessions stored as SHA-256 hashes with an expiry, and the scope a user may see (HQ:
 * every store; a franchisee manager: the stores of their companies — `user_company`, one or more; a store
 * manager: their one store). Every route and use case asks these functions, never the role.
 */
import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { hashSecret } from './secret-hash';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { domainError, err, ok, type DomainError, type Result } from '@tpv/shared/result';
import type { AppUserRole } from '../persistence/entities';
import { writeTransaction } from '../persistence/raw';
import { newToken, sha256Hex } from './tokens';
import { isFranchiseWide, isHqRole } from '../platform/permissions';
import * as repo from './repository';
import { verifyTotp } from './totp';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: AppUserRole;
  /** Franchisee managers: their first company; store managers: their store's company. HQ: null. */
  companyId: string | null;
  /** Store managers: their store. Others: null. */
  storeId: string | null;
  /** Franchisee managers: every company they manage; store managers: their store's; HQ: none. */
  companyIds: string[];
  /** The session may only enrol a second factor (TPV_REQUIRE_TOTP_HQ, none enrolled yet). */
  enrolOnly?: boolean;
  /** Set once the user confirmed a TOTP second factor. */
  totpEnabled?: boolean;
  /** The public id of the session this request came with. */
  sessionId?: string | null;
}

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Time to type the code after the password was right. */
export const TOTP_CHALLENGE_TTL_MS = 5 * 60 * 1000;

export type LoginError = DomainError<'INVALID_CREDENTIALS'>;
export interface SessionGrant {
  token: string;
  expiresAt: string;
  user: AuthUser;
  totpEnrolmentRequired?: boolean;
}
export type LoginOutcome = SessionGrant | { totpRequired: true; challenge: string };

export interface LoginContext {
  userAgent?: string | null | undefined;
  ip?: string | null | undefined;
  /** TPV_REQUIRE_TOTP_HQ: HQ users must enrol a second factor before anything else. */
  requireTotpHq?: boolean;
}

// A real argon2id hash of a random password: verifying an unknown e-mail costs the same as a known one.
let dummyHash: Promise<string> | undefined;

export const hashPassword = (password: string) => hashSecret(password);

export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashSecret(newToken());
  try {
    return await argon2.verify(hash ?? (await dummyHash), password);
  } catch {
    return false;
  }
}

export async function login(ds: DataSource, clock: Clock, email: string, password: string, ctx: LoginContext = {}): Promise<Result<LoginOutcome, LoginError>> {
  const row = await repo.userByEmail(ds, email);
  const valid = await verifyPassword(row?.passwordHash, password);
  // A deactivated user or one who never accepted the invitation cannot sign in (same answer: nothing to learn).
  if (!row || !valid || !row.active || row.invitationPending) return err(domainError('INVALID_CREDENTIALS', 'unknown e-mail or wrong password'));
  if (row.totpEnabledAt) {
    const challenge = newToken();
    const now = clock.now();
    await writeTransaction(ds, (m) =>
      repo.insertOneTimeToken(m, {
        tokenHash: sha256Hex(challenge), kind: 'totp_login', userId: row.id, createdAt: new Date(now).toISOString(), expiresAt: new Date(now + TOTP_CHALLENGE_TTL_MS).toISOString(), createdBy: null,
      }),
    );
    return ok({ totpRequired: true, challenge });
  }
  return ok(await openSession(ds, clock, row, { ...ctx, enrolOnly: Boolean(ctx.requireTotpHq && isHqRole(row.role)) }));
}

/** The account a sign-in challenge belongs to (its codes are counted per account), or null. */
export async function challengeOwner(ds: DataSource, clock: Clock, challenge: string): Promise<string | null> {
  return (await repo.peekOneTimeToken(ds, sha256Hex(challenge), 'totp_login', new Date(clock.now()).toISOString()))?.userId ?? null;
}

export type TotpLoginError = DomainError<'INVALID_CHALLENGE' | 'INVALID_CODE'>;

/** The second step: the challenge from `login` and a current code (each code once). */
export async function loginWithTotp(ds: DataSource, clock: Clock, challenge: string, code: string, ctx: LoginContext = {}): Promise<Result<SessionGrant, TotpLoginError>> {
  const now = new Date(clock.now()).toISOString();
  const pending = await repo.peekOneTimeToken(ds, sha256Hex(challenge), 'totp_login', now);
  const row = pending ? await repo.userById(ds, pending.userId) : null;
  if (!row || !row.active || !row.totpEnabledAt || !row.totpSecret) return err(domainError('INVALID_CHALLENGE', 'sign in again with your password'));
  const step = await verifyTotp(ds, row, code, clock.now());
  if (step === null) return err(domainError('INVALID_CODE', 'wrong or expired code'));
  const accepted = await writeTransaction(ds, async (m) => {
    if (!(await repo.useTotpStep(m, row.id, step))) return false;
    return (await repo.consumeOneTimeToken(m, sha256Hex(challenge), ['totp_login'], now)) !== null;
  });
  if (!accepted) return err(domainError('INVALID_CODE', 'that code was already used; wait for the next one'));
  return ok(await openSession(ds, clock, row, { ...ctx, enrolOnly: false }));
}

async function openSession(ds: DataSource, clock: Clock, row: repo.UserRecord, ctx: LoginContext & { enrolOnly: boolean }): Promise<SessionGrant> {
  const token = newToken();
  const now = clock.now();
  const expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
  const sessionId = randomUUID();
  await writeTransaction(ds, (m) =>
    repo.insertSession(m, {
      id: sessionId, tokenHash: sha256Hex(token), userId: row.id, createdAt: new Date(now).toISOString(), expiresAt,
      userAgent: ctx.userAgent?.slice(0, 200) ?? null, ip: ctx.ip?.slice(0, 64) ?? null, enrolOnly: ctx.enrolOnly,
    }),
  );
  const user = toAuthUser(row, { sessionId, enrolOnly: ctx.enrolOnly, totpEnabled: row.totpEnabledAt !== null });
  return { token, expiresAt, user, ...(ctx.enrolOnly ? { totpEnrolmentRequired: true } : {}) };
}

export async function logout(ds: DataSource, token: string): Promise<void> {
  await writeTransaction(ds, async (m) => {
    const e = m.connection.options.type === 'postgres' ? '$1' : '?';
    await m.query(`DELETE FROM user_session WHERE token_hash = ${e}`, [sha256Hex(token)]);
  });
}

/** The user behind a bearer token, or null when unknown, expired or deactivated. */
export async function authenticate(ds: DataSource, clock: Clock, token: string): Promise<AuthUser | null> {
  if (token.length < 16 || token.length > 256) return null;
  const r = await repo.sessionByTokenHash(ds, sha256Hex(token));
  if (!r || r.expiresAt <= new Date(clock.now()).toISOString()) return null;
  const companyIds = r.role === 'franchisee_manager' ? repo.managedCompanies(r.companyId, await repo.companyIdsOf(ds, r.id)) : r.companyId ? [r.companyId] : [];
  return toAuthUser({ ...r, companyIds }, { sessionId: r.sessionId, enrolOnly: r.enrolOnly, totpEnabled: r.totpEnabled });
}

function toAuthUser(
  row: { id: string; email: string; name: string; role: AppUserRole; companyId: string | null; storeId?: string | null; companyIds: string[] },
  extra: { sessionId: string | null; enrolOnly: boolean; totpEnabled: boolean },
): AuthUser {
  return {
    id: row.id, email: row.email, name: row.name, role: row.role, companyId: row.companyId, storeId: row.storeId ?? null, companyIds: row.companyIds,
    totpEnabled: extra.totpEnabled, sessionId: extra.sessionId, ...(extra.enrolOnly ? { enrolOnly: true } : {}),
  };
}

/** Company ids the user may see; null = every company (HQ). A store manager sees their store's company (read). */
export function visibleCompanyIds(user: AuthUser): string[] | null {
  if (isFranchiseWide(user.role)) return null;
  return [...user.companyIds];
}

/** Store ids the user may see; null = every store (HQ). */
export async function visibleStoreIds(ds: DataSource, user: AuthUser): Promise<string[] | null> {
  if (isFranchiseWide(user.role)) return null;
  if (user.role === 'store_manager') return user.storeId ? [user.storeId] : [];
  if (user.role !== 'franchisee_manager') return [];
  return repo.storeIdsOfCompanies(ds, user.companyIds);
}

/** Whether the user may see/act on this store (checked on the server for every store-scoped route). */
export async function canAccessStore(ds: DataSource, user: AuthUser, storeId: string): Promise<boolean> {
  if (isFranchiseWide(user.role)) return true;
  if (user.role === 'store_manager') return user.storeId !== null && user.storeId === storeId;
  if (user.role !== 'franchisee_manager' || user.companyIds.length === 0) return false;
  const store = await repo.storeById(ds, storeId);
  return store !== null && user.companyIds.includes(store.companyId);
}

/**
 * Whether the user may act on company-wide rows of this company (staff working in any of its stores): HQ,
 * or a franchisee manager of that company. A store manager's scope is one store, never the whole company.
 */
export function canAccessCompany(user: AuthUser, companyId: string): boolean {
  if (isFranchiseWide(user.role)) return true;
  return user.role === 'franchisee_manager' && user.companyIds.includes(companyId);
}
