/** Restocking's jobs: proposals for many stores (progress per group of stores) and the rollup's rebuild. */
import type { ModuleContext } from '../modules/types';
import type { JobHandler } from '../platform/jobs/service';
import { generateProposals, rebuildRollup } from './service';

export const PROPOSALS_JOB = 'restocking.proposals';
export const ROLLUP_REBUILD_JOB = 'restocking.rollup.rebuild';

export const restockingJobs: Record<string, JobHandler<ModuleContext>> = {
  async [PROPOSALS_JOB](run, ctx) {
    const p = run.params as { storeIds: string[] | null; by: string | null };
    const g = await generateProposals(ctx.ds, ctx.clock, { storeIds: p.storeIds, createdBy: p.by, onProgress: (done, total) => run.progress(done, total, `${done}/${total} tiendas · stores`) });
    return { result: { proposals: g.proposals.length, lines: g.lines, pairs: g.pairs }, message: `${g.proposals.length} propuestas · proposals, ${g.lines} líneas · lines` };
  },
  async [ROLLUP_REBUILD_JOB](run, ctx) {
    const p = run.params as { storeIds: string[] | null };
    await run.progress(0, 1, 'rebuilding sales_week');
    const rows = await rebuildRollup(ctx.ds, p.storeIds);
    return { result: { rows }, message: `${rows} filas · rows` };
  },
};
