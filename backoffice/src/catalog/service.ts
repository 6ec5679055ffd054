/**
 * HQ master-data writes. Every write and its change_log rows commit in one transaction; afterwards the
 * terminals of the affected stores are nudged (`catalog:changed`). Managers may set their own stores'
 * prices, notices and staff; products, categories and customers are franchise-wide (HQ only). A write is
 * checked against the scope of the row it overwrites as well as against the body.
 */
import argon2 from 'argon2';
import { hashSecret } from '../auth/secret-hash';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { domainError, err, ok, type DomainError, type Result } from '@tpv/shared/result';
import type { ChangeInput } from '../persistence/change-log';
import type { StaffRole } from '../persistence/entities';
import { writeTransaction } from '../persistence/raw';
import { constraintViolation, type ConstraintViolation } from '../persistence/constraints';
import { canAccessCompany, canAccessStore, type AuthUser } from '../auth/service';
import { hqMay, isFranchiseWide } from '../platform/permissions';
import { activeColleagues, lockStaffWrites, storesOfStaff } from '../persistence/staff';
import { recordAudit } from '../platform/audit';
import { appendChanges } from './changes';
import { scheduleChanges } from './prices';
import * as repo from './repository';
import { customerErased } from '../privacy/repository';
import { customerChange } from '../crm/feed';
import { barcodePayload, categoryPayload, noticePayload, pricePayload, productPayload, staffPayload } from './payloads';

export type MasterDataErrorCode = 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'PIN_TAKEN' | 'PIN_REQUIRED' | 'REFERENCE_UNKNOWN' | 'CATEGORY_CYCLE' | 'VALUE_REFUSED';
export type MasterDataError = DomainError<MasterDataErrorCode>;

export interface MasterDataHooks {
  /** After commit: store ids affected (null = every store) and the new feed version. */
  changed(storeIds: string[] | null, version: number): void;
  productsKnown(ids: string[]): void;
}

export interface ProductInput {
  sku: string;
  name: string;
  categoryId: string | null;
  taxRateBp: 2100 | 1000 | 400 | 0;
  exemption: string | null;
  weighed: boolean;
  priceCents: number;
  active: boolean;
  barcodes?: string[] | undefined;
  nameEn?: string | null | undefined;
  costCents?: number | null | undefined;
  /** Replaced whole when given. */
  packs?: Array<{ name: string; units: number; barcode: string | null }> | undefined;
  /** Replaced whole when given. */
  suppliers?: Array<{ supplierId: string; reference: string | null; costCents: number | null }> | undefined;
}

export function createMasterDataService(ds: DataSource, clock: Clock, hooks: MasterDataHooks) {
  const now = () => new Date(clock.now()).toISOString();
  const forbidden = () => err(domainError('FORBIDDEN', 'not allowed for this user'));
  const notFound = (what: string) => err(domainError('NOT_FOUND', `${what} not found`));
  const pinRequired = (why: string) => err(domainError('PIN_REQUIRED', why, { field: 'pin' }));
  const pinTaken = () => err(domainError('PIN_TAKEN', 'another active staff member of this store already has this PIN', { field: 'pin' }));

  /** Store notices: whoever may act on the store; franchise-wide notices (store null): HQ only. */
  const mayWriteNoticeAt = async (user: AuthUser, storeId: string | null) => (storeId === null ? hqMay(user, 'notices.write') : canAccessStore(ds, user, storeId));
  /** Store staff: whoever may act on the store, within the staff's company; company-wide staff: HQ or that company's manager. */
  const mayWriteStaffAt = async (user: AuthUser, s: { companyId: string; storeId: string | null }) => {
    if (!isFranchiseWide(user.role) && !user.companyIds.includes(s.companyId)) return false;
    return s.storeId === null ? canAccessCompany(user, s.companyId) : canAccessStore(ds, user, s.storeId);
  };
  /**
   * Whether the PIN opens one of these colleagues' argon2 hashes. PINs are only stored as argon2id hashes
   * (the tills verify them offline), so a clash is found by verifying the new PIN against each colleague
   * who shares a till: one verify per colleague on a staff write, nothing on the hot paths. `checked`
   * remembers (id, hash) pairs already verified so the re-check under the lock only covers new writes.
   */
  const pinClash = async (colleagues: Array<{ id: string; pinHash: string }>, pin: string, checked: Set<string>) => {
    const todo = colleagues.filter((c) => !checked.has(`${c.id}:${c.pinHash}`));
    for (const c of todo) checked.add(`${c.id}:${c.pinHash}`);
    const hits = await Promise.all(todo.map((c) => argon2.verify(c.pinHash, pin).catch(() => false)));
    return hits.includes(true);
  };

  /** A refusal naming the body fields at fault (problem+json `errors[]`). */
  const refuse = (code: MasterDataErrorCode, message: string, fields: string[]) =>
    err(domainError(code, message, { errors: fields.map((path) => ({ path, message })) }));
  const unknownRef = (field: string, what: string) => refuse('REFERENCE_UNKNOWN', `${what} does not exist`, [field]);

  /** What the database refused, as the caller's error (the pre-checks below catch the usual cases by name first). */
  function fromConstraint(v: ConstraintViolation) {
    const fields = v.fields.length > 0 ? v.fields : ['body'];
    if (v.kind === 'unique') return refuse('CONFLICT', `${fields.join(', ')} already used by another record`, fields);
    if (v.kind === 'foreign_key') return refuse('REFERENCE_UNKNOWN', 'a referenced record does not exist', fields);
    return refuse('VALUE_REFUSED', `value refused by the database (${v.kind})`, fields);
  }

  async function commit(storeIds: string[] | null, fn: (m: EntityManager, at: string) => Promise<ChangeInput[]>): Promise<Result<number, MasterDataError>> {
    let version: number;
    try {
      version = await writeTransaction(ds, async (m) => appendChanges(m, await fn(m, now())));
    } catch (e) {
      const v = constraintViolation(e);
      if (!v) throw e;
      return fromConstraint(v);
    }
    if (version > 0) hooks.changed(storeIds, version);
    return ok(version);
  }

  /** The category would become its own ancestor. */
  async function makesCycle(id: string, parentId: string): Promise<boolean> {
    const seen = new Set<string>();
    for (let at: string | null = parentId; at !== null; ) {
      if (at === id || seen.has(at)) return true;
      seen.add(at);
      at = await repo.categoryParentOf(ds.manager, at);
    }
    return false;
  }

  const actor = (u: AuthUser) => ({ id: u.id, email: u.email });

  return {
    /** The transaction every catalog write uses: its feed rows, then the tills of `storeIds` (null: all) nudged. */
    commitChanges: commit,

    async putProduct(user: AuthUser, id: string, p: ProductInput): Promise<Result<{ version: number }, MasterDataError>> {
      if (!hqMay(user, 'catalog.write')) return forbidden();
      if (p.categoryId !== null && !(await repo.categoryExists(ds.manager, p.categoryId))) return unknownRef('categoryId', `category ${p.categoryId}`);
      const clash = await repo.productBySku(ds.manager, p.sku);
      if (clash && clash.id !== id) return refuse('CONFLICT', `sku ${p.sku} belongs to product ${clash.id}`, ['sku']);
      if (p.barcodes) {
        const taken = await repo.unitBarcodesAmong(ds.manager, p.barcodes);
        const other = taken.find((b) => b.productId !== id);
        if (other) return refuse('CONFLICT', `barcode ${other.barcode} belongs to product ${other.productId}`, [`barcodes.${p.barcodes.indexOf(other.barcode)}`]);
        const packClash = await repo.packBarcodeOwner(ds.manager, p.barcodes, id);
        if (packClash) return refuse('CONFLICT', `barcode ${packClash.barcode} is the pack barcode of product ${packClash.productId}`, [`barcodes.${p.barcodes.indexOf(packClash.barcode)}`]);
      }
      if (p.packs) {
        const codes = p.packs.map((x) => x.barcode).filter((x): x is string => x !== null);
        const own = new Set(p.barcodes ?? []);
        const i = p.packs.findIndex((x) => x.barcode !== null && own.has(x.barcode));
        if (i >= 0) return refuse('CONFLICT', `barcode ${p.packs[i]!.barcode} is also a unit barcode`, [`packs.${i}.barcode`]);
        const taken = await repo.barcodeOwner(ds.manager, codes, id);
        if (taken) return refuse('CONFLICT', `barcode ${taken.barcode} belongs to product ${taken.productId}`, [`packs.${p.packs.findIndex((x) => x.barcode === taken.barcode)}.barcode`]);
      }
      if (p.suppliers) {
        const known = await repo.existingSuppliers(ds.manager, p.suppliers.map((x) => x.supplierId));
        const i = p.suppliers.findIndex((x) => !known.has(x.supplierId));
        if (i >= 0) return unknownRef(`suppliers.${i}.supplierId`, `supplier ${p.suppliers[i]!.supplierId}`);
      }
      const version = await commit(null, async (m, at) => {
        const prev = await repo.productById(m, id);
        const row = {
          id, sku: p.sku, name: p.name, categoryId: p.categoryId, taxRateBp: p.taxRateBp, exemption: p.exemption, weighed: p.weighed,
          basePriceCents: p.priceCents, active: p.active, version: (prev?.version ?? 0) + 1,
          nameEn: p.nameEn !== undefined ? p.nameEn : (prev?.nameEn ?? null),
          costCents: p.costCents !== undefined ? p.costCents : (prev?.costCents ?? null),
        };
        await repo.saveProduct(m, row);
        // Pack barcodes travel as barcodes with their units (one scan of the box rings up 12).
        const packFeed: ChangeInput[] = [];
        if (p.packs) {
          const old = await repo.replacePacks(m, clock, id, p.packs);
          const kept = new Set(p.packs.map((x) => x.barcode).filter((x): x is string => x !== null));
          for (const b of old.filter((b) => !kept.has(b))) packFeed.push({ entity: 'barcode', entityId: b, op: 'delete', createdAt: at });
          for (const x of p.packs) if (x.barcode) packFeed.push({ entity: 'barcode', entityId: x.barcode, op: 'upsert', payload: barcodePayload({ barcode: x.barcode, productId: id, units: x.units }), createdAt: at });
        }
        if (p.suppliers) await repo.replaceProductSuppliers(m, id, p.suppliers);
        await recordAudit(m, clock, { actor: actor(user), action: prev ? 'product.update' : 'product.create', entity: 'product', entityId: id, before: prev, after: { ...row, barcodes: p.barcodes, packs: p.packs, suppliers: p.suppliers } });
        const changes: ChangeInput[] = [{ entity: 'product', entityId: id, op: 'upsert', payload: productPayload(row), createdAt: at }];
        // A new base price supersedes base changes already in force; the stores' schedules follow.
        if (prev && Number(prev.basePriceCents) !== p.priceCents) await repo.supersedeTakenEffect(m, 'base', id, null, at);
        if (p.barcodes) {
          const current = await repo.unitBarcodesOf(m, id);
          const want = new Set(p.barcodes);
          for (const b of current.filter((b) => !want.has(b.barcode))) {
            await repo.deleteUnitBarcode(m, b.barcode);
            changes.push({ entity: 'barcode', entityId: b.barcode, op: 'delete', createdAt: at });
          }
          const have = new Set(current.map((b) => b.barcode));
          for (const barcode of p.barcodes.filter((b) => !have.has(b))) {
            await repo.insertUnitBarcode(m, barcode, id);
            changes.push({ entity: 'barcode', entityId: barcode, op: 'upsert', payload: barcodePayload({ barcode, productId: id }), createdAt: at });
          }
        }
        return [...changes, ...packFeed, ...(await scheduleChanges(m, [id], at))];
      });
      if (!version.ok) return version;
      hooks.productsKnown([id]);
      return ok({ version: version.value });
    },

    /** Products are never erased (tickets and stock refer to them): deactivated, and deleted on the tills. */
    async deleteProduct(user: AuthUser, id: string): Promise<Result<{ version: number }, MasterDataError>> {
      if (!hqMay(user, 'catalog.write')) return forbidden();
      const prev = await repo.productById(ds.manager, id);
      if (!prev) return notFound(`product ${id}`);
      const version = await commit(null, async (m, at) => {
        await repo.deactivateProduct(m, id, prev.version + 1);
        await recordAudit(m, clock, { actor: actor(user), action: 'product.deactivate', entity: 'product', entityId: id, before: { active: prev.active }, after: { active: false } });
        const barcodes = [...(await repo.unitBarcodesOf(m, id)), ...(await repo.packBarcodesOf(m, id)).map((barcode) => ({ barcode }))];
        return [
          { entity: 'product', entityId: id, op: 'delete', createdAt: at },
          ...barcodes.map((b): ChangeInput => ({ entity: 'barcode', entityId: b.barcode, op: 'delete', createdAt: at })),
        ];
      });
      return version.ok ? ok({ version: version.value }) : version;
    },

    async putStorePrice(user: AuthUser, storeId: string, productId: string, priceCents: number): Promise<Result<{ version: number }, MasterDataError>> {
      if (!(await repo.storeExists(ds.manager, storeId))) return notFound(`store ${storeId}`);
      if (!(await canAccessStore(ds, user, storeId))) return forbidden();
      if (!(await repo.productExists(ds.manager, productId))) return notFound(`product ${productId}`);
      const version = await commit([storeId], async (m, at) => {
        const before = await repo.storePrice(m, storeId, productId);
        await repo.saveStorePrice(m, storeId, productId, priceCents);
        await repo.supersedeTakenEffect(m, 'store', productId, storeId, at);
        await recordAudit(m, clock, { actor: actor(user), action: 'price.store.set', entity: 'store_price', entityId: productId, storeId, before: { priceCents: before }, after: { priceCents } });
        return [
          { entity: 'price', entityId: productId, op: 'upsert', storeId, payload: pricePayload({ productId, priceCents }), createdAt: at },
          ...(await scheduleChanges(m, [productId], at)),
        ];
      });
      return version.ok ? ok({ version: version.value }) : version;
    },

    async deleteStorePrice(user: AuthUser, storeId: string, productId: string): Promise<Result<{ version: number }, MasterDataError>> {
      if (!(await repo.storeExists(ds.manager, storeId))) return notFound(`store ${storeId}`);
      if (!(await canAccessStore(ds, user, storeId))) return forbidden();
      // Nothing to delete: a 404, and no till is nudged for it.
      if (!(await repo.storePriceExists(ds.manager, storeId, productId))) return notFound(`price of product ${productId} in store ${storeId}`);
      const version = await commit([storeId], async (m, at) => {
        const before = await repo.storePrice(m, storeId, productId);
        await repo.deleteStorePrice(m, storeId, productId);
        await repo.supersedeTakenEffect(m, 'store', productId, storeId, at);
        await recordAudit(m, clock, { actor: actor(user), action: 'price.store.delete', entity: 'store_price', entityId: productId, storeId, before: { priceCents: before } });
        // Without its own price the store sells at its company's, if that has one, else at the base.
        const company = await repo.companyPrice(m, (await repo.storeRef(m, storeId))!.companyId, productId);
        return [
          company === null
            ? { entity: 'price', entityId: productId, op: 'delete', storeId, createdAt: at }
            : { entity: 'price', entityId: productId, op: 'upsert', storeId, payload: pricePayload({ productId, priceCents: company }), createdAt: at },
          ...(await scheduleChanges(m, [productId], at)),
        ];
      });
      return version.ok ? ok({ version: version.value }) : version;
    },

    async putCategory(user: AuthUser, id: string, c: { name: string; parentId: string | null; sort: number }): Promise<Result<{ version: number }, MasterDataError>> {
      if (!hqMay(user, 'catalog.write')) return forbidden();
      if (c.parentId !== null) {
        if (c.parentId !== id && !(await repo.categoryExists(ds.manager, c.parentId))) return unknownRef('parentId', `category ${c.parentId}`);
        if (await makesCycle(id, c.parentId)) return refuse('CATEGORY_CYCLE', `category ${id} cannot be its own parent or ancestor`, ['parentId']);
      }
      const version = await commit(null, async (m, at) => {
        const prev = await repo.categoryById(m, id);
        await repo.saveCategory(m, { id, name: c.name, parentId: c.parentId, active: true, version: (prev?.version ?? 0) + 1 }, c.sort);
        await recordAudit(m, clock, { actor: actor(user), action: prev ? 'category.update' : 'category.create', entity: 'category', entityId: id, before: prev, after: { id, ...c } });
        return [{ entity: 'category', entityId: id, op: 'upsert', payload: categoryPayload({ id, ...c }), createdAt: at }];
      });
      return version.ok ? ok({ version: version.value }) : version;
    },

    async putCustomer(
      user: AuthUser,
      id: string,
      c: { nif: string | null; name: string; email: string | null; reRegime: boolean; creditLimitCents: number; active: boolean },
    ): Promise<Result<{ version: number }, MasterDataError>> {
      if (!hqMay(user, 'customers.write')) return forbidden();
      // Data protection: an erased customer stays anonymised (privacy/erasure.ts).
      if (await customerErased(ds.manager, id)) return refuse('CONFLICT', `customer ${id} was erased (data protection): it cannot be edited`, ['id']);
      if (c.nif !== null) {
        const clash = await repo.customerIdByNif(ds.manager, c.nif);
        if (clash !== undefined && clash !== id) return refuse('CONFLICT', `NIF ${c.nif} belongs to customer ${clash}`, ['nif']);
      }
      const version = await commit(null, async (m, at) => {
        const prev = await repo.customerById(m, id);
        await repo.saveCustomer(m, { id, ...c, version: (prev?.version ?? 0) + 1 });
        await recordAudit(m, clock, { actor: actor(user), action: prev ? 'customer.update' : 'customer.create', entity: 'customer', entityId: id, before: prev, after: { id, ...c } });
        // A block of dunning / credit control (collections) stays in force across an edit of the customer.
        // The whole row as the tills hold it (the block, the CRM's contact data and segments stay across an edit).
        return [await customerChange(m, id, at)];
      });
      return version.ok ? ok({ version: version.value }) : version;
    },

    async putNotice(
      user: AuthUser,
      id: string,
      n: { storeId: string | null; title: string; body: string; validUntil: string | null },
    ): Promise<Result<{ version: number }, MasterDataError>> {
      // The notice as it is now must be the caller's too, not only where the body puts it.
      const prev = await repo.noticeById(ds.manager, id);
      if (prev && !(await mayWriteNoticeAt(user, prev.storeId))) return forbidden();
      if (!(await mayWriteNoticeAt(user, n.storeId))) return forbidden();
      if (n.storeId !== null && !(await repo.storeExists(ds.manager, n.storeId))) return unknownRef('storeId', `store ${n.storeId}`);
      // Moved away from a store: that store's tills delete it (the delete is ordered before the upsert).
      const movedFrom = prev && prev.storeId !== null && prev.storeId !== n.storeId ? prev.storeId : null;
      const nudge = n.storeId === null ? null : movedFrom ? [movedFrom, n.storeId] : [n.storeId];
      const version = await commit(nudge, async (m, at) => {
        await repo.saveNotice(m, { id, storeId: n.storeId, title: n.title, body: n.body, startsAt: null, endsAt: n.validUntil, active: true, version: (prev?.version ?? 0) + 1 });
        await recordAudit(m, clock, { actor: actor(user), action: prev ? 'notice.update' : 'notice.create', entity: 'notice', entityId: id, storeId: n.storeId, before: prev, after: { id, ...n } });
        const changes: ChangeInput[] = movedFrom ? [{ entity: 'notice', entityId: id, op: 'delete', storeId: movedFrom, createdAt: at }] : [];
        changes.push({ entity: 'notice', entityId: id, op: 'upsert', storeId: n.storeId, payload: noticePayload({ id, title: n.title, body: n.body, endsAt: n.validUntil }), createdAt: at });
        return changes;
      });
      return version.ok ? ok({ version: version.value }) : version;
    },

    /**
     * Staff are written only by someone who may act both where the member works now and where the body
     * puts them. Their tills get the upsert; tills of stores they leave get a delete. An active member's
     * PIN must be unique at every till they log in at (see `pinClash`).
     */
    async putStaff(
      user: AuthUser,
      id: string,
      s: { companyId: string; storeId: string | null; code: string; name: string; role: StaffRole; pin?: string | undefined; active: boolean },
      /** More writes of the same change (an employee hired or leaving, people/), in the staff write's transaction. */
      also?: (m: EntityManager, at: string) => Promise<void>,
    ): Promise<Result<{ version: number }, MasterDataError>> {
      const prev = await repo.staffById(ds.manager, id);
      if (prev && !(await mayWriteStaffAt(user, prev))) return forbidden();
      if (!(await mayWriteStaffAt(user, s))) return forbidden();
      if (!(await repo.companyExists(ds.manager, s.companyId))) return unknownRef('companyId', `company ${s.companyId}`);
      if (s.storeId !== null) {
        const store = await repo.storeRef(ds.manager, s.storeId);
        if (!store || store.companyId !== s.companyId) return unknownRef('storeId', `store ${s.storeId} of company ${s.companyId}`);
      }
      const sameCode = await repo.staffIdByCode(ds.manager, s.companyId, s.code);
      if (sameCode !== undefined && sameCode !== id) return refuse('CONFLICT', `staff code ${s.code} belongs to ${sameCode} in this company`, ['code']);
      const stores = await storesOfStaff(ds.manager, s);
      const before = prev ? await storesOfStaff(ds.manager, prev) : [];
      const left = before.filter((x) => !stores.includes(x));
      if (s.pin === undefined) {
        // A kept PIN (only its hash is known) cannot be checked against new colleagues: ask for a new one.
        if (!prev) return pinRequired('a new staff member needs a PIN');
        const joins = !prev.active || stores.some((x) => !before.includes(x));
        if (s.active && joins) return pinRequired('staff moved to another store or reactivated need a new PIN (PINs are unique per store)');
      }
      const checked = new Set<string>();
      if (s.active && s.pin !== undefined && (await pinClash(await activeColleagues(ds.manager, s, id), s.pin, checked))) return pinTaken();
      const pinHash = s.pin !== undefined ? await hashSecret(s.pin) : prev!.pinHash;
      let clash = false;
      const version = await commit([...stores, ...left], async (m, at) => {
        await lockStaffWrites(m);
        // Colleagues written since the check above (normally none) are checked under the lock.
        if (s.active && s.pin !== undefined && (await pinClash(await activeColleagues(m, s, id), s.pin, checked))) {
          clash = true;
          return [];
        }
        const row = { id, companyId: s.companyId, storeId: s.storeId, code: s.code, name: s.name, role: s.role, pinHash, active: s.active, version: (prev?.version ?? 0) + 1 };
        await repo.saveStaff(m, row);
        await recordAudit(m, clock, { actor: actor(user), action: prev ? 'staff.update' : 'staff.create', entity: 'staff', entityId: id, companyId: s.companyId, storeId: s.storeId, before: prev, after: row });
        await also?.(m, at);
        return [
          ...left.map((storeId): ChangeInput => ({ entity: 'staff', entityId: id, op: 'delete', storeId, createdAt: at })),
          ...stores.map((storeId): ChangeInput => ({ entity: 'staff', entityId: id, op: 'upsert', storeId, payload: staffPayload(row), createdAt: at })),
        ];
      });
      if (clash) return pinTaken();
      return version.ok ? ok({ version: version.value }) : version;
    },
  };
}

export type MasterDataService = ReturnType<typeof createMasterDataService>;
