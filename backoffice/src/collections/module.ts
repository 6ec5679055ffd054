/**
 * Collections (issue 13): the receivables/payables ledger (ledger.ts), payments, SEPA mandates and
 * remittances, bank statements and matching, aging, dunning and credit control. Each part has its folder
 * here and adds its routers to this list.
 */
import type { BackofficeModule } from '../modules/types';
import { agingRoutes } from './aging/route';
import { bankStatementRoutes } from './bank-statements/route';
import { dunningRoutes } from './dunning/route';
import { paymentsRoutes } from './payments/route';
import { sepaRemittanceRoutes } from './sepa-remittances/route';
import { settleRemittanceByCredit } from './sepa-remittances/service';
import { setRemittanceSettler } from './bank-statements/matching';

// A bank credit that matches a remittance settles it (the matching lives with the statements, the remittances here).
setRemittanceSettler(settleRemittanceByCredit);

export const collectionsModule: BackofficeModule = {
  id: 'collections',
  permissionModules: ['collections'],
  routes: (c) => [
    paymentsRoutes(c.ds, c.clock, c.files),
    sepaRemittanceRoutes(c.ds, c.clock, c.files),
    // A match that pays off a blocked customer's items unblocks it: the tills are nudged the same way.
    bankStatementRoutes(c.ds, c.clock, (v) => c.live.gateway?.catalogChanged(null, v)),
    // A block or release changes the customers tills hold: they are nudged to pull the feed.
    dunningRoutes(c.ds, c.clock, c.files, (v) => c.live.gateway?.catalogChanged(null, v)),
    agingRoutes(c.ds, c.clock),
  ],
};
