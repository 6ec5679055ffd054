/**
 * HTTP routes of the tills' daily sales entries (thin: parse → scope → use case): post the pending days up to a
 * date (a job with progress), what is pending, the rollups' rebuild (HQ admin, a job), and the reconciliation
 * of the tickets with the journal per store, day and rate.
 */
import * as W from '@tpv/shared/wire/http/accounting-sales';
import type { AuthUser } from '../../auth/service';
import { visibleCompanyIds } from '../../auth/service';
import { forbidden } from '../../auth/http';
import type { ModuleContext } from '../../modules/types';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import { ownerScopeOf } from '../../platform/owner-scope';
import { writeTransaction } from '../../persistence/raw';
import { companyInScope } from '../core/routes';
import { pendingSales, postingThrough } from './posting';
import { salesReconciliation } from './reconciliation';
import { POST_SALES_JOB, REBUILD_ROLLUPS_JOB } from './jobs';

const TAGS = ['accounting'];
const actor = (u: AuthUser) => ({ id: u.id, email: u.email });

export function accountingSalesRoutes(c: Pick<ModuleContext, 'ds' | 'clock' | 'jobs'>): ApiRouter {
  const { ds, clock, jobs } = c;
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'post', path: '/api/accounting/sales-postings', summary: "Posts the tills' pending daily sales (one entry per till session and day, the difference since the last posting) up to a date, as a job with progress", tags: TAGS, access: 'accounting.write',
      body: W.SalesPostingBody, response: W.JobStartedSchema, status: 202, errors: { 404: 'no such company', 422: 'a day that has not come yet' },
      async handler({ body, user, requestId }) {
        // Checked now, so a bad date is refused before a job exists.
        postingThrough(clock, body.throughDate);
        let companyIds = body.companyIds;
        if (companyIds) for (const id of companyIds) await companyInScope(ds, user, id);
        else companyIds = visibleCompanyIds(user);
        const job = await jobs.enqueue({ kind: POST_SALES_JOB, params: { throughDate: body.throughDate, companyIds, by: user.id }, owner: ownerScopeOf(user), maxAttempts: 2 });
        await writeTransaction(ds, (m) => recordAudit(m, clock, { actor: actor(user), action: 'accounting.sales.post', entity: 'job', entityId: job.id, after: { throughDate: body.throughDate, companyIds }, requestId }));
        return { jobId: job.id };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/accounting/sales-postings/pending', summary: 'What is left to post of the tills’ sales, per company, store and business date', tags: TAGS, access: 'accounting.read',
      query: W.PendingQuery, response: W.PendingSchema, errors: { 404: 'no such company' },
      async handler({ query, user }) {
        if (query.companyId) await companyInScope(ds, user, query.companyId);
        return { days: await pendingSales(ds.manager, query.companyId ? [query.companyId] : visibleCompanyIds(user)) };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/accounting/sales-rollups/rebuild', summary: 'Rebuilds the daily sales rollups (tax per rate, payments per method per till session and day) from the tickets, keeping what was posted (HQ), as a job', tags: TAGS, access: 'accounting.admin',
      body: W.RebuildBody, response: W.JobStartedSchema, status: 202,
      async handler({ body, user, requestId }) {
        if (visibleCompanyIds(user) !== null) throw forbidden('Solo la central / HQ only');
        const job = await jobs.enqueue({ kind: REBUILD_ROLLUPS_JOB, params: { storeIds: body.storeIds }, owner: ownerScopeOf(user), maxAttempts: 1 });
        await writeTransaction(ds, (m) => recordAudit(m, clock, { actor: actor(user), action: 'accounting.sales.rebuild', entity: 'job', entityId: job.id, after: body, requestId }));
        return { jobId: job.id };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/sales-reconciliation', summary: "The tills' sales per store, day and IVA rate beside the journal's 700 and 477 of their entries, with the difference", tags: TAGS, access: 'accounting.read',
      params: W.ReconciliationParams, query: W.ReconciliationQuery, response: W.ReconciliationSchema, errors: { 404: 'no such company' },
      async handler({ params, query, user }) {
        await companyInScope(ds, user, params.companyId);
        return { companyId: params.companyId, from: query.from, to: query.to, rows: await salesReconciliation(ds.manager, params.companyId, query.from, query.to) };
      },
    }),
  ]);
}
