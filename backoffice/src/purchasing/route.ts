/**
 * The purchasing module's HTTP routes (thin: parse → use case → map): supplier products, lot tracking of a
 * product, purchase orders and goods receipts against them. HQ buys (`purchasing.*`); supplier products are
 * supplier master data (`catalog.*`).
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/purchasing';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { Files } from '../platform/files/service';
import { sendPdf } from '../platform/files/send-pdf';
import { EXPORT_MEDIA, MAX_EXPORT_ROWS, listQuery, offsetOf, pageOf, pageSchema, sendExport } from '../platform/list';
import { createPurchasingService } from './service';

const TAGS = ['purchasing'];
const OrderListQuery = listQuery(['createdAt', 'number', 'expectedDate', 'totalCents', 'supplier'], W.PurchaseOrderFilterQuery.shape);
const euros = (c: number) => (c / 100).toFixed(2);

export function purchasingRoutes(ds: DataSource, clock: Clock, files: Files): ApiRouter {
  const svc = createPurchasingService(ds, clock, files);
  return apiRouter(ds, clock, [
    // ── supplier products ──
    defineRoute({
      method: 'get', path: '/api/suppliers/:id/products', summary: 'What a supplier sells us: reference, cost, pack size, minimum order, lead time, preferred', tags: TAGS, access: 'catalog.read',
      params: W.IdParams, response: z.object({ items: z.array(W.SupplierProductItem) }),
      handler: async ({ params }) => ({ items: await svc.supplierProducts(params.id) }),
    }),
    defineRoute({
      method: 'put', path: '/api/suppliers/:id/products/:productId', summary: 'Add or change a product of a supplier (preferred: the product’s one preferred supplier)', tags: TAGS, access: 'catalog.write',
      params: W.SupplierProductParams, body: W.SupplierProductBody, response: W.SupplierProductItem,
      handler: ({ params, body, user }) => svc.putSupplierProduct(user, params.id, params.productId, body),
    }),
    defineRoute({
      method: 'delete', path: '/api/suppliers/:id/products/:productId', summary: 'Remove a product from a supplier', tags: TAGS, access: 'catalog.write',
      params: W.SupplierProductParams, status: 204,
      handler: ({ params, user }) => svc.deleteSupplierProduct(user, params.id, params.productId),
    }),
    defineRoute({
      method: 'put', path: '/api/products/:id/lot-tracking', summary: 'Whether receipts of a product need a lot and a best-before date', tags: TAGS, access: 'catalog.write',
      params: W.IdParams, body: W.LotTrackingBody, response: W.LotTrackingBody,
      handler: async ({ params, body, user }) => (await svc.setLotTracking(user, params.id, body.tracksLots), body),
    }),

    // ── purchase orders ──
    defineRoute({
      method: 'get', path: '/api/purchasing/locations', summary: 'Warehouses and stores an order can be delivered to (the caller’s scope)', tags: TAGS, access: 'purchasing.read',
      response: z.object({ items: z.array(W.DeliveryLocation) }),
      handler: async ({ user }) => ({ items: await svc.locations(user) }),
    }),
    defineRoute({
      method: 'get', path: '/api/purchase-orders', summary: 'Purchase orders (paged, sorted, filtered by status/supplier/location; ?format=csv|xlsx exports)', tags: TAGS, access: 'purchasing.read',
      query: OrderListQuery, response: pageSchema(W.PurchaseOrderItem), produces: EXPORT_MEDIA,
      async handler({ query: q, user, res }) {
        const filter = { q: q.q, status: q.status, supplierId: q.supplierId, locationId: q.locationId };
        // listQuery's enum already refused any other value.
        const sort = (q.sort ?? 'createdAt') as 'createdAt' | 'number' | 'expectedDate' | 'totalCents' | 'supplier';
        const dir = q.sort ? q.dir : 'desc';
        if (q.format !== 'json') {
          const { rows } = await svc.list(user, filter, sort, dir, MAX_EXPORT_ROWS, 0);
          await sendExport(res, q.format, 'purchase-orders', [
            { header: 'number', value: (r) => r.number }, { header: 'status', value: (r) => r.status }, { header: 'supplier', value: (r) => r.supplierName },
            { header: 'deliver_to', value: (r) => r.locationName }, { header: 'expected_date', value: (r) => r.expectedDate }, { header: 'base', value: (r) => euros(r.baseCents) },
            { header: 'iva', value: (r) => euros(r.taxCents) }, { header: 'total', value: (r) => euros(r.totalCents) }, { header: 'created_at', value: (r) => r.createdAt },
          ], rows);
          return;
        }
        const { rows, total } = await svc.list(user, filter, sort, dir, q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/purchase-orders', summary: 'Create a draft purchase order (costs default to the supplier’s, IVA to the product’s)', tags: TAGS, access: 'purchasing.write',
      body: W.PurchaseOrderBody, response: W.PurchaseOrderDetail, status: 201,
      handler: ({ body, user }) => svc.create(user, body),
    }),
    defineRoute({
      method: 'get', path: '/api/purchase-orders/:id', summary: 'A purchase order with its lines, IVA per rate and goods receipts', tags: TAGS, access: 'purchasing.read',
      params: W.IdParams, response: W.PurchaseOrderDetail,
      handler: ({ params, user }) => svc.detail(user, params.id),
    }),
    defineRoute({
      method: 'put', path: '/api/purchase-orders/:id', summary: 'Replace a draft purchase order (a sent one: 409)', tags: TAGS, access: 'purchasing.write',
      params: W.IdParams, body: W.PurchaseOrderBody, response: W.PurchaseOrderDetail,
      handler: ({ params, body, user }) => svc.update(user, params.id, body),
    }),
    defineRoute({
      method: 'post', path: '/api/purchase-orders/:id/send', summary: 'Send a draft: numbered (PC), its PDF kept in the files area (sending twice: 409)', tags: TAGS, access: 'purchasing.write',
      params: W.IdParams, response: W.PurchaseOrderDetail,
      handler: ({ params, user }) => svc.send(user, params.id),
    }),
    defineRoute({
      method: 'get', path: '/api/purchase-orders/:id/pdf', summary: 'The purchase order as a PDF (a draft: a preview)', tags: TAGS, access: 'purchasing.read',
      params: W.IdParams, produces: ['application/pdf'],
      handler: async ({ params, user, res }) => sendPdf(res, files, user, await svc.pdf(user, params.id)),
    }),
    defineRoute({
      method: 'post', path: '/api/purchase-orders/:id/close', summary: 'Close a sent or (partly) received order: nothing more is expected', tags: TAGS, access: 'purchasing.write',
      params: W.IdParams, response: W.PurchaseOrderDetail,
      handler: ({ params, user }) => svc.close(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/purchase-orders/:id/cancel', summary: 'Cancel a draft or sent order (one with goods received: 409)', tags: TAGS, access: 'purchasing.write',
      params: W.IdParams, response: W.PurchaseOrderDetail,
      handler: ({ params, user }) => svc.cancel(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/purchase-orders/:id/receipts', summary: 'Post a goods receipt (EM) against the order: stock in at the line’s net cost; a repeated receipt id: 409', tags: TAGS, access: 'purchasing.write',
      params: W.IdParams, body: W.GoodsReceiptBody, response: W.PurchaseOrderDetail, status: 201,
      handler: ({ params, body, user }) => svc.receive(user, params.id, body),
    }),
  ]);
}
