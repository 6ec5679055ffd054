import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { MovementsQuery, MovementsSchema, StockQuery, StockRowSchema, StoreParams, StoreProductParams } from '@tpv/shared/wire/http/stock';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { stockOperationRoutes } from './operations-route';
import { productMovements, storeStock } from './service';

const tags = ['stock'];

export function stockRoutes(ds: DataSource, clock: Clock): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get',
      path: '/api/stores/:storeId/stock',
      summary: "A store's stock per product (filter by SKU or name)",
      tags,
      access: 'stock.read',
      params: StoreParams,
      query: StockQuery,
      response: z.array(StockRowSchema),
      handler: ({ params, query, user }) => storeStock(ds, user, params.storeId, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/stores/:storeId/stock/:productId/movements',
      summary: "A product's stock in a store and its latest movements",
      tags,
      access: 'stock.read',
      params: StoreProductParams,
      query: MovementsQuery,
      response: MovementsSchema,
      handler: ({ params, query, user }) => productMovements(ds, user, params.storeId, params.productId, query.limit),
    }),
    ...stockOperationRoutes(ds, clock),
  ]);
}
