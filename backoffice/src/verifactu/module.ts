/**
 * Veri*Factu (issue 12) as the platform sees it: export of a month per issuing company, submission to the
 * AEAT with the answer per record, and its status page; it uses the `invoicing` permissions.
 */
import type { BackofficeModule } from '../modules/types';
import { verifactuJobs } from './jobs';
import { verifactuRoutes } from './route';

export const verifactuModule: BackofficeModule = {
  id: 'verifactu',
  permissionModules: ['invoicing'],
  routes: (c) => [verifactuRoutes(c.ds, c.clock, c.jobs)],
  jobs: verifactuJobs,
};
