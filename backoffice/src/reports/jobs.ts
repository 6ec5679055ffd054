/**
 * The reports module's jobs: rebuilding the rollups of some stores and dates from the stored tickets (then folding
 * them), and folding the hour rollups into the month and network tables (reports/fold.ts). There is no scheduler:
 * the server enqueues the fold at start and each night when it is due (`enqueueFoldWhenDue`), and HQ can run it
 * now (POST /api/reports/fold).
 */
import type { ModuleContext } from '../modules/types';
import type { JobHandler } from '../platform/jobs/service';
import { all } from '../persistence/sql';
import { foldDue, foldRollups } from './fold';
import { rebuildRollups } from './rebuild';

export const REBUILD_JOB = 'reports.rollups.rebuild';
export const FOLD_JOB = 'reports.rollups.fold';

export const reportJobs: Record<string, JobHandler<ModuleContext>> = {
  async [REBUILD_JOB](run, ctx) {
    const p = run.params as { storeIds: string[] | null; from: string; to: string };
    const r = await rebuildRollups(ctx.ds, p, (done, total) => run.progress(done, total, `${done}/${total} tiendas · stores`));
    const f = await foldRollups(ctx.ds, ctx.clock.now());
    return { result: { ...r, fold: f }, message: `${r.stores} tiendas, ${r.tickets} tickets, ${f.storeMonths} meses plegados · stores, tickets, months folded` };
  },
  async [FOLD_JOB](run, ctx) {
    const f = await foldRollups(ctx.ds, ctx.clock.now(), (done, total) => run.progress(done, total, `${done}/${total} tiendas · stores`));
    return { result: f, message: `${f.storeMonths} meses de tienda, ${f.networkMonths} de red · store months, network months` };
  },
};

/** Enqueues the fold when it has something to do (a store behind yesterday, a dirty month); errors only logged. */
export async function enqueueFoldWhenDue(ctx: ModuleContext): Promise<void> {
  try {
    const pending = await all(ctx.ds.manager, `SELECT 1 AS x FROM job WHERE kind = ? AND status IN ('queued', 'running')`, [FOLD_JOB]);
    if (pending.length === 0 && (await foldDue(ctx.ds, ctx.clock.now()))) await ctx.jobs.enqueue({ kind: FOLD_JOB, params: {}, owner: { companyId: null, storeId: null, createdBy: null }, maxAttempts: 1 });
  } catch (e) {
    ctx.log(`reports.rollups.fold not enqueued: ${e instanceof Error ? e.message : String(e)}`);
  }
}
