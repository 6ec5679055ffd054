/** The fees module's jobs: posting an invoice run (progress per group of franchisees) and the daily rollup's rebuild. */
import type { AuthUser } from '../auth/service';
import type { ModuleContext } from '../modules/types';
import type { JobHandler } from '../platform/jobs/service';
import { postRun, rebuildSalesDayRollup, RUN_JOB } from './service';

export const SALES_DAY_REBUILD_JOB = 'fees.sales_day.rebuild';

export const feesJobs: Record<string, JobHandler<ModuleContext>> = {
  async [RUN_JOB](run, ctx) {
    const p = run.params as { runId: string; user: AuthUser };
    const r = await postRun(ctx.ds, ctx.clock, ctx.files, p.runId, p.user, (done, total, message) => run.progress(done, total, message));
    return { result: r, message: `${r.posted.length} facturas · invoices, ${r.skipped.length} sin factura · skipped` };
  },
  async [SALES_DAY_REBUILD_JOB](run, ctx) {
    const p = run.params as { storeIds: string[] | null };
    await run.progress(0, 1, 'rebuilding sales_day');
    const rows = await rebuildSalesDayRollup(ctx.ds, p.storeIds);
    return { result: { rows }, message: `${rows} filas · rows` };
  },
};
