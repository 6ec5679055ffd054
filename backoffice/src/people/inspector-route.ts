/**
 * HTTP routes of the labour inspectorate's access (thin: parse → use case). HR (`hr.read` to list, `hr.write` over
 * the company to grant or revoke) manages the keys; the inspector's routes answer only to a key (Bearer), never to
 * a back-office session, and only with that key's company's working-time records.
 */
import * as W from '@tpv/shared/wire/http/people-inspector';
import { bearerOf } from '../auth/http';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { sendExport } from '../platform/list';
import { one } from '../persistence/sql';
import type { ModuleContext } from '../modules/types';
import { TIME_RECORD_CSV_COLUMNS } from './export-columns';
import type { createInspectorService } from './inspector';
import { monthRecordPdf } from './month-pdf';

const TAGS = ['people'];

export function inspectorRoutes(c: ModuleContext, s: ReturnType<typeof createInspectorService>): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/people/inspector-access', summary: 'Keys granted to labour inspectors for the caller’s companies (never the keys themselves)', tags: TAGS, access: 'hr.read',
      query: W.InspectorListQuery, response: W.InspectorAccessList,
      handler: async ({ query, user }) => ({ items: await s.list(user, query.companyId) }),
    }),
    defineRoute({
      method: 'post', path: '/api/people/inspector-access', status: 201, summary: 'Grant a labour inspector read-only access to one company’s working-time records for up to 90 days (the key is shown once)', tags: TAGS, access: 'hr.write',
      body: W.InspectorGrantBody, response: W.InspectorGrantOut,
      handler: ({ body, user, requestId }) => s.grant(user, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/people/inspector-access/:id/revoke', summary: 'Revoke an inspector’s key at once', tags: TAGS, access: 'hr.write',
      params: W.InspectorAccessIdParam, response: W.InspectorAccessOut, errors: { 404: 'no such grant in your scope' },
      handler: ({ params, user, requestId }) => s.revoke(user, params.id, requestId),
    }),
    // ── the inspector, with the key as Bearer ──
    defineRoute({
      method: 'get', path: '/api/people/inspector/session', summary: 'The company and grant an inspection key opens (key as Bearer)', tags: TAGS, access: 'public',
      response: W.InspectorSessionOut,
      handler: ({ req }) => s.whoAmI(bearerOf(req)),
    }),
    defineRoute({
      method: 'get', path: '/api/people/inspector/month', summary: 'Each worker’s month for the inspector: days worked, worked, ordinary and overtime minutes (key as Bearer)', tags: TAGS, access: 'public',
      query: W.InspectorMonthQuery, response: W.InspectorMonthOut,
      handler: ({ query, req }) => s.month(bearerOf(req), query.month),
    }),
    defineRoute({
      method: 'get', path: '/api/people/inspector/time-records.csv', summary: 'The month’s time records of the company, every record with its hashes (key as Bearer)', tags: TAGS, access: 'public',
      query: W.InspectorMonthQuery, produces: ['text/csv'],
      handler: async ({ query, req, res }) => {
        const rows = await s.csvRows(bearerOf(req), query.month);
        await sendExport(res, 'csv', `registro-jornada-${query.month}`, TIME_RECORD_CSV_COLUMNS, rows);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/people/inspector/employees/:id/time-records.pdf', summary: 'A worker’s monthly record as a PDF, for the inspector (key as Bearer)', tags: TAGS, access: 'public',
      params: W.InspectorEmployeeParams, query: W.InspectorMonthQuery, produces: ['application/pdf'], errors: { 404: 'no such worker of the key’s company' },
      handler: async ({ params, query, req, res }) => {
        const r = await s.employeeMonth(bearerOf(req), params.id, query.month);
        const company = (await one<{ legalName: string; nif: string }>(c.ds.manager, `SELECT legal_name AS "legalName", nif FROM company WHERE id = ?`, [r.employee.companyId]))!;
        res.setHeader('Content-Type', 'application/pdf');
        res.setHeader('Content-Disposition', `attachment; filename="registro-jornada-${r.employee.code.replace(/[^A-Za-z0-9_-]+/g, '_')}-${r.month}.pdf"`);
        res.end(await monthRecordPdf(r, company));
      },
    }),
  ]);
}
