/**
 * Loyalty (issue 15): the programme, the points ledger (earn at ingest, redeem online with a hold or offline
 * under a cap, reverse on returns, expire, adjust), the liability and the settlement between franchisees.
 */
import { LOYALTY_BALANCE, LOYALTY_HOLD, LOYALTY_RELEASE } from '@tpv/shared/loyalty/requests';
import type { BackofficeModule, ModuleContext } from '../modules/types';
import { earnTicketsReceivedBefore, loyaltyEarnStep } from './earn';
import { sqlOf, transferPoints } from './ledger';
import { newRowId } from '../persistence/row-id';
import { EXPIRE_JOB, loyaltyRoutes } from './route';
import { createLoyaltyService } from './service';

const service = (c: ModuleContext) => createLoyaltyService(c.ds, c.clock, (v) => c.live.gateway?.catalogChanged(null, v));

export const loyaltyModule: BackofficeModule = {
  id: 'loyalty',
  routes: (c) => [loyaltyRoutes(c, service(c))],
  ticketSteps: [loyaltyEarnStep],
  // A merged customer's points move to the one kept, lot by lot (company and earn date kept), in the merge's transaction.
  reactions: [
    // A customer registered offline at a till: its sales that reached HQ first earn now.
    async (m, clock, event) => {
      if (event.type !== 'customer.registered') return;
      await earnTicketsReceivedBefore(sqlOf(m), event.customerId, new Date(clock.now()).toISOString(), () => newRowId(clock));
    },
    async (m, clock, event) => {
      if (event.type !== 'customer.merged') return;
      const sql = sqlOf(m);
      const last = await sql<{ company_id: string }>('SELECT company_id FROM loyalty_posting WHERE customer_id = ? ORDER BY seq DESC LIMIT 1', [event.mergedId]);
      if (last.length === 0) return;
      await transferPoints(sql, { fromCustomerId: event.mergedId, toCustomerId: event.intoId, companyId: last[0]!.company_id, at: new Date(clock.now()).toISOString(), newId: () => newRowId(clock) });
    },
  ],
  tillRequests: {
    [LOYALTY_BALANCE]: (c, till, payload) => service(c).balance(till, payload),
    [LOYALTY_HOLD]: (c, till, payload) => service(c).hold(till, payload),
    [LOYALTY_RELEASE]: (c, till, payload) => service(c).release(till, payload),
  },
  jobs: {
    async [EXPIRE_JOB](run, c) {
      const asOf = (run.params as { asOf?: string | null }).asOf ?? new Date(c.clock.now()).toISOString().slice(0, 10);
      const r = await service(c).expire(asOf);
      return { result: r, message: `${r.points} puntos caducados · points expired (${r.customers} clientes · members)` };
    },
  },
};
