/** HTTP routes of promotions (thin: parse → service). HQ writes (`promotions.write`); stores read theirs. */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/promotions';
import { apiRouter, defineRoute, refused, type ApiRouter } from '../platform/api';
import type { PromotionsService } from './service';

const TAGS = ['promotions'];

export function promotionRoutes(ds: DataSource, clock: Clock, svc: PromotionsService): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/promotions', summary: 'Promotions (HQ: all; a franchisee or store: those that can apply in its stores), newest first', tags: TAGS, access: 'promotions.read',
      query: W.PromotionListQuery, response: W.PromotionList,
      handler: async ({ query, user }) => ({ items: await svc.list(user, query) }),
    }),
    defineRoute({
      method: 'get', path: '/api/promotions/totals', summary: 'What promotions took off, per promotion, store and day (from the tickets ingested)', tags: TAGS, access: 'promotions.read',
      query: W.PromotionTotalsQuery, response: W.PromotionTotals, errors: { 422: 'the period ends before it starts' },
      handler({ query: q, user }) {
        if (q.to < q.from) throw refused(422, 'PERIOD_INVALID', 'el periodo termina antes de empezar / the period ends before it starts', 'to');
        return svc.totals(user, q);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/promotions/:id', summary: 'One promotion', tags: TAGS, access: 'promotions.read',
      params: W.PromotionParams, response: W.PromotionItem, errors: { 404: 'no such promotion (or not visible)' },
      handler: ({ params, user }) => svc.get(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/promotions', summary: 'Create a promotion (sent to the tills it applies to through the change feed)', tags: TAGS, access: 'promotions.write',
      body: W.PromotionBody, response: W.PromotionItem, status: 201, errors: { 422: 'an invalid definition, or a product, category, store or company that does not exist' },
      handler: ({ body, user }) => svc.create(user!, body),
    }),
    defineRoute({
      method: 'put', path: '/api/promotions/:id', summary: 'Change a promotion (the tills get the new definition)', tags: TAGS, access: 'promotions.write',
      params: W.PromotionParams, body: W.PromotionBody, response: W.PromotionItem, errors: { 404: 'no such promotion', 422: 'an invalid definition' },
      handler: ({ params, body, user }) => svc.update(user!, params.id, body),
    }),
    defineRoute({
      method: 'post', path: '/api/promotions/:id/end', summary: 'End a promotion now (validTo = now): the tills stop applying it; a cart priced before is re-priced at payment', tags: TAGS, access: 'promotions.write',
      params: W.PromotionParams, response: W.PromotionItem, errors: { 404: 'no such promotion', 409: 'already ended' },
      handler: ({ params, user }) => svc.end(user!, params.id),
    }),
  ]);
}
