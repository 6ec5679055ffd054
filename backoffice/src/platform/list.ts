/**
 * The one shape of every back-office list: server-side paging, sorting, a free-text filter, and the same
 * query exported as CSV or XLSX (`?format=csv|xlsx`), so what a manager downloads is what they were looking at.
 */
import type { Response } from 'express';
import { excelJs } from './heavy-libs';
import { stringify } from 'csv-stringify';
import { z } from 'zod';

export const MAX_PAGE_SIZE = 200;
/** Rows in one export; larger ones are a job (platform jobs) with a file in the files area. */
export const MAX_EXPORT_ROWS = 100_000;

export const ListQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  sort: z.string().max(64).optional(),
  dir: z.enum(['asc', 'desc']).default('asc'),
  q: z.string().trim().max(200).optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});
export type ListQuery = z.output<typeof ListQuery>;

/** A list query with the module's own filters and the columns it may be sorted by. */
export function listQuery<S extends z.ZodRawShape>(sortable: readonly [string, ...string[]], filters: S) {
  return ListQuery.extend({ sort: z.enum(sortable).optional(), ...filters });
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.int(),
    pageSize: z.int(),
    /** Rows matching the filters (all pages). */
    total: z.int(),
    hasMore: z.boolean(),
  });
}
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  hasMore: boolean;
}

export const offsetOf = (q: Pick<ListQuery, 'page' | 'pageSize'>) => (q.page - 1) * q.pageSize;

export function pageOf<T>(items: T[], q: Pick<ListQuery, 'page' | 'pageSize'>, total: number): Page<T> {
  return { items, page: q.page, pageSize: q.pageSize, total, hasMore: offsetOf(q) + items.length < total };
}

export interface ExportColumn<T> {
  header: string;
  value(row: T): string | number | boolean | null | undefined;
}

export const EXPORT_MEDIA = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

/** Streams rows as a CSV (UTF-8 with BOM, `;` as Spanish spreadsheets expect) or an XLSX download. */
export async function sendExport<T>(res: Response, format: 'csv' | 'xlsx', filename: string, columns: ReadonlyArray<ExportColumn<T>>, rows: Iterable<T>): Promise<void> {
  const safe = filename.replace(/[^A-Za-z0-9._-]+/g, '_');
  if (format === 'csv') {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${safe}.csv"`);
    res.write('\uFEFF');
    const csv = stringify({ delimiter: ';', header: true, columns: columns.map((c) => c.header) });
    csv.pipe(res);
    for (const row of rows) csv.write(columns.map((c) => c.value(row) ?? ''));
    csv.end();
    await new Promise<void>((resolve, reject) => res.on('finish', resolve).on('error', reject));
    return;
  }
  res.setHeader('Content-Type', EXPORT_MEDIA[1]!);
  res.setHeader('Content-Disposition', `attachment; filename="${safe}.xlsx"`);
  const book = new (excelJs().stream.xlsx.WorkbookWriter)({ stream: res, useStyles: true });
  const sheet = book.addWorksheet(safe.slice(0, 31));
  sheet.columns = columns.map((c) => ({ header: c.header, width: Math.max(10, c.header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row) ?? null)).commit();
  await book.commit();
}
