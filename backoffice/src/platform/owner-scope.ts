/**
 * Who may see a row that belongs to an owner scope (jobs, stored files): franchise-wide roles see all; a
 * franchisee manager their company's rows; a store manager their store's; everybody their own. A row with no
 * company and no store (a catalog import) is franchise-wide: HQ roles and its creator only.
 */
import type { AuthUser } from '../auth/service';
import { isFranchiseWide } from './permissions';

export interface OwnerScope {
  companyId: string | null;
  storeId: string | null;
  createdBy: string | null;
}

/** `null`: no filter (franchise-wide); otherwise the columns one of which must match. */
export interface ScopeFilter {
  userId: string;
  companyId: string | null;
  storeId: string | null;
}

export function scopeFilterOf(user: AuthUser): ScopeFilter | null {
  if (isFranchiseWide(user.role)) return null;
  if (user.role === 'store_manager') return { userId: user.id, companyId: null, storeId: user.storeId ?? '-' };
  return { userId: user.id, companyId: user.companyId ?? '-', storeId: null };
}

export function mayAccessOwned(user: AuthUser, row: OwnerScope): boolean {
  const f = scopeFilterOf(user);
  if (f === null) return true;
  if (row.createdBy !== null && row.createdBy === f.userId) return true;
  if (f.storeId !== null) return row.storeId !== null && row.storeId === f.storeId;
  return row.companyId !== null && row.companyId === f.companyId;
}

/** The scope a user's new job or file gets by default: their store, their company, or franchise-wide. */
export function ownerScopeOf(user: AuthUser): OwnerScope {
  if (isFranchiseWide(user.role)) return { companyId: null, storeId: null, createdBy: user.id };
  return { companyId: user.companyId, storeId: user.role === 'store_manager' ? user.storeId : null, createdBy: user.id };
}

/** `(created_by = ? OR store_id = ?)` / `(created_by = ? OR company_id = ?)` with its params, from `$from`. */
export function scopeSql(f: ScopeFilter, pg: boolean, from: number): { sql: string; params: string[] } {
  const p = (i: number) => (pg ? `$${from + i}` : '?');
  return f.storeId !== null
    ? { sql: `(created_by = ${p(0)} OR store_id = ${p(1)})`, params: [f.userId, f.storeId] }
    : { sql: `(created_by = ${p(0)} OR company_id = ${p(1)})`, params: [f.userId, f.companyId ?? '-'] };
}
