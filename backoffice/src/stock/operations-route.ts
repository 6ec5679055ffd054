/**
 * Routes of the stock documents (thin: parse → use case): transfers, counts, adjustments. Reads need
 * `inventory.read`, writes `inventory.write`; approving and posting a count `inventory.admin`; an
 * adjustment's cause and a transfer closed with differences check their own permission in the use case.
 * Scope (the location's store or company) is checked on the row by the use cases.
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/stock-operations';
import { defineRoute, type RouteDef } from '../platform/api';
import { createAdjustmentService } from './adjustments';
import { createCountService } from './counts';
import { createTransferService } from './transfers';

const tags = ['stock'];
const STATE_409 = { 409: 'The document is not in a state that allows it (posted, shipped, received…): nothing written' } as const;

export function stockOperationRoutes(ds: DataSource, clock: Clock): RouteDef[] {
  const transfers = createTransferService(ds, clock);
  const counts = createCountService(ds, clock);
  const adjustments = createAdjustmentService(ds, clock);
  return [
    // ── transfers ──
    defineRoute({
      method: 'get', path: '/api/stock/transfers', summary: 'Transfers from or to the locations in the caller’s scope (newest first)', tags, access: 'inventory.read',
      query: W.DocListQuery, response: z.array(W.TransferItemSchema),
      handler: ({ query, user }) => transfers.list(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/transfers', summary: 'New transfer (draft, numbered TR) between two locations of one company', tags, access: 'inventory.write',
      body: W.TransferBody, response: W.TransferSchema, status: 201, errors: { 422: 'Unknown location or product, same location, another company' },
      handler: ({ body, user, requestId }) => transfers.create(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/stock/transfers/:id', summary: 'A transfer with its lines (shipped and received)', tags, access: 'inventory.read',
      params: W.DocIdParams, response: W.TransferSchema, errors: { 404: 'No such transfer' },
      handler: ({ params, user }) => transfers.detail(user, params.id),
    }),
    defineRoute({
      method: 'put', path: '/api/stock/transfers/:id', summary: 'Edit a draft transfer’s lines and note', tags, access: 'inventory.write',
      params: W.DocIdParams, body: W.TransferEditBody, response: W.TransferSchema, errors: { 404: 'No such transfer', ...STATE_409 },
      handler: ({ params, body, user, requestId }) => transfers.edit(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/transfers/:id/ship', summary: 'Ship: stock out of the origin (refused below zero) into transit, at the average', tags, access: 'inventory.write',
      params: W.DocIdParams, response: W.TransferSchema, errors: { 404: 'No such transfer', 409: 'Not a draft any more, or not enough stock on hand: nothing written' },
      handler: ({ params, user, requestId }) => transfers.ship(user, params.id, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/transfers/:id/receive', summary: 'Receive at the destination (lines not named arrive as shipped); no difference closes it', tags, access: 'inventory.write',
      params: W.DocIdParams, body: W.TransferReceiveBody, response: W.TransferSchema, errors: { 404: 'No such transfer', ...STATE_409 },
      handler: ({ params, body, user, requestId }) => transfers.receive(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/transfers/:id/close', summary: 'Close a transfer received with differences: transit written off (short) or booked back (over); needs inventory.admin', tags, access: 'inventory.write',
      params: W.DocIdParams, response: W.TransferSchema, errors: { 404: 'No such transfer', ...STATE_409 },
      handler: ({ params, user, requestId }) => transfers.close(user, params.id, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/transfers/:id/cancel', summary: 'Cancel a draft transfer (it keeps its number)', tags, access: 'inventory.write',
      params: W.DocIdParams, response: W.TransferSchema, errors: { 404: 'No such transfer', ...STATE_409 },
      handler: ({ params, user, requestId }) => transfers.cancel(user, params.id, requestId),
    }),

    // ── counts ──
    defineRoute({
      method: 'get', path: '/api/stock/counts', summary: 'Counts of the locations in the caller’s scope (newest first)', tags, access: 'inventory.read',
      query: W.DocListQuery, response: z.array(W.CountItemSchema),
      handler: ({ query, user }) => counts.list(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/counts', summary: 'Start a count (RC): full, a category or a product list; expected on hand recorded now', tags, access: 'inventory.write',
      body: W.CountBody, response: W.CountSchema, status: 201, errors: { 422: 'Unknown location, category or product; nothing to count' },
      handler: ({ body, user, requestId }) => counts.create(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/stock/counts/:id', summary: 'A count: blind lines while counting; expected, differences and their value once submitted', tags, access: 'inventory.read',
      params: W.DocIdParams, response: W.CountSchema, errors: { 404: 'No such count' },
      handler: ({ params, user }) => counts.detail(user, params.id),
    }),
    defineRoute({
      method: 'put', path: '/api/stock/counts/:id/counted', summary: 'Typed counted quantities (absolute) of a count being counted', tags, access: 'inventory.write',
      params: W.DocIdParams, body: W.CountedBody, response: W.CountSchema, errors: { 404: 'No such count', 422: 'Unknown product, or not a line being recounted', ...STATE_409 },
      handler: ({ params, body, user, requestId }) => counts.setCounted(user, params.id, body.lines, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/counts/:id/scan', summary: 'One scan (barcode, pack barcode or SKU): adds its units to the line (blind answer)', tags, access: 'inventory.write',
      params: W.DocIdParams, body: W.ScanBody, response: W.CountingLineSchema, errors: { 404: 'No such count', 422: 'Unknown code', ...STATE_409 },
      handler: ({ params, body, user }) => counts.scan(user, params.id, body.code, body.times),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/counts/:id/submit', summary: 'Counting done: lines off by more than the threshold go to a recount, else submitted for approval', tags, access: 'inventory.write',
      params: W.DocIdParams, response: W.CountSchema, errors: { 404: 'No such count', ...STATE_409 },
      handler: ({ params, user, requestId }) => counts.submit(user, params.id, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/counts/:id/approve', summary: 'Approve a submitted count', tags, access: 'inventory.admin',
      params: W.DocIdParams, response: W.CountSchema, errors: { 404: 'No such count', ...STATE_409 },
      handler: ({ params, user, requestId }) => counts.approve(user, params.id, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/counts/:id/post', summary: 'Post an approved count: count movements of the differences at the average, valuation difference kept (once)', tags, access: 'inventory.admin',
      params: W.DocIdParams, response: W.CountSchema, errors: { 404: 'No such count', 409: 'Already posted or not approved: nothing written' },
      handler: ({ params, user, requestId }) => counts.post(user, params.id, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/counts/:id/cancel', summary: 'Cancel a count not posted yet (it keeps its number)', tags, access: 'inventory.write',
      params: W.DocIdParams, response: W.CountSchema, errors: { 404: 'No such count', ...STATE_409 },
      handler: ({ params, user, requestId }) => counts.cancel(user, params.id, requestId),
    }),

    // ── adjustments ──
    defineRoute({
      method: 'get', path: '/api/stock/adjustments', summary: 'Adjustments of the locations in the caller’s scope (newest first)', tags, access: 'inventory.read',
      query: W.DocListQuery, response: z.array(W.AdjustmentItemSchema),
      handler: ({ query, user }) => adjustments.list(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/stock/adjustments', summary: 'Post an adjustment (RG) with a cause, at the average cost; the cause’s permission is checked', tags, access: 'inventory.write',
      body: W.AdjustmentBody, response: W.AdjustmentSchema, status: 201,
      errors: { 409: 'Already posted (same id), or not enough stock on hand: nothing written', 422: 'Unknown location or product' },
      handler: ({ body, user, requestId }) => adjustments.post(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/stock/adjustments/:id', summary: 'An adjustment with its lines and value', tags, access: 'inventory.read',
      params: W.DocIdParams, response: W.AdjustmentSchema, errors: { 404: 'No such adjustment' },
      handler: ({ params, user }) => adjustments.detail(user, params.id),
    }),
  ];
}
