/**
 * The incidents register's routes (minimal: the quality issue adds states, actions and more kinds). Read
 * scoped like everything else: HQ sees all, a franchisee manager their companies', a store manager their store's.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/replenishment';
import { forbidden, notFound } from '../auth/http';
import type { AuthUser } from '../auth/service';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { isFranchiseWide } from '../platform/permissions';
import { listQuery, offsetOf, pageOf, pageSchema } from '../platform/list';
import { incidentById, listIncidents, type IncidentScope, type IncidentSort } from './repository';

const TAGS = ['quality'];
const IncidentQuery = listQuery(['createdAt', 'number', 'kind', 'state'], { ...W.IncidentFilter, documentId: W.IdParams.shape.id.optional() });

export function incidentScopeOf(user: AuthUser): IncidentScope {
  if (isFranchiseWide(user.role)) return { companyIds: null, storeId: null };
  if (user.role === 'store_manager') return { companyIds: [], storeId: user.storeId ?? '-' };
  return { companyIds: user.companyIds, storeId: null };
}

export function incidentRoutes(ds: DataSource, clock: Clock): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/incidents', summary: 'Incidents in the caller’s scope (filter by store, kind, state, document)', tags: TAGS, access: 'quality.read',
      query: IncidentQuery, response: pageSchema(W.IncidentItem),
      async handler({ query: q, user }) {
        const { rows, total } = await listIncidents(ds.manager, incidentScopeOf(user), q, (q.sort ?? 'createdAt') as IncidentSort, q.sort ? q.dir : 'desc', q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/incidents/:id', summary: 'One incident', tags: TAGS, access: 'quality.read', params: W.IdParams, response: W.IncidentDetail,
      async handler({ params, user }) {
        const row = await incidentById(ds.manager, params.id);
        const s = incidentScopeOf(user);
        const visible = row && (s.storeId !== null ? row.storeId === s.storeId : s.companyIds === null || s.companyIds.includes(row.companyId));
        if (!row) throw notFound(`incident ${params.id}`);
        if (!visible) throw forbidden('Esta incidencia no es de su ámbito / This incident is outside your scope.');
        return row;
      },
    }),
  ]);
}
