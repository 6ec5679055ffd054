import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import {
  AlertsQuery, AlertsSchema, JobStartedSchema, LineQuantityBody, ProposalCreateBody, ProposalDetailSchema, ProposalLineParams, ProposalParams,
  ProposalRunBody, ProposalSchema, ProposalsQuery, RuleBodySchema, RuleParams, RuleSchema, RuleStoreParams,
} from '@tpv/shared/wire/http/restocking';
import type { ModuleContext } from '../modules/types';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { ownerScopeOf } from '../platform/owner-scope';
import { DEMAND_REFRESH_JOB, PROPOSALS_JOB, ROLLUP_REBUILD_JOB } from './jobs';
import * as svc from './service';

const tags = ['restocking'];

export function restockingRoutes(ds: DataSource, clock: Clock, jobs: ModuleContext['jobs']): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get',
      path: '/api/stores/:storeId/restock-rules',
      summary: "A store's restock rules (pairs without one follow the default: 14 days of cover)",
      tags,
      access: 'restocking.read',
      params: RuleStoreParams,
      response: z.array(RuleSchema),
      errors: { 404: 'no such store' },
      handler: ({ params, user }) => svc.listRules(ds, user, params.storeId),
    }),
    defineRoute({
      method: 'put',
      path: '/api/stores/:storeId/restock-rules/:productId',
      summary: 'Sets the restock rule of a store and product (min/max or days of cover, pack, lead time, source)',
      tags,
      access: 'restocking.write',
      params: RuleParams,
      body: RuleBodySchema,
      response: RuleSchema,
      errors: { 404: 'no such store', 422: 'figures that do not fit the method, unknown product or supplier' },
      handler: ({ params, body, user, requestId }) => svc.saveRule(ds, clock, user, params.storeId, params.productId, body, requestId),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/stores/:storeId/restock-rules/:productId',
      summary: 'Removes a restock rule (the pair goes back to the default)',
      tags,
      access: 'restocking.write',
      params: RuleParams,
      status: 204,
      errors: { 404: 'no such rule' },
      handler: ({ params, user, requestId }) => svc.removeRule(ds, clock, user, params.storeId, params.productId, requestId),
    }),
    defineRoute({
      method: 'get',
      path: '/api/restocking/proposals',
      summary: 'Restock proposals of the stores in scope, newest first',
      tags,
      access: 'restocking.read',
      query: ProposalsQuery,
      response: z.array(ProposalSchema),
      handler: ({ query, user }) => svc.listProposals(ds, user, query),
    }),
    defineRoute({
      method: 'post',
      path: '/api/restocking/proposals',
      summary: "Computes a store's proposal now (its previous draft is discarded)",
      tags,
      access: 'restocking.write',
      body: ProposalCreateBody,
      response: ProposalDetailSchema,
      status: 201,
      errors: { 404: 'no such store', 422: 'archived store' },
      handler: ({ body, user }) => svc.proposeForStore(ds, clock, user, body.storeId),
    }),
    defineRoute({
      method: 'post',
      path: '/api/restocking/proposals/run',
      summary: 'Computes the proposals of many stores (all in scope by default) as a job with progress',
      tags,
      access: 'restocking.write',
      body: ProposalRunBody,
      response: JobStartedSchema,
      status: 202,
      handler: async ({ body, user }) => {
        const storeIds = await svc.storesForRun(ds, user, body.storeIds);
        const job = await jobs.enqueue({ kind: PROPOSALS_JOB, params: { storeIds, by: user.email }, owner: ownerScopeOf(user), maxAttempts: 2 });
        return { jobId: job.id };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/restocking/proposals/:id',
      summary: 'A proposal with its lines: what to order, from whom, and why',
      tags,
      access: 'restocking.read',
      params: ProposalParams,
      response: ProposalDetailSchema,
      errors: { 404: 'no such proposal (or not in scope)' },
      handler: ({ params, user }) => svc.proposalDetail(ds, user, params.id),
    }),
    defineRoute({
      method: 'put',
      path: '/api/restocking/proposals/:id/lines/:productId',
      summary: 'Edits the quantity to order of a draft proposal line',
      tags,
      access: 'restocking.write',
      params: ProposalLineParams,
      body: LineQuantityBody,
      status: 204,
      errors: { 404: 'no such proposal or line', 409: 'the proposal is not a draft any more' },
      handler: ({ params, body, user, requestId }) => svc.setProposalLine(ds, clock, user, params.id, params.productId, body.quantity, requestId),
    }),
    defineRoute({
      method: 'post',
      path: '/api/restocking/proposals/:id/confirm',
      summary: 'Confirms a draft proposal into a replenishment order and purchase-order drafts (once)',
      tags,
      access: 'restocking.write',
      params: ProposalParams,
      response: ProposalDetailSchema,
      errors: { 404: 'no such proposal', 409: 'already confirmed or replaced', 422: 'nothing to order' },
      handler: ({ params, user, requestId }) => svc.confirmProposal(ds, clock, user, params.id, requestId),
    }),
    defineRoute({
      method: 'get',
      path: '/api/restocking/alerts',
      summary: 'Products below their minimum, and products with stock and no sales for N weeks',
      tags,
      access: 'restocking.read',
      query: AlertsQuery,
      response: AlertsSchema,
      errors: { 404: 'no such store' },
      handler: ({ query, user }) => svc.alerts(ds, clock, user, query),
    }),
    defineRoute({
      method: 'post',
      path: '/api/restocking/demand/refresh',
      summary: "Brings the stores' demand statistics to this week (the weekly job; `full` recomputes current stores too), as a job (HQ)",
      tags,
      access: 'restocking.write',
      body: z.object({ storeIds: z.array(z.string().min(1).max(64)).max(10_000).nullable().default(null), full: z.boolean().default(false) }),
      response: JobStartedSchema,
      status: 202,
      handler: async ({ body, user }) => {
        svc.assertHq(user);
        const job = await jobs.enqueue({ kind: DEMAND_REFRESH_JOB, params: { storeIds: body.storeIds, full: body.full }, owner: ownerScopeOf(user), maxAttempts: 2 });
        return { jobId: job.id };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/restocking/rollup/rebuild',
      summary: 'Rebuilds the weekly sales rollup from the stock ledger (HQ), as a job',
      tags,
      access: 'restocking.write',
      body: z.object({ storeIds: z.array(z.string().min(1).max(64)).max(10_000).nullable().default(null) }),
      response: JobStartedSchema,
      status: 202,
      handler: async ({ body, user }) => {
        svc.assertHq(user);
        const job = await jobs.enqueue({ kind: ROLLUP_REBUILD_JOB, params: { storeIds: body.storeIds }, owner: ownerScopeOf(user), maxAttempts: 1 });
        return { jobId: job.id };
      },
    }),
  ]);
}
