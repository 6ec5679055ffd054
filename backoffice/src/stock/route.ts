import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { MovementsQuery, MovementsSchema, StockQuery, StockRowSchema, StoreParams, StoreProductParams } from '@tpv/shared/wire/http/stock';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { stockOperationRoutes } from './operations-route';
import { productMovements, storeStock } from './service';
import * as V from '@tpv/shared/wire/http/stock-valuation';
import { EXPORT_MEDIA, MAX_EXPORT_ROWS, listQuery, offsetOf, pageOf, pageSchema, sendExport } from '../platform/list';
import { LOCATION_STOCK_EXPORT, MOVEMENT_EXPORT } from './valuation-export';
import { locationStock, productMovementsAcross, stockLocations, stockValuation } from './valuation';
import type { StockSort } from './valuation-repository';

const tags = ['stock'];
const LocationStockQuery = listQuery(['sku', 'name', 'category', 'quantity', 'value'], V.LocationStockFilter.shape);
const ProductMovementQuery = listQuery(['at'], V.ProductMovementFilter.shape);

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
    // ── valuation part: locations, stock with cost and value, valuation at a date, movements across locations ──
    defineRoute({
      method: 'get',
      path: '/api/stock/locations',
      summary: 'Stores and warehouses whose stock the caller may see',
      tags,
      access: 'stock.read',
      response: z.array(V.StockLocationItem),
      handler: ({ user }) => stockLocations(ds, user),
    }),
    defineRoute({
      method: 'get',
      path: '/api/stock/locations/:locationId/stock',
      summary: "A location's stock with average cost and value (paged, sorted, filtered; ?format=csv|xlsx exports)",
      tags,
      access: 'stock.read',
      params: V.LocationParams,
      query: LocationStockQuery,
      response: pageSchema(V.LocationStockItem),
      produces: EXPORT_MEDIA,
      async handler({ params, query: q, user, res }) {
        const filter = { q: q.q, categoryId: q.categoryId, nonZero: q.nonZero, belowMin: q.belowMin };
        const sort = (q.sort ?? 'sku') as StockSort; // listQuery's enum already refused any other value
        if (q.format !== 'json') {
          const { rows, location } = await locationStock(ds, user, params.locationId, filter, sort, q.dir, MAX_EXPORT_ROWS, 0);
          await sendExport(res, q.format, `stock-${location.code}`, LOCATION_STOCK_EXPORT, rows);
          return;
        }
        const { rows, total } = await locationStock(ds, user, params.locationId, filter, sort, q.dir, q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/stock/valuation',
      summary: 'Stock valuation per location and company, now or at any date (quantity then × average cost then)',
      tags,
      access: 'stock.read',
      query: V.ValuationQuery,
      response: V.ValuationResponse,
      handler: ({ query, user }) => stockValuation(ds, user, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/stock/products/:productId/movements',
      summary: "A product's movements across the locations in scope, with the document or ticket each came from (paged; ?format=csv|xlsx)",
      tags,
      access: 'stock.read',
      params: V.ProductParams,
      query: ProductMovementQuery,
      response: pageSchema(V.ProductMovementItem),
      produces: EXPORT_MEDIA,
      async handler({ params, query: q, user, res }) {
        const filter = { locationId: q.locationId, from: q.from, to: q.to };
        const dir = q.sort ? q.dir : 'desc';
        if (q.format !== 'json') {
          const { rows } = await productMovementsAcross(ds, user, params.productId, filter, dir, MAX_EXPORT_ROWS, 0);
          await sendExport(res, q.format, 'movements', MOVEMENT_EXPORT, rows);
          return;
        }
        const { rows, total } = await productMovementsAcross(ds, user, params.productId, filter, dir, q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    ...stockOperationRoutes(ds, clock),
  ]);
}
