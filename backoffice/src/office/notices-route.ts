/**
 * HTTP routes of office notices (thin: parse → use case). `office.read`: the list and a notice's page of who
 * has read it (scoped to the caller's stores); `office.write` (HQ, a franchisee for their own stores): post and
 * withdraw.
 */
import * as W from '@tpv/shared/wire/http/office-notices';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { ModuleContext } from '../modules/types';
import type { createNoticeService } from './notices-service';

const TAGS = ['office'];

export function noticeRoutes(c: ModuleContext, s: ReturnType<typeof createNoticeService>): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/office/notices', summary: 'Notices that reached the caller’s stores, newest first, with how many people they are for and how many read them', tags: TAGS, access: 'office.read',
      query: W.NoticeListQuery, response: W.NoticeListAnswer,
      handler: ({ query, user }) => s.list(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/office/notices', status: 201,
      summary: 'Post a notice to the tills: the whole network (HQ), some companies or stores (a franchisee: only their own), optionally some till roles; sent down the change feed',
      tags: TAGS, access: 'office.write', body: W.NoticeCreateBody, response: W.NoticeDetail,
      errors: { 422: 'no target or an unknown company / store; an end before the start or already past' },
      handler: ({ body, user, requestId }) => s.post(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/office/notices/:id', summary: 'A notice’s page: the stores it reached, the people it is for and when each confirmed reading it at the till', tags: TAGS, access: 'office.read',
      params: W.NoticeIdParam, response: W.NoticeDetail, errors: { 404: 'no such notice in your scope' },
      handler: ({ params, user }) => s.detail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/office/notices/:id/withdraw', summary: 'Withdraw a notice: the feed takes it off the tills (reads stay)', tags: TAGS, access: 'office.write',
      params: W.NoticeIdParam, body: W.NoticeWithdrawBody, response: W.NoticeDetail, errors: { 404: 'no such notice in your scope', 409: 'already withdrawn' },
      handler: ({ params, user, requestId }) => s.withdraw(user, params.id, requestId),
    }),
  ]);
}
