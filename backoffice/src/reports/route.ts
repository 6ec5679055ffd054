import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { DailySalesSchema, SalesQuery, TerminalStatusSchema } from '@tpv/shared/wire/http/reports';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { salesPerDay, terminalsOf } from './service';

export function reportRoutes(ds: DataSource, clock: Clock, online: () => string[], highestSeen: (id: string) => number | null = () => null): ApiRouter {
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
  ]);
}
