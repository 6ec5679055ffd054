/** Jobs of the tills' daily sales entries: posting up to a date (progress per company) and the rollups' rebuild. */
import type { ModuleContext } from '../../modules/types';
import type { JobHandler } from '../../platform/jobs/service';
import { postDailySales } from './posting';
import { rebuildSalesSessions } from './rollup';

export const POST_SALES_JOB = 'accounting.post-sales';
export const REBUILD_ROLLUPS_JOB = 'accounting.sales-rollups.rebuild';

export const accountingSalesJobs: Record<string, JobHandler<ModuleContext>> = {
  async [POST_SALES_JOB](run, ctx) {
    const p = run.params as { throughDate: string | null; companyIds: string[] | null; by: string | null };
    const r = await postDailySales(ctx.ds, ctx.clock, { throughDate: p.throughDate, companyIds: p.companyIds, by: p.by }, (done, total, message) => run.progress(done, total, message));
    return { result: r, message: `${r.entries} asientos · entries, ${r.companies} empresas · companies` };
  },
  async [REBUILD_ROLLUPS_JOB](run, ctx) {
    const p = run.params as { storeIds: string[] | null };
    await run.progress(0, 1, 'rebuilding sales_tax_session / sales_pay_session');
    const rows = await rebuildSalesSessions(ctx.ds, p.storeIds);
    return { result: { rows }, message: `${rows} filas · rows` };
  },
};
