/**
 * HTTP routes of product blocks and recalls (thin: parse → use case). `quality.read`: the list and the
 * block's page (a franchisee's people: blocks of their stores, their stores' rows); `quality.write` (HQ):
 * block and lift; `inventory.write`: a store's withdrawal, at a store the caller may act on.
 */
import * as W from '@tpv/shared/wire/http/product-blocks';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { ModuleContext } from '../modules/types';
import type { createBlockService } from './service';

const TAGS = ['quality'];

export function blockRoutes(c: ModuleContext, s: ReturnType<typeof createBlockService>): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/product-blocks', summary: 'Product blocks and recalls concerning the caller’s stores, newest first (filter by status, product)', tags: TAGS, access: 'quality.read',
      query: W.BlockListQuery, response: W.BlockListAnswer,
      handler: ({ query, user }) => s.list(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/product-blocks', status: 201,
      summary: 'Block a product, or one lot / best-before range of it, for the network or some stores/companies: numbered, audited, sent down the change feed (tills refuse to sell it)',
      tags: TAGS, access: 'quality.write', body: W.BlockCreateBody, response: W.BlockDetail,
      errors: { 422: 'unknown product, store or company; an empty or invalid lot / date range; no store reached' },
      handler: ({ body, user, requestId }) => s.block(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/product-blocks/:id', summary: 'A block’s page: per store units sold since the reference date (tickets), stock on hand to withdraw, withdrawals', tags: TAGS, access: 'quality.read',
      params: W.BlockIdParam, response: W.BlockDetail, errors: { 404: 'no such block in your scope' },
      handler: ({ params, user }) => s.detail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/product-blocks/:id/lift', summary: 'Lift a block: the feed takes it off, tills sell again (audited)', tags: TAGS, access: 'quality.write',
      params: W.BlockIdParam, body: W.BlockLiftBody, response: W.BlockDetail, errors: { 404: 'no such block', 409: 'already lifted' },
      handler: ({ params, body, user, requestId }) => s.lift(user, params.id, body.note, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/product-blocks/:id/withdrawals', status: 201,
      summary: 'A store withdraws the blocked units (a stock adjustment with cause recall), or reports nothing to withdraw; the block closes when every store has withdrawn',
      tags: TAGS, access: 'inventory.write', params: W.BlockIdParam, body: W.WithdrawalBody, response: W.BlockDetail,
      errors: { 404: 'no such block in your scope', 409: 'already recorded, or the block was lifted', 422: 'store not in the block, more units than on hand' },
      handler: ({ params, body, user, requestId }) => s.withdraw(user, params.id, body, requestId),
    }),
  ]);
}
