/**
 * Transfers (TR) between two locations of one company — warehouse → store, store → store (or back to a
 * warehouse): draft (editable) → shipped (stock out of the origin, refused below zero, into a transit location
 * of the same company, at the average: nothing changes the cost) → received at the destination (transit →
 * destination; lines not named arrive in full; short and over are recorded per line). Received with no
 * difference closes at once; otherwise it stays `received` until someone with `inventory.admin` closes it,
 * writing what is left in transit off (`delivery_short`) or what came over back in (`found`) as adjustments of
 * the transit location, so transit ends at zero. Each step is a status transition inside its transaction:
 * a retried request finds the status moved and is answered 409, nothing posted twice.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { Transfer, TransferInput } from '@tpv/shared/wire/http/stock-operations';
import { forbidden, notFound } from '../auth/http';
import type { AuthUser } from '../auth/service';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { allocateDocumentNumber } from '../platform/numbering';
import { can } from '../platform/permissions';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { Db } from '../persistence/sql';
import { createTransitLocation, locationsById, postStockMoves, type StockMove } from './ledger';
import { checkLineProducts, currentYear, listFilterOf, locationInScope, mayActAt, shortfallProblem } from './location-access';
import * as repo from './operations-repository';

const DOC = 'transfer';
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });
const STATUS_ES: Record<repo.TransferRow['status'], string> = { draft: 'borrador', shipped: 'enviado', received: 'recibido', closed: 'cerrado', cancelled: 'anulado' };
const wrongState = (t: repo.TransferRow, wanted: string) =>
  refused(409, 'TRANSFER_STATE', `El traspaso ${t.number} está ${STATUS_ES[t.status]}: no se puede ${wanted} / transfer is ${t.status}`);

export function createTransferService(ds: DataSource, clock: Clock) {
  const now = () => new Date(clock.now()).toISOString();
  const user = (u: AuthUser) => ({ kind: 'user' as const, user: u });

  async function load(m: Db, u: AuthUser, id: string, side: 'from' | 'to' | 'either'): Promise<repo.TransferRow> {
    const t = await repo.transferById(m, id);
    if (!t) throw notFound(`transfer ${id}`);
    const locs = await locationsById(m, [t.fromLocationId, t.toLocationId]);
    const from = await mayActAt(ds, user(u), locs.get(t.fromLocationId)!);
    const to = await mayActAt(ds, user(u), locs.get(t.toLocationId)!);
    const ok = side === 'from' ? from : side === 'to' ? to : from || to;
    if (!ok) throw forbidden(side === 'to' ? 'Solo el destino recibe o cierra el traspaso / only the destination receives it.' : undefined);
    return t;
  }

  async function view(m: Db, t: repo.TransferRow): Promise<Transfer> {
    const lines = await repo.transferLines(m, t.id);
    const products = await repo.productsById(m, lines.map((l) => l.productId));
    const { transitLocationId: _transit, lineCount: _n, ...head } = t;
    return { ...head, lines: lines.map((l) => ({ ...l, sku: products.get(l.productId)?.sku ?? '', name: products.get(l.productId)?.name ?? '' })) };
  }

  const audit = (m: Db, u: AuthUser, t: { id: string; companyId: string }, action: string, after: unknown, requestId?: string) =>
    recordAudit(m, clock, { actor: actorOf(u), action: `stock_transfer.${action}`, entity: 'stock_transfer', entityId: t.id, companyId: t.companyId, after, requestId: requestId ?? null });

  return {
    async list(u: AuthUser, q: { locationId?: string | undefined; status?: string | undefined; limit: number }) {
      const rows = await repo.listTransfers(ds.manager, listFilterOf(u), q);
      return rows.map(({ transitLocationId: _t, ...r }) => r);
    },

    async detail(u: AuthUser, id: string): Promise<Transfer> {
      return view(ds.manager, await load(ds.manager, u, id, 'either'));
    },

    async create(u: AuthUser, body: TransferInput, requestId?: string): Promise<Transfer> {
      const from = await locationInScope(ds, ds.manager, user(u), body.fromLocationId, 'fromLocationId');
      const to = (await locationsById(ds.manager, [body.toLocationId])).get(body.toLocationId);
      if (!to || to.kind === 'transit') throw refused(422, 'LOCATION_UNKNOWN', `Destino desconocido / unknown destination ${body.toLocationId}`, 'toLocationId');
      if (to.id === from.id) throw refused(422, 'SAME_LOCATION', 'El origen y el destino son el mismo / origin and destination are the same', 'toLocationId');
      if (to.companyId !== from.companyId) throw refused(422, 'OTHER_COMPANY', 'Un traspaso no sale de su empresa: entre empresas va un pedido de reposición / a transfer stays within one company', 'toLocationId');
      await checkLineProducts(ds.manager, body.lines.map((l) => l.productId), (i) => `lines.${i}.productId`);
      const id = newRowId(clock);
      await writeTransaction(ds, async (m) => {
        const { code } = await allocateDocumentNumber(m, from.companyId, DOC, currentYear(clock.now()));
        await repo.insertTransfer(m, { id, number: code, companyId: from.companyId, fromLocationId: from.id, toLocationId: to.id, note: body.note ?? null, createdBy: u.id, createdAt: now() });
        await repo.replaceTransferLines(m, id, body.lines);
        await audit(m, u, { id, companyId: from.companyId }, 'create', { number: code, ...body }, requestId);
      });
      return this.detail(u, id);
    },

    async edit(u: AuthUser, id: string, body: { note?: string | null | undefined; lines: TransferInput['lines'] }, requestId?: string): Promise<Transfer> {
      await checkLineProducts(ds.manager, body.lines.map((l) => l.productId), (i) => `lines.${i}.productId`);
      await writeTransaction(ds, async (m) => {
        const t = await load(m, u, id, 'from');
        if (t.status !== 'draft') throw wrongState(t, 'modificar');
        await repo.replaceTransferLines(m, id, body.lines);
        if (body.note !== undefined) await repo.setTransferNote(m, id, body.note);
        await audit(m, u, t, 'update', body, requestId);
      });
      return this.detail(u, id);
    },

    async cancel(u: AuthUser, id: string, requestId?: string): Promise<Transfer> {
      await writeTransaction(ds, async (m) => {
        const t = await load(m, u, id, 'from');
        if (!(await repo.moveTransfer(m, id, 'draft', 'cancelled', { column: null, at: now() }))) throw wrongState(t, 'anular');
        await audit(m, u, t, 'cancel', { status: 'cancelled' }, requestId);
      });
      return this.detail(u, id);
    },

    /** Out of the origin (refused below zero) into this transfer's transit location, at the average. */
    async ship(u: AuthUser, id: string, requestId?: string): Promise<Transfer> {
      await writeTransaction(ds, async (m) => {
        const t = await load(m, u, id, 'from');
        const at = now();
        // The transition first: a concurrent retry waits on this row and then finds it shipped (409).
        if (!(await repo.moveTransfer(m, id, 'draft', 'shipped', { column: 'shipped_at', at }))) throw wrongState(t, 'enviar');
        const transit = await createTransitLocation(m, clock, { companyId: t.companyId, documentType: DOC, documentId: t.id, code: t.number, name: `Tránsito ${t.number}` });
        await repo.moveTransfer(m, id, 'shipped', 'shipped', { column: null, at, transitLocationId: transit });
        const lines = await repo.transferLines(m, id);
        const moves: StockMove[] = lines.flatMap((l) => [
          { locationId: t.fromLocationId, productId: l.productId, delta: -l.quantity, reason: 'shipment' as const, documentType: DOC, documentId: id, documentLine: l.lineNo },
          { locationId: transit, productId: l.productId, delta: l.quantity, reason: 'transit_in' as const, documentType: DOC, documentId: id, documentLine: l.lineNo },
        ]);
        const r = await postStockMoves(m, clock, moves, { at, refuseBelowZero: true, documentNumber: t.number });
        if (!r.ok) throw shortfallProblem(r.shortfalls, (i) => `lines.${Math.floor(i / 2)}.quantity`);
        await audit(m, u, t, 'ship', { status: 'shipped', transitLocationId: transit }, requestId);
      });
      return this.detail(u, id);
    },

    /** Transit → destination, per line what arrived (lines not named: as shipped). */
    async receive(u: AuthUser, id: string, body: { lines: Array<{ productId: string; received: number }> }, requestId?: string): Promise<Transfer> {
      await writeTransaction(ds, async (m) => {
        const t = await load(m, u, id, 'to');
        const lines = await repo.transferLines(m, id);
        const byProduct = new Map(lines.map((l) => [l.productId, l]));
        const received = new Map(lines.map((l) => [l.lineNo, l.quantity]));
        for (const [i, x] of body.lines.entries()) {
          const line = byProduct.get(x.productId);
          if (!line) throw refused(422, 'NOT_IN_TRANSFER', `Este artículo no viene en el traspaso ${t.number} / product not on this transfer`, `lines.${i}.productId`);
          received.set(line.lineNo, x.received);
        }
        const at = now();
        const exact = lines.every((l) => received.get(l.lineNo) === l.quantity);
        if (!(await repo.moveTransfer(m, id, 'shipped', exact ? 'closed' : 'received', { column: 'received_at', at }))) throw wrongState(t, 'recibir');
        if (exact) await repo.moveTransfer(m, id, 'closed', 'closed', { column: 'closed_at', at });
        await repo.setTransferReceived(m, id, received);
        const moves: StockMove[] = lines.flatMap((l) => {
          const q = received.get(l.lineNo)!;
          return q === 0 ? [] : [
            { locationId: t.transitLocationId!, productId: l.productId, delta: -q, reason: 'transit_out' as const, documentType: DOC, documentId: id, documentLine: l.lineNo },
            { locationId: t.toLocationId, productId: l.productId, delta: q, reason: 'receipt' as const, documentType: DOC, documentId: id, documentLine: l.lineNo },
          ];
        });
        await postStockMoves(m, clock, moves, { at, documentNumber: t.number });
        await audit(m, u, t, 'receive', { status: exact ? 'closed' : 'received', received: Object.fromEntries(received) }, requestId);
      });
      return this.detail(u, id);
    },

    /** What is left in transit is written off (short) or booked back (over): needs inventory.admin. */
    async close(u: AuthUser, id: string, requestId?: string): Promise<Transfer> {
      if (!can(u, 'inventory.admin')) throw forbidden('Cerrar un traspaso con diferencias regulariza el tránsito: hace falta inventory.admin / closing with differences needs inventory.admin.');
      await writeTransaction(ds, async (m) => {
        const t = await load(m, u, id, 'to');
        const at = now();
        if (!(await repo.moveTransfer(m, id, 'received', 'closed', { column: 'closed_at', at }))) throw wrongState(t, 'cerrar');
        const lines = await repo.transferLines(m, id);
        const moves: StockMove[] = lines.flatMap((l) => {
          const left = l.quantity - (l.received ?? 0);
          return left === 0 ? [] : [{
            locationId: t.transitLocationId!, productId: l.productId, delta: -left, reason: 'adjustment' as const, cause: left > 0 ? ('delivery_short' as const) : ('found' as const),
            documentType: DOC, documentId: id, documentLine: l.lineNo,
          }];
        });
        await postStockMoves(m, clock, moves, { at, documentNumber: t.number });
        await audit(m, u, t, 'close', { status: 'closed', writtenOff: moves.map((x) => ({ productId: x.productId, delta: x.delta, cause: x.cause })) }, requestId);
      });
      return this.detail(u, id);
    },
  };
}
