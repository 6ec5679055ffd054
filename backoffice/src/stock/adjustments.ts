/**
 * Adjustments (RG): stock in or out of a store or warehouse for a cause (ADJUSTMENT_CAUSES), each cause
 * allowed to the roles holding the permission it names — a store manager books breakage or own consumption,
 * shrinkage and found goods need `inventory.admin`. Made and posted in one request at the average cost
 * (outgoing lines refused below zero); the client names the document's id, so a retried request finds it
 * posted (409) and never posts twice.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { valueCents } from '@tpv/shared/inventory/cost';
import { ADJUSTMENT_CAUSES } from '@tpv/shared/inventory/movements';
import type { Adjustment, AdjustmentInput } from '@tpv/shared/wire/http/stock-operations';
import { forbidden, notFound } from '../auth/http';
import type { AuthUser } from '../auth/service';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { allocateDocumentNumber } from '../platform/numbering';
import { can } from '../platform/permissions';
import { writeTransaction } from '../persistence/raw';
import type { Db } from '../persistence/sql';
import { locationsById, postStockMoves } from './ledger';
import { checkLineProducts, currentYear, listFilterOf, locationInScope, mayActAt, shortfallProblem } from './location-access';
import * as repo from './operations-repository';

const DOC = 'adjustment';
const alreadyPosted = (number: string) => refused(409, 'ALREADY_POSTED', `La regularización ${number} ya está contabilizada / adjustment already posted`);

export function createAdjustmentService(ds: DataSource, clock: Clock) {
  const user = (u: AuthUser) => ({ kind: 'user' as const, user: u });

  async function view(m: Db, a: repo.AdjustmentRow): Promise<Adjustment> {
    const lines = await repo.adjustmentLines(m, a.id);
    const products = await repo.productsById(m, lines.map((l) => l.productId));
    const { lineCount: _n, ...head } = a;
    return {
      ...head,
      cause: a.cause as Adjustment['cause'],
      lines: lines.map((l) => ({ ...l, sku: products.get(l.productId)?.sku ?? '', name: products.get(l.productId)?.name ?? '', valueCents: valueCents(l.delta, l.unitCostMicros ?? 0) })),
    };
  }

  return {
    async list(u: AuthUser, q: { locationId?: string | undefined; limit: number }) {
      return (await repo.listAdjustments(ds.manager, listFilterOf(u), q)).map((a) => ({ ...a, cause: a.cause as Adjustment['cause'] }));
    },

    async detail(u: AuthUser, id: string): Promise<Adjustment> {
      const a = await repo.adjustmentById(ds.manager, id);
      if (!a) throw notFound(`adjustment ${id}`);
      const loc = (await locationsById(ds.manager, [a.locationId])).get(a.locationId)!;
      if (!(await mayActAt(ds, user(u), loc))) throw forbidden();
      return view(ds.manager, a);
    },

    async post(u: AuthUser, body: AdjustmentInput, requestId?: string): Promise<Adjustment> {
      const loc = await locationInScope(ds, ds.manager, user(u), body.locationId, 'locationId');
      const needs = ADJUSTMENT_CAUSES[body.cause];
      if (!can(u, needs)) throw forbidden(`El motivo «${body.cause}» necesita ${needs}: tu rol (${u.role}) no lo tiene / cause ${body.cause} needs ${needs}.`);
      await checkLineProducts(ds.manager, body.lines.map((l) => l.productId), (i) => `lines.${i}.productId`);
      await writeTransaction(ds, async (m) => {
        const prior = await repo.adjustmentById(m, body.id);
        if (prior) throw alreadyPosted(prior.number);
        const { code } = await allocateDocumentNumber(m, loc.companyId, DOC, currentYear(clock.now()));
        const at = new Date(clock.now()).toISOString();
        const r = await postStockMoves(
          m,
          clock,
          body.lines.map((l, i) => ({ locationId: loc.id, productId: l.productId, delta: l.delta, reason: 'adjustment' as const, cause: body.cause, documentType: DOC, documentId: body.id, documentLine: i + 1 })),
          { at, refuseBelowZero: true, documentNumber: code },
        );
        if (!r.ok) throw shortfallProblem(r.shortfalls, (i) => `lines.${i}.delta`);
        const lines = r.moves.map((x) => ({ productId: x.productId, delta: x.delta, unitCostMicros: x.unitCostMicros }));
        const total = lines.reduce((s, l) => s + valueCents(l.delta, l.unitCostMicros ?? 0), 0);
        await repo.insertAdjustment(m, { id: body.id, number: code, companyId: loc.companyId, locationId: loc.id, cause: body.cause, note: body.note ?? null, createdBy: u.id, postedAt: at, valueCents: total }, lines);
        await recordAudit(m, clock, {
          actor: { id: u.id, email: u.email }, action: 'stock_adjustment.post', entity: 'stock_adjustment', entityId: body.id, companyId: loc.companyId,
          after: { number: code, ...body, valueCents: total }, requestId: requestId ?? null,
        });
      });
      return this.detail(u, body.id);
    },
  };
}
