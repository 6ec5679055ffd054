import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, parseOrProblem, problem } from '@tpv/shared/problem';
import { LIMITS, MAX_PRICE_CENTS, PriceCentsSchema, RowIdSchema } from '@tpv/shared/wire/limits';
import { TaxRateSchema } from '@tpv/shared/wire/ticket';
import { requireUser, userOf } from '../auth/http';
import type { MasterDataError, MasterDataService } from './service';

// Lengths and ranges are the columns' own (shared/src/wire/limits.ts): what passes here fits the database.
const Uuid = RowIdSchema;
const Barcodes = z
  .array(z.string().regex(/^[0-9]{6,14}$/, 'barcode: 6 to 14 digits'))
  .max(20)
  .superRefine((codes, ctx) => {
    codes.forEach((code, i) => {
      if (codes.indexOf(code) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `barcode ${code} appears twice` });
    });
  });
const ProductBody = z.strictObject({
  sku: z.string().min(1).max(LIMITS.sku),
  name: z.string().min(1).max(LIMITS.productName),
  categoryId: Uuid.nullable().default(null),
  taxRateBp: TaxRateSchema,
  exemption: z.enum(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']).nullable().default(null),
  weighed: z.boolean().default(false),
  priceCents: PriceCentsSchema,
  active: z.boolean().default(true),
  barcodes: Barcodes.optional(),
});
const PriceBody = z.strictObject({ priceCents: PriceCentsSchema });
const CategoryBody = z.strictObject({ name: z.string().min(1).max(LIMITS.categoryName), parentId: Uuid.nullable().default(null), sort: z.int().min(0).max(1_000_000).default(0) });
const CustomerBody = z.strictObject({
  nif: z.string().regex(/^[0-9A-Z]{9}$/).nullable().default(null),
  name: z.string().min(1).max(LIMITS.customerName),
  email: z.email().max(LIMITS.email).nullable().default(null),
  reRegime: z.boolean().default(false),
  creditLimitCents: z.int().min(0).max(MAX_PRICE_CENTS).default(0),
  active: z.boolean().default(true),
});
const NoticeBody = z.strictObject({
  storeId: Uuid.nullable().default(null),
  title: z.string().min(1).max(LIMITS.noticeTitle),
  body: z.string().min(1).max(LIMITS.noticeBody),
  validUntil: z.iso.datetime().max(LIMITS.instant).nullable().default(null),
});
const StaffBody = z.strictObject({
  companyId: Uuid,
  storeId: Uuid.nullable().default(null),
  code: z.string().min(1).max(LIMITS.staffCode),
  name: z.string().min(1).max(LIMITS.staffName),
  role: z.enum(['cashier', 'supervisor', 'manager']),
  pin: z.string().regex(/^\d{4,8}$/).optional(),
  active: z.boolean().default(true),
});

const STATUS = { FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, PIN_TAKEN: 409, PIN_REQUIRED: 422, REFERENCE_UNKNOWN: 422, CATEGORY_CYCLE: 422, VALUE_REFUSED: 422 } as const;
const fail = (e: MasterDataError) => {
  const field = typeof e.details?.field === 'string' ? e.details.field : undefined;
  const errors = (e.details?.errors as Array<{ path: string; message: string }> | undefined) ?? (field ? [{ path: field, message: e.message }] : undefined);
  return new HttpProblem(problem(STATUS[e.code], e.code, 'Master data change refused', { detail: e.message, ...(errors ? { errors } : {}) }));
};
const idParam = (v: unknown) => parseOrProblem(Uuid, String(v), 'path');

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
