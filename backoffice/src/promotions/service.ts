/**
 * HQ's promotions: create, change, end; each write checks the definition (schema + checkPromotion + the
 * products, categories, stores and companies it names), records it with its audit entry and its change-feed
 * rows in one transaction, then nudges the tills concerned. HQ defines promotions (`promotions.write`, HQ
 * roles); franchisees and store managers read the ones that can apply in their stores.
 *
 * Feed: a promotion for some stores goes to those stores only (store-scoped rows); one for every store (maybe
 * limited to companies, which the engine checks) is a global row. When the stores change, the tills that no
 * longer get it receive a delete first. Ending a promotion sets its `validTo` to now (never later than it
 * was) and sends it again, so tickets issued before still check against it at HQ and the tills stop applying it.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { checkPromotion, type Promotion } from '@tpv/shared/promotions/definition';
import type { PromotionBody, PromotionItem } from '@tpv/shared/wire/http/promotions';
import type { ChangeInput } from '../persistence/change-log';
import { recordAudit } from '../platform/audit';
import { refused } from '../platform/api';
import { visibleCompanyIds, visibleStoreIds, type AuthUser } from '../auth/service';
import { newRowId } from '../persistence/row-id';
import type { MasterDataService } from '../catalog/service';
import * as repo from './repository';

export function statusOf(p: Promotion, now: number): PromotionItem['status'] {
  if (now < Date.parse(p.conditions.validFrom)) return 'scheduled';
  if (p.conditions.validTo != null && now >= Date.parse(p.conditions.validTo)) return 'ended';
  return 'active';
}

export const itemOf = (r: repo.PromotionRow, now: number): PromotionItem => ({
  ...r.promotion, status: statusOf(r.promotion, now), createdAt: r.createdAt, updatedAt: r.updatedAt,
});

/** The feed rows that put `next` on the tills it targets and take `prev` off the ones it no longer does. */
export function feedChanges(prev: Promotion | null, next: Promotion, at: string): { changes: ChangeInput[]; stores: string[] | null } {
  const targets = (p: Promotion | null): Array<string | null> => (p === null ? [] : p.conditions.storeIds ? [...new Set(p.conditions.storeIds)] : [null]);
  const before = targets(prev);
  const after = targets(next);
  const changes: ChangeInput[] = [];
  for (const s of before) if (!after.includes(s)) changes.push({ entity: 'promotion', entityId: next.id, op: 'delete', storeId: s, createdAt: at });
  for (const s of after) changes.push({ entity: 'promotion', entityId: next.id, op: 'upsert', storeId: s, payload: next, createdAt: at });
  const all = [...before, ...after];
  return { changes, stores: all.includes(null) ? null : [...new Set(all as string[])] };
}

export function createPromotionsService(ds: DataSource, clock: Clock, masterData: MasterDataService) {
  async function checkRefs(m: EntityManager, p: Pick<Promotion, 'rule' | 'conditions'>): Promise<void> {
    const bad = checkPromotion(p);
    if (bad.length > 0) throw refused(422, 'PROMOTION_INVALID', bad[0]!.message, bad[0]!.path);
    const r = p.rule;
    const products = r.kind === 'bundle' ? r.items.map((i) => i.productId) : 'productIds' in r ? r.productIds : [];
    const refs: Array<[('product' | 'category' | 'store' | 'company'), readonly string[], string]> = [
      ['product', products, r.kind === 'bundle' ? 'rule.items' : 'rule.productIds'],
      ['category', r.kind === 'category' ? r.categoryIds : [], 'rule.categoryIds'],
      ['store', p.conditions.storeIds ?? [], 'conditions.storeIds'],
      ['company', p.conditions.companyIds ?? [], 'conditions.companyIds'],
    ];
    for (const [table, ids, field] of refs) {
      const found = await repo.existingIds(m, table, [...new Set(ids)]);
      const missing = ids.find((id) => !found.has(id));
      if (missing !== undefined) throw refused(422, 'REFERENCE_UNKNOWN', `${table} ${missing} no existe / does not exist`, field);
    }
  }

  async function write(user: AuthUser, id: string | null, body: PromotionBody): Promise<PromotionItem> {
    let out: repo.PromotionRow | undefined;
    const r = await masterData.commitChanges(null, async (m, at) => {
      const prev = id === null ? null : await repo.promotionById(m, id);
      if (id !== null && !prev) throw refused(404, 'NOT_FOUND', 'promoción no encontrada / promotion not found');
      await checkRefs(m, body);
      const next: Promotion = { id: id ?? newRowId(clock), name: body.name, rule: body.rule, conditions: body.conditions, priority: body.priority, exclusive: body.exclusive };
      await repo.savePromotion(m, next, at, prev?.endedAt ?? null, prev === null);
      await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: prev ? 'promotion.update' : 'promotion.create', entity: 'promotion', entityId: next.id, before: prev?.promotion ?? null, after: next });
      out = { promotion: next, endedAt: prev?.endedAt ?? null, createdAt: prev?.createdAt ?? at, updatedAt: at };
      return feedChanges(prev?.promotion ?? null, next, at).changes;
    });
    if (!r.ok) throw refused(422, r.error.code, r.error.message);
    return itemOf(out!, clock.now());
  }

  return {
    async list(user: AuthUser, q: { status?: PromotionItem['status'] | undefined; q?: string | undefined }): Promise<PromotionItem[]> {
      const now = clock.now();
      const see = await visibility(user);
      const text = q.q?.toLowerCase();
      return (await repo.listPromotions(ds.manager))
        .filter((r) => see(r.promotion))
        .map((r) => itemOf(r, now))
        .filter((i) => (q.status === undefined || i.status === q.status) && (text === undefined || i.name.toLowerCase().includes(text)));
    },
    async get(user: AuthUser, id: string): Promise<PromotionItem> {
      const r = await repo.promotionById(ds.manager, id);
      if (!r || !(await visibility(user))(r.promotion)) throw refused(404, 'NOT_FOUND', 'promoción no encontrada / promotion not found');
      return itemOf(r, clock.now());
    },
    create: (user: AuthUser, body: PromotionBody) => write(user, null, body),
    update: (user: AuthUser, id: string, body: PromotionBody) => write(user, id, body),
    /** Ends it now (validTo = now unless it already ends earlier). */
    async end(user: AuthUser, id: string): Promise<PromotionItem> {
      let out: repo.PromotionRow | undefined;
      const r = await masterData.commitChanges(null, async (m, at) => {
        const prev = await repo.promotionById(m, id);
        if (!prev) throw refused(404, 'NOT_FOUND', 'promoción no encontrada / promotion not found');
        const c = prev.promotion.conditions;
        if (c.validTo != null && Date.parse(c.validTo) <= Date.parse(at)) throw refused(409, 'PROMOTION_ENDED', 'la promoción ya ha terminado / the promotion has already ended');
        // Ending one that has not started yet: it ends as it starts (never in force).
        const validTo = Date.parse(at) < Date.parse(c.validFrom) ? c.validFrom : at;
        const next: Promotion = { ...prev.promotion, conditions: { ...c, validTo } };
        await repo.savePromotion(m, next, at, at, false);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'promotion.end', entity: 'promotion', entityId: id, before: prev.promotion, after: next });
        out = { promotion: next, endedAt: at, createdAt: prev.createdAt, updatedAt: at };
        return feedChanges(prev.promotion, next, at).changes;
      });
      if (!r.ok) throw refused(422, r.error.code, r.error.message);
      return itemOf(out!, clock.now());
    },
    async totals(user: AuthUser, q: { from: string; to: string; storeId?: string | undefined; promotionId?: string | undefined }) {
      const stores = await visibleStoreIds(ds, user);
      if (q.storeId && stores !== null && !stores.includes(q.storeId)) throw refused(404, 'NOT_FOUND', 'tienda no encontrada / store not found', 'storeId');
      const rows = (await repo.totals(ds.manager, q, stores)).map((r) => ({
        promotionId: r.promotion_id, name: r.name ?? r.promotion_id, storeId: r.store_id, day: r.day, tickets: Number(r.tickets), cents: Number(r.cents),
      }));
      const by = new Map<string, { promotionId: string; name: string; tickets: number; cents: number }>();
      for (const r of rows) {
        const x = by.get(r.promotionId) ?? { promotionId: r.promotionId, name: r.name, tickets: 0, cents: 0 };
        x.tickets += r.tickets;
        x.cents += r.cents;
        by.set(r.promotionId, x);
      }
      return { rows, byPromotion: [...by.values()].sort((a, b) => b.cents - a.cents), totalCents: rows.reduce((s, r) => s + r.cents, 0) };
    },
  };

  /** Which promotions the user sees: HQ all; others those that can apply in one of their stores. */
  async function visibility(user: AuthUser): Promise<(p: Promotion) => boolean> {
    const companies = visibleCompanyIds(user);
    if (companies === null) return () => true;
    const stores = (await visibleStoreIds(ds, user)) ?? [];
    return (p) =>
      (p.conditions.companyIds === undefined || p.conditions.companyIds.some((c) => companies.includes(c))) &&
      (p.conditions.storeIds === undefined || p.conditions.storeIds.some((s) => stores.includes(s)));
  }
}

export type PromotionsService = ReturnType<typeof createPromotionsService>;
