/** Restocking's jobs: proposals for many stores (progress per group of stores), the demand statistics' refresh and the rollup's rebuild. */
import type { ModuleContext } from '../modules/types';
import type { JobHandler } from '../platform/jobs/service';
import { generateProposals, rebuildRollup, refreshDemandStats } from './service';

export const PROPOSALS_JOB = 'restocking.proposals';
export const DEMAND_REFRESH_JOB = 'restocking.demand.refresh';
export const ROLLUP_REBUILD_JOB = 'restocking.rollup.rebuild';

export const restockingJobs: Record<string, JobHandler<ModuleContext>> = {
  async [PROPOSALS_JOB](run, ctx) {
    const p = run.params as { storeIds: string[] | null; by: string | null };
    // The stores' demand statistics first (nothing to do but the late tickets' pairs once the weekly refresh ran).
    const r = await refreshDemandStats(ctx.ds, ctx.clock, { storeIds: p.storeIds, onProgress: (done, total) => run.progress(done, 2 * total, `${done}/${total} tiendas: demanda · stores: demand`) });
    const g = await generateProposals(ctx.ds, ctx.clock, {
      storeIds: p.storeIds,
      createdBy: p.by,
      onProgress: (done, total) => run.progress(total + done, 2 * total, `${done}/${total} tiendas · stores`),
    });
    return {
      result: { proposals: g.proposals.length, lines: g.lines, pairs: g.pairs, demandRefreshed: r.stores, demandFolded: r.folded },
      message: `${g.proposals.length} propuestas · proposals, ${g.lines} líneas · lines`,
    };
  },
  async [DEMAND_REFRESH_JOB](run, ctx) {
    const p = run.params as { storeIds: string[] | null; full?: boolean };
    const r = await refreshDemandStats(ctx.ds, ctx.clock, { storeIds: p.storeIds, full: p.full ?? false, onProgress: (done, total) => run.progress(done, total, `${done}/${total} tiendas · stores`) });
    return { result: { ...r }, message: `semana · week ${r.week}: ${r.stores} tiendas · stores, ${r.rows} filas · rows, ${r.folded} pares tardíos · late pairs` };
  },
  async [ROLLUP_REBUILD_JOB](run, ctx) {
    const p = run.params as { storeIds: string[] | null };
    await run.progress(0, 1, 'rebuilding sales_week');
    const rows = await rebuildRollup(ctx.ds, p.storeIds);
    return { result: { rows }, message: `${rows} filas · rows` };
  },
};
