/**
 * HTTP routes of tasks and checklists (thin: parse → use case). `office.read`: the list per store with overdue
 * ones and counters, a task's page, and ticking an item at a store the caller may act on (a store manager
 * ticks their store's); `office.write` (HQ, a franchisee for their own stores): assigning a task.
 */
import * as W from '@tpv/shared/wire/http/office-tasks';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { ModuleContext } from '../modules/types';
import type { createTaskService } from './tasks-service';

const TAGS = ['office'];

export function taskRoutes(c: ModuleContext, s: ReturnType<typeof createTaskService>): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/office/tasks', summary: 'Tasks of the caller’s stores, one row per store, soonest due first, overdue ones flagged, with counters (open, overdue, done)', tags: TAGS, access: 'office.read',
      query: W.TaskListQuery, response: W.TaskListAnswer,
      handler: ({ query, user }) => s.list(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/office/tasks', status: 201, summary: 'Assign a task or checklist with a due moment to the network, companies or stores (a franchisee: their own); sent down to the tills',
      tags: TAGS, access: 'office.write', body: W.TaskCreateBody, response: W.TaskDetail, errors: { 422: 'no target or an unknown company / store; a due date already past' },
      handler: ({ body, user, requestId }) => s.assign(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/office/tasks/:id', summary: 'A task’s page: each store’s items with who ticked them and when', tags: TAGS, access: 'office.read',
      params: W.TaskIdParam, response: W.TaskDetail, errors: { 404: 'no such task in your scope' },
      handler: ({ params, user }) => s.detail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/office/tasks/:id/stores/:storeId/items/:itemNo/check', summary: 'Tick an item of a store’s task in the back office (who and when kept; the last one completes the store’s task)', tags: TAGS, access: 'office.read',
      params: W.TaskItemParams, body: W.TaskCheckBody, response: W.TaskDetail, errors: { 404: 'no such task at that store in your scope', 409: 'already ticked', 422: 'no such item' },
      handler: ({ params, body, user, requestId }) => s.check(user, params, body.note, requestId),
    }),
  ]);
}
