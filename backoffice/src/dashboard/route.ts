/**
 * HTTP routes of the dashboard (the figures once, for a first paint or without a socket) and of saved views,
 * their schedules and the report inbox. Everything is the caller's own (views shared with their company
 * read-only); `reports.read` is the only permission: a view changes nothing but the caller's own rows.
 */
import * as W from '@tpv/shared/wire/http/dashboard';
import { visibleStoreIds } from '../auth/service';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { ModuleContext } from '../modules/types';
import { figuresFor, storesOf } from './figures';
import type { ViewService } from './views';

const TAGS = ['dashboard'];
const ScheduleIdParam = W.IdParam;

export function dashboardRoutes(c: ModuleContext, views: ViewService): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/dashboard', tags: TAGS, access: 'reports.read', response: W.DashboardSnapshotSchema,
      summary: 'Today’s figures per store in the caller’s scope against the same weekday last year (live: socket.io namespace /dashboard)',
      handler: async ({ user }) => {
        const stores = await storesOf(c.ds.manager, await visibleStoreIds(c.ds, user));
        return { at: new Date(c.clock.now()).toISOString(), stores: await figuresFor(c.ds, stores, c.clock.now()) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/report-views', tags: TAGS, access: 'reports.read', response: W.ViewList,
      summary: 'The caller’s saved report views and those HQ shared with their company, with the caller’s schedules',
      handler: ({ user }) => views.list(user),
    }),
    defineRoute({
      method: 'post', path: '/api/report-views', status: 201, tags: TAGS, access: 'reports.read', body: W.ViewBody, response: W.ViewSchema,
      summary: 'Save a report’s filters as a named view (HQ may share it with a company)',
      errors: { 409: 'a view of the caller with that name exists', 422: 'sharing by a non-HQ user, unknown company' },
      handler: ({ user, body }) => views.create(user, body),
    }),
    defineRoute({
      method: 'delete', path: '/api/report-views/:id', status: 204, tags: TAGS, access: 'reports.read', params: W.IdParam,
      summary: 'Delete one of the caller’s views and its schedules', errors: { 404: 'no such view in your scope' },
      handler: async ({ user, params }) => void (await views.remove(user, params.id)),
    }),
    defineRoute({
      method: 'post', path: '/api/report-views/:id/schedules', status: 201, tags: TAGS, access: 'reports.read', params: W.IdParam, body: W.ScheduleBody, response: W.ViewSchema,
      summary: 'Deliver a view daily or weekly at a local time into the caller’s report inbox as PDF or XLSX',
      errors: { 404: 'no such view in your scope', 422: 'unknown time zone' },
      handler: ({ user, params, body }) => views.schedule(user, params.id, body),
    }),
    defineRoute({
      method: 'delete', path: '/api/report-schedules/:id', status: 204, tags: TAGS, access: 'reports.read', params: ScheduleIdParam,
      summary: 'Stop one of the caller’s schedules', errors: { 404: 'no such schedule of yours' },
      handler: async ({ user, params }) => void (await views.unschedule(user, params.id)),
    }),
    defineRoute({
      method: 'get', path: '/api/report-inbox', tags: TAGS, access: 'reports.read', response: W.InboxList,
      summary: 'The caller’s delivered report files (download: GET /api/files/{fileId}), newest first, with unread marks',
      handler: ({ user }) => views.inbox(user),
    }),
    defineRoute({
      method: 'post', path: '/api/report-inbox/:id/read', status: 204, tags: TAGS, access: 'reports.read', params: W.IdParam,
      summary: 'Mark a delivered report as read', errors: { 404: 'no such item in your inbox' },
      handler: async ({ user, params }) => void (await views.markRead(user, params.id)),
    }),
  ]);
}

