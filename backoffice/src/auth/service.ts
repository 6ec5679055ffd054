/**
 * Back-office users: login with e-mail and password (argon2), bearer sessions stored as SHA-256 hashes with
 * an expiry, and the store scope a user may see (HQ: every store; a franchisee manager: the stores of their
 * company; a store manager: their one store). Every route and use case asks these functions, never the role.
 */
import argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { domainError, err, ok, type DomainError, type Result } from '@tpv/shared/result';
import { AppUserEntity, StoreEntity, type AppUserRole } from '../persistence/entities';
import { engineOfDs, placeholders, writeTransaction } from '../persistence/raw';
import { newToken, sha256Hex } from './tokens';
import { isFranchiseWide } from '../platform/permissions';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: AppUserRole;
  /** Managers and store managers: their company. HQ: null. */
  companyId: string | null;
  /** Store managers: their store. Others: null. */
  storeId: string | null;
}

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type LoginError = DomainError<'INVALID_CREDENTIALS'>;

// A real argon2id hash of a random password: verifying an unknown e-mail costs the same as a known one.
let dummyHash: Promise<string> | undefined;

export async function login(
  ds: DataSource,
  clock: Clock,
  email: string,
  password: string,
): Promise<Result<{ token: string; expiresAt: string; user: AuthUser }, LoginError>> {
  const row = await ds.getRepository(AppUserEntity).findOneBy({ email: email.trim().toLowerCase() });
  dummyHash ??= argon2.hash(newToken(), { type: argon2.argon2id });
  const hash = row?.passwordHash ?? (await dummyHash);
  let valid = false;
  try {
    valid = await argon2.verify(hash, password);
  } catch {
    valid = false;
  }
  if (!row || !valid) return err(domainError('INVALID_CREDENTIALS', 'unknown e-mail or wrong password'));
  const token = newToken();
  const now = clock.now();
  const expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
  const e = engineOfDs(ds);
  await writeTransaction(ds, (m) =>
    m.query(`INSERT INTO user_session (token_hash, user_id, created_at, expires_at) VALUES (${placeholders(e, 4)})`, [
      sha256Hex(token),
      row.id,
      new Date(now).toISOString(),
      expiresAt,
    ]),
  );
  return ok({ token, expiresAt, user: toAuthUser(row) });
}

export async function logout(ds: DataSource, token: string): Promise<void> {
  const e = engineOfDs(ds);
  await writeTransaction(ds, (m) => m.query(`DELETE FROM user_session WHERE token_hash = ${placeholders(e, 1)}`, [sha256Hex(token)]));
}

/** The user behind a bearer token, or null when unknown or expired. */
export async function authenticate(ds: DataSource, clock: Clock, token: string): Promise<AuthUser | null> {
  if (token.length < 16 || token.length > 256) return null;
  const e = engineOfDs(ds);
  const rows = (await ds.query(
    `SELECT u.id, u.email, u.name, u.role, u.company_id AS "companyId", u.store_id AS "storeId", s.expires_at AS "expiresAt"
       FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ${placeholders(e, 1)}`,
    [sha256Hex(token)],
  )) as Array<AuthUser & { expiresAt: string }>;
  const r = rows[0];
  if (!r || r.expiresAt <= new Date(clock.now()).toISOString()) return null;
  return toAuthUser(r);
}

function toAuthUser(row: { id: string; email: string; name: string; role: AppUserRole; companyId: string | null; storeId?: string | null }): AuthUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role, companyId: row.companyId, storeId: row.storeId ?? null };
}

/** Store ids the user may see; null = every store (HQ). */
export async function visibleStoreIds(ds: DataSource, user: AuthUser): Promise<string[] | null> {
  if (isFranchiseWide(user.role)) return null;
  if (user.role === 'store_manager') return user.storeId ? [user.storeId] : [];
  if (!user.companyId) return [];
  const stores = await ds.getRepository(StoreEntity).find({ where: { companyId: user.companyId }, select: { id: true } });
  return stores.map((s) => s.id);
}

/** Whether the user may see/act on this store (checked on the server for every store-scoped route). */
export async function canAccessStore(ds: DataSource, user: AuthUser, storeId: string): Promise<boolean> {
  if (isFranchiseWide(user.role)) return true;
  if (user.role === 'store_manager') return user.storeId !== null && user.storeId === storeId;
  if (!user.companyId) return false;
  const store = await ds.getRepository(StoreEntity).findOne({ where: { id: storeId }, select: { id: true, companyId: true } });
  return store !== null && store.companyId === user.companyId;
}

/**
 * Whether the user may act on company-wide rows of this company (staff working in any of its stores): HQ,
 * or a franchisee manager of that company. A store manager's scope is one store, never the whole company.
 */
export function canAccessCompany(user: AuthUser, companyId: string): boolean {
  if (isFranchiseWide(user.role)) return true;
  return user.role === 'franchisee_manager' && user.companyId !== null && user.companyId === companyId;
}
