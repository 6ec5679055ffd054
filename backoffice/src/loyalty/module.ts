/**
 * Loyalty (issue 15): the programme, the points ledger (earn at ingest, redeem online with a hold or offline
 * under a cap, reverse on returns, expire, adjust), the liability and the settlement between franchisees.
 */
import { LOYALTY_BALANCE, LOYALTY_HOLD, LOYALTY_RELEASE } from '@tpv/shared/loyalty/requests';
import type { BackofficeModule, ModuleContext } from '../modules/types';
import { loyaltyEarnStep } from './earn';
import { EXPIRE_JOB, loyaltyRoutes } from './route';
import { createLoyaltyService } from './service';

const service = (c: ModuleContext) => createLoyaltyService(c.ds, c.clock, (v) => c.live.gateway?.catalogChanged(null, v));

export const loyaltyModule: BackofficeModule = {
  id: 'loyalty',
  routes: (c) => [loyaltyRoutes(c, service(c))],
  ticketSteps: [loyaltyEarnStep],
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
