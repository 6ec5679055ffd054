/**
 * HTTP routes of supplier returns (thin). A store ships a return to the warehouse (`inventory.write`, at a
 * store the caller may act on); the warehouse receives it and returns goods to the supplier
 * (`warehouse.write`, the warehouse's company in scope); the supplier's credit note is recorded by whoever
 * buys (`purchasing.write`); reads `inventory.read`, scoped (stores / companies); per-supplier figures for
 * the supplier rating (`quality.read`, franchise-wide roles: the figures are the network's).
 */
import * as W from '@tpv/shared/wire/http/supplier-returns';
import { forbidden } from '../auth/http';
import { isFranchiseWide } from '../platform/permissions';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { ModuleContext } from '../modules/types';
import type { createSupplierReturnService } from './service';

const TAGS = ['supplier-returns'];

export function supplierReturnRoutes(c: ModuleContext, s: ReturnType<typeof createSupplierReturnService>): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/store-returns', summary: 'Store returns to the warehouse in the caller’s stores, newest first', tags: TAGS, access: 'inventory.read',
      query: W.ReturnListQuery, response: W.StoreReturnList, handler: ({ query, user }) => s.listStoreReturns(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/store-returns', status: 201, summary: 'A store ships goods back to a central warehouse (DT, posted: store −, transit +); with a block, the units count as the store’s withdrawal',
      tags: TAGS, access: 'inventory.write', body: W.StoreReturnBody, response: W.StoreReturnSchema,
      errors: { 409: 'already posted, or more units than on hand', 422: 'unknown store, warehouse, supplier, product or block' },
      handler: ({ body, user, requestId }) => s.shipStoreReturn(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/store-returns/:id', summary: 'One store return with its lines', tags: TAGS, access: 'inventory.read',
      params: W.ReturnIdParam, response: W.StoreReturnSchema, errors: { 404: 'no such store return in your scope' }, handler: ({ params, user }) => s.storeReturn(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/store-returns/:id/receive', summary: 'The warehouse receives a store return whole (transit −, warehouse +)', tags: TAGS, access: 'warehouse.write',
      params: W.ReturnIdParam, response: W.StoreReturnSchema, errors: { 404: 'no such store return', 409: 'already received' },
      handler: ({ params, user, requestId }) => s.receiveStoreReturn(user, params.id, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/supplier-returns', summary: 'Returns to suppliers of the caller’s companies, newest first (credit expected, credit note, difference)', tags: TAGS, access: 'inventory.read',
      query: W.ReturnListQuery, response: W.SupplierReturnList, handler: ({ query, user }) => s.listSupplierReturns(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/supplier-returns', status: 201, summary: 'Goods leave the warehouse for the supplier (DV, posted): the credit note expected at the purchase cost',
      tags: TAGS, access: 'warehouse.write', body: W.SupplierReturnBody, response: W.SupplierReturnSchema,
      errors: { 409: 'already posted, or more units than on hand', 422: 'unknown warehouse, supplier or product; a store return not received here or exceeded; no cost known' },
      handler: ({ body, user, requestId }) => s.postSupplierReturn(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/supplier-returns/figures', summary: 'Per supplier: returns, units, credit expected and received, awaiting a credit note, Σ differences (supplier rating)', tags: TAGS, access: 'quality.read',
      query: W.SupplierReturnFiguresQuery, response: W.SupplierReturnFigures,
      async handler({ query, user }) {
        if (!isFranchiseWide(user.role)) throw forbidden('Las cifras por proveedor son de la central / supplier figures are HQ’s.');
        return { items: await s.figures(query) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/supplier-returns/:id', summary: 'One return to a supplier with its lines and credit note', tags: TAGS, access: 'inventory.read',
      params: W.ReturnIdParam, response: W.SupplierReturnSchema, errors: { 404: 'no such return in your scope' }, handler: ({ params, user }) => s.supplierReturn(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/supplier-returns/:id/credit-note', summary: 'Record the supplier’s credit note against the return: matched, or the difference shown', tags: TAGS, access: 'purchasing.write',
      params: W.ReturnIdParam, body: W.CreditNoteBody, response: W.SupplierReturnSchema, errors: { 404: 'no such return in your scope', 409: 'already credited; that credit-note number already recorded' },
      handler: ({ params, body, user, requestId }) => s.recordCredit(user, params.id, body, requestId),
    }),
  ]);
}
