import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { CashierEventsQuerySchema, CashierEventsResultSchema, DailySalesSchema, ReportInfoSchema, ReportKeySchema, ReportQuerySchema, ReportRebuildBodySchema, ReportResultSchema, SalesQuery, TerminalStatusSchema } from '@tpv/shared/wire/http/reports';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { Jobs } from '../platform/jobs/service';
import { ownerScopeOf } from '../platform/owner-scope';
import { REPORTS } from './catalogue';
import { REPORT_MEDIA, reportCsv, reportPdf, reportXlsx, type ExportTable, type ReportFormat } from './export';
import { FOLD_JOB, REBUILD_JOB } from './jobs';
import { forbidden } from '../auth/http';
import { isFranchiseWide } from '../platform/permissions';
import { cashierEvents, cashierEventsExport, rebuildTarget, runReport, salesPerDay, terminalsOf } from './service';

/** A report's table as the file asked for, as an attachment named `<name>.<format>`. */
async function sendFile(res: Response, table: ExportTable, format: ReportFormat, name: string, clock: Clock): Promise<void> {
  const bytes = format === 'csv' ? reportCsv(table) : format === 'xlsx' ? await reportXlsx(table) : await reportPdf(table, new Date(clock.now()).toISOString().slice(0, 16).replace('T', ' '));
  res.setHeader('Content-Type', REPORT_MEDIA[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
  res.status(200).end(bytes);
}

export function reportRoutes(ds: DataSource, clock: Clock, online: () => string[], highestSeen: (id: string) => number | null = () => null, jobs?: Jobs<unknown>): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get',
      path: '/api/terminals',
      summary: 'Terminals in the caller’s scope with their sync state (online, acked, held, pending, conflicts)',
      tags: ['reports'],
      access: 'network.read',
      response: z.array(TerminalStatusSchema),
      handler: ({ user }) => terminalsOf(ds, user, { online, highestSeen }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/sales/daily',
      summary: 'Sales per store and business day (last 30 days unless from/to)',
      tags: ['reports'],
      access: 'reports.read',
      query: SalesQuery,
      response: z.array(DailySalesSchema),
      handler: ({ query, user }) => salesPerDay(ds, clock, user, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports',
      summary: 'The management reports: key, title, filters they honour, groupings, chart',
      tags: ['reports'],
      access: 'reports.read',
      response: z.array(ReportInfoSchema),
      handler: () => REPORTS,
    }),
    // Before /api/reports/:key, which would take `cashier-events` for a report key.
    defineRoute({
      method: 'get',
      path: '/api/reports/cashier-events',
      summary: 'One cashier’s voids, cancelled tickets and cash differences over a period with who authorised each (the cashiers report’s drill-down), in the caller’s scope; `format` csv|xlsx|pdf for the same rows as a file',
      tags: ['reports'],
      access: 'reports.read',
      query: CashierEventsQuerySchema,
      response: CashierEventsResultSchema,
      produces: [REPORT_MEDIA.csv, REPORT_MEDIA.xlsx, REPORT_MEDIA.pdf],
      handler: async ({ query, user, res }) => {
        if (query.format === 'json') return cashierEvents(ds, clock, user, query);
        const table = await cashierEventsExport(ds, clock, user, query);
        await sendFile(res, table, query.format, `cashier-events_${query.cashierId.replace(/[^A-Za-z0-9_-]/g, '_')}_${table.from}_${table.to}`, clock);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/:key',
      summary: 'One management report over the caller’s scope (HQ all, franchisee own companies, store manager own store), from the rollups; `format` csv|xlsx|pdf for the same table as a file',
      tags: ['reports'],
      access: 'reports.read',
      params: z.object({ key: ReportKeySchema }),
      query: ReportQuerySchema,
      response: ReportResultSchema,
      produces: [REPORT_MEDIA.csv, REPORT_MEDIA.xlsx, REPORT_MEDIA.pdf],
      handler: async ({ params, query, user, res }) => {
        const result = await runReport(ds, clock, user, params.key, query);
        if (query.format === 'json') return result;
        await sendFile(res, result, query.format, `${params.key}_${result.from}_${result.to}`, clock);
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/reports/rebuild',
      summary: 'Recomputes the report rollups of a store (or every store: HQ) and dates from the stored tickets, as a job',
      tags: ['reports'],
      access: 'reports.read',
      body: ReportRebuildBodySchema,
      response: z.object({ jobId: z.string() }),
      status: 202,
      handler: async ({ body, user }) => {
        const params = await rebuildTarget(ds, user, body);
        if (!jobs) throw new Error('jobs not available');
        const job = await jobs.enqueue({ kind: REBUILD_JOB, params, owner: ownerScopeOf(user), maxAttempts: 1 });
        return { jobId: job.id };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/reports/fold',
      summary: 'Folds the hour rollups of the days ended (and the months marked by late tickets) into the month and network tables now, as a job (HQ; it also runs by itself each night)',
      tags: ['reports'],
      access: 'reports.read',
      response: z.object({ jobId: z.string() }),
      status: 202,
      handler: async ({ user }) => {
        if (!isFranchiseWide(user.role)) throw forbidden('Only HQ runs the fold of every store.');
        if (!jobs) throw new Error('jobs not available');
        const job = await jobs.enqueue({ kind: FOLD_JOB, params: {}, owner: ownerScopeOf(user), maxAttempts: 1 });
        return { jobId: job.id };
      },
    }),
  ]);
}
