/**
 * Routes of the replenishment module (thin: parse → use case → map). Stores register and follow their
 * orders (`restocking.*`), HQ's warehouse approves, picks and ships (`warehouse.write`), the store receives
 * (`inventory.write`) and a manager closes a note (`inventory.admin`). Every use case checks the scope of
 * the order or note it touches; lists are filtered in SQL.
 */
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/replenishment';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { listQuery, offsetOf, pageOf, pageSchema } from '../platform/list';
import { deliveryNotePdf, pickListPdf } from './pdf';
import { listNotes, listOrders, listWholesalePrices, type NoteSort, type OrderSort, type WholesaleSort } from './repository';
import { storeScopeOf, type ReplenishmentService } from './service';

const TAGS = ['replenishment'];
const WholesaleQuery = listQuery(['sku', 'name', 'priceCents'], W.WholesalePriceFilter);
const OrderQuery = listQuery(['number', 'createdAt', 'status', 'store'], W.OrderFilter);
const NoteQuery = listQuery(['number', 'shippedAt', 'status', 'store'], W.NoteFilter);

const sendPdf = (res: Response, name: string, pdf: Buffer) => {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9-]+/g, '_')}.pdf"`);
  res.end(pdf);
};
const CONFLICTS = { 409: 'Not in the state this needs (already approved, shipped, received, closed), or not enough stock to ship' } as const;

export function replenishmentRoutes(ds: DataSource, clock: Clock, svc: ReplenishmentService): ApiRouter {
  return apiRouter(ds, clock, [
    // ── wholesale price list ──
    defineRoute({
      method: 'get', path: '/api/wholesale-prices', summary: 'The franchisor’s wholesale price list (net of IVA) over active products', tags: TAGS, access: 'restocking.read',
      query: WholesaleQuery, response: pageSchema(W.WholesalePriceItem),
      async handler({ query: q }) {
        const { rows, total } = await listWholesalePrices(ds.manager, q, (q.sort ?? 'sku') as WholesaleSort, q.dir, q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'put', path: '/api/wholesale-prices', summary: 'Set (or with null remove) wholesale prices of products', tags: TAGS, access: 'warehouse.write',
      body: W.WholesalePricesBody, response: z.object({ updated: z.int() }), errors: { 422: 'An unknown product' },
      handler: ({ body, user }) => svc.setWholesalePrices(user, body.prices),
    }),

    // ── replenishment orders ──
    defineRoute({
      method: 'get', path: '/api/replenishment-orders', summary: 'Replenishment orders of the stores in scope (filter by status, store)', tags: TAGS, access: 'restocking.read',
      query: OrderQuery, response: pageSchema(W.OrderItem),
      async handler({ query: q, user }) {
        const { rows, total } = await listOrders(ds.manager, await storeScopeOf(ds.manager, user), q, (q.sort ?? 'createdAt') as OrderSort, q.sort ? q.dir : 'desc', q.pageSize, offsetOf(q));
        return pageOf(rows.map((r) => ({ ...r, status: r.status as W.OrderStatus })), q, total);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/replenishment-orders', summary: 'Register a store’s replenishment order from the franchisor’s warehouse', tags: TAGS, access: 'restocking.write',
      body: W.RegisterOrderBody, response: z.object({ id: z.string(), number: z.string() }), status: 201, errors: { 409: 'No active warehouse', 422: 'Unknown store or product' },
      handler: ({ body, user }) => svc.register(user, body),
    }),
    defineRoute({
      method: 'get', path: '/api/replenishment-orders/:id', summary: 'A replenishment order with its lines, warehouse stock and quantity changes', tags: TAGS, access: 'restocking.read',
      params: W.IdParams, response: W.OrderDetail, errors: { 404: 'No such order in scope' },
      handler: ({ params, user }) => svc.detail(user, params.id),
    }),
    defineRoute({
      method: 'put', path: '/api/replenishment-orders/:id/quantities', summary: 'HQ changes approved quantities (registered or approved orders); each change is kept', tags: TAGS, access: 'warehouse.write',
      params: W.IdParams, body: W.OrderQuantitiesBody, response: W.OrderDetail, errors: { 404: 'No such order', ...CONFLICTS },
      handler: ({ params, body, user }) => svc.setQuantities(user, params.id, 'approved', body.lines),
    }),
    defineRoute({
      method: 'post', path: '/api/replenishment-orders/:id/approve', summary: 'Approve a registered order', tags: TAGS, access: 'warehouse.write',
      params: W.IdParams, response: W.OrderDetail, errors: { 404: 'No such order', ...CONFLICTS },
      handler: ({ params, user }) => svc.approve(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/replenishment-orders/:id/picking', summary: 'Start picking an approved order', tags: TAGS, access: 'warehouse.write',
      params: W.IdParams, response: W.OrderDetail, errors: { 404: 'No such order', ...CONFLICTS },
      handler: ({ params, user }) => svc.startPicking(user, params.id),
    }),
    defineRoute({
      method: 'get', path: '/api/replenishment-orders/:id/pick-list', summary: 'The pick list (PDF)', tags: TAGS, access: 'warehouse.write',
      params: W.IdParams, produces: ['application/pdf'], errors: { 404: 'No such order' },
      async handler({ params, user, res }) {
        const o = await svc.detail(user, params.id);
        sendPdf(res, `preparacion-${o.number}`, await pickListPdf(o));
      },
    }),
    defineRoute({
      method: 'put', path: '/api/replenishment-orders/:id/picked', summary: 'Type the picked quantities (order in picking); each change is kept', tags: TAGS, access: 'warehouse.write',
      params: W.IdParams, body: W.OrderQuantitiesBody, response: W.OrderDetail, errors: { 404: 'No such order', ...CONFLICTS },
      handler: ({ params, body, user }) => svc.setQuantities(user, params.id, 'picked', body.lines),
    }),
    defineRoute({
      method: 'post', path: '/api/replenishment-orders/:id/ship', summary: 'Ship the picked goods: a delivery note (AL), stock out of the warehouse into transit', tags: TAGS, access: 'warehouse.write',
      params: W.IdParams, response: z.object({ id: z.string(), number: z.string() }), errors: { 404: 'No such order', ...CONFLICTS },
      handler: ({ params, user }) => svc.ship(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/replenishment-orders/:id/cancel', summary: 'Cancel an order (the store while registered, HQ until picking)', tags: TAGS, access: 'restocking.write',
      params: W.IdParams, response: W.OrderDetail, errors: { 404: 'No such order', 409: 'Shipped, received or closed orders cannot be cancelled' },
      handler: ({ params, user }) => svc.cancel(user, params.id),
    }),

    // ── delivery notes ──
    defineRoute({
      method: 'get', path: '/api/delivery-notes', summary: 'Delivery notes to the stores in scope (filter by status, store)', tags: TAGS, access: 'restocking.read',
      query: NoteQuery, response: pageSchema(W.NoteItem),
      async handler({ query: q, user }) {
        const { rows, total } = await listNotes(ds.manager, await storeScopeOf(ds.manager, user), q, (q.sort ?? 'shippedAt') as NoteSort, q.sort ? q.dir : 'desc', q.pageSize, offsetOf(q));
        return pageOf(rows.map((r) => ({ ...r, status: r.status as W.NoteItem['status'] })), q, total);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/delivery-notes/:id', summary: 'A delivery note: shipped, received, damaged per line, what is in transit, its incidents', tags: TAGS, access: 'restocking.read',
      params: W.IdParams, response: W.NoteDetail, errors: { 404: 'No such note in scope' },
      handler: ({ params, user }) => svc.noteDetail(user, params.id),
    }),
    defineRoute({
      method: 'get', path: '/api/delivery-notes/:id/pdf', summary: 'The delivery note (PDF)', tags: TAGS, access: 'restocking.read',
      params: W.IdParams, produces: ['application/pdf'], errors: { 404: 'No such note in scope' },
      async handler({ params, user, res }) {
        const n = await svc.noteDetail(user, params.id);
        sendPdf(res, `albaran-${n.number}`, await deliveryNotePdf(n));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/delivery-notes/:id/receive', summary: 'Receive a delivery note at its store (typed): transit → store, discrepancies open incidents', tags: TAGS, access: 'inventory.write',
      params: W.IdParams, body: W.ReceiveBody, response: W.NoteDetail, errors: { 404: 'No such note in scope', 409: 'Already received or closed', 422: 'Unknown or repeated product' },
      handler: ({ params, body, user }) => svc.receive(user, params.id, body),
    }),
    defineRoute({
      method: 'post', path: '/api/delivery-notes/:id/close', summary: 'Close a delivery note: what is still in transit is written off (delivery_short)', tags: TAGS, access: 'inventory.admin',
      params: W.IdParams, response: W.NoteDetail, errors: { 404: 'No such note in scope', 409: 'Already closed' },
      handler: ({ params, user }) => svc.close(user, params.id),
    }),
  ]);
}
