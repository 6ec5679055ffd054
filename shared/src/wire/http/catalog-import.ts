/**
 * HTTP schemas of the catalog import (`POST /api/catalog/imports`, `GET /api/catalog/imports/:id`): the
 * check job's preview — counts and every bad row (row, column, a stable code the admin app translates).
 */
import { z } from 'zod';
import { JobSchema } from './jobs';

export const ImportErrorSchema = z.object({
  row: z.int(),
  column: z.string(),
  code: z.string(),
  message: z.string(),
  value: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export const ImportCountsSchema = z.object({ rows: z.int(), new: z.int(), changed: z.int(), unchanged: z.int(), categoriesNew: z.int() });
export const ImportSchema = z.object({
  id: z.string(),
  fileName: z.string().nullable(),
  job: JobSchema,
  preview: z
    .object({ format: z.enum(['csv', 'xlsx']), counts: ImportCountsSchema, errorCount: z.int(), badRows: z.int(), errors: z.array(ImportErrorSchema), page: z.int(), pageSize: z.int(), hasMore: z.boolean() })
    .nullable(),
});
export type ImportView = z.output<typeof ImportSchema>;
