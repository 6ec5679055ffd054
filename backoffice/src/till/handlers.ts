/**
 * The three inventory documents a till sends up, handed to the use cases of their owners (each runs in the
 * channel's transaction, acting as the till with the staff member whose PIN was entered):
 *  - `stock.delivery_receipt` → replenishment `receiveDeliveryAtStore`
 *  - `stock.count` → stock `submitTillCount`
 *  - `stock.replenishment_request` → replenishment `registerReplenishmentOrder` (source `till`)
 * A use case refuses bad content with a 4xx `HttpProblem` (wrong store, already received, unknown product):
 * the till is told `rejected` with its message and stops resending. Anything else is thrown on (the channel
 * answers `retry`, nothing written).
 */
import { HttpProblem } from '@tpv/shared/problem';
import type { TillDeliveryReceipt, TillReplenishmentRequest, TillStockCount, UpwardKind } from '@tpv/shared/wire/upward';
import type { DocumentActor } from '../platform/actor';
import type { UpwardHandler, UpwardTill } from '../modules/types';
import { receiveDeliveryAtStore, registerReplenishmentOrder } from '../replenishment/api';
import { submitTillCount } from '../stock/api';

const actor = (till: UpwardTill, staffId: string | undefined): DocumentActor => ({ kind: 'till', till, ...(staffId ? { staffId } : {}) });

/** A use case's refusal as the till's `rejected`; any other failure goes on (→ retry). */
async function refusalsAsRejected(run: () => Promise<{ number: string }>, what: string): Promise<{ reference: string } | { rejected: string }> {
  try {
    const r = await run();
    return { reference: `${r.number} ${what}` };
  } catch (e) {
    if (e instanceof HttpProblem && e.problem.status >= 400 && e.problem.status < 500) return { rejected: e.problem.detail ?? e.problem.title };
    throw e;
  }
}

export const tillUpwardHandlers: Partial<Record<UpwardKind, UpwardHandler>> = {
  'stock.delivery_receipt': (m, ctx, till, doc) => {
    const input = doc.payload as TillDeliveryReceipt;
    return refusalsAsRejected(() => receiveDeliveryAtStore(m, ctx.clock, actor(till, input.staffId), till.storeId, input), 'recibido / received');
  },
  'stock.count': (m, ctx, till, doc) => {
    const input = doc.payload as TillStockCount;
    return refusalsAsRejected(() => submitTillCount(m, ctx.clock, actor(till, input.staffId), till.storeId, input), 'contado / counted');
  },
  'stock.replenishment_request': (m, ctx, till, doc) => {
    const input = doc.payload as TillReplenishmentRequest;
    return refusalsAsRejected(
      () => registerReplenishmentOrder(m, ctx.clock, actor(till, input.staffId), { storeId: till.storeId, lines: input.lines, source: 'till', note: input.note ?? null }),
      'registrado / registered',
    );
  },
};
