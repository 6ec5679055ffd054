/**
 * HTTP routes of loyalty: the programme (read: loyalty.read — the stores sell with it; write: loyalty.write,
 * HQ operations), a member's ledger and adjustments, the expiry run (a job), and the liability and the
 * monthly settlement between franchisees (loyalty.admin: HQ accountants and admins).
 */
import * as W from '@tpv/shared/wire/http/loyalty';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { ownerScopeOf } from '../platform/owner-scope';
import type { ModuleContext } from '../modules/types';
import type { LoyaltyService } from './service';

const TAGS = ['loyalty'];
export const EXPIRE_JOB = 'loyalty.expire';

export function loyaltyRoutes(c: ModuleContext, svc: LoyaltyService): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/loyalty/programme', summary: 'The franchise’s loyalty programme (null until HQ defines one)', tags: TAGS, access: 'loyalty.read',
      response: W.ProgrammeAnswer, handler: () => svc.getProgramme(),
    }),
    defineRoute({
      method: 'put', path: '/api/loyalty/programme', summary: 'Replace the loyalty programme (earn rates, exclusions, point value, minimum, expiry, offline caps); audited, sent to every till', tags: TAGS, access: 'loyalty.write',
      body: W.ProgrammeBody, response: W.ProgrammeAnswer, handler: ({ body, user }) => svc.putProgramme(user, body),
    }),
    defineRoute({
      method: 'get', path: '/api/loyalty/members/:customerId', summary: 'A member’s points: balance, active holds, postings (newest first), outstanding points per company', tags: TAGS, access: 'loyalty.read',
      params: W.MemberParams, response: W.MemberLedgerAnswer, handler: ({ params }) => svc.memberLedger(params.customerId),
    }),
    defineRoute({
      method: 'post', path: '/api/loyalty/adjustments', summary: 'Adjust a member’s points by hand (with a note; never below zero)', tags: TAGS, access: 'loyalty.write',
      body: W.AdjustBody, response: W.AdjustAnswer, status: 201, handler: ({ body, user }) => svc.adjust(user, body),
    }),
    defineRoute({
      method: 'post', path: '/api/loyalty/expire', summary: 'Run the expiry now (a job): points older than the programme’s expiry expire, FIFO by earn date', tags: TAGS, access: 'loyalty.admin',
      body: W.ExpireBody, response: W.JobStarted, status: 202,
      handler: async ({ body, user }) => {
        const job = await c.jobs.enqueue({ kind: EXPIRE_JOB, params: { asOf: body.asOf ?? null }, owner: ownerScopeOf(user), maxAttempts: 2 });
        return { jobId: job.id };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/loyalty/liability', summary: 'Outstanding points and their value per franchisee company (where the points were earned)', tags: TAGS, access: 'loyalty.admin',
      response: W.LiabilityAnswer, handler: ({ user }) => svc.liability(user),
    }),
    defineRoute({
      method: 'get', path: '/api/loyalty/settlement', summary: 'A month’s settlement between franchisees: points earned at one and redeemed at another, netted per pair', tags: TAGS, access: 'loyalty.admin',
      query: W.SettlementQuery, response: W.SettlementAnswer, handler: ({ query, user }) => svc.settlement(user, query.month),
    }),
  ]);
}
