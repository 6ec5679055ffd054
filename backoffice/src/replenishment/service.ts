/**
 * Store replenishment use cases: registered → approved (HQ may change quantities, each change kept) →
 * picking (picked quantities typed) → shipped (delivery note AL in the franchisor's series) → received at
 * the store (discrepancies open incidents) → closed. Every stock change goes through `postStockMoves` in
 * the use case's transaction; every write records an audit entry in that same transaction.
 *
 * Stock and cost (worked examples in backoffice/test/medium/replenishment.test.ts):
 * - Ship: warehouse −q (`shipment`, refused below zero: nothing written), a transit location owned by the
 *   *receiving* company +q (`transit_in`). Between two companies the franchisee buys at the wholesale price
 *   (µ€ per unit, per gram for weighed products priced per kg), which moves its average; within one company
 *   the goods move at the average.
 * - Receive: per line, arrived = received + damaged. Transit −min(arrived, shipped) (`transit_out`), store
 *   +arrived (`receipt`, at the average). Damaged goods are received and then written off at once
 *   (`adjustment`, cause `damaged`): the franchisee owned them from shipment, so they are its loss to claim
 *   through the incident, and the note keeps shipped/received/damaged for the invoice. Short goods stay in
 *   transit; over goods (arrived > shipped) come into the store at the average. Each of short / over /
 *   damaged opens an incident.
 * - Close: whatever is still in transit is written off (`adjustment`, cause `delivery_short`).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import type { DeliveryNoteData, TillDeliveryReceipt } from '@tpv/shared/wire/upward';
import type { OrderDetail, NoteDetail } from '@tpv/shared/wire/http/replenishment';
import { forbidden, notFound } from '../auth/http';
import type { AuthUser } from '../auth/service';
import { auditActorOf, type DocumentActor } from '../platform/actor';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { allocateDocumentNumber } from '../platform/numbering';
import { isFranchiseWide } from '../platform/permissions';
import { appendChange } from '../persistence/change-log';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import { openIncident } from '../quality/incidents-api';
import { createTransitLocation, onHandAt, postStockMoves, type StockMove } from '../stock/ledger';
import * as repo from './repository';

export interface ReplenishmentOrderInput {
  storeId: string;
  lines: Array<{ productId: string; quantity: number }>;
  /** Where it came from: typed at HQ/back office, a confirmed restock proposal, or the till. */
  source: 'manual' | 'proposal' | 'till';
  note?: string | null;
  /** The proposal it was confirmed from. */
  proposalId?: string | null;
}

/** After a write that touched a store's change feed: nudge its tills (the gateway, once it exists). */
export type FeedNudge = (storeId: string, version: number) => void;

const nowIso = (clock: Clock) => new Date(clock.now()).toISOString();
const yearOf = (iso: string) => Number(iso.slice(0, 4));
const actorName = (a: DocumentActor) => (a.kind === 'user' ? a.user.email : `till ${a.till.terminalId}`);
/** Wholesale price per stock unit in µ€: per unit, or per gram for weighed products priced per kg. */
export const wholesaleMicros = (priceCents: number, weighed: boolean) => (weighed ? priceCents * 10 : priceCents * 10_000);

/** Whether the actor may act on this store (a till: its own store only). */
export function actorMayUseStore(a: DocumentActor, store: { id: string; companyId: string }): boolean {
  if (a.kind === 'till') return a.till.storeId === store.id;
  return userMayUseStore(a.user, store);
}
export function userMayUseStore(user: AuthUser, store: { id: string; companyId: string }): boolean {
  if (isFranchiseWide(user.role)) return true;
  if (user.role === 'store_manager') return user.storeId === store.id;
  return user.role === 'franchisee_manager' && user.companyIds.includes(store.companyId);
}
const USER_NOT_IN_SCOPE = 'Esta tienda no es de su ámbito / This store is outside your scope.';

/** The stores a user sees (null: franchise-wide), for list queries. */
export async function storeScopeOf(m: EntityManager, user: AuthUser): Promise<repo.Scope> {
  if (isFranchiseWide(user.role)) return null;
  if (user.role === 'store_manager') return user.storeId ? [user.storeId] : [];
  if (user.role !== 'franchisee_manager' || user.companyIds.length === 0) return [];
  const rows = (await m.query(`SELECT id FROM store WHERE company_id IN (${user.companyIds.map((_, i) => (m.connection.options.type === 'postgres' ? `$${i + 1}` : '?')).join(', ')})`, user.companyIds)) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/** 422 naming each bad line. */
const badLines = (errors: Array<{ path: string; message: string }>) =>
  new HttpProblem(problem(422, 'LINES_REFUSED', 'Request refused', { detail: errors.map((e) => e.message).join('; '), errors }));

function checkLines(lines: ReadonlyArray<{ productId: string }>, products: Map<string, repo.ProductRef>, field = 'lines') {
  const errors: Array<{ path: string; message: string }> = [];
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const p = products.get(l.productId);
    if (!p || !p.active) errors.push({ path: `${field}.${i}.productId`, message: `Producto ${l.productId} desconocido o inactivo / unknown or inactive product` });
    else if (seen.has(l.productId)) errors.push({ path: `${field}.${i}.productId`, message: `Producto ${p.sku} repetido / product listed twice` });
    seen.add(l.productId);
  });
  if (errors.length) throw badLines(errors);
}

/** Registers a replenishment order of a store from the franchisor's warehouse (state `registered`). */
export async function registerOrder(m: EntityManager, clock: Clock, by: DocumentActor, input: ReplenishmentOrderInput): Promise<{ id: string; number: string }> {
  const store = await repo.storeRef(m, input.storeId);
  if (!store) throw refused(422, 'REFERENCE_UNKNOWN', `Tienda ${input.storeId} desconocida / unknown store`, 'storeId');
  if (!actorMayUseStore(by, store)) throw forbidden(USER_NOT_IN_SCOPE);
  if (input.lines.length === 0) throw refused(422, 'LINES_REFUSED', 'Un pedido necesita al menos una línea / an order needs at least one line', 'lines');
  checkLines(input.lines, await repo.productsByIds(m, input.lines.map((l) => l.productId)));
  const bad = input.lines.findIndex((l) => !Number.isSafeInteger(l.quantity) || l.quantity <= 0);
  if (bad >= 0) throw refused(422, 'LINES_REFUSED', 'Cantidad positiva / quantity must be positive', `lines.${bad}.quantity`);
  const warehouseId = await repo.defaultWarehouseId(m);
  if (!warehouseId) throw refused(409, 'NO_WAREHOUSE', 'La central no tiene almacén activo / the franchisor has no active warehouse');
  const at = nowIso(clock);
  const { code } = await allocateDocumentNumber(m, store.companyId, 'replenishment_order', yearOf(at));
  const id = newRowId(clock);
  await repo.insertOrder(m, { id, number: code, companyId: store.companyId, storeId: store.id, warehouseId, source: input.source, note: input.note ?? null, proposalId: input.proposalId ?? null, at, by: actorName(by) }, input.lines);
  await recordAudit(m, clock, { actor: auditActorOf(by), action: 'replenishment_order.register', entity: 'replenishment_order', entityId: id, companyId: store.companyId, storeId: store.id, after: { number: code, source: input.source, lines: input.lines, by: actorName(by) } });
  return { id, number: code };
}

/**
 * A store receives a shipped delivery note (from the till by scanning, or typed in the back office): stock
 * out of transit into the store, discrepancies (short, over, damaged) recorded and each opened as an incident.
 * Once only: a second receipt of the same note is refused (409), nothing written.
 */
export async function receiveNote(m: EntityManager, clock: Clock, by: DocumentActor, storeId: string, input: TillDeliveryReceipt): Promise<{ id: string; number: string; feedVersion: number }> {
  const note = await repo.noteById(m, input.deliveryNoteId);
  if (!note || note.storeId !== storeId) throw notFound(`albarán / delivery note ${input.deliveryNoteId} of store ${storeId}`);
  if (!actorMayUseStore(by, { id: note.storeId, companyId: note.toCompanyId })) throw forbidden(USER_NOT_IN_SCOPE);
  // Checked before anything is written: a till's document refused here leaves its transaction clean.
  const products = await repo.productsByIds(m, input.lines.map((l) => l.productId));
  const errors: Array<{ path: string; message: string }> = [];
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    if (!products.has(l.productId)) errors.push({ path: `lines.${i}.productId`, message: `Producto ${l.productId} desconocido / unknown product` });
    else if (seen.has(l.productId)) errors.push({ path: `lines.${i}.productId`, message: 'Producto repetido / product listed twice' });
    seen.add(l.productId);
  });
  if (errors.length) throw badLines(errors);

  const at = nowIso(clock);
  const by_ = actorName(by);
  if ((await repo.transitionNote(m, note.id, 'shipped', 'received', { received_at: at, received_by: by_ })) === 0) {
    throw refused(409, 'ALREADY_RECEIVED', `El albarán ${note.number} ya está ${note.status === 'closed' ? 'cerrado' : 'recibido'} / delivery note already ${note.status}`);
  }
  const lines = await repo.noteLines(m, note.id);
  const given = new Map(input.lines.map((l) => [l.productId, l]));
  // Goods that arrived without being on the note become lines of their own (shipped 0), priced for the invoice.
  const extra = input.lines.filter((l) => !lines.some((x) => x.productId === l.productId) && l.received + (l.damaged ?? 0) > 0);
  if (extra.length) {
    const prices = await repo.wholesalePrices(m, extra.map((l) => l.productId));
    const next = lines.reduce((n, l) => Math.max(n, l.lineNo), 0);
    await repo.insertNoteLines(m, note.id, extra.map((l, i) => ({ lineNo: next + i + 1, productId: l.productId, shipped: 0, unitPriceCents: prices.get(l.productId) ?? 0, taxRateBp: products.get(l.productId)!.taxRateBp, unitCostMicros: null })));
    lines.push(...extra.map((l, i) => ({ lineNo: next + i + 1, productId: l.productId, sku: products.get(l.productId)!.sku, name: products.get(l.productId)!.name, weighed: false, shipped: 0, received: null, damaged: null, unitPriceCents: 0, taxRateBp: 0, note: null })));
  }

  const moves: StockMove[] = [];
  const doc = { documentType: 'delivery_note', documentId: note.id } as const;
  const incidents: Array<Parameters<typeof openIncident>[2]> = [];
  const base = { companyId: note.toCompanyId, storeId: note.storeId, severity: 'medium' as const, documentType: 'delivery_note', documentId: note.id, documentNumber: note.number, createdBy: auditActorOf(by) };
  for (const l of lines) {
    const g = given.get(l.productId);
    const received = g?.received ?? 0;
    const damaged = g?.damaged ?? 0;
    const arrived = received + damaged;
    const fromTransit = Math.min(arrived, l.shipped);
    if (fromTransit > 0) moves.push({ ...doc, documentLine: l.lineNo, locationId: note.transitLocationId, productId: l.productId, delta: -fromTransit, reason: 'transit_out' });
    if (arrived > 0) moves.push({ ...doc, documentLine: l.lineNo, locationId: note.storeId, productId: l.productId, delta: arrived, reason: 'receipt' });
    if (damaged > 0) moves.push({ ...doc, documentLine: l.lineNo, locationId: note.storeId, productId: l.productId, delta: -damaged, reason: 'adjustment', cause: 'damaged' });
    await repo.setNoteLineReceipt(m, note.id, l.lineNo, received, damaged, g?.note ?? null);
    const what = `${l.sku} ${l.name}`;
    if (arrived < l.shipped) incidents.push({ ...base, kind: 'delivery_discrepancy', productId: l.productId, quantity: arrived - l.shipped, title: `Falta en ${note.number}: ${what} (${arrived - l.shipped}) / short` });
    if (arrived > l.shipped) incidents.push({ ...base, kind: 'delivery_discrepancy', productId: l.productId, quantity: arrived - l.shipped, title: `Sobra en ${note.number}: ${what} (+${arrived - l.shipped}) / over` });
    if (damaged > 0) incidents.push({ ...base, kind: 'damaged_goods', productId: l.productId, quantity: damaged, title: `Dañado en ${note.number}: ${what} (${damaged}) / damaged`, description: g?.note ?? null });
  }
  const posted = await postStockMoves(m, clock, moves, { at, documentNumber: note.number });
  if (!posted.ok) throw new Error('receipt moves refused'); // not asked to refuse: cannot happen
  const opened = [];
  for (const i of incidents) opened.push(await openIncident(m, clock, i));
  await repo.transitionOrder(m, note.orderId, ['shipped'], 'received');
  const feedVersion = await appendChange(m, { entity: 'delivery_note', entityId: note.id, op: 'delete', storeId: note.storeId, createdAt: at });
  await recordAudit(m, clock, {
    actor: auditActorOf(by), action: 'delivery_note.receive', entity: 'delivery_note', entityId: note.id, companyId: note.toCompanyId, storeId: note.storeId,
    after: { number: note.number, by: by_, lines: input.lines, incidents: opened.map((o) => o.number) },
  });
  return { id: note.id, number: note.number, feedVersion };
}

export interface ReplenishmentService {
  register(user: AuthUser, body: { storeId: string; lines: Array<{ productId: string; quantity: number }>; note?: string | null | undefined }): Promise<{ id: string; number: string }>;
  detail(user: AuthUser, id: string): Promise<OrderDetail>;
  setQuantities(user: AuthUser, id: string, field: 'approved' | 'picked', lines: Array<{ productId: string; quantity: number }>): Promise<OrderDetail>;
  approve(user: AuthUser, id: string): Promise<OrderDetail>;
  startPicking(user: AuthUser, id: string): Promise<OrderDetail>;
  ship(user: AuthUser, id: string): Promise<{ id: string; number: string }>;
  cancel(user: AuthUser, id: string): Promise<OrderDetail>;
  noteDetail(user: AuthUser, id: string): Promise<NoteDetail>;
  receive(user: AuthUser, id: string, body: { lines: TillDeliveryReceipt['lines'] }): Promise<NoteDetail>;
  close(user: AuthUser, id: string): Promise<NoteDetail>;
  setWholesalePrices(user: AuthUser, prices: Array<{ productId: string; priceCents: number | null }>): Promise<{ updated: number }>;
}

export function createReplenishmentService(ds: DataSource, clock: Clock, nudge: FeedNudge): ReplenishmentService {
  const userActor = (user: AuthUser): DocumentActor => ({ kind: 'user', user });

  async function visibleOrder(m: EntityManager, user: AuthUser, id: string) {
    const o = await repo.orderById(m, id);
    if (!o) throw notFound(`pedido / order ${id}`);
    if (!userMayUseStore(user, { id: o.storeId, companyId: o.companyId })) throw forbidden(USER_NOT_IN_SCOPE);
    return o;
  }
  async function visibleNote(m: EntityManager, user: AuthUser, id: string) {
    const n = await repo.noteById(m, id);
    if (!n) throw notFound(`albarán / delivery note ${id}`);
    if (!userMayUseStore(user, { id: n.storeId, companyId: n.toCompanyId })) throw forbidden(USER_NOT_IN_SCOPE);
    return n;
  }
  const wrongState = (o: { number: string; status: string }, wanted: string) =>
    refused(409, 'WRONG_STATE', `El pedido ${o.number} está ${o.status}; hace falta ${wanted} / order ${o.number} is ${o.status}, needs ${wanted}`);

  async function detail(user: AuthUser, id: string): Promise<OrderDetail> {
    const m = ds.manager;
    const o = await visibleOrder(m, user, id);
    const lines = await repo.orderLines(m, id);
    const onHand = await onHandAt(m, o.warehouseId, lines.map((l) => l.productId));
    const wh = await repo.warehouseRef(m, o.warehouseId);
    const note = o.deliveryNoteId ? await repo.noteById(m, o.deliveryNoteId) : undefined;
    return {
      ...o,
      status: o.status as OrderDetail['status'],
      warehouseName: wh?.name ?? o.warehouseId,
      deliveryNoteNumber: note?.number ?? null,
      items: lines.map((l) => ({ ...l, warehouseOnHand: onHand.get(l.productId) ?? 0 })),
      changes: await repo.orderChanges(m, id),
    };
  }

  async function noteDetail(user: AuthUser, id: string): Promise<NoteDetail> {
    const m = ds.manager;
    const n = await visibleNote(m, user, id);
    const lines = await repo.noteLines(m, id);
    const transit = await repo.transitHolding(m, n.transitLocationId);
    const incidents = (await m.query(
      m.connection.options.type === 'postgres'
        ? 'SELECT id, number, kind, product_id AS "productId", quantity FROM incident WHERE document_id = $1 ORDER BY number'
        : 'SELECT id, number, kind, product_id AS "productId", quantity FROM incident WHERE document_id = ? ORDER BY number',
      [id],
    )) as Array<{ id: string; number: string; kind: string; productId: string | null; quantity: unknown }>;
    return {
      ...n,
      status: n.status as NoteDetail['status'],
      fromCompanyName: await repo.companyName(m, n.fromCompanyId),
      toCompanyName: await repo.companyName(m, n.toCompanyId),
      warehouseName: (await repo.warehouseRef(m, n.warehouseId))?.name ?? n.warehouseId,
      inTransit: [...transit.values()].reduce((a, b) => a + b, 0),
      items: lines.map((l) => ({ ...l, difference: l.received === null ? null : l.received + (l.damaged ?? 0) - l.shipped })),
      incidents: incidents.map((i) => ({ ...i, quantity: i.quantity === null ? null : Number(i.quantity) })),
    };
  }

  return {
    async register(user, body) {
      return writeTransaction(ds, (m) => registerOrder(m, clock, userActor(user), { storeId: body.storeId, lines: body.lines, note: body.note ?? null, source: 'manual' }));
    },

    detail,

    /** HQ changes approved quantities (registered/approved) or types picked ones (picking); each change kept. */
    async setQuantities(user, id, field, lines) {
      await writeTransaction(ds, async (m) => {
        const o = await visibleOrder(m, user, id);
        const allowed = field === 'approved' ? ['registered', 'approved'] : ['picking'];
        if (!allowed.includes(o.status)) throw wrongState(o, allowed.join(' / '));
        const current = new Map((await repo.orderLines(m, id)).map((l) => [l.productId, l]));
        const errors = lines.flatMap((l, i) => (current.has(l.productId) ? [] : [{ path: `lines.${i}.productId`, message: `Producto ${l.productId} no está en el pedido / not on this order` }]));
        if (errors.length) throw badLines(errors);
        const at = nowIso(clock);
        const changes = [];
        for (const l of lines) {
          const before = current.get(l.productId)![field];
          if (before === l.quantity) continue;
          await repo.setLineQuantity(m, id, l.productId, field, l.quantity);
          await repo.insertOrderChange(m, { id: newRowId(clock), orderId: id, productId: l.productId, field, from: before, to: l.quantity, at, by: user.email });
          changes.push({ productId: l.productId, from: before, to: l.quantity });
        }
        await recordAudit(m, clock, { actor: auditActorOf(userActor(user)), action: `replenishment_order.${field}`, entity: 'replenishment_order', entityId: id, companyId: o.companyId, storeId: o.storeId, after: { changes } });
      });
      return detail(user, id);
    },

    async approve(user, id) {
      await writeTransaction(ds, async (m) => {
        const o = await visibleOrder(m, user, id);
        if ((await repo.transitionOrder(m, id, ['registered'], 'approved', { approved_at: nowIso(clock), approved_by: user.email })) === 0) throw wrongState(o, 'registered');
        await recordAudit(m, clock, { actor: auditActorOf(userActor(user)), action: 'replenishment_order.approve', entity: 'replenishment_order', entityId: id, companyId: o.companyId, storeId: o.storeId, before: { status: o.status }, after: { status: 'approved' } });
      });
      return detail(user, id);
    },

    async startPicking(user, id) {
      await writeTransaction(ds, async (m) => {
        const o = await visibleOrder(m, user, id);
        if ((await repo.transitionOrder(m, id, ['approved'], 'picking', { picking_at: nowIso(clock) })) === 0) throw wrongState(o, 'approved');
        await recordAudit(m, clock, { actor: auditActorOf(userActor(user)), action: 'replenishment_order.pick', entity: 'replenishment_order', entityId: id, companyId: o.companyId, storeId: o.storeId, before: { status: o.status }, after: { status: 'picking' } });
      });
      return detail(user, id);
    },

    /**
     * Ships what was picked (approved when nothing was typed): a delivery note numbered in the warehouse
     * owner's series, stock out of the warehouse (never below zero: 409, nothing written), into transit
     * owned by the store's company. Idempotent: the order's picking → shipped transition guards it.
     */
    async ship(user, id) {
      let storeId = '';
      let version = 0;
      const out = await writeTransaction(ds, async (m) => {
        const o = await visibleOrder(m, user, id);
        storeId = o.storeId;
        const at = nowIso(clock);
        if ((await repo.transitionOrder(m, id, ['picking'], 'shipped', { shipped_at: at })) === 0) {
          throw o.status === 'shipped' || o.status === 'received' || o.status === 'closed'
            ? refused(409, 'ALREADY_SHIPPED', `El pedido ${o.number} ya se envió / order already shipped`)
            : wrongState(o, 'picking');
        }
        const wh = (await repo.warehouseRef(m, o.warehouseId))!;
        const lines = (await repo.orderLines(m, id)).map((l) => ({ ...l, quantity: l.picked ?? l.approved })).filter((l) => l.quantity > 0);
        if (lines.length === 0) throw refused(409, 'NOTHING_TO_SHIP', `El pedido ${o.number} no tiene nada que enviar / nothing to ship`);
        const interCompany = wh.companyId !== o.companyId;
        const products = await repo.productsByIds(m, lines.map((l) => l.productId));
        const prices = await repo.wholesalePrices(m, lines.map((l) => l.productId));
        if (interCompany) {
          const missing = lines.flatMap((l, i) => (prices.has(l.productId) ? [] : [{ path: `lines.${i}.productId`, message: `${l.sku}: sin precio mayorista / no wholesale price` }]));
          if (missing.length) throw new HttpProblem(problem(409, 'NO_WHOLESALE_PRICE', 'Request refused', { detail: missing.map((e) => e.message).join('; '), errors: missing }));
        }
        const noteId = newRowId(clock);
        const { code } = await allocateDocumentNumber(m, wh.companyId, 'delivery_note', yearOf(at));
        const transit = await createTransitLocation(m, clock, { companyId: o.companyId, documentType: 'delivery_note', documentId: noteId, code, name: `Tránsito ${code}` });
        const doc = { documentType: 'delivery_note', documentId: noteId } as const;
        const moves: StockMove[] = lines.flatMap((l, i) => {
          const cost = interCompany ? wholesaleMicros(prices.get(l.productId)!, products.get(l.productId)!.weighed) : null;
          return [
            { ...doc, documentLine: i + 1, locationId: wh.id, productId: l.productId, delta: -l.quantity, reason: 'shipment' as const },
            { ...doc, documentLine: i + 1, locationId: transit, productId: l.productId, delta: l.quantity, reason: 'transit_in' as const, purchaseCostMicros: cost },
          ];
        });
        const posted = await postStockMoves(m, clock, moves, { at, refuseBelowZero: true, documentNumber: code });
        if (!posted.ok) {
          const errors = posted.shortfalls.map((s) => {
            const i = Math.floor(s.index / 2);
            return { path: `lines.${i}.quantity`, message: `${lines[i]!.sku}: hay ${s.onHand}, se envían ${s.wanted} / on hand ${s.onHand}, shipping ${s.wanted}` };
          });
          throw new HttpProblem(problem(409, 'INSUFFICIENT_STOCK', 'Request refused', { detail: `No hay existencias suficientes en ${wh.name} / not enough stock: ${errors.map((e) => e.message).join('; ')}`, errors }));
        }
        await repo.insertNote(m, { id: noteId, number: code, orderId: id, fromCompanyId: wh.companyId, toCompanyId: o.companyId, storeId: o.storeId, warehouseId: wh.id, transitLocationId: transit, at, by: user.email });
        await repo.insertNoteLines(
          m,
          noteId,
          lines.map((l, i) => ({
            lineNo: i + 1, productId: l.productId, shipped: l.quantity, unitPriceCents: prices.get(l.productId) ?? 0, taxRateBp: products.get(l.productId)!.taxRateBp,
            unitCostMicros: posted.moves[i * 2 + 1]!.unitCostMicros,
          })),
        );
        await m.query(m.connection.options.type === 'postgres' ? 'UPDATE replenishment_order SET delivery_note_id = $1 WHERE id = $2' : 'UPDATE replenishment_order SET delivery_note_id = ? WHERE id = ?', [noteId, id]);
        const feed: DeliveryNoteData = {
          id: noteId, number: code, from: wh.name, shippedAt: at,
          lines: lines.map((l) => ({ productId: l.productId, sku: l.sku, name: l.name, quantity: l.quantity })),
        };
        version = await appendChange(m, { entity: 'delivery_note', entityId: noteId, op: 'upsert', storeId: o.storeId, payload: feed, createdAt: at });
        await recordAudit(m, clock, {
          actor: auditActorOf(userActor(user)), action: 'replenishment_order.ship', entity: 'replenishment_order', entityId: id, companyId: o.companyId, storeId: o.storeId,
          before: { status: o.status }, after: { status: 'shipped', deliveryNote: code, lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) },
        });
        return { id: noteId, number: code };
      });
      nudge(storeId, version);
      return out;
    },

    /** The store may cancel while registered; HQ until picking. Shipped/received orders: refused (409). */
    async cancel(user, id) {
      await writeTransaction(ds, async (m) => {
        const o = await visibleOrder(m, user, id);
        const from = isFranchiseWide(user.role) ? ['registered', 'approved', 'picking'] : ['registered'];
        if ((await repo.transitionOrder(m, id, from, 'cancelled')) === 0) {
          throw refused(409, 'NOT_CANCELLABLE', `El pedido ${o.number} está ${o.status} y ya no se puede anular / order ${o.number} is ${o.status} and can no longer be cancelled`);
        }
        await recordAudit(m, clock, { actor: auditActorOf(userActor(user)), action: 'replenishment_order.cancel', entity: 'replenishment_order', entityId: id, companyId: o.companyId, storeId: o.storeId, before: { status: o.status }, after: { status: 'cancelled' } });
      });
      return detail(user, id);
    },

    noteDetail,

    async receive(user, id, body) {
      const note = await visibleNote(ds.manager, user, id);
      let version = 0;
      await writeTransaction(ds, async (m) => {
        ({ feedVersion: version } = await receiveNote(m, clock, userActor(user), note.storeId, { deliveryNoteId: id, lines: body.lines }));
      });
      nudge(note.storeId, version);
      return noteDetail(user, id);
    },

    /** Closes a note: what is still in transit is written off (`delivery_short`). Once only (409 after). */
    async close(user, id) {
      const note = await visibleNote(ds.manager, user, id);
      let version = 0;
      await writeTransaction(ds, async (m) => {
        const at = nowIso(clock);
        const was = note.status;
        if ((await repo.transitionNote(m, id, 'received', 'closed', { closed_at: at })) === 0 && (await repo.transitionNote(m, id, 'shipped', 'closed', { closed_at: at, received_at: null })) === 0) {
          throw refused(409, 'ALREADY_CLOSED', `El albarán ${note.number} ya está cerrado / delivery note already closed`);
        }
        const held = await repo.transitHolding(m, note.transitLocationId);
        const lineOf = new Map((await repo.noteLines(m, id)).map((l) => [l.productId, l.lineNo]));
        const moves: StockMove[] = [...held].filter(([, q]) => q > 0).map(([productId, q]) => ({
          documentType: 'delivery_note', documentId: id, documentLine: lineOf.get(productId) ?? 0, locationId: note.transitLocationId, productId, delta: -q, reason: 'adjustment', cause: 'delivery_short',
        }));
        await postStockMoves(m, clock, moves, { at, documentNumber: note.number });
        await repo.transitionOrder(m, note.orderId, ['shipped', 'received'], 'closed');
        if (was === 'shipped') version = await appendChange(m, { entity: 'delivery_note', entityId: id, op: 'delete', storeId: note.storeId, createdAt: at });
        await recordAudit(m, clock, {
          actor: auditActorOf(userActor(user)), action: 'delivery_note.close', entity: 'delivery_note', entityId: id, companyId: note.toCompanyId, storeId: note.storeId,
          before: { status: was }, after: { status: 'closed', writtenOff: moves.map((x) => ({ productId: x.productId, quantity: -x.delta })) },
        });
      });
      if (version > 0) nudge(note.storeId, version);
      return noteDetail(user, id);
    },

    /** Sets (or, with null, removes) wholesale prices: HQ only (route permission), one audit entry per product. */
    async setWholesalePrices(user, prices) {
      return writeTransaction(ds, async (m) => {
        const products = await repo.productsByIds(m, prices.map((p) => p.productId));
        const errors = prices.flatMap((p, i) => (products.has(p.productId) ? [] : [{ path: `prices.${i}.productId`, message: `Producto ${p.productId} desconocido / unknown product` }]));
        if (errors.length) throw badLines(errors);
        const before = await repo.wholesalePrices(m, prices.map((p) => p.productId));
        const at = nowIso(clock);
        for (const p of prices) {
          if (p.priceCents === null) await repo.deleteWholesalePrice(m, p.productId);
          else await repo.setWholesalePrice(m, p.productId, p.priceCents, at, user.email);
          await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'wholesale_price.set', entity: 'wholesale_price', entityId: p.productId, before: { priceCents: before.get(p.productId) ?? null }, after: { priceCents: p.priceCents } });
        }
        return { updated: prices.length };
      });
    },
  };
}
