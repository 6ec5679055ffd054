import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, parseOrProblem, problem } from '@tpv/shared/problem';
import { IdSchema, TaxRateSchema } from '@tpv/shared/wire/ticket';
import { requireUser, userOf } from '../auth/http';
import type { MasterDataError, MasterDataService } from './service';

const Uuid = z.string().min(1).max(36);
const ProductBody = z.strictObject({
  sku: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  categoryId: Uuid.nullable().default(null),
  taxRateBp: TaxRateSchema,
  exemption: z.enum(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']).nullable().default(null),
  weighed: z.boolean().default(false),
  priceCents: z.int().min(0),
  active: z.boolean().default(true),
  barcodes: z.array(z.string().regex(/^[0-9]{6,14}$/, 'barcode: 6 to 14 digits')).max(20).optional(),
});
const PriceBody = z.strictObject({ priceCents: z.int().min(0) });
const CategoryBody = z.strictObject({ name: z.string().min(1).max(100), parentId: Uuid.nullable().default(null), sort: z.int().min(0).default(0) });
const CustomerBody = z.strictObject({
  nif: z.string().regex(/^[0-9A-Z]{9}$/).nullable().default(null),
  name: z.string().min(1).max(200),
  email: z.email().max(254).nullable().default(null),
  reRegime: z.boolean().default(false),
  creditLimitCents: z.int().min(0).default(0),
  active: z.boolean().default(true),
});
const NoticeBody = z.strictObject({
  storeId: Uuid.nullable().default(null),
  title: z.string().min(1).max(200),
  body: z.string().min(1).max(4000),
  validUntil: z.iso.datetime().nullable().default(null),
});
const StaffBody = z.strictObject({
  companyId: Uuid,
  storeId: Uuid.nullable().default(null),
  code: z.string().min(1).max(16),
  name: z.string().min(1).max(200),
  role: z.enum(['cashier', 'supervisor', 'manager']),
  pin: z.string().regex(/^\d{4,8}$/).optional(),
  active: z.boolean().default(true),
});

const STATUS = { FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, PIN_TAKEN: 409, PIN_REQUIRED: 422 } as const;
const fail = (e: MasterDataError) => {
  const field = typeof e.details?.field === 'string' ? e.details.field : undefined;
  return new HttpProblem(problem(STATUS[e.code], e.code, 'Master data change refused', { detail: e.message, ...(field ? { errors: [{ path: field, message: e.message }] } : {}) }));
};
const idParam = (v: unknown) => parseOrProblem(IdSchema, String(v), 'path');

export function masterDataRoutes(ds: DataSource, clock: Clock, svc: MasterDataService): Router {
  const r = Router();
  r.use(['/api/products', '/api/stores', '/api/categories', '/api/customers', '/api/notices', '/api/staff'], requireUser(ds, clock));
  const send = <T>(res: import('express').Response, out: { ok: true; value: T } | { ok: false; error: MasterDataError }) => {
    if (!out.ok) throw fail(out.error);
    res.json(out.value);
  };
  r.put('/api/products/:id', async (req, res) => send(res, await svc.putProduct(userOf(res), idParam(req.params.id), parseOrProblem(ProductBody, req.body))));
  r.delete('/api/products/:id', async (req, res) => send(res, await svc.deleteProduct(userOf(res), idParam(req.params.id))));
  r.put('/api/stores/:storeId/prices/:productId', async (req, res) =>
    send(res, await svc.putStorePrice(userOf(res), idParam(req.params.storeId), idParam(req.params.productId), parseOrProblem(PriceBody, req.body).priceCents)),
  );
  r.delete('/api/stores/:storeId/prices/:productId', async (req, res) =>
    send(res, await svc.deleteStorePrice(userOf(res), idParam(req.params.storeId), idParam(req.params.productId))),
  );
  r.put('/api/categories/:id', async (req, res) => send(res, await svc.putCategory(userOf(res), idParam(req.params.id), parseOrProblem(CategoryBody, req.body))));
  r.put('/api/customers/:id', async (req, res) => send(res, await svc.putCustomer(userOf(res), idParam(req.params.id), parseOrProblem(CustomerBody, req.body))));
  r.put('/api/notices/:id', async (req, res) => send(res, await svc.putNotice(userOf(res), idParam(req.params.id), parseOrProblem(NoticeBody, req.body))));
  r.put('/api/staff/:id', async (req, res) => send(res, await svc.putStaff(userOf(res), idParam(req.params.id), parseOrProblem(StaffBody, req.body))));
  return r;
}
