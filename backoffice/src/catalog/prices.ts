/**
 * Price lists: the base price (the product's), company and store overrides, and scheduled changes with an
 * effective local date and time. Each write, its audit entry and the change-feed rows for the affected
 * stores commit together; the feed carries each store's resolved schedule (pricing.ts `scheduleFor`) ahead
 * of time, so tills switch at the effective instant on their own clock, online or not.
 */
import type { Clock } from '@tpv/shared/clock';
import { DEFAULT_FISCAL_TIME_ZONE } from '@tpv/shared/fiscal/datetime';
import { domainError, err, ok, type Result } from '@tpv/shared/result';
import type { PriceScheduleData } from '@tpv/shared/wire/sync-protocol';
import type { ChangeInput } from '../persistence/change-log';
import { newRowId } from '../persistence/row-id';
import { canAccessCompany, type AuthUser } from '../auth/service';
import { can, hqMay, isFranchiseWide } from '../platform/permissions';
import { recordAudit } from '../platform/audit';
import { pricePayload } from './payloads';
import { localTimeOf, localToUtc, priceAt, scheduleFor, type PriceLevel, type ScheduledPrice } from './pricing';
import * as repo from './repository';
import type { Db, PriceChangeListRow, PriceChangeRow, PriceChangeStatus } from './repository';
import type { MasterDataError, MasterDataService } from './service';

type Commit = MasterDataService['commitChanges'];

const refuse = (code: MasterDataError['code'], message: string, field?: string) =>
  err(domainError(code, message, field ? { errors: [{ path: field, message }] } : undefined));
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });

/**
 * Feed rows carrying the schedules of these products to every store whose tills hold (or held) one: an
 * upsert with the resolved entries, or a delete when nothing is scheduled there any more.
 */
export async function scheduleChanges(m: Db, productIds: readonly string[], nowIso: string): Promise<ChangeInput[]> {
  const changes = await repo.priceChangesOf(m, productIds);
  if (changes.length === 0) return [];
  const stores = await repo.allStores(m);
  const out: ChangeInput[] = [];
  for (const productId of [...new Set(changes.map((c) => c.productId))]) {
    const mine = changes.filter((c) => c.productId === productId);
    const fixed = await repo.fixedPricesOf(m, productId);
    if (!fixed) continue;
    for (const s of stores) {
      const here = mine.filter((c) => c.level === 'base' || (c.level === 'company' && c.companyId === s.companyId) || (c.level === 'store' && c.storeId === s.id));
      if (here.length === 0) continue;
      const live: ScheduledPrice[] = here.filter((c) => c.status === 'scheduled').map((c) => ({ id: c.id, level: c.level, priceCents: c.priceCents, effectiveAt: c.effectiveAt }));
      const entries = scheduleFor({ base: fixed.base, company: fixed.companies.get(s.companyId) ?? null, store: fixed.stores.get(s.id) ?? null }, live, nowIso);
      const payload: PriceScheduleData = { productId, entries };
      out.push(
        entries.length > 0
          ? { entity: 'price_schedule', entityId: productId, op: 'upsert', storeId: s.id, payload, createdAt: nowIso }
          : { entity: 'price_schedule', entityId: productId, op: 'delete', storeId: s.id, createdAt: nowIso },
      );
    }
  }
  return out;
}

/**
 * For a store created after prices were set (organisation module, in the transaction that creates it): the
 * feed rows its tills need beyond the franchise-wide ones — its company's prices and the schedules that
 * reach it. Company prices and schedules are written per existing store, so a new store would miss them.
 */
export async function newStoreCatalogChanges(m: Db, storeId: string, nowIso: string): Promise<ChangeInput[]> {
  const store = await repo.storeRef(m, storeId);
  if (!store) return [];
  const prices: ChangeInput[] = (await repo.companyPricesForStore(m, storeId, store.companyId)).map((p) => ({
    entity: 'price', entityId: p.productId, op: 'upsert', storeId, payload: pricePayload(p), createdAt: nowIso,
  }));
  const schedules = (await scheduleChanges(m, await repo.productsWithPriceChanges(m), nowIso)).filter((c) => c.storeId === storeId && c.op === 'upsert');
  return [...prices, ...schedules];
}

export interface ScheduleInput {
  productId: string;
  level: PriceLevel;
  companyId?: string | null | undefined;
  storeId?: string | null | undefined;
  priceCents: number;
  /** `yyyy-mm-ddThh:mm`, wall time in the store's zone (company/base: `timezone`, default Europe/Madrid). */
  effectiveLocal: string;
  timezone?: string | undefined;
}

export interface EffectivePrice {
  productId: string;
  storeId: string;
  at: string;
  priceCents: number;
}

export function createPriceService(ds: import('typeorm').DataSource, clock: Clock, commit: Commit) {
  const nowIso = () => new Date(clock.now()).toISOString();
  const companiesOf = (u: AuthUser): string[] | null => (isFranchiseWide(u.role) ? null : u.companyId ? [u.companyId] : []);

  /** Who may write at a level: base needs franchise-wide `prices.write`; company/store the scope too. */
  async function mayWrite(u: AuthUser, level: PriceLevel, companyId: string | null, storeId: string | null): Promise<boolean> {
    if (level === 'base') return hqMay(u, 'prices.write');
    if (!can(u, 'prices.write')) return false;
    if (level === 'company') return u.role !== 'store_manager' && canAccessCompany(u, companyId!);
    const s = await repo.storeRef(ds.manager, storeId!);
    if (!s) return false;
    if (isFranchiseWide(u.role)) return true;
    return u.role === 'store_manager' ? u.storeId === s.id : u.companyId === s.companyId;
  }

  return {
    async schedule(u: AuthUser, input: ScheduleInput): Promise<Result<PriceChangeRow, MasterDataError>> {
      const companyId = input.level === 'company' ? (input.companyId ?? null) : null;
      const storeId = input.level === 'store' ? (input.storeId ?? null) : null;
      if (input.level === 'company' && !companyId) return refuse('VALUE_REFUSED', 'a company price change needs companyId', 'companyId');
      if (input.level === 'store' && !storeId) return refuse('VALUE_REFUSED', 'a store price change needs storeId', 'storeId');
      if (!(await repo.fixedPricesOf(ds.manager, input.productId))) return refuse('REFERENCE_UNKNOWN', `product ${input.productId} does not exist`, 'productId');
      const store = storeId ? await repo.storeRef(ds.manager, storeId) : undefined;
      if (storeId && !store) return refuse('REFERENCE_UNKNOWN', `store ${storeId} does not exist`, 'storeId');
      if (companyId && !(await repo.companyExists(ds.manager, companyId))) return refuse('REFERENCE_UNKNOWN', `company ${companyId} does not exist`, 'companyId');
      if (!(await mayWrite(u, input.level, companyId, storeId))) return err(domainError('FORBIDDEN', 'not allowed for this user'));
      // A store's changes are in its own zone; company and base ones in the zone given (Spain by default).
      const timezone = store?.timezone ?? input.timezone ?? DEFAULT_FISCAL_TIME_ZONE;
      let utc: ReturnType<typeof localToUtc>;
      try {
        utc = localToUtc(input.effectiveLocal, timezone);
      } catch {
        return refuse('VALUE_REFUSED', `unknown time zone ${timezone}`, 'timezone');
      }
      if (!utc.ok) return refuse('VALUE_REFUSED', utc.reason, 'effectiveLocal');
      const now = nowIso();
      if (utc.iso <= now) return refuse('VALUE_REFUSED', `${input.effectiveLocal} (${timezone}) is not in the future`, 'effectiveLocal');
      const row: PriceChangeRow = {
        id: newRowId(clock), productId: input.productId, level: input.level, companyId, storeId, priceCents: input.priceCents,
        effectiveAt: utc.iso, localTime: input.effectiveLocal, timezone, status: 'scheduled', createdAt: now, createdBy: u.id, cancelledAt: null,
      };
      const v = await commit(storeId ? [storeId] : null, async (m, at) => {
        await repo.insertPriceChange(m, row);
        await recordAudit(m, clock, { actor: actorOf(u), action: 'price.schedule', entity: 'price_change', entityId: row.id, companyId: companyId ?? store?.companyId ?? null, storeId, after: row });
        return scheduleChanges(m, [row.productId], at);
      });
      return v.ok ? ok(row) : v;
    },

    /** Only a change still to come can be cancelled; the tills drop it from their schedule. */
    async cancel(u: AuthUser, id: string): Promise<Result<PriceChangeRow, MasterDataError>> {
      const row = await repo.priceChangeById(ds.manager, id);
      if (!row) return err(domainError('NOT_FOUND', `price change ${id} not found`));
      if (!(await mayWrite(u, row.level, row.companyId, row.storeId))) return err(domainError('FORBIDDEN', 'not allowed for this user'));
      if (row.status !== 'scheduled') return refuse('CONFLICT', `price change ${id} is ${row.status}`);
      if (row.effectiveAt <= nowIso()) return refuse('CONFLICT', `price change ${id} took effect at ${row.localTime} (${row.timezone}); set a new price instead`);
      const v = await commit(row.storeId ? [row.storeId] : null, async (m, at) => {
        await repo.cancelPriceChange(m, id, at);
        await recordAudit(m, clock, { actor: actorOf(u), action: 'price.cancel', entity: 'price_change', entityId: id, companyId: row.companyId, storeId: row.storeId, before: row, after: { ...row, status: 'cancelled', cancelledAt: at } });
        return scheduleChanges(m, [row.productId], at);
      });
      return v.ok ? ok({ ...row, status: 'cancelled' as PriceChangeStatus, cancelledAt: nowIso() }) : v;
    },

    /** A company's fixed price: its stores without their own price get it as their `price`. */
    async setCompanyPrice(u: AuthUser, companyId: string, productId: string, priceCents: number | null): Promise<Result<{ version: number }, MasterDataError>> {
      if (!(await repo.companyExists(ds.manager, companyId))) return err(domainError('NOT_FOUND', `company ${companyId} not found`));
      if (!(await repo.fixedPricesOf(ds.manager, productId))) return err(domainError('NOT_FOUND', `product ${productId} not found`));
      if (!(await mayWrite(u, 'company', companyId, null))) return err(domainError('FORBIDDEN', 'not allowed for this user'));
      const before = await repo.companyPrice(ds.manager, companyId, productId);
      if (priceCents === null && before === null) return err(domainError('NOT_FOUND', `no price of product ${productId} for company ${companyId}`));
      const stores = (await repo.allStores(ds.manager)).filter((s) => s.companyId === companyId);
      const v = await commit(stores.map((s) => s.id), async (m, at) => {
        if (priceCents === null) await repo.deleteCompanyPrice(m, companyId, productId);
        else await repo.upsertCompanyPrice(m, companyId, productId, priceCents);
        await repo.supersedeTakenEffect(m, 'company', productId, companyId, at);
        await recordAudit(m, clock, { actor: actorOf(u), action: priceCents === null ? 'price.company.delete' : 'price.company.set', entity: 'company_price', entityId: productId, companyId, before: { priceCents: before }, after: { priceCents } });
        const own = await repo.storesWithOwnPrice(m, productId);
        const feed: ChangeInput[] = stores
          .filter((s) => !own.has(s.id))
          .map((s): ChangeInput =>
            priceCents === null
              ? { entity: 'price', entityId: productId, op: 'delete', storeId: s.id, createdAt: at }
              : { entity: 'price', entityId: productId, op: 'upsert', storeId: s.id, payload: pricePayload({ productId, priceCents }), createdAt: at },
          );
        return [...feed, ...(await scheduleChanges(m, [productId], at))];
      });
      return v.ok ? ok({ version: v.value }) : v;
    },

    /** The price a store sells at, at an instant (default now). */
    async effective(u: AuthUser, storeId: string, productId: string, atIso?: string): Promise<Result<EffectivePrice, MasterDataError>> {
      const store = await repo.storeRef(ds.manager, storeId);
      if (!store) return err(domainError('NOT_FOUND', `store ${storeId} not found`));
      if (!isFranchiseWide(u.role) && (u.role === 'store_manager' ? u.storeId !== storeId : u.companyId !== store.companyId)) return err(domainError('FORBIDDEN', 'not allowed for this user'));
      const fixed = await repo.fixedPricesOf(ds.manager, productId);
      if (!fixed) return err(domainError('NOT_FOUND', `product ${productId} not found`));
      const at = atIso ?? nowIso();
      const live = (await repo.priceChangesOf(ds.manager, [productId])).filter(
        (c) => c.status === 'scheduled' && (c.level === 'base' || (c.level === 'company' && c.companyId === store.companyId) || (c.level === 'store' && c.storeId === storeId)),
      );
      const priceCents = priceAt({ base: fixed.base, company: fixed.companies.get(store.companyId) ?? null, store: fixed.stores.get(storeId) ?? null }, live, at);
      return ok({ productId, storeId, at, priceCents });
    },

    /** A product's price list: base, overrides per company and store (in the caller's scope), changes. */
    async ofProduct(u: AuthUser, productId: string) {
      const fixed = await repo.fixedPricesOf(ds.manager, productId);
      if (!fixed) return err(domainError('NOT_FOUND', `product ${productId} not found`));
      const scope = companiesOf(u);
      const stores = await repo.allStores(ds.manager);
      const storeOk = (id: string) => {
        if (u.role === 'store_manager') return u.storeId === id;
        const s = stores.find((x) => x.id === id);
        return scope === null || (s !== undefined && scope.includes(s.companyId));
      };
      const changes = (await repo.priceChangesOf(ds.manager, [productId])).filter(
        (c) => c.level === 'base' || (c.companyId !== null && (scope === null || scope.includes(c.companyId))) || (c.storeId !== null && storeOk(c.storeId)),
      );
      return ok({
        productId,
        basePriceCents: fixed.base,
        companies: [...fixed.companies].filter(([id]) => scope === null || scope.includes(id)).map(([companyId, priceCents]) => ({ companyId, priceCents })),
        stores: [...fixed.stores].filter(([id]) => storeOk(id)).map(([storeId, priceCents]) => ({ storeId, priceCents })),
        changes,
      });
    },

    async list(u: AuthUser, f: Omit<repo.PriceChangeFilter, 'companies'> & { upcoming?: boolean | undefined }, sort: string, dir: 'asc' | 'desc', limit: number, offset: number): Promise<{ rows: PriceChangeListRow[]; total: number }> {
      let companies = companiesOf(u);
      if (u.role === 'store_manager') companies = u.companyId ? [u.companyId] : [];
      return repo.listPriceChanges(ds.manager, { ...f, companies, ...(f.upcoming ? { after: nowIso(), status: f.status ?? 'scheduled' } : {}) }, sort, dir, limit, offset);
    },

    localTimeOf,
  };
}

export type PriceService = ReturnType<typeof createPriceService>;
