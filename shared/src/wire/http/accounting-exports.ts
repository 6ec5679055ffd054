/**
 * HTTP shapes of the exports for a gestoría (issue 14): one company's journal for a date range, or its chart
 * of accounts, as a file for A3 (SUENLACE.DAT), ContaPlus (XDiario.dbf / XSubCta.dbf) or a plain CSV / XLSX.
 */
import { z } from 'zod';

export const EXPORT_FORMATS = ['a3', 'contaplus', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date as yyyy-mm-dd').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
/** The company's code in A3 (its "código de empresa", up to 5 digits); 1 when not given. */
const a3Company = z.string().regex(/^\d{1,5}$/, 'up to 5 digits').default('1');

export const ChartExportQuery = z.object({
  format: z.enum(EXPORT_FORMATS),
  a3Company,
});

export const JournalExportQuery = ChartExportQuery.extend({ from: day, to: day }).superRefine((q, ctx) => {
  if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the end of the range is before its start' });
});
export type JournalExportQuery = z.output<typeof JournalExportQuery>;
