/**
 * HTTP routes of the franchisor's invoice runs (thin: parse → use case → map). Franchise-wide HQ roles only:
 * preview (nothing written), post (a job; a period is posted once), the runs, and the daily rollup's rebuild.
 */
import { z } from 'zod';
import * as W from '@tpv/shared/wire/http/fees';
import type { ModuleContext } from '../modules/types';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { ownerScopeOf } from '../platform/owner-scope';
import { SALES_DAY_REBUILD_JOB } from './jobs';
import * as svc from './service';

const tags = ['invoicing'];
const JobStarted = z.object({ jobId: z.string() });
const RUN_KINDS = [
  { kind: 'fee', path: 'fee-runs', what: 'Franchise fees (royalty and marketing fee of net sales, per store)', preview: svc.feePreview, schema: W.FeePreviewSchema },
  { kind: 'wholesale', path: 'wholesale-runs', what: 'Wholesale invoices from the received, not yet invoiced delivery notes', preview: svc.wholesalePreview, schema: W.WholesalePreviewSchema },
] as const;

export function feesRoutes(c: Pick<ModuleContext, 'ds' | 'clock' | 'jobs'>): ApiRouter {
  const { ds, clock, jobs } = c;
  const start = async (kind: svc.RunKind, body: W.RunBody, user: Parameters<typeof svc.openRun>[2], requestId: string | undefined) => {
    const run = await svc.openRun(ds, clock, user, kind, body, requestId);
    const job = await jobs.enqueue({ kind: svc.RUN_JOB, params: { runId: run.id, user }, owner: ownerScopeOf(user), maxAttempts: 2 });
    await svc.attachJob(ds, run.id, job.id);
    return { runId: run.id, jobId: job.id };
  };
  return apiRouter(ds, clock, [
    // Per run kind: its preview (nothing written) and its post (a job; a period is posted once).
    ...RUN_KINDS.flatMap(({ kind, path, what, preview, schema }) => [
      defineRoute({
        method: 'get',
        path: `/api/invoicing/${path}/preview`,
        summary: `${what} of a month per franchisee, nothing posted`,
        tags,
        access: 'invoicing.read',
        query: W.PeriodQuery,
        response: schema,
        errors: { 409: 'no franchisor company' },
        handler: ({ query, user }) => preview(ds, user, query.period),
      }),
      defineRoute({
        method: 'post',
        path: `/api/invoicing/${path}`,
        summary: `Posts the ${what.toLowerCase()} of a month (once per period) as a job with progress; PDFs made`,
        tags,
        access: 'invoicing.write',
        body: W.RunBody,
        response: W.RunStartedSchema,
        status: 202,
        errors: { 409: 'the period was already posted', 422: 'the period has not ended, or a bad issue date' },
        handler: ({ body, user, requestId }) => start(kind, body, user, requestId),
      }),
    ]),
    defineRoute({
      method: 'get',
      path: '/api/invoicing/runs',
      summary: 'Fee and wholesale runs, newest period first, with what each posted and skipped',
      tags,
      access: 'invoicing.read',
      response: z.array(W.InvoiceRunSchema),
      handler: ({ user }) => svc.listRuns(ds, user),
    }),
    defineRoute({
      method: 'get',
      path: '/api/invoicing/runs/:id',
      summary: 'One fee or wholesale run',
      tags,
      access: 'invoicing.read',
      params: W.RunParams,
      response: W.InvoiceRunSchema,
      errors: { 404: 'no such run' },
      handler: ({ params, user }) => svc.runById(ds, user, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/invoicing/sales-day/rebuild',
      summary: 'Rebuilds the daily sales rollup (net sales without IVA per store and day) from the tickets (HQ), as a job',
      tags,
      access: 'invoicing.write',
      body: z.object({ storeIds: z.array(z.string().min(1).max(64)).max(10_000).nullable().default(null) }),
      response: JobStarted,
      status: 202,
      handler: async ({ body, user }) => {
        svc.assertFranchiseWide(user, 'invoicing.write');
        const job = await jobs.enqueue({ kind: SALES_DAY_REBUILD_JOB, params: { storeIds: body.storeIds }, owner: ownerScopeOf(user), maxAttempts: 1 });
        return { jobId: job.id };
      },
    }),
  ]);
}
