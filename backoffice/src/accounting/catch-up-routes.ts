/**
 * The catch-up job and its route (HQ): posts the entries of documents the books have not heard of (catch-up.ts).
 */
import { z } from 'zod';
import type { ModuleContext } from '../modules/types';
import type { JobHandler } from '../platform/jobs/service';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { ownerScopeOf } from '../platform/owner-scope';
import { hqMay } from '../platform/permissions';
import { forbidden } from '../auth/http';
import { catchUpDocuments } from './catch-up';
import { accountingReactions } from './reactions';

export const CATCH_UP_JOB = 'accounting.catch-up';

export const catchUpJobs: Record<string, JobHandler<ModuleContext>> = {
  [CATCH_UP_JOB]: async (run, ctx) => {
    const by = (run.params as { by?: string } | null)?.by ?? null;
    const out = await catchUpDocuments(ctx.ds, ctx.clock, accountingReactions, by, (done, total) => run.progress(done, total, 'documents'));
    return { result: out };
  },
};

export function catchUpRoutes(c: Pick<ModuleContext, 'ds' | 'clock' | 'jobs'>): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'post', path: '/api/accounting/catch-up', summary: 'Posts, as a job, the entries of every posted document the books do not hold yet (documents from before the books, or from while accounting was off); idempotent', tags: ['accounting'], access: 'accounting.admin',
      body: z.object({}).optional(), response: z.object({ jobId: z.string() }), status: 202,
      async handler({ user }) {
        if (!hqMay(user, 'accounting.admin')) throw forbidden('Only HQ runs the catch-up of the books.');
        const job = await c.jobs.enqueue({ kind: CATCH_UP_JOB, params: { by: user.id }, owner: ownerScopeOf(user), maxAttempts: 1 });
        return { jobId: job.id };
      },
    }),
  ]);
}
