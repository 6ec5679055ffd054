/**
 * The purchasing module's use cases (each one transaction): supplier products, purchase orders through their
 * states (draft → sent → partially received → received → closed, or cancelled before anything arrived), and
 * goods receipts (EM) that post the stock at the order line's net unit cost.
 *
 * Refusals throw an HTTP problem (422 with the field, 409 for a state that forbids it) before or inside the
 * transaction, which then writes nothing.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { beyondTolerance, netUnitCostMicros, purchaseAmounts, roundToSupplier } from '@tpv/shared/inventory/purchase-amounts';
import type * as W from '@tpv/shared/wire/http/purchasing';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { auditActorOf, type DocumentActor } from '../platform/actor';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { allocateDocumentNumber } from '../platform/numbering';
import { newRowId } from '../persistence/row-id';
import { writeTransaction } from '../persistence/raw';
import { averageCosts, locationsById, onHandAt, postStockMoves } from '../stock/ledger';
import type { Files } from '../platform/files/service';
import { one } from '../persistence/sql';
import { purchaseOrderPdf } from './pdf';
import * as repo from './repository';

type FieldError = { path: string; message: string };
const invalid = (detail: string, errors: FieldError[]) => new HttpProblem(problem(422, 'VALUE_REFUSED', 'Request refused', { detail, errors }));
const conflict = (code: string, detail: string) => refused(409, code, detail);
const iso = (clock: Clock) => new Date(clock.now()).toISOString();

/** Whether the actor may act on the company's purchasing rows: a user in scope, or a till of that company. */
function mayActFor(by: DocumentActor, companyId: string): boolean {
  return by.kind === 'user' ? canAccessCompany(by.user, companyId) : by.till.companyId === companyId;
}
const userIdOf = (by: DocumentActor) => (by.kind === 'user' ? by.user.id : null);

export interface DraftInput {
  supplierId: string;
  locationId: string;
  expectedDate: string | null;
  toleranceBp?: number | undefined;
  note: string | null;
  proposalId?: string | null;
  /** When given, the location must belong to it. */
  companyId?: string;
  lines: Array<{ productId: string; quantity: number; unitCostCents?: number | undefined; discountBp?: number; taxRateBp?: number | undefined }>;
}

/**
 * Checks a draft's supplier, location and products and prices its lines: a line's cost defaults to the
 * supplier's cost of the product (else the product's own cost), its IVA to the product's rate. With
 * `roundToPacks`, quantities go up to the supplier's minimum order and whole packs (drafts made for a
 * restock proposal).
 */
async function priceDraft(m: EntityManager, by: DocumentActor, orderId: string, input: DraftInput, roundToPacks: boolean): Promise<{ order: repo.NewOrder; lines: repo.NewOrderLine[] }> {
  const errors: FieldError[] = [];
  const supplier = await repo.supplierRef(m, input.supplierId);
  if (!supplier) errors.push({ path: 'supplierId', message: `proveedor desconocido / unknown supplier ${input.supplierId}` });
  else if (!supplier.active) errors.push({ path: 'supplierId', message: 'el proveedor está dado de baja / the supplier is inactive' });
  const location = (await locationsById(m, [input.locationId])).get(input.locationId);
  if (!location || location.kind === 'transit') errors.push({ path: 'locationId', message: `almacén o tienda desconocido / unknown warehouse or store ${input.locationId}` });
  else if (input.companyId && location.companyId !== input.companyId) errors.push({ path: 'locationId', message: 'el destino es de otra empresa / the location belongs to another company' });
  const products = await repo.productRefs(m, input.lines.map((l) => l.productId));
  const supplied = await repo.supplierProductsOf(m, input.supplierId, input.lines.map((l) => l.productId));
  input.lines.forEach((l, i) => {
    if (!products.has(l.productId)) errors.push({ path: `lines.${i}.productId`, message: `producto desconocido / unknown product ${l.productId}` });
    if (input.lines.findIndex((x) => x.productId === l.productId) !== i) errors.push({ path: `lines.${i}.productId`, message: 'producto repetido / product listed twice' });
    if (l.unitCostCents === undefined && supplied.get(l.productId)?.costCents == null && products.get(l.productId)?.costCents == null) {
      errors.push({ path: `lines.${i}.unitCostCents`, message: 'sin coste del proveedor: indique el precio / no supplier cost: give the unit cost' });
    }
  });
  if (errors.length) throw invalid('El pedido tiene datos no válidos / The order has invalid values', errors);
  if (!mayActFor(by, location!.companyId)) throw forbidden();

  const lines = input.lines.map((l) => {
    const p = products.get(l.productId)!;
    const sp = supplied.get(l.productId);
    const quantity = roundToPacks && sp ? roundToSupplier(l.quantity, sp.packSize, sp.minOrderQty) : l.quantity;
    return {
      productId: l.productId, supplierRef: sp?.reference ?? null, quantity, unitCostCents: l.unitCostCents ?? sp?.costCents ?? p.costCents ?? 0,
      discountBp: l.discountBp ?? 0, taxRateBp: l.taxRateBp ?? p.taxRateBp, weighed: p.weighed,
    };
  });
  const amounts = purchaseAmounts(lines);
  return {
    order: {
      id: orderId, companyId: location!.companyId, supplierId: input.supplierId, locationId: input.locationId, expectedDate: input.expectedDate,
      toleranceBp: input.toleranceBp ?? supplier!.toleranceBp, note: input.note, proposalId: input.proposalId ?? null,
      baseCents: amounts.baseCents, taxCents: amounts.taxCents, totalCents: amounts.totalCents, createdBy: userIdOf(by),
    },
    lines: lines.map(({ weighed: _w, ...l }, i) => ({ ...l, baseCents: amounts.lineBases[i]! })),
  };
}

/** A new draft purchase order inside the caller's transaction (also `createPurchaseOrderDraft`). */
export async function insertDraft(m: EntityManager, clock: Clock, by: DocumentActor, input: DraftInput, roundToPacks: boolean): Promise<string> {
  const id = newRowId(clock);
  const { order, lines } = await priceDraft(m, by, id, input, roundToPacks);
  const at = iso(clock);
  await repo.insertOrder(m, order, at);
  await repo.insertOrderLines(m, id, lines);
  await recordAudit(m, clock, { actor: auditActorOf(by), action: 'purchase_order.create', entity: 'purchase_order', entityId: id, companyId: order.companyId, after: { ...order, lines } });
  return id;
}

const ORDER_STATE_ES: Record<W.PurchaseOrderStatus, string> = {
  draft: 'borrador', sent: 'enviado', partially_received: 'recibido en parte', received: 'recibido', closed: 'cerrado', cancelled: 'anulado',
};
const stateText = (s: W.PurchaseOrderStatus) => `${ORDER_STATE_ES[s]} / ${s.replace('_', ' ')}`;

export function createPurchasingService(ds: DataSource, clock: Clock, files: Files) {
  const scopeOf = (u: AuthUser) => visibleCompanyIds(u);
  const userActor = (u: AuthUser): DocumentActor => ({ kind: 'user', user: u });

  /** The order when the user may see it (404 otherwise, 403 outside their companies). */
  async function visibleOrder(m: EntityManager, u: AuthUser, id: string, lock = false): Promise<repo.OrderRow> {
    const o = await repo.orderById(m, id, lock);
    if (!o) throw notFound(`purchase order ${id}`);
    if (!canAccessCompany(u, o.companyId)) throw forbidden();
    return o;
  }

  async function detailOf(m: EntityManager, o: repo.OrderRow): Promise<W.PurchaseOrderDetail> {
    const lines = await repo.orderLines(m, o.id);
    const barcodes = await repo.barcodesOf(m, lines.map((l) => l.productId));
    const amounts = purchaseAmounts(lines);
    const ids = lines.map((l) => l.productId);
    const onHand = await onHandAt(m, o.locationId, ids);
    const avg = await averageCosts(m, o.companyId, ids);
    return {
      ...o,
      taxes: amounts.taxes,
      lines: lines.map((l) => ({
        ...l, barcodes: barcodes.get(l.productId) ?? [], netUnitCostMicros: netUnitCostMicros(l), onHand: onHand.get(l.productId) ?? 0, avgCostMicros: avg.get(l.productId) ?? null,
      })),
      receipts: await repo.receiptsOf(m, o.id),
    };
  }

  /** Makes the order's PDF and keeps it in the files area (owned by the order's company). */
  async function makePdf(u: AuthUser, d: W.PurchaseOrderDetail): Promise<string> {
    const buyer = await one<{ legalName: string; nif: string; address: string | null }>(ds.manager, 'SELECT legal_name AS "legalName", nif, address FROM company WHERE id = ?', [d.companyId]);
    const place = await one<{ address: string | null }>(
      ds.manager,
      d.locationKind === 'store' ? 'SELECT address FROM store WHERE id = ?' : 'SELECT address FROM warehouse WHERE id = ?',
      [d.locationId],
    );
    const sup = await one<{ addresses: string | null }>(ds.manager, 'SELECT addresses_json AS addresses FROM supplier WHERE id = ?', [d.supplierId]);
    const firstAddress = sup?.addresses ? (JSON.parse(sup.addresses) as Array<{ line: string; postalCode?: string; city?: string }>)[0] : undefined;
    const pdf = await purchaseOrderPdf(d, {
      buyer: buyer ?? { legalName: '', nif: '', address: null },
      supplierAddress: firstAddress ? [firstAddress.line, firstAddress.postalCode, firstAddress.city].filter(Boolean).join(', ') : null,
      deliverTo: { name: d.locationName, address: place?.address ?? null },
    });
    const f = await files.save({
      name: `pedido-${(d.number ?? d.id).replace(/[^A-Za-z0-9-]+/g, '_')}.pdf`, mediaType: 'application/pdf', purpose: 'pdf',
      owner: { companyId: d.companyId, storeId: d.locationKind === 'store' ? d.locationId : null, createdBy: u.id }, data: pdf,
    });
    await repo.setOrderPdf(ds.manager, d.id, f.id);
    return f.id;
  }

  return {
    // ── supplier products ──
    async supplierProducts(supplierId: string): Promise<repo.SupplierProductRow[]> {
      if (!(await repo.supplierRef(ds.manager, supplierId))) throw notFound(`supplier ${supplierId}`);
      return repo.supplierProducts(ds.manager, supplierId);
    },
    async putSupplierProduct(u: AuthUser, supplierId: string, productId: string, b: W.SupplierProductBody): Promise<repo.SupplierProductRow> {
      if (!(await repo.supplierRef(ds.manager, supplierId))) throw notFound(`supplier ${supplierId}`);
      if (!(await repo.productRefs(ds.manager, [productId])).has(productId)) throw refused(422, 'REFERENCE_UNKNOWN', `producto desconocido / unknown product ${productId}`, 'productId');
      const before = (await repo.supplierProductsOf(ds.manager, supplierId, [productId])).get(productId);
      await writeTransaction(ds, async (m) => {
        await repo.upsertSupplierProduct(m, { supplierId, productId, ...b });
        await recordAudit(m, clock, { actor: auditActorOf(userActor(u)), action: 'supplier_product.save', entity: 'supplier', entityId: supplierId, before, after: { productId, ...b } });
      });
      return (await repo.supplierProductsOf(ds.manager, supplierId, [productId])).get(productId)!;
    },
    async deleteSupplierProduct(u: AuthUser, supplierId: string, productId: string): Promise<void> {
      const before = (await repo.supplierProductsOf(ds.manager, supplierId, [productId])).get(productId);
      if (!before) throw notFound(`product ${productId} of supplier ${supplierId}`);
      await writeTransaction(ds, async (m) => {
        await repo.deleteSupplierProduct(m, supplierId, productId);
        await recordAudit(m, clock, { actor: auditActorOf(userActor(u)), action: 'supplier_product.delete', entity: 'supplier', entityId: supplierId, before });
      });
    },
    async setLotTracking(u: AuthUser, productId: string, tracksLots: boolean): Promise<void> {
      await writeTransaction(ds, async (m) => {
        if (!(await repo.setLotTracking(m, productId, tracksLots))) throw notFound(`product ${productId}`);
        await recordAudit(m, clock, { actor: auditActorOf(userActor(u)), action: 'product.lot_tracking', entity: 'product', entityId: productId, after: { tracksLots } });
      });
    },
    locations: (u: AuthUser) => repo.deliveryLocations(ds.manager, scopeOf(u)),

    // ── purchase orders ──
    list: (u: AuthUser, f: Omit<repo.OrderFilter, 'companyIds'>, sort: keyof typeof repo.ORDER_SORTS, dir: 'asc' | 'desc', limit: number, offset: number) =>
      repo.listOrders(ds.manager, { ...f, companyIds: scopeOf(u) }, sort, dir, limit, offset),
    async detail(u: AuthUser, id: string): Promise<W.PurchaseOrderDetail> {
      return detailOf(ds.manager, await visibleOrder(ds.manager, u, id));
    },
    async create(u: AuthUser, b: W.PurchaseOrderBody): Promise<W.PurchaseOrderDetail> {
      const id = await writeTransaction(ds, (m) => insertDraft(m, clock, userActor(u), b, false));
      return detailOf(ds.manager, (await repo.orderById(ds.manager, id))!);
    },
    async update(u: AuthUser, id: string, b: W.PurchaseOrderBody): Promise<W.PurchaseOrderDetail> {
      await writeTransaction(ds, async (m) => {
        const prev = await visibleOrder(m, u, id, true);
        if (prev.status !== 'draft') throw conflict('NOT_A_DRAFT', `El pedido ${prev.number ?? ''} está ${ORDER_STATE_ES[prev.status]}: solo un borrador se puede modificar / The order is ${prev.status.replace('_', ' ')}: only a draft can be edited`);
        const { order, lines } = await priceDraft(m, userActor(u), id, b, false);
        if (!(await repo.replaceDraft(m, order, iso(clock)))) throw conflict('NOT_A_DRAFT', 'Solo un borrador se puede modificar / Only a draft can be edited');
        await repo.insertOrderLines(m, id, lines);
        await recordAudit(m, clock, { actor: auditActorOf(userActor(u)), action: 'purchase_order.update', entity: 'purchase_order', entityId: id, companyId: order.companyId, before: prev, after: { ...order, lines } });
      });
      return detailOf(ds.manager, (await repo.orderById(ds.manager, id))!);
    },

    /** Sends a draft: its number (PC) is allocated and its PDF kept in the files area. Sending twice: 409. */
    async send(u: AuthUser, id: string): Promise<W.PurchaseOrderDetail> {
      await writeTransaction(ds, async (m) => {
        const o = await visibleOrder(m, u, id, true);
        if (o.status !== 'draft') throw conflict('ALREADY_SENT', `El pedido ya está ${ORDER_STATE_ES[o.status]} / The order is already ${stateText(o.status).split(' / ')[1]}`);
        const now = clock.now();
        const { code } = await allocateDocumentNumber(m, o.companyId, 'purchase_order', new Date(now).getUTCFullYear());
        if (!(await repo.transition(m, id, ['draft'], 'sent', iso(clock), { number: code, sent_at: iso(clock) }))) throw conflict('ALREADY_SENT', 'El pedido ya está enviado / The order is already sent');
        await recordAudit(m, clock, { actor: auditActorOf(userActor(u)), action: 'purchase_order.send', entity: 'purchase_order', entityId: id, companyId: o.companyId, after: { number: code } });
      });
      const d = await detailOf(ds.manager, (await repo.orderById(ds.manager, id))!);
      // The PDF is made after the commit (the files area writes on its own); a failure leaves the order sent and
      // the PDF is made again on its first download.
      d.pdfFileId = await makePdf(u, d);
      return d;
    },
    /** The order's PDF file (made now for a draft, or when a sent order's was never kept). */
    async pdf(u: AuthUser, id: string): Promise<{ fileId: string } | { draft: Buffer; name: string }> {
      const d = await detailOf(ds.manager, await visibleOrder(ds.manager, u, id));
      if (d.status === 'draft') return { draft: await purchaseOrderPdf(d, { buyer: { legalName: '', nif: '', address: null }, supplierAddress: null, deliverTo: { name: d.locationName, address: null } }), name: `borrador-${d.id}.pdf` };
      return { fileId: d.pdfFileId ?? (await makePdf(u, d)) };
    },
    async close(u: AuthUser, id: string): Promise<W.PurchaseOrderDetail> {
      await writeTransaction(ds, async (m) => {
        const o = await visibleOrder(m, u, id, true);
        if (!(await repo.transition(m, id, ['sent', 'partially_received', 'received'], 'closed', iso(clock), { closed_at: iso(clock) }))) {
          throw conflict('CANNOT_CLOSE', `Un pedido ${ORDER_STATE_ES[o.status]} no se puede cerrar / A ${o.status.replace('_', ' ')} order cannot be closed`);
        }
        await recordAudit(m, clock, { actor: auditActorOf(userActor(u)), action: 'purchase_order.close', entity: 'purchase_order', entityId: id, companyId: o.companyId, before: { status: o.status } });
      });
      return detailOf(ds.manager, (await repo.orderById(ds.manager, id))!);
    },
    /** Cancels an order nothing of which has arrived; a (partly) received one is refused (409). */
    async cancel(u: AuthUser, id: string): Promise<W.PurchaseOrderDetail> {
      await writeTransaction(ds, async (m) => {
        const o = await visibleOrder(m, u, id, true);
        if (!(await repo.transition(m, id, ['draft', 'sent'], 'cancelled', iso(clock), { closed_at: iso(clock) }))) {
          throw conflict(
            'CANNOT_CANCEL',
            o.status === 'partially_received' || o.status === 'received'
              ? 'No se puede anular un pedido con mercancía recibida: ciérrelo / An order with goods received cannot be cancelled: close it'
              : `Un pedido ${ORDER_STATE_ES[o.status]} no se puede anular / A ${o.status} order cannot be cancelled`,
          );
        }
        await recordAudit(m, clock, { actor: auditActorOf(userActor(u)), action: 'purchase_order.cancel', entity: 'purchase_order', entityId: id, companyId: o.companyId, before: { status: o.status } });
      });
      return detailOf(ds.manager, (await repo.orderById(ds.manager, id))!);
    },

    /**
     * Posts a goods receipt (EM) against a sent order: numbered, its lines into the order's location at the
     * order line's net unit cost (moves the average), the received quantities and the order's state updated,
     * all in one transaction. The receipt id comes from the client: a retried request finds it and answers 409
     * "already posted" — it never posts twice.
     */
    async receive(u: AuthUser, orderId: string, b: W.GoodsReceiptBody): Promise<W.PurchaseOrderDetail> {
      await writeTransaction(ds, async (m) => {
        const o = await visibleOrder(m, u, orderId, true);
        const existing = await repo.receiptExists(m, b.id);
        if (existing) throw conflict('ALREADY_POSTED', `La entrada ${existing.number} ya está registrada / Goods receipt ${existing.number} is already posted`);
        if (o.status !== 'sent' && o.status !== 'partially_received') {
          throw conflict('NOT_RECEIVABLE', `No se puede recibir un pedido ${ORDER_STATE_ES[o.status]} / A ${o.status.replace('_', ' ')} order cannot be received`);
        }
        const lines = await repo.orderLines(m, orderId);
        const byNo = new Map(lines.map((l) => [l.lineNo, l]));
        const errors: FieldError[] = [];
        const adding = new Map<number, number>();
        b.lines.forEach((r, i) => {
          const l = byNo.get(r.orderLineNo);
          if (!l) return errors.push({ path: `lines.${i}.orderLineNo`, message: `el pedido no tiene la línea ${r.orderLineNo} / the order has no line ${r.orderLineNo}` });
          adding.set(l.lineNo, (adding.get(l.lineNo) ?? 0) + r.quantity);
          if (l.tracksLots) {
            if (!r.lot) errors.push({ path: `lines.${i}.lot`, message: `${l.name}: indique el lote / give the lot` });
            if (!r.bestBefore) errors.push({ path: `lines.${i}.bestBefore`, message: `${l.name}: indique la fecha de consumo preferente / give the best-before date` });
          }
        });
        b.lines.forEach((r, i) => {
          const l = byNo.get(r.orderLineNo);
          if (!l) return;
          const total = l.receivedQuantity + adding.get(l.lineNo)!;
          const anyReason = b.lines.some((x) => x.orderLineNo === l.lineNo && x.overReason);
          if (beyondTolerance(l.quantity, total, o.toleranceBp) && !anyReason) {
            errors.push({
              path: `lines.${i}.overReason`,
              message: `${l.name}: ${total} recibidos de ${l.quantity} pedidos supera la tolerancia (${o.toleranceBp / 100} %): indique el motivo / ${total} received of ${l.quantity} ordered is beyond the tolerance: give a reason`,
            });
          }
        });
        if (errors.length) throw invalid('La entrada tiene datos no válidos / The receipt has invalid values', errors);

        const at = iso(clock);
        const { code } = await allocateDocumentNumber(m, o.companyId, 'goods_receipt', new Date(clock.now()).getUTCFullYear());
        const rlines: repo.ReceiptLineRow[] = b.lines.map((r, i) => {
          const l = byNo.get(r.orderLineNo)!;
          return { lineNo: i + 1, orderLineNo: l.lineNo, productId: l.productId, quantity: r.quantity, unitCostMicros: netUnitCostMicros(l), lot: r.lot, bestBefore: r.bestBefore, overReason: r.overReason };
        });
        await repo.insertReceipt(m, { id: b.id, companyId: o.companyId, orderId, locationId: o.locationId, number: code, note: b.note, postedAt: at, postedBy: u.id }, rlines);
        const posted = await postStockMoves(
          m,
          clock,
          rlines.map((r) => ({
            locationId: o.locationId, productId: r.productId, delta: r.quantity, reason: 'receipt' as const, documentType: 'goods_receipt', documentId: b.id,
            documentLine: r.lineNo, purchaseCostMicros: r.unitCostMicros, lot: r.lot, bestBefore: r.bestBefore,
          })),
          { at, documentNumber: code },
        );
        if (!posted.ok) throw new Error('a receipt cannot fall short');
        for (const [lineNo, q] of adding) await repo.addReceived(m, orderId, lineNo, q);
        const complete = lines.every((l) => l.receivedQuantity + (adding.get(l.lineNo) ?? 0) >= l.quantity);
        const next = complete ? 'received' : 'partially_received';
        if (next !== o.status && !(await repo.transition(m, orderId, [o.status], next, at))) throw conflict('NOT_RECEIVABLE', 'El pedido cambió mientras tanto / The order changed meanwhile');
        await recordAudit(m, clock, { actor: auditActorOf(userActor(u)), action: 'goods_receipt.post', entity: 'goods_receipt', entityId: b.id, companyId: o.companyId, after: { number: code, orderId, lines: rlines } });
      });
      return detailOf(ds.manager, (await repo.orderById(ds.manager, orderId))!);
    },
  };
}

export type PurchasingService = ReturnType<typeof createPurchasingService>;

