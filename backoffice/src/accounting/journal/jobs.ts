/**
 * The job `accounting.recurring`: posts every recurring entry that is due (idempotent per template and date).
 * There is no scheduler: the server enqueues it at start when a template is due (checked first, so a node with
 * nothing due — every test server — enqueues nothing), and HQ can run it now (POST /api/accounting/recurring/run).
 */
import type { ModuleContext } from '../../modules/types';
import type { JobHandler } from '../../platform/jobs/service';
import { anyDue, RECURRING_JOB, runDueRecurring } from './recurring';

const today = (ctx: ModuleContext) => new Date(ctx.clock.now()).toISOString().slice(0, 10);

export const journalJobs: Record<string, JobHandler<ModuleContext>> = {
  async [RECURRING_JOB](run, ctx) {
    const p = (run.params ?? {}) as { companyId?: string };
    const r = await runDueRecurring(ctx.ds, ctx.clock, today(ctx), p.companyId);
    return { result: r, message: `${r.posted} asientos · entries${r.failed.length ? `, ${r.failed.length} rechazados · refused` : ''}` };
  },
};

/** At start: one job when some template is due (several nodes may each enqueue one: posting is idempotent). */
export function enqueueDueRecurringAtStart(ctx: ModuleContext): void {
  setImmediate(() => {
    anyDue(ctx.ds, today(ctx))
      .then((due) => (due ? ctx.jobs.enqueue({ kind: RECURRING_JOB, params: {}, owner: { companyId: null, storeId: null, createdBy: null } }) : undefined))
      .catch((e: unknown) => ctx.log(`accounting.recurring not enqueued at start: ${e instanceof Error ? e.message : String(e)}`));
  });
}
