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

export function feesRoutes(c: Pick<ModuleContext, 'ds' | 'clock' | 'jobs'>): ApiRouter {
  const { ds, clock, jobs } = c;
  const start = async (kind: svc.RunKind, body: W.RunBody, user: Parameters<typeof svc.openRun>[2], requestId: string | undefined) => {
    const run = await svc.openRun(ds, clock, user, kind, body, requestId);
    const job = await jobs.enqueue({ kind: svc.RUN_JOB, params: { runId: run.id, user }, owner: ownerScopeOf(user), maxAttempts: 2 });
    await svc.attachJob(ds, run.id, job.id);
    return { runId: run.id, jobId: job.id };
  };
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get',
      path: '/api/invoicing/fee-runs/preview',
      summary: 'Franchise fees of a month per franchisee and store (royalty and marketing fee of net sales), nothing posted',
      tags,
      access: 'invoicing.read',
      query: W.PeriodQuery,
      response: W.FeePreviewSchema,
      errors: { 409: 'no franchisor company' },
      handler: ({ query, user }) => svc.feePreview(ds, user, query.period),
    }),
    defineRoute({
      method: 'post',
      path: '/api/invoicing/fee-runs',
      summary: 'Posts the franchise-fee invoices of a month (once per period) as a job with progress; PDFs made',
      tags,
      access: 'invoicing.write',
      body: W.RunBody,
      response: W.RunStartedSchema,
      status: 202,
      errors: { 409: 'the period was already posted', 422: 'the period has not ended, or a bad issue date' },
      handler: ({ body, user, requestId }) => start('fee', body, user, requestId),
    }),
    defineRoute({
      method: 'get',
      path: '/api/invoicing/wholesale-runs/preview',
      summary: 'Wholesale invoices of a month per franchisee from its received, not yet invoiced delivery notes, nothing posted',
      tags,
      access: 'invoicing.read',
      query: W.PeriodQuery,
      response: W.WholesalePreviewSchema,
      errors: { 409: 'no franchisor company' },
      handler: ({ query, user }) => svc.wholesalePreview(ds, user, query.period),
    }),
    defineRoute({
      method: 'post',
      path: '/api/invoicing/wholesale-runs',
      summary: 'Posts the wholesale invoices of a month (once per period; each note invoiced once) as a job with progress',
      tags,
      access: 'invoicing.write',
      body: W.RunBody,
      response: W.RunStartedSchema,
      status: 202,
      errors: { 409: 'the period was already posted', 422: 'the period has not ended, or a bad issue date' },
      handler: ({ body, user, requestId }) => start('wholesale', body, user, requestId),
    }),
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
