/**
 * Catalog use cases beyond single master-data writes: the product list and detail, bulk edit (one
 * transaction, one audit entry, the feed rows of every product touched), category deletion with its
 * refusals, and suppliers. Products and categories are franchise-wide: HQ writes them, everyone reads.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { domainError, err, ok, type Result } from '@tpv/shared/result';
import { MAX_PRICE_CENTS } from '@tpv/shared/wire/limits';
import type { ChangeInput } from '../persistence/change-log';
import { newRowId } from '../persistence/row-id';
import type { AuthUser } from '../auth/service';
import { hqMay } from '../platform/permissions';
import { recordAudit } from '../platform/audit';
import { barcodePayload, productPayload } from './payloads';
import { scheduleChanges } from './prices';
import { normaliseIban } from './iban';
import * as repo from './repository';
import type { ProductFilter, ProductListRow, SupplierRow } from './repository';
import type { MasterDataError, MasterDataService } from './service';

export type PriceAdjust = { mode: 'percent'; value: number } | { mode: 'delta'; cents: number } | { mode: 'fixed'; cents: number };

export interface BulkEdit {
  /** Either an explicit selection or the list's filters (all matching rows). */
  ids?: string[] | undefined;
  filter?: Omit<ProductFilter, 'ids' | 'categoryIds'> & { categoryId?: string | undefined };
  set: { categoryId?: string | null | undefined; taxRateBp?: 2100 | 1000 | 400 | 0 | undefined; exemption?: string | null | undefined; active?: boolean | undefined; price?: PriceAdjust | undefined };
}

const refuse = (code: MasterDataError['code'], message: string, field: string) => err(domainError(code, message, { errors: [{ path: field, message }] }));
const forbidden = () => err(domainError('FORBIDDEN', 'not allowed for this user'));

export function adjustPrice(cents: number, a: PriceAdjust): number {
  if (a.mode === 'fixed') return a.cents;
  if (a.mode === 'delta') return cents + a.cents;
  return Math.round((cents * (100 + a.value)) / 100);
}

export function createProductService(ds: DataSource, clock: Clock, commit: MasterDataService['commitChanges']) {
  const actor = (u: AuthUser) => ({ id: u.id, email: u.email });

  /** The category and all its descendants (the list's "category" filter is a subtree). */
  async function subtree(id: string): Promise<string[]> {
    const cats = await repo.categoryParents(ds.manager);
    const out = [id];
    for (let i = 0; i < out.length; i++) for (const c of cats) if (c.parentId === out[i] && !out.includes(c.id)) out.push(c.id);
    return out;
  }

  async function filterOf(f: (Omit<ProductFilter, 'categoryIds'> & { categoryId?: string | undefined }) | undefined): Promise<ProductFilter> {
    if (!f) return {};
    const { categoryId, ...rest } = f;
    return { ...rest, ...(categoryId ? { categoryIds: await subtree(categoryId) } : {}) };
  }

  return {
    async list(f: Omit<ProductFilter, 'categoryIds'> & { categoryId?: string | undefined }, sort: keyof typeof repo.PRODUCT_SORTS, dir: 'asc' | 'desc', limit: number, offset: number) {
      return repo.listProducts(ds.manager, await filterOf(f), sort, dir, limit, offset);
    },

    detail: (id: string) => repo.productDetail(ds.manager, id),

    /**
     * One change to many products: all of them or none (a price that would leave the range refuses the
     * whole edit, naming the first product at fault), one audit entry with what changed.
     */
    async bulkEdit(u: AuthUser, b: BulkEdit): Promise<Result<{ updated: number; version: number }, MasterDataError>> {
      if (!hqMay(u, 'catalog.write')) return forbidden();
      const s = b.set;
      if (s.categoryId === undefined && s.taxRateBp === undefined && s.active === undefined && s.price === undefined) return refuse('VALUE_REFUSED', 'nothing to change', 'set');
      if (s.categoryId && !(await repo.categoryUsage(ds.manager, s.categoryId))) return refuse('REFERENCE_UNKNOWN', `category ${s.categoryId} does not exist`, 'set.categoryId');
      if (s.taxRateBp !== undefined && s.taxRateBp !== 0 && s.exemption) return refuse('VALUE_REFUSED', 'an exemption only applies to 0 %', 'set.exemption');
      const ids = b.ids ?? (await repo.productIdsMatching(ds.manager, await filterOf(b.filter)));
      if (ids.length === 0) return refuse('VALUE_REFUSED', 'no product matches the selection', b.ids ? 'ids' : 'filter');
      const before = await repo.productsByIds(ds.manager, ids);
      if (before.length !== new Set(ids).size) {
        const known = new Set(before.map((p) => p.id));
        return refuse('REFERENCE_UNKNOWN', `product ${ids.find((id) => !known.has(id))} does not exist`, 'ids');
      }
      const prices = new Map<string, number>();
      if (s.price) {
        for (const p of before) {
          const next = adjustPrice(p.priceCents, s.price);
          if (!Number.isSafeInteger(next) || next < 0 || next > MAX_PRICE_CENTS) return refuse('VALUE_REFUSED', `${p.sku}: the new price ${next} is out of range`, 'set.price');
          if (next !== p.priceCents) prices.set(p.id, next);
        }
      }
      const v = await commit(null, async (m, at) => {
        await repo.bulkUpdateProducts(m, ids, { ...(s.categoryId !== undefined ? { categoryId: s.categoryId } : {}), ...(s.taxRateBp !== undefined ? { taxRateBp: s.taxRateBp, exemption: s.exemption ?? null } : {}), ...(s.active !== undefined ? { active: s.active } : {}) }, prices);
        const withChanges = new Set((await repo.priceChangesOf(m, [...prices.keys()])).map((c) => c.productId));
        for (const id of withChanges) await repo.supersedeTakenEffect(m, 'base', id, null, at);
        await recordAudit(m, clock, {
          actor: actor(u), action: 'product.bulk_edit', entity: 'product', entityId: `bulk:${ids.length}`,
          before: { count: ids.length, ids: ids.slice(0, 200) }, after: { set: s, priceChanges: prices.size },
        });
        const after = await repo.productsByIds(m, ids);
        const feed: ChangeInput[] = [];
        // A reactivated product comes back to the tills with its barcodes (deactivation deleted both there).
        const revived = s.active === true ? new Set(before.filter((p) => !p.active).map((p) => p.id)) : new Set<string>();
        const barcodes = revived.size > 0 ? await repo.barcodesOf(m, [...revived]) : [];
        for (const p of after) {
          if (!p.active) feed.push({ entity: 'product', entityId: p.id, op: 'delete', createdAt: at });
          else feed.push({ entity: 'product', entityId: p.id, op: 'upsert', createdAt: at, payload: productPayload({ ...p, basePriceCents: p.priceCents }) });
        }
        for (const bc of barcodes) feed.push({ entity: 'barcode', entityId: bc.barcode, op: 'upsert', payload: barcodePayload(bc), createdAt: at });
        if (s.active === false) for (const bc of await repo.barcodesOf(m, ids)) feed.push({ entity: 'barcode', entityId: bc.barcode, op: 'delete', createdAt: at });
        return [...feed, ...(await scheduleChanges(m, [...withChanges], at))];
      });
      return v.ok ? ok({ updated: ids.length, version: v.value }) : v;
    },

    categories: () => repo.listCategories(ds.manager),

    /** Refused while products or sub-categories hang from it (the reason says which and how many). */
    async deleteCategory(u: AuthUser, id: string): Promise<Result<{ version: number }, MasterDataError>> {
      if (!hqMay(u, 'catalog.write')) return forbidden();
      const use = await repo.categoryUsage(ds.manager, id);
      if (!use) return err(domainError('NOT_FOUND', `category ${id} not found`));
      if (use.products > 0) return err(domainError('CONFLICT', `the category has ${use.products} product(s): move them to another category first`, { field: 'id' }));
      if (use.children > 0) return err(domainError('CONFLICT', `the category has ${use.children} sub-categor${use.children === 1 ? 'y' : 'ies'}: move or delete them first`, { field: 'id' }));
      const v = await commit(null, async (m, at) => {
        await repo.deleteCategory(m, id);
        await recordAudit(m, clock, { actor: actor(u), action: 'category.delete', entity: 'category', entityId: id });
        return [{ entity: 'category', entityId: id, op: 'delete', createdAt: at }];
      });
      return v.ok ? ok({ version: v.value }) : v;
    },

    suppliers: (q: string | undefined, active: boolean | undefined, sort: 'name' | 'nif', dir: 'asc' | 'desc', limit: number, offset: number) =>
      repo.listSuppliers(ds.manager, q, active, sort, dir, limit, offset),
    supplier: (id: string) => repo.supplierById(ds.manager, id),

    async saveSupplier(u: AuthUser, id: string | null, s: Omit<SupplierRow, 'id' | 'products'>): Promise<Result<SupplierRow, MasterDataError>> {
      if (!hqMay(u, 'catalog.write')) return forbidden();
      const prev = id ? await repo.supplierById(ds.manager, id) : undefined;
      if (id && !prev) return err(domainError('NOT_FOUND', `supplier ${id} not found`));
      if (s.nif) {
        const clash = await repo.supplierByNif(ds.manager, s.nif);
        if (clash && clash.id !== id) return refuse('CONFLICT', `NIF ${s.nif} belongs to supplier ${clash.id}`, 'nif');
      }
      const iban = normaliseIban(s.iban);
      if (!iban.ok) return refuse('VALUE_REFUSED', iban.message, 'iban');
      const row = { ...s, iban: iban.value, id: id ?? newRowId(clock) };
      const v = await commit(null, async (m, at) => {
        await repo.saveSupplier(m, row, at, prev !== undefined);
        await recordAudit(m, clock, { actor: actor(u), action: prev ? 'supplier.update' : 'supplier.create', entity: 'supplier', entityId: row.id, before: prev, after: row });
        return [];
      });
      return v.ok ? ok(row) : v;
    },
  };
}

export type ProductService = ReturnType<typeof createProductService>;
export type { ProductListRow };
