/**
 * Staff queries behind the per-store PIN rule: which stores' tills a staff member is on, and which active
 * colleagues share a till with them. Staff with `store_id` null work in every store of their company.
 */
import { IsNull, Not, type EntityManager } from 'typeorm';
import { CHANGE_LOG_LOCK_KEY } from './change-log';
import { StaffEntity, StoreEntity } from './entities';

export interface StaffPlace {
  companyId: string;
  storeId: string | null;
}

/** The stores whose tills carry this staff member. */
export async function storesOfStaff(m: EntityManager, s: StaffPlace): Promise<string[]> {
  if (s.storeId !== null) return [s.storeId];
  const stores = await m.getRepository(StoreEntity).find({ where: { companyId: s.companyId }, select: { id: true }, order: { id: 'ASC' } });
  return stores.map((x) => x.id);
}

/**
 * Active staff other than `exceptId` who log in at a till where `s` would: for a store, its own staff and
 * the company-wide ones; for company-wide staff, every active member of the company.
 */
export async function activeColleagues(m: EntityManager, s: StaffPlace, exceptId: string): Promise<Array<{ id: string; pinHash: string }>> {
  const base = { companyId: s.companyId, active: true, id: Not(exceptId) };
  const where = s.storeId === null ? [base] : [{ ...base, storeId: s.storeId }, { ...base, storeId: IsNull() }];
  return m.getRepository(StaffEntity).find({ where, select: { id: true, pinHash: true } });
}

/**
 * Serializes staff writes with every other change-feed writer (the change-log advisory lock on PostgreSQL;
 * SQLite writers are serialized already), so two writes cannot both pass the PIN check with the same PIN.
 */
export async function lockStaffWrites(m: EntityManager): Promise<void> {
  if (m.connection.options.type === 'postgres') await m.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [CHANGE_LOG_LOCK_KEY]);
}
