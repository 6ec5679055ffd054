/**
 * Collections (issue 13): the receivables/payables ledger (ledger.ts), payments, SEPA mandates and
 * remittances, bank statements and matching, aging, dunning and credit control. Each part has its folder
 * here and adds its routers to this list.
 */
import type { BackofficeModule } from '../modules/types';
import { agingRoutes } from './aging/route';

export const collectionsModule: BackofficeModule = {
  id: 'collections',
  permissionModules: ['collections'],
  routes: (c) => [
    agingRoutes(c.ds, c.clock),
  ],
};
