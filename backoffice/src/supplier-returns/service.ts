/**
 * Supplier returns (issue 17), the use cases — each one transaction that writes the document, its stock
 * postings (backoffice/src/stock/ledger.ts postStockMoves) and the audit together:
 * - shipStoreReturn (DT, the store's company series): store − units (`shipment`), its own transit + units
 *   (`transit_in`), valued at the store company's average; refused below zero (nothing written). With a
 *   block, the units count as that store's withdrawal (product-blocks recordWithdrawal).
 * - receiveStoreReturn: transit − (`transit_out`), warehouse + (`receipt`); goods crossing to another
 *   company enter the warehouse's books at the store's cost.
 * - postSupplierReturn (DV, the warehouse company's series): warehouse − (`supplier_return`), each line at
 *   the supplier's last goods-receipt price (else the warehouse company's average): the credit expected.
 * - recordCredit: the supplier's credit note (its number, date, base) against the return: matched when it
 *   equals the expected credit, else the difference is kept and shown. One credit note per return; the same
 *   supplier number twice is refused.
 * supplier-invoices books invoices only (no credit-note kind yet), so the credit note is recorded here.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { valueCents } from '@tpv/shared/inventory/cost';
import type { StoreReturnBody, SupplierReturnBody } from '@tpv/shared/wire/http/supplier-returns';
import { canAccessCompany, canAccessStore, visibleCompanyIds, visibleStoreIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { allocateDocumentNumber, nextDocumentNumber } from '../platform/numbering';
import { writeTransaction } from '../persistence/raw';
import type { Db } from '../persistence/sql';
import { averageCosts, createTransitLocation, onHandAt, postStockMoves } from '../stock/ledger';
import { checkLineProducts, shortfallProblem } from '../stock/location-access';
import { blockById, blockStoreIds } from '../product-blocks/repository';
import { recordWithdrawal } from '../product-blocks/service';
import { newRowId } from '../persistence/row-id';
import * as repo from './repository';

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });
const yearOf = (clock: Clock) => new Date(clock.now()).getUTCFullYear();

export function createSupplierReturnService(ds: DataSource, clock: Clock) {
  async function known(m: Db, b: { warehouseId: string; supplierId: string }) {
    const warehouse = await repo.namesOf(m, 'warehouse', b.warehouseId);
    if (!warehouse) throw refused(422, 'WAREHOUSE_UNKNOWN', `Almacén desconocido / unknown warehouse ${b.warehouseId}`, 'warehouseId');
    const supplier = await repo.namesOf(m, 'supplier', b.supplierId);
    if (!supplier) throw refused(422, 'SUPPLIER_UNKNOWN', `Proveedor desconocido / unknown supplier ${b.supplierId}`, 'supplierId');
    return { warehouse: { ...warehouse, companyId: warehouse.companyId! }, supplier };
  }

  async function storeReturnView(id: string) {
    const r = (await repo.storeReturnById(ds.manager, id))!;
    const { transitId: _t, ...head } = r;
    return { ...head, lines: (await repo.storeReturnLines(ds.manager, id)).map(({ returnedUnits: _r, ...l }) => l) };
  }
  async function supplierReturnView(id: string) {
    const r = (await repo.supplierReturnById(ds.manager, id))!;
    return { ...r, lines: await repo.supplierReturnLines(ds.manager, id) };
  }

  return {
    async listStoreReturns(u: AuthUser, q: { supplierId?: string | undefined; status?: string | undefined; limit: number }) {
      return { items: (await repo.listStoreReturns(ds.manager, await visibleStoreIds(ds, u), q)).map(({ transitId: _t, ...r }) => r) };
    },
    async storeReturn(u: AuthUser, id: string) {
      const r = await repo.storeReturnById(ds.manager, id);
      if (!r || !((await canAccessStore(ds, u, r.storeId)) || canAccessCompany(u, r.companyId) || canAccessCompany(u, (await repo.namesOf(ds.manager, 'warehouse', r.warehouseId))!.companyId!))) throw notFound(`store return ${id}`);
      return storeReturnView(id);
    },
    async listSupplierReturns(u: AuthUser, q: { supplierId?: string | undefined; status?: string | undefined; limit: number }) {
      return { items: await repo.listSupplierReturns(ds.manager, visibleCompanyIds(u), q) };
    },
    async supplierReturn(u: AuthUser, id: string) {
      const r = await repo.supplierReturnById(ds.manager, id);
      if (!r || !canAccessCompany(u, r.companyId)) throw notFound(`supplier return ${id}`);
      return supplierReturnView(id);
    },

    /** A store ships goods back to a central warehouse (posted at once: store −, transit +). */
    async shipStoreReturn(u: AuthUser, body: StoreReturnBody, requestId?: string) {
      const store = await repo.namesOf(ds.manager, 'store', body.storeId);
      if (!store) throw refused(422, 'STORE_UNKNOWN', `Tienda desconocida / unknown store ${body.storeId}`, 'storeId');
      if (!(await canAccessStore(ds, u, body.storeId))) throw forbidden('Esta tienda no es de tu ámbito / this store is outside your scope.');
      const { warehouse, supplier } = await known(ds.manager, body);
      await checkLineProducts(ds.manager, body.lines.map((l) => l.productId), (i) => `lines.${i}.productId`);
      if (body.blockId) {
        const b = await blockById(ds.manager, body.blockId);
        if (!b || b.status === 'lifted') throw refused(422, 'BLOCK_UNKNOWN', 'Bloqueo desconocido o levantado / unknown or lifted block', 'blockId');
        if (!(await blockStoreIds(ds.manager, b.id)).some((s) => s.storeId === body.storeId)) throw refused(422, 'STORE_NOT_IN_BLOCK', 'Esa tienda no está afectada por el bloqueo / that store is not concerned by the block', 'blockId');
        if (!body.lines.some((l) => l.productId === b.productId)) throw refused(422, 'BLOCK_PRODUCT_MISSING', `La devolución no lleva el artículo bloqueado ${b.productSku} / the return does not carry the blocked product`, 'lines');
      }
      await writeTransaction(ds, async (m) => {
        if (await repo.storeReturnById(m, body.id)) throw refused(409, 'ALREADY_POSTED', 'Esta devolución ya está registrada / return already posted');
        const have = await onHandAt(m, body.storeId, body.lines.map((l) => l.productId));
        const short = body.lines.map((l, index) => ({ index, onHand: have.get(l.productId) ?? 0, wanted: l.units })).filter((x) => x.wanted > x.onHand);
        if (short.length > 0) throw shortfallProblem(short, (i) => `lines.${i}.units`);
        const n = await nextDocumentNumber(m, store.companyId!, 'store_return', yearOf(clock));
        const number = `DT-${yearOf(clock)}-${String(n).padStart(6, '0')}`;
        const at = iso(clock);
        const transitId = await createTransitLocation(m, clock, { companyId: store.companyId!, documentType: 'store_return', documentId: body.id, code: number, name: `${number} → ${warehouse.name}` });
        const r = await postStockMoves(m, clock, body.lines.flatMap((l, i) => [
          { locationId: body.storeId, productId: l.productId, delta: -l.units, reason: 'shipment' as const, documentType: 'store_return', documentId: body.id, documentLine: i + 1 },
          { locationId: transitId, productId: l.productId, delta: l.units, reason: 'transit_in' as const, documentType: 'store_return', documentId: body.id, documentLine: i + 1 },
        ]), { at, refuseBelowZero: true, documentNumber: number });
        if (!r.ok) throw shortfallProblem(r.shortfalls.map((s) => ({ ...s, index: Math.floor(s.index / 2) })), (i) => `lines.${i}.units`);
        const lines = body.lines.map((l, i) => ({ productId: l.productId, units: l.units, unitCostMicros: r.moves[i * 2]!.unitCostMicros }));
        const value = lines.reduce((s, l) => s + valueCents(l.units, l.unitCostMicros ?? 0), 0);
        await repo.insertStoreReturn(m, {
          id: body.id, number, companyId: store.companyId!, storeId: body.storeId, warehouseId: warehouse.id, supplierId: supplier.id, transitId, blockId: body.blockId ?? null,
          reason: body.reason, valueCents: value, shippedAt: at, shippedBy: u.id,
        }, lines);
        if (body.blockId) {
          const b = (await blockById(m, body.blockId))!;
          await recordWithdrawal(m, clock, {
            id: newRowId(clock), blockId: b.id, storeId: body.storeId, method: 'store_return', units: body.lines.filter((l) => l.productId === b.productId).reduce((s, l) => s + l.units, 0),
            documentId: body.id, documentNumber: number, note: body.reason, complete: body.complete, by: u.id,
          });
        }
        await recordAudit(m, clock, { actor: actorOf(u), action: 'store_return.ship', entity: 'store_return', entityId: body.id, companyId: store.companyId, storeId: body.storeId, after: { number, ...body, valueCents: value }, requestId: requestId ?? null });
      });
      return storeReturnView(body.id);
    },

    /** The warehouse receives a store return whole: transit −, warehouse + (at the store's cost across companies). */
    async receiveStoreReturn(u: AuthUser, id: string, requestId?: string) {
      const r = await repo.storeReturnById(ds.manager, id);
      if (!r) throw notFound(`store return ${id}`);
      const warehouse = (await repo.namesOf(ds.manager, 'warehouse', r.warehouseId))!;
      if (!canAccessCompany(u, warehouse.companyId!)) throw forbidden('Este almacén no es de tu ámbito / this warehouse is outside your scope.');
      if (r.status !== 'shipped') throw refused(409, 'ALREADY_RECEIVED', `La devolución ${r.number} ya se recibió / already received`);
      const lines = await repo.storeReturnLines(ds.manager, id);
      const crossing = warehouse.companyId !== r.companyId;
      await writeTransaction(ds, async (m) => {
        const at = iso(clock);
        if (!(await repo.markStoreReturnReceived(m, id, at, u.id))) throw refused(409, 'ALREADY_RECEIVED', `La devolución ${r.number} ya se recibió / already received`);
        await postStockMoves(m, clock, lines.flatMap((l) => [
          { locationId: r.transitId, productId: l.productId, delta: -l.units, reason: 'transit_out' as const, documentType: 'store_return', documentId: id, documentLine: l.lineNo },
          { locationId: r.warehouseId, productId: l.productId, delta: l.units, reason: 'receipt' as const, documentType: 'store_return', documentId: id, documentLine: l.lineNo, purchaseCostMicros: crossing ? l.unitCostMicros : null },
        ]), { at, documentNumber: r.number });
        await recordAudit(m, clock, { actor: actorOf(u), action: 'store_return.receive', entity: 'store_return', entityId: id, companyId: warehouse.companyId, after: { number: r.number }, requestId: requestId ?? null });
      });
      return storeReturnView(id);
    },

    /** Goods leave the warehouse for the supplier: posted, numbered DV, the credit note expected at the purchase cost. */
    async postSupplierReturn(u: AuthUser, body: SupplierReturnBody, requestId?: string) {
      const { warehouse, supplier } = await known(ds.manager, body);
      if (!canAccessCompany(u, warehouse.companyId)) throw forbidden('Este almacén no es de tu ámbito / this warehouse is outside your scope.');
      await checkLineProducts(ds.manager, body.lines.map((l) => l.productId), (i) => `lines.${i}.productId`);
      for (const [i, l] of body.lines.entries()) {
        if (!l.storeReturnId) continue;
        const sr = await repo.storeReturnById(ds.manager, l.storeReturnId);
        if (!sr || sr.warehouseId !== body.warehouseId || sr.status !== 'received') throw refused(422, 'STORE_RETURN_NOT_RECEIVED', 'Devolución de tienda desconocida o aún no recibida en este almacén / store return unknown or not received here', `lines.${i}.storeReturnId`);
        const srl = (await repo.storeReturnLines(ds.manager, sr.id)).find((x) => x.productId === l.productId);
        if (!srl) throw refused(422, 'STORE_RETURN_PRODUCT', 'Ese artículo no viene en la devolución de tienda / product not on that store return', `lines.${i}.productId`);
        if (srl.returnedUnits + l.units > srl.units) throw refused(422, 'STORE_RETURN_EXCEEDED', `De ${sr.number} quedan ${srl.units - srl.returnedUnits} por devolver / only ${srl.units - srl.returnedUnits} left on that store return`, `lines.${i}.units`);
      }
      const ids = body.lines.map((l) => l.productId);
      const costs = await repo.lastPurchaseCosts(ds.manager, supplier.id, ids);
      const avg = await averageCosts(ds.manager, warehouse.companyId, ids);
      const priced = body.lines.map((l, i) => {
        const unitCostMicros = costs.get(l.productId) ?? avg.get(l.productId);
        if (unitCostMicros === undefined) throw refused(422, 'NO_PURCHASE_COST', 'Sin precio de compra ni coste medio: no se puede valorar el abono / no purchase cost to value the credit', `lines.${i}.productId`);
        return { ...l, unitCostMicros, expectedCents: valueCents(l.units, unitCostMicros), storeReturnId: l.storeReturnId ?? null };
      });
      const expected = priced.reduce((s, l) => s + l.expectedCents, 0);
      await writeTransaction(ds, async (m) => {
        if (await repo.supplierReturnById(m, body.id)) throw refused(409, 'ALREADY_POSTED', 'Esta devolución ya está contabilizada / return already posted');
        const { code } = await allocateDocumentNumber(m, warehouse.companyId, 'supplier_return', yearOf(clock));
        const at = iso(clock);
        const r = await postStockMoves(m, clock, priced.map((l, i) => ({
          locationId: body.warehouseId, productId: l.productId, delta: -l.units, reason: 'supplier_return' as const, documentType: 'supplier_return', documentId: body.id, documentLine: i + 1,
        })), { at, refuseBelowZero: true, documentNumber: code });
        if (!r.ok) throw shortfallProblem(r.shortfalls, (i) => `lines.${i}.units`);
        await repo.insertSupplierReturn(m, { id: body.id, number: code, companyId: warehouse.companyId, warehouseId: warehouse.id, supplierId: supplier.id, reason: body.reason, expectedCreditCents: expected, postedAt: at, postedBy: u.id }, priced);
        for (const l of priced) if (l.storeReturnId) await repo.addReturnedUnits(m, l.storeReturnId, l.productId, l.units);
        await recordAudit(m, clock, { actor: actorOf(u), action: 'supplier_return.post', entity: 'supplier_return', entityId: body.id, companyId: warehouse.companyId, after: { number: code, ...body, expectedCreditCents: expected }, requestId: requestId ?? null });
      });
      return supplierReturnView(body.id);
    },

    /** The supplier's credit note arrives: recorded against the return, matched or with its difference. */
    async recordCredit(u: AuthUser, id: string, c: { creditNumber: string; creditDate: string; amountCents: number; note?: string | undefined }, requestId?: string) {
      const r = await repo.supplierReturnById(ds.manager, id);
      if (!r || !canAccessCompany(u, r.companyId)) throw notFound(`supplier return ${id}`);
      if (r.status === 'credited') throw refused(409, 'ALREADY_CREDITED', `La devolución ${r.number} ya tiene su abono ${r.credit?.number} / already credited`);
      const difference = c.amountCents - r.expectedCreditCents;
      await writeTransaction(ds, async (m) => {
        const other = await repo.creditByNumber(m, r.supplierId, c.creditNumber);
        if (other) throw refused(409, 'CREDIT_NOTE_DUPLICATE', `El abono ${c.creditNumber} de este proveedor ya está registrado / credit note already recorded`, 'creditNumber');
        const ok = await repo.recordCredit(m, id, { number: c.creditNumber, date: c.creditDate, amountCents: c.amountCents, differenceCents: difference, note: c.note ?? null, at: iso(clock), by: u.id });
        if (!ok) throw refused(409, 'ALREADY_CREDITED', `La devolución ${r.number} ya tiene su abono / already credited`);
        await recordAudit(m, clock, { actor: actorOf(u), action: 'supplier_return.credit', entity: 'supplier_return', entityId: id, companyId: r.companyId, after: { ...c, expectedCents: r.expectedCreditCents, differenceCents: difference }, requestId: requestId ?? null });
      });
      return supplierReturnView(id);
    },

    figures: (q: { from?: string | undefined; to?: string | undefined }) => repo.supplierReturnFigures(ds.manager, q),
  };
}
