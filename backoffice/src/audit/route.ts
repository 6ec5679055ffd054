/**
 * GET /api/audit: search the audit log (who, when, what, before → after). Franchise-wide roles only
 * (`audit.read`): entries hold whole rows before and after, some of them HQ's own (contracts, other
 * franchisees' users), so a franchisee manager does not get this page — their changes are still recorded.
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { AuditRow } from '@tpv/shared/wire/http/auth';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { EXPORT_MEDIA, listQuery, MAX_EXPORT_ROWS, offsetOf, pageOf, pageSchema, sendExport } from '../platform/list';
import { searchAudit, type AuditRecord } from './repository';

const Instant = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'Fecha no válida / Invalid date').transform((s) => new Date(s).toISOString());
const AuditQuery = listQuery(['at'], {
  dir: z.enum(['asc', 'desc']).default('desc'),
  from: Instant.optional(),
  // A bare date (`2026-11-30`) includes that whole day.
  to: z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'Fecha no válida / Invalid date')
    .transform((s) => new Date(Date.parse(s) + (/^\d{4}-\d{2}-\d{2}$/.test(s) ? 86_400_000 : 0)).toISOString()).optional(),
  actor: z.string().trim().max(254).optional(),
  action: z.string().trim().max(64).optional(),
  entity: z.string().trim().max(64).optional(),
  entityId: z.string().trim().max(64).optional(),
  companyId: z.string().trim().max(36).optional(),
});

export function auditRoutes(ds: DataSource, _clock: Clock): ApiRouter {
  return apiRouter(ds, _clock, [
    defineRoute({
      method: 'get', path: '/api/audit', summary: 'Search the audit log (paged; CSV/XLSX export)', tags: ['audit'], access: 'audit.read',
      query: AuditQuery, response: pageSchema(AuditRow), produces: EXPORT_MEDIA,
      async handler({ query, res }) {
        const filter = { ...query, limit: query.format === 'json' ? query.pageSize : MAX_EXPORT_ROWS, offset: query.format === 'json' ? offsetOf(query) : 0 };
        const r = await searchAudit(ds, filter);
        if (query.format === 'json') return pageOf(r.rows, query, r.total);
        await sendExport(res, query.format, 'audit', [
          { header: 'at', value: (a: AuditRecord) => a.at },
          { header: 'actor', value: (a) => a.actorEmail },
          { header: 'action', value: (a) => a.action },
          { header: 'entity', value: (a) => a.entity },
          { header: 'entity_id', value: (a) => a.entityId },
          { header: 'company_id', value: (a) => a.companyId },
          { header: 'store_id', value: (a) => a.storeId },
          { header: 'before', value: (a) => (a.before === null ? '' : JSON.stringify(a.before)) },
          { header: 'after', value: (a) => (a.after === null ? '' : JSON.stringify(a.after)) },
        ], r.rows);
        return undefined;
      },
    }),
  ]);
}
