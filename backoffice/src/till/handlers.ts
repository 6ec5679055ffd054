/**
 * Till documents handed to their owners' use cases (each runs in the channel's transaction, acting as the till
 * with the staff member whose PIN was entered). A use case refuses bad content with a 4xx `HttpProblem` (wrong store, already received, unknown product):
 * the till is told `rejected` with its message and stops resending. Anything else is thrown on (the channel
 * answers `retry`, nothing written).
 */
import { HttpProblem } from '@tpv/shared/problem';
import type { TillStockCount, UpwardKind } from '@tpv/shared/wire/upward';
import type { DocumentActor } from '../platform/actor';
import type { UpwardHandler, UpwardTill } from '../modules/types';
import { submitTillCount } from '../stock/api';

const actor = (till: UpwardTill, staffId: string | undefined): DocumentActor => ({ kind: 'till', till, ...(staffId ? { staffId } : {}) });

/** A use case's refusal as the till's `rejected`; any other failure goes on (→ retry). */
export async function refusalsAsRejected(run: () => Promise<{ number: string }>, what: string): Promise<{ reference: string } | { rejected: string }> {
  try {
    const r = await run();
    return { reference: `${r.number} ${what}` };
  } catch (e) {
    if (e instanceof HttpProblem && e.problem.status >= 400 && e.problem.status < 500) return { rejected: e.problem.detail ?? e.problem.title };
    throw e;
  }
}

/**
 * The stock module's till documents (counts). Deliveries received and replenishment requests are handled by the
 * replenishment module itself (replenishment/module.ts), which owns their use cases: switching a module off
 * takes its till documents with it.
 */
export const stockUpwardHandlers: Partial<Record<UpwardKind, UpwardHandler>> = {
  'stock.count': (m, ctx, till, doc) => {
    const input = doc.payload as TillStockCount;
    return refusalsAsRejected(() => submitTillCount(m, ctx.clock, actor(till, input.staffId), till.storeId, input), 'contado / counted');
  },
};
