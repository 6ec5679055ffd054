/** SQL of the promotions module (both engines, `?` placeholders through persistence/sql). */
import type { EntityManager } from 'typeorm';
import { PromotionSchema, type Promotion } from '@tpv/shared/promotions/definition';
import { all, exec, inList, one } from '../persistence/sql';

export interface PromotionRow {
  promotion: Promotion;
  endedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Raw { definition: string; ended_at: string | null; created_at: string; updated_at: string }
const fromRaw = (r: Raw): PromotionRow | null => {
  const p = PromotionSchema.safeParse(JSON.parse(r.definition));
  return p.success ? { promotion: p.data, endedAt: r.ended_at, createdAt: r.created_at, updatedAt: r.updated_at } : null;
};

export async function listPromotions(m: EntityManager): Promise<PromotionRow[]> {
  const rows = await all<Raw>(m, 'SELECT definition, ended_at, created_at, updated_at FROM promotion ORDER BY valid_from DESC, id');
  return rows.map(fromRaw).filter((r): r is PromotionRow => r !== null);
}

export async function promotionById(m: EntityManager, id: string): Promise<PromotionRow | null> {
  const r = await one<Raw>(m, 'SELECT definition, ended_at, created_at, updated_at FROM promotion WHERE id = ?', [id]);
  return r ? fromRaw(r) : null;
}

/** Promotions whose validity overlaps [from, to] (ISO instants): the candidates for tickets issued then. */
export async function promotionsOverlapping(m: EntityManager, from: string, to: string): Promise<Promotion[]> {
  const rows = await all<Raw>(m, 'SELECT definition, ended_at, created_at, updated_at FROM promotion WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)', [to, from]);
  return rows.map(fromRaw).filter((r): r is PromotionRow => r !== null).map((r) => r.promotion);
}

export async function savePromotion(m: EntityManager, p: Promotion, at: string, endedAt: string | null, created: boolean): Promise<void> {
  const def = JSON.stringify(p);
  if (created) {
    await exec(m, 'INSERT INTO promotion (id, name, definition, valid_from, valid_to, ended_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      p.id, p.name, def, isoUtc(p.conditions.validFrom), p.conditions.validTo ? isoUtc(p.conditions.validTo) : null, endedAt, at, at,
    ]);
  } else {
    await exec(m, 'UPDATE promotion SET name = ?, definition = ?, valid_from = ?, valid_to = ?, ended_at = ?, updated_at = ? WHERE id = ?', [
      p.name, def, isoUtc(p.conditions.validFrom), p.conditions.validTo ? isoUtc(p.conditions.validTo) : null, endedAt, at, p.id,
    ]);
  }
}

/** Instants compared as text: always UTC with milliseconds. */
export const isoUtc = (iso: string) => new Date(Date.parse(iso)).toISOString();

export async function existingIds(m: EntityManager, table: 'product' | 'category' | 'store' | 'company', ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await all<{ id: string }>(m, `SELECT id FROM "${table}" WHERE id IN (${inList(ids.length)})`, ids);
  return new Set(rows.map((r) => r.id));
}

export async function storesOfCompanies(m: EntityManager, companyIds: readonly string[]): Promise<string[]> {
  if (companyIds.length === 0) return [];
  const rows = await all<{ id: string }>(m, `SELECT id FROM store WHERE company_id IN (${inList(companyIds.length)})`, companyIds);
  return rows.map((r) => r.id);
}

export interface TotalRow { promotion_id: string; name: string | null; store_id: string; day: string; tickets: number | string; cents: number | string }

export async function totals(m: EntityManager, q: { from: string; to: string; storeId?: string | undefined; promotionId?: string | undefined }, storeIds: string[] | null): Promise<TotalRow[]> {
  const where = ['t.day >= ?', 't.day <= ?'];
  const params: unknown[] = [q.from, q.to];
  if (q.storeId) {
    where.push('t.store_id = ?');
    params.push(q.storeId);
  }
  if (q.promotionId) {
    where.push('t.promotion_id = ?');
    params.push(q.promotionId);
  }
  if (storeIds !== null) {
    if (storeIds.length === 0) return [];
    where.push(`t.store_id IN (${inList(storeIds.length)})`);
    params.push(...storeIds);
  }
  return all<TotalRow>(m, `SELECT t.promotion_id, p.name, t.store_id, t.day, t.tickets, t.cents FROM promotion_total t LEFT JOIN promotion p ON p.id = t.promotion_id
    WHERE ${where.join(' AND ')} ORDER BY t.day, t.store_id, t.promotion_id LIMIT 20000`, params);
}
