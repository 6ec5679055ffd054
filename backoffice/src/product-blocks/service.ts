/**
 * Product blocks and recalls at HQ (issue 17), the use cases — each a transaction:
 * - block: HQ blocks a product (or a lot / best-before range of it) for the network or some stores and
 *   companies; the block is numbered (`BQ-<year>-<n>`, HQ's series), audited, and appended to the change
 *   feed (`product_block`: once network-wide, or once per store, store-scoped); the tills are nudged after
 *   the commit and refuse to sell it (terminal/src/blocks).
 * - lift: the feed deletes it, tills sell again.
 * - withdraw: a store takes the units out (a stock adjustment RG with cause `recall`, or nothing to take);
 *   a store return towards the supplier records its units here too (supplier-returns). A store is done when
 *   it says so or its on-hand reaches 0; the block closes when every store is done (still blocked for sale
 *   until lifted: a recall done is not a product cleared).
 * Scope: HQ (quality.write) blocks and lifts; a store withdraws only at a store it may act on; a
 * franchisee's people see the blocks of their stores, and only their stores' rows on the block's page.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { blockRangeProblem, type ProductBlockData } from '@tpv/shared/blocks/rules';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { valueCents } from '@tpv/shared/inventory/cost';
import type { BlockCreateBody, BlockDetail, WithdrawalBody } from '@tpv/shared/wire/http/product-blocks';
import { canAccessStore, visibleStoreIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { nextDocumentNumber } from '../platform/numbering';
import { appendChange } from '../persistence/change-log';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { Db } from '../persistence/sql';
import { postStockMoves } from '../stock/ledger';
import { insertAdjustment } from '../stock/operations-repository';
import { allocateDocumentNumber } from '../platform/numbering';
import * as repo from './repository';

/** Tills to nudge after a commit: a store's, or all (null). */
export type BlockNudge = (storeId: string | null, version: number) => void;

/** HQ's series of blocks: company `*` in the document counters (blocks are franchise-wide documents). */
const HQ_SERIES = '*';
const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });
const invalid = (errors: Array<{ path: string; message: string }>) =>
  new HttpProblem(problem(422, 'VALIDATION_FAILED', 'Request refused', { detail: errors.map((e) => e.message).join('; '), errors }));

export function feedRecord(b: repo.BlockRow): ProductBlockData {
  return {
    id: b.id, productId: b.productId, productName: b.productName, scope: b.scope, lot: b.lot, bestBeforeFrom: b.bestBeforeFrom, bestBeforeTo: b.bestBeforeTo,
    reason: b.reason, referenceDate: b.referenceDate, number: b.number,
  };
}

/** Appends the block to the feed (upsert) or takes it off (delete): one change network-wide, else one per store. */
async function feed(m: Db, b: repo.BlockRow, op: 'upsert' | 'delete', at: string): Promise<Array<{ storeId: string | null; version: number }>> {
  const targets = b.network ? [null] : (await repo.blockStoreIds(m, b.id)).map((s) => s.storeId);
  const out: Array<{ storeId: string | null; version: number }> = [];
  for (const storeId of targets) {
    const version = await appendChange(m, { entity: 'product_block', entityId: b.id, op, storeId, payload: op === 'upsert' ? feedRecord(b) : null, createdAt: at });
    out.push({ storeId, version });
  }
  return out;
}

/**
 * Records units a store withdrew against the block, inside the caller's transaction (a stock adjustment
 * here, or a store return posted by supplier-returns). Marks the store done when `complete` or its on-hand
 * is 0 (product blocks), and closes the block when every store is done.
 */
export async function recordWithdrawal(
  m: Db,
  clock: Clock,
  w: { id: string; blockId: string; storeId: string; method: 'adjustment' | 'store_return' | 'none'; units: number; documentId: string | null; documentNumber: string | null; note: string | null; complete: boolean; by: string | null },
): Promise<void> {
  const at = iso(clock);
  const b = await repo.blockById(m, w.blockId);
  if (!b) throw notFound(`block ${w.blockId}`);
  await repo.insertWithdrawal(m, { ...w, createdAt: at, createdBy: w.by });
  const left = await repo.onHandAtStore(m, w.storeId, b.productId);
  if (w.complete || (b.scope === 'product' && left <= 0)) {
    await repo.markStoreWithdrawn(m, w.blockId, w.storeId, at);
    await repo.closeIfWithdrawn(m, w.blockId, at);
  }
}

export function createBlockService(ds: DataSource, clock: Clock, nudge: BlockNudge = () => undefined) {
  const tell = (changes: ReadonlyArray<{ storeId: string | null; version: number }>) => {
    for (const c of changes) nudge(c.storeId, c.version);
  };

  async function detail(user: AuthUser, id: string): Promise<BlockDetail> {
    const b = await repo.blockById(ds.manager, id);
    if (!b) throw notFound(`block ${id}`);
    const mine = await visibleStoreIds(ds, user);
    const storeIds = (await repo.blockStoreIds(ds.manager, id)).map((s) => s.storeId);
    if (mine !== null && !storeIds.some((s) => mine.includes(s))) throw notFound(`block ${id}`);
    const stores = await repo.blockStores(ds.manager, b, mine);
    const ws = await repo.withdrawals(ds.manager, id, mine);
    return {
      block: b,
      stores,
      withdrawals: ws,
      totals: {
        unitsSold: stores.reduce((s, r) => s + r.unitsSold, 0),
        onHand: stores.reduce((s, r) => s + r.onHand, 0),
        withdrawnUnits: stores.reduce((s, r) => s + r.withdrawnUnits, 0),
      },
    };
  }

  return {
    detail,

    async list(user: AuthUser, q: { status?: string | undefined; productId?: string | undefined; limit: number }) {
      return { items: await repo.listBlocks(ds.manager, await visibleStoreIds(ds, user), q) };
    },

    async block(user: AuthUser, body: BlockCreateBody, requestId?: string): Promise<BlockDetail> {
      const lot = body.scope === 'lot' ? (body.lot ?? '').trim() || null : body.lot?.trim() || null;
      const range = blockRangeProblem({ scope: body.scope, lot, bestBeforeFrom: body.bestBeforeFrom ?? null, bestBeforeTo: body.bestBeforeTo ?? null });
      if (range) throw invalid([range]);
      const product = await repo.productOf(ds.manager, body.productId);
      if (!product) throw refused(422, 'PRODUCT_UNKNOWN', `No existe el artículo ${body.productId} / no such product`, 'productId');
      const storeIds = [...new Set(body.storeIds ?? [])];
      const companyIds = [...new Set(body.companyIds ?? [])];
      const network = storeIds.length === 0 && companyIds.length === 0;
      const named = await repo.storesByIds(ds.manager, storeIds);
      const missing = storeIds.findIndex((s) => !named.some((n) => n.id === s));
      if (missing >= 0) throw refused(422, 'STORE_UNKNOWN', `Tienda desconocida / unknown store ${storeIds[missing]}`, `storeIds.${missing}`);
      const companies = await repo.knownCompanies(ds.manager, companyIds);
      const badCompany = companyIds.findIndex((c) => !companies.has(c));
      if (badCompany >= 0) throw refused(422, 'COMPANY_UNKNOWN', `Empresa desconocida / unknown company ${companyIds[badCompany]}`, `companyIds.${badCompany}`);
      const at = iso(clock);
      const id = newRowId(clock);
      const changes = await writeTransaction(ds, async (m) => {
        const stores = network ? await repo.storesOfCompanies(m, null) : [...named, ...(await repo.storesOfCompanies(m, companyIds))];
        const unique = [...new Map(stores.map((s) => [s.id, s])).values()];
        if (unique.length === 0) throw refused(422, 'NO_STORES', 'El bloqueo no alcanza ninguna tienda / the block reaches no store', 'companyIds');
        const year = new Date(clock.now()).getUTCFullYear();
        const n = await nextDocumentNumber(m, HQ_SERIES, 'product_block', year);
        const number = `BQ-${year}-${String(n).padStart(6, '0')}`;
        await repo.insertBlock(m, {
          id, number, productId: product.id, scope: body.scope, lot, bestBeforeFrom: body.bestBeforeFrom ?? null, bestBeforeTo: body.bestBeforeTo ?? null,
          reason: body.reason, referenceDate: body.referenceDate ?? at.slice(0, 10), network, createdAt: at, createdBy: user.id,
        }, unique);
        const b = (await repo.blockById(m, id))!;
        await recordAudit(m, clock, { actor: actorOf(user), action: 'product_block.create', entity: 'product_block', entityId: id, after: { ...feedRecord(b), network, stores: unique.map((s) => s.id) }, requestId: requestId ?? null });
        return feed(m, b, 'upsert', at);
      });
      tell(changes);
      return detail(user, id);
    },

    async lift(user: AuthUser, id: string, note: string, requestId?: string): Promise<BlockDetail> {
      const at = iso(clock);
      const changes = await writeTransaction(ds, async (m) => {
        const b = await repo.blockById(m, id);
        if (!b) throw notFound(`block ${id}`);
        if (b.status === 'lifted') throw refused(409, 'BLOCK_LIFTED', `El bloqueo ${b.number} ya está levantado / block already lifted`);
        await repo.setLifted(m, id, at, user.id, note);
        await recordAudit(m, clock, { actor: actorOf(user), action: 'product_block.lift', entity: 'product_block', entityId: id, before: { status: b.status }, after: { status: 'lifted', note }, requestId: requestId ?? null });
        return feed(m, b, 'delete', at);
      });
      tell(changes);
      return detail(user, id);
    },

    /** A store withdraws units of the block: a stock adjustment with cause `recall` (or nothing to withdraw). */
    async withdraw(user: AuthUser, blockId: string, body: WithdrawalBody, requestId?: string): Promise<BlockDetail> {
      const b = await repo.blockById(ds.manager, blockId);
      if (!b) throw notFound(`block ${blockId}`);
      const stores = await repo.blockStoreIds(ds.manager, blockId);
      const mine = await visibleStoreIds(ds, user);
      if (mine !== null && !stores.some((s) => mine.includes(s.storeId))) throw notFound(`block ${blockId}`);
      const store = stores.find((s) => s.storeId === body.storeId);
      if (!store) throw refused(422, 'STORE_NOT_IN_BLOCK', 'Esa tienda no está afectada por el bloqueo / that store is not concerned by the block', 'storeId');
      if (!(await canAccessStore(ds, user, body.storeId))) throw forbidden('Esta tienda no es de tu ámbito / this store is outside your scope.');
      if (b.status === 'lifted') throw refused(409, 'BLOCK_LIFTED', `El bloqueo ${b.number} está levantado / the block was lifted`);
      if (body.method === 'adjustment' && body.units === 0) throw refused(422, 'UNITS_NOT_POSITIVE', 'Indique las unidades retiradas / give the units withdrawn', 'units');
      if (body.method === 'none' && body.units !== 0) throw refused(422, 'UNITS_WITHOUT_DOCUMENT', 'Sin documento no se retiran unidades / no units without a document', 'units');
      await writeTransaction(ds, async (m) => {
        if (await repo.withdrawalById(m, body.id)) throw refused(409, 'ALREADY_RECORDED', 'Esta retirada ya está registrada / withdrawal already recorded');
        let documentId: string | null = null;
        let documentNumber: string | null = null;
        if (body.method === 'adjustment') {
          const onHand = await repo.onHandAtStore(m, body.storeId, b.productId);
          if (body.units > onHand) throw refused(422, 'WITHDRAWAL_EXCEEDS_STOCK', `Sólo hay ${onHand} en la tienda: no se pueden retirar ${body.units} / only ${onHand} on hand`, 'units');
          documentId = newRowId(clock);
          const { code } = await allocateDocumentNumber(m, store.companyId, 'adjustment', new Date(clock.now()).getUTCFullYear());
          documentNumber = code;
          const at = iso(clock);
          const r = await postStockMoves(m, clock, [{
            locationId: body.storeId, productId: b.productId, delta: -body.units, reason: 'adjustment', cause: 'recall', documentType: 'adjustment', documentId, documentLine: 1,
            lot: b.lot,
          }], { at, refuseBelowZero: true, documentNumber: code });
          if (!r.ok) throw refused(422, 'WITHDRAWAL_EXCEEDS_STOCK', `Sólo hay ${r.shortfalls[0]!.onHand} en la tienda / not enough on hand`, 'units');
          const mv = r.moves[0]!;
          await insertAdjustment(m, {
            id: documentId, number: code, companyId: store.companyId, locationId: body.storeId, cause: 'recall', note: `${b.number}: ${body.note ?? b.reason}`.slice(0, 500),
            createdBy: user.id, postedAt: at, valueCents: valueCents(mv.delta, mv.unitCostMicros ?? 0),
          }, [{ productId: b.productId, delta: mv.delta, unitCostMicros: mv.unitCostMicros }]);
        }
        await recordWithdrawal(m, clock, {
          id: body.id, blockId, storeId: body.storeId, method: body.method, units: body.units, documentId, documentNumber, note: body.note ?? null, complete: body.complete, by: user.id,
        });
        await recordAudit(m, clock, {
          actor: actorOf(user), action: 'product_block.withdraw', entity: 'product_block', entityId: blockId, companyId: store.companyId, storeId: body.storeId,
          after: { ...body, documentNumber }, requestId: requestId ?? null,
        });
      });
      return detail(user, blockId);
    },
  };
}
