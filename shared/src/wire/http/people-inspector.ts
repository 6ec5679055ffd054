/**
 * HTTP schemas of the labour inspectorate's read-only access (issue 16): HR grants a time-limited key for one
 * company; the inspector, with that key only, reads the month's totals per worker, the CSV of records with
 * their hashes and each worker's monthly PDF.
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mes AAAA-MM / month YYYY-MM');

export const InspectorGrantBody = z.strictObject({
  companyId: RowIdSchema,
  inspectorName: z.string().trim().min(1, 'nombre del inspector / inspector’s name').max(200),
  /** The inspectorate's request it answers (número de requerimiento / expediente). */
  reference: z.string().trim().min(1, 'referencia del requerimiento / the request’s reference').max(100),
  validDays: z.int().min(1).max(90).default(30),
});
export const InspectorAccessOut = z.object({
  id: z.string(), companyId: z.string(), inspectorName: z.string(), reference: z.string(), createdAt: z.string(), expiresAt: z.string(),
  revokedAt: z.string().nullable(), lastUsedAt: z.string().nullable(),
});
export const InspectorGrantOut = InspectorAccessOut.extend({ /** Shown once: the inspector signs in with it. */ key: z.string() });
export const InspectorAccessList = z.object({ items: z.array(InspectorAccessOut) });
export const InspectorAccessIdParam = z.object({ id: RowIdSchema });
export const InspectorListQuery = z.object({ companyId: RowIdSchema.optional() });

export const InspectorMonthQuery = z.object({ month: Month });
export const InspectorEmployeeParams = z.object({ id: RowIdSchema });
export const InspectorSessionOut = z.object({ company: z.object({ legalName: z.string(), nif: z.string() }), inspectorName: z.string(), reference: z.string(), expiresAt: z.string() });
export const InspectorMonthOut = z.object({
  month: z.string(),
  employees: z.array(z.object({
    id: z.string(), code: z.string(), name: z.string(), storeId: z.string().nullable(), hiredOn: z.string(), leftOn: z.string().nullable(),
    days: z.number().int(), workedMinutes: z.number().int(), ordinaryMinutes: z.number().int(), overtimeMinutes: z.number().int(),
  })),
});
