/**
 * The fees module: the franchisor's monthly invoice runs (franchise fees from the daily sales rollup, wholesale
 * from received delivery notes) through the invoicing core, and the `sales_day` rollup the ingest keeps.
 */
import type { BackofficeModule } from '../modules/types';
import { feesJobs } from './jobs';
import { feesRoutes } from './route';

export const feesModule: BackofficeModule = {
  id: 'fees',
  permissionModules: ['invoicing'],
  routes: (c) => [feesRoutes(c)],
  jobs: feesJobs,
};
