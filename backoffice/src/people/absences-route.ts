/**
 * HTTP routes of absences and holidays (thin: parse → use case). `people.read`: the list of the caller's
 * workers' absences and a worker's year with its holiday balance; `people.write` over the worker: recording an
 * absence (approved as written), deciding a request, cancelling one not started. The signed-in worker (self-
 * service token) asks for one, sees their year and cancels their own before it starts.
 */
import * as W from '@tpv/shared/wire/http/people-absences';
import { EmployeeIdParam } from '@tpv/shared/wire/http/people';
import { bearerOf } from '../auth/http';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { ModuleContext } from '../modules/types';
import type { AbsenceService } from './absences';
import type { EmployeeService } from './employees';

const TAGS = ['people'];

export function absenceRoutes(c: ModuleContext, employees: EmployeeService, s: AbsenceService): ApiRouter {
  const worker = async (req: import('express').Request) => ({ kind: 'worker' as const, employee: await employees.worker(bearerOf(req)) });
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/people/absences', summary: 'Absences and holiday requests of the caller’s workers, newest first (filter by status, worker, dates)', tags: TAGS, access: 'people.read',
      query: W.AbsenceListQuery, response: W.AbsenceList,
      handler: async ({ query, user }) => ({ items: await s.list(user, query) }),
    }),
    defineRoute({
      method: 'post', path: '/api/people/absences', status: 201, summary: 'Record an absence for a worker you manage (a sick leave, a leave): approved as written', tags: TAGS, access: 'people.write',
      body: W.AbsenceRecordBody, response: W.AbsenceOut,
      errors: { 404: 'no such employee in your scope', 409: 'overlaps another absence of the worker', 422: 'dates not real, reversed, outside the employment, over a year, a vacation across New Year or beyond the balance' },
      handler: ({ body: { employeeId, ...input }, user, requestId }) => s.create({ kind: 'user', user }, employeeId, input, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/people/absences/:id/decision', summary: 'Approve or refuse (with the reason) a worker’s request; never your own', tags: TAGS, access: 'people.write',
      params: W.AbsenceIdParam, body: W.AbsenceDecisionBody, response: W.AbsenceOut,
      errors: { 404: 'no such absence in your scope (403: not a worker you manage, or your own request)', 409: 'already decided, or it now overlaps another', 422: 'a refusal without a reason, or beyond the balance' },
      handler: ({ params, body, user, requestId }) => s.decide(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/people/absences/:id/cancel', summary: 'Cancel a requested or approved absence that has not started', tags: TAGS, access: 'people.write',
      params: W.AbsenceIdParam, response: W.AbsenceOut, errors: { 404: 'no such absence in your scope', 409: 'refused, cancelled or already started' },
      handler: ({ params, user, requestId }) => s.cancel({ kind: 'user', user }, params.id, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/people/employees/:id/absences', summary: 'A worker’s absences in a year and their holiday balance (30 calendar days a year, prorated)', tags: TAGS, access: 'people.read',
      params: EmployeeIdParam, query: W.AbsenceYearQuery, response: W.EmployeeAbsencesOut, errors: { 404: 'no such employee in your scope' },
      handler: ({ params, query, user }) => s.ofEmployee({ kind: 'user', user }, params.id, query.year),
    }),
    // ── the worker's self-service page ──
    defineRoute({
      method: 'get', path: '/api/people/self-service/absences', summary: 'The signed-in worker’s absences in a year and holiday balance (self-service token)', tags: TAGS, access: 'public',
      query: W.AbsenceYearQuery, response: W.EmployeeAbsencesOut,
      handler: async ({ query, req }) => {
        const w = await worker(req);
        return s.ofEmployee(w, w.employee.id, query.year);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/people/self-service/absences', status: 201, summary: 'The signed-in worker asks for a vacation or a leave (requested until their manager decides)', tags: TAGS, access: 'public',
      body: W.AbsenceBody, response: W.AbsenceOut,
      errors: { 409: 'overlaps another absence', 422: 'dates not real, reversed, outside the employment, a vacation across New Year or beyond the balance' },
      handler: async ({ body, req, requestId }) => {
        const w = await worker(req);
        return s.create(w, w.employee.id, body, requestId);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/people/self-service/absences/:id/cancel', summary: 'The signed-in worker cancels their own absence before it starts', tags: TAGS, access: 'public',
      params: W.AbsenceIdParam, response: W.AbsenceOut, errors: { 404: 'no such absence of yours', 409: 'refused, cancelled or already started' },
      handler: async ({ params, req, requestId }) => s.cancel(await worker(req), params.id, requestId),
    }),
  ]);
}
