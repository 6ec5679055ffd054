/**
 * The catalog module's HTTP routes (thin: parse → use case → map) and the master-data writes it has always
 * served (customers, notices, staff). Product and category writes need `catalog.write`; price routes
 * `prices.*`; the legacy master-data writes any signed-in user, the use case checking the scope of the row.
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import type { Result } from '@tpv/shared/result';
import * as W from '@tpv/shared/wire/http/catalog';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { EXPORT_MEDIA, MAX_EXPORT_ROWS, listQuery, offsetOf, pageOf, pageSchema, sendExport, type ExportColumn } from '../platform/list';
import { createPriceService } from './prices';
import { createProductService, type ProductListRow } from './products';
import type { MasterDataError, MasterDataService } from './service';

const STATUS = { FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, PIN_TAKEN: 409, PIN_REQUIRED: 422, REFERENCE_UNKNOWN: 422, CATEGORY_CYCLE: 422, VALUE_REFUSED: 422 } as const;
const fail = (e: MasterDataError) => {
  const field = typeof e.details?.field === 'string' ? e.details.field : undefined;
  const errors = (e.details?.errors as Array<{ path: string; message: string }> | undefined) ?? (field ? [{ path: field, message: e.message }] : undefined);
  return new HttpProblem(problem(STATUS[e.code], e.code, 'Master data change refused', { detail: e.message, ...(errors ? { errors } : {}) }));
};
const value = <T>(out: Result<T, MasterDataError>): T => {
  if (!out.ok) throw fail(out.error);
  return out.value;
};
const notFound = (what: string) => new HttpProblem(problem(404, 'NOT_FOUND', 'Not found', { detail: `${what} not found` }));

const TAGS = ['catalog'];
const ProductListQuery = listQuery(['sku', 'name', 'priceCents', 'taxRateBp', 'category'], W.ProductFilterQuery.shape);
const SupplierListQuery = listQuery(['name', 'nif'], W.SupplierFilterQuery.shape);
const PriceChangeListQuery = listQuery(['effectiveAt', 'createdAt', 'sku', 'priceCents'], W.PriceChangeFilterQuery.shape);

// listQuery's enum already refused any other value; narrowed here for the repository's column map.
const productSort = (s: string | undefined) => (s ?? 'name') as 'sku' | 'name' | 'priceCents' | 'taxRateBp' | 'category';
const euros = (c: number | null) => (c === null ? null : (c / 100).toFixed(2));
const PRODUCT_EXPORT: ReadonlyArray<ExportColumn<ProductListRow>> = [
  { header: 'sku', value: (r) => r.sku },
  { header: 'name', value: (r) => r.name },
  { header: 'name_en', value: (r) => r.nameEn },
  { header: 'category', value: (r) => r.categoryName },
  { header: 'tax_rate', value: (r) => r.taxRateBp / 100 },
  { header: 'exemption', value: (r) => r.exemption },
  { header: 'weighed', value: (r) => (r.weighed ? 1 : 0) },
  { header: 'price', value: (r) => euros(r.priceCents) },
  { header: 'cost', value: (r) => euros(r.costCents) },
  { header: 'active', value: (r) => (r.active ? 1 : 0) },
];

export function masterDataRoutes(ds: DataSource, clock: Clock, svc: MasterDataService): ApiRouter {
  const products = createProductService(ds, clock, svc.commitChanges);
  const prices = createPriceService(ds, clock, svc.commitChanges);

  return apiRouter(ds, clock, [
    // ── products ──
    defineRoute({
      method: 'get', path: '/api/products', summary: 'List products (paged, sorted, filtered; ?format=csv|xlsx exports)', tags: TAGS, access: 'catalog.read',
      query: ProductListQuery, response: pageSchema(W.ProductItem), produces: EXPORT_MEDIA,
      async handler({ query: q, res }) {
        const filter = { q: q.q, categoryId: q.categoryId, taxRateBp: q.taxRateBp, active: q.active, supplierId: q.supplierId };
        if (q.format !== 'json') {
          const { rows } = await products.list(filter, productSort(q.sort), q.dir, MAX_EXPORT_ROWS, 0);
          await sendExport(res, q.format, 'products', PRODUCT_EXPORT, rows);
          return;
        }
        const { rows, total } = await products.list(filter, productSort(q.sort), q.dir, q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/products/bulk-edit', summary: 'Change many products at once (a selection or a filter): all or none, one audit entry', tags: TAGS, access: 'catalog.write',
      body: W.BulkEditBody, response: W.BulkEditResponse,
      handler: async ({ body, user }) => value(await products.bulkEdit(user, body)),
    }),
    defineRoute({
      method: 'get', path: '/api/products/:id', summary: 'A product with its barcodes, packs and suppliers', tags: TAGS, access: 'catalog.read',
      params: W.IdParams, response: W.ProductDetail,
      async handler({ params }) {
        const p = await products.detail(params.id);
        if (!p) throw notFound(`product ${params.id}`);
        return p;
      },
    }),
    defineRoute({
      method: 'put', path: '/api/products/:id', summary: 'Create or replace a product', tags: TAGS, access: 'catalog.write',
      params: W.IdParams, body: W.ProductBody, response: W.VersionResponse,
      handler: async ({ params, body, user }) => value(await svc.putProduct(user, params.id, body)),
    }),
    defineRoute({
      method: 'delete', path: '/api/products/:id', summary: 'Deactivate a product (never erased: tickets and stock refer to it)', tags: TAGS, access: 'catalog.write',
      params: W.IdParams, response: W.VersionResponse,
      handler: async ({ params, user }) => value(await svc.deleteProduct(user, params.id)),
    }),
    defineRoute({
      method: 'get', path: '/api/products/:id/prices', summary: 'A product’s price list: base, company and store overrides, scheduled changes', tags: TAGS, access: 'prices.read',
      params: W.IdParams, response: W.ProductPrices,
      handler: async ({ params, user }) => value(await prices.ofProduct(user, params.id)),
    }),

    // ── categories ──
    defineRoute({
      method: 'get', path: '/api/categories', summary: 'The category tree (flat, with parent ids and product counts)', tags: TAGS, access: 'catalog.read',
      response: z.object({ items: z.array(W.CategoryItem) }),
      handler: async () => ({ items: await products.categories() }),
    }),
    defineRoute({
      method: 'put', path: '/api/categories/:id', summary: 'Create, rename or move a category', tags: TAGS, access: 'catalog.write',
      params: W.IdParams, body: W.CategoryBody, response: W.VersionResponse,
      handler: async ({ params, body, user }) => value(await svc.putCategory(user, params.id, body)),
    }),
    defineRoute({
      method: 'delete', path: '/api/categories/:id', summary: 'Delete an empty category (refused while it has products or sub-categories)', tags: TAGS, access: 'catalog.write',
      params: W.IdParams, response: W.VersionResponse,
      handler: async ({ params, user }) => value(await products.deleteCategory(user, params.id)),
    }),

    // ── suppliers ──
    defineRoute({
      method: 'get', path: '/api/suppliers', summary: 'List suppliers', tags: TAGS, access: 'catalog.read',
      query: SupplierListQuery, response: pageSchema(W.SupplierItem), produces: EXPORT_MEDIA,
      async handler({ query: q, res }) {
        if (q.format !== 'json') {
          const { rows } = await products.suppliers(q.q, q.active, q.sort === 'nif' ? 'nif' : 'name', q.dir, MAX_EXPORT_ROWS, 0);
          await sendExport(res, q.format, 'suppliers', [
            { header: 'name', value: (r) => r.name }, { header: 'nif', value: (r) => r.nif }, { header: 'contact', value: (r) => r.contactName },
            { header: 'email', value: (r) => r.email }, { header: 'phone', value: (r) => r.phone }, { header: 'payment_terms_days', value: (r) => r.paymentTermsDays },
            { header: 'active', value: (r) => (r.active ? 1 : 0) },
          ], rows);
          return;
        }
        const { rows, total } = await products.suppliers(q.q, q.active, q.sort === 'nif' ? 'nif' : 'name', q.dir, q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/suppliers/:id', summary: 'A supplier', tags: TAGS, access: 'catalog.read', params: W.IdParams, response: W.SupplierItem,
      async handler({ params }) {
        const s = await products.supplier(params.id);
        if (!s) throw notFound(`supplier ${params.id}`);
        return s;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/suppliers', summary: 'Create a supplier', tags: TAGS, access: 'catalog.write', body: W.SupplierBody, response: W.SupplierItem, status: 201,
      handler: async ({ body, user }) => value(await products.saveSupplier(user, null, body)),
    }),
    defineRoute({
      method: 'put', path: '/api/suppliers/:id', summary: 'Edit a supplier', tags: TAGS, access: 'catalog.write', params: W.IdParams, body: W.SupplierBody, response: W.SupplierItem,
      handler: async ({ params, body, user }) => value(await products.saveSupplier(user, params.id, body)),
    }),

    // ── prices ──
    defineRoute({
      method: 'get', path: '/api/stores/:storeId/prices/:productId', summary: 'The price a store sells a product at (now, or ?at=)', tags: TAGS, access: 'prices.read',
      params: W.StoreProductParams, query: W.EffectivePriceQuery, response: W.EffectivePrice,
      handler: async ({ params, query, user }) => value(await prices.effective(user, params.storeId, params.productId, query.at)),
    }),
    defineRoute({
      method: 'put', path: '/api/stores/:storeId/prices/:productId', summary: 'Set a store’s own price of a product', tags: TAGS, access: 'user',
      params: W.StoreProductParams, body: W.PriceBody, response: W.VersionResponse,
      handler: async ({ params, body, user }) => value(await svc.putStorePrice(user, params.storeId, params.productId, body.priceCents)),
    }),
    defineRoute({
      method: 'delete', path: '/api/stores/:storeId/prices/:productId', summary: 'Remove a store’s own price (its company’s or the base applies)', tags: TAGS, access: 'user',
      params: W.StoreProductParams, response: W.VersionResponse,
      handler: async ({ params, user }) => value(await svc.deleteStorePrice(user, params.storeId, params.productId)),
    }),
    defineRoute({
      method: 'put', path: '/api/companies/:companyId/prices/:productId', summary: 'Set a company’s price of a product (its stores without their own)', tags: TAGS, access: 'prices.write',
      params: W.CompanyProductParams, body: W.PriceBody, response: W.VersionResponse,
      handler: async ({ params, body, user }) => value(await prices.setCompanyPrice(user, params.companyId, params.productId, body.priceCents)),
    }),
    defineRoute({
      method: 'delete', path: '/api/companies/:companyId/prices/:productId', summary: 'Remove a company’s price of a product', tags: TAGS, access: 'prices.write',
      params: W.CompanyProductParams, response: W.VersionResponse,
      handler: async ({ params, user }) => value(await prices.setCompanyPrice(user, params.companyId, params.productId, null)),
    }),
    defineRoute({
      method: 'get', path: '/api/price-changes', summary: 'Scheduled price changes (?upcoming=true: still to come)', tags: TAGS, access: 'prices.read',
      query: PriceChangeListQuery, response: pageSchema(W.PriceChangeItem),
      async handler({ query: q, user }) {
        const { rows, total } = await prices.list(user, { productId: q.productId, storeId: q.storeId, companyId: q.companyId, status: q.status, upcoming: q.upcoming }, q.sort ?? 'effectiveAt', q.dir, q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/price-changes', summary: 'Schedule a price change at a local date and time (store, company or base level)', tags: TAGS, access: 'prices.write',
      body: W.ScheduleBody, response: W.PriceChangeItem, status: 201,
      handler: async ({ body, user }) => value(await prices.schedule(user, body)),
    }),
    defineRoute({
      method: 'post', path: '/api/price-changes/:id/cancel', summary: 'Cancel a scheduled price change before it takes effect', tags: TAGS, access: 'prices.write',
      params: W.IdParams, response: W.PriceChangeItem,
      handler: async ({ params, user }) => value(await prices.cancel(user, params.id)),
    }),

    // ── other master data (customers, notices, staff) ──
    defineRoute({
      method: 'put', path: '/api/customers/:id', summary: 'Create or replace a customer (franchise-wide)', tags: ['customers'], access: 'user',
      params: W.IdParams, body: W.CustomerBody, response: W.VersionResponse,
      handler: async ({ params, body, user }) => value(await svc.putCustomer(user, params.id, body)),
    }),
    defineRoute({
      method: 'put', path: '/api/notices/:id', summary: 'Create or replace a notice for the tills (a store’s or franchise-wide)', tags: ['notices'], access: 'user',
      params: W.IdParams, body: W.NoticeBody, response: W.VersionResponse,
      handler: async ({ params, body, user }) => value(await svc.putNotice(user, params.id, body)),
    }),
    defineRoute({
      method: 'put', path: '/api/staff/:id', summary: 'Create or replace a till staff member (PIN kept unique per till)', tags: ['staff'], access: 'user',
      params: W.IdParams, body: W.StaffBody, response: W.VersionResponse,
      handler: async ({ params, body, user }) => value(await svc.putStaff(user, params.id, body)),
    }),
  ]);
}
