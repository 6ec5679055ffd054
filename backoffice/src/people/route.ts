/**
 * HTTP routes of people and the working-time record (thin: parse → use case). `people.read`: employees and
 * records of the caller's stores/companies, chain verification, the inspectorate's CSV (the auditor's
 * read-only `*.read` reaches these, never personal data); `hr.*`: hiring, leaving, personal data, the
 * retention purge (hr.admin); `people.write`: corrections and company approvals over a worker in scope. A
 * worker (a back-office user linked to their employee, or a self-service session) clocks, approves
 * corrections as the worker, and reads and downloads their own monthly record.
 */
import * as W from '@tpv/shared/wire/http/people';
import type { ClockEvent } from '@tpv/shared/people/time-clock';
import { bearerOf, forbidden } from '../auth/http';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { sendExport } from '../platform/list';
import { addressKey, throttled } from '../throttle/limits';
import { one } from '../persistence/sql';
import type { ModuleContext } from '../modules/types';
import { publicEmployee, type EmployeeService } from './employees';
import { monthRecordPdf } from './month-pdf';
import { TIME_RECORD_CSV_COLUMNS } from './export-columns';
import { mayManageEmployee, type MonthRecord, type TimeRecordService } from './time-records';
import type { EmployeeRow } from './repository';

const TAGS = ['people'];
const PDF = 'application/pdf';

const monthOut = (r: MonthRecord) => ({
  employee: publicEmployee(r.employee), month: r.month, timeZone: r.timeZone, records: r.records, corrections: r.corrections, shifts: r.shifts,
  totals: { workedMinutes: r.totals.workedMinutes, ordinaryMinutes: r.totals.ordinaryMinutes, overtimeMinutes: r.totals.overtimeMinutes, days: r.totals.days, weeks: r.totals.weeks },
});

export function peopleRoutes(c: ModuleContext, employees: EmployeeService, records: TimeRecordService): ApiRouter {
  const company = async (e: EmployeeRow) => (await one<{ legalName: string; nif: string }>(c.ds.manager, `SELECT legal_name AS "legalName", nif FROM company WHERE id = ?`, [e.companyId]))!;
  const sendPdf = async (res: import('express').Response, r: MonthRecord) => {
    const pdf = await monthRecordPdf(r, await company(r.employee));
    res.setHeader('Content-Type', PDF);
    res.setHeader('Content-Disposition', `attachment; filename="registro-jornada-${r.employee.code.replace(/[^A-Za-z0-9_-]+/g, '_')}-${r.month}.pdf"`);
    res.end(pdf);
  };
  const worker = (req: import('express').Request) => employees.worker(bearerOf(req));

  return apiRouter(c.ds, c.clock, [
    // ── employees ──
    defineRoute({
      method: 'get', path: '/api/people/employees', summary: 'Employees of the caller’s companies/stores (no personal data)', tags: TAGS, access: 'people.read',
      query: W.EmployeeListQuery, response: W.EmployeeList,
      handler: async ({ query, user }) => ({ items: (await employees.list(user, query)).map(publicEmployee) }),
    }),
    defineRoute({
      method: 'post', path: '/api/people/employees', status: 201,
      summary: 'Hire: the employee, their contract and personal data (kept apart); with a till role they become the staff member whose PIN and rights go to their stores’ tills',
      tags: TAGS, access: 'hr.write', body: W.HireBody, response: W.EmployeeOut,
      errors: { 409: 'PIN already used at one of their tills', 422: 'store of another company, code taken, a till role without PIN, contract dates' },
      handler: async ({ body, user, requestId }) => publicEmployee(await employees.hire(user, body, requestId)),
    }),
    defineRoute({
      method: 'get', path: '/api/people/employees/:id', summary: 'An employee: contracts, and personal data for HR roles only', tags: TAGS, access: 'people.read',
      params: W.EmployeeIdParam, response: W.EmployeeDetail, errors: { 404: 'no such employee in your scope' },
      handler: ({ params, user }) => employees.detail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/people/employees/:id/leave', summary: 'The employee leaves: contract ended, deactivated at every till of their stores (change feed)', tags: TAGS, access: 'hr.write',
      params: W.EmployeeIdParam, body: W.LeaveBody, response: W.EmployeeOut, errors: { 404: 'no such employee in your scope', 409: 'already left', 422: 'before the hiring date' },
      handler: async ({ params, body, user, requestId }) => publicEmployee(await employees.leave(user, params.id, body, requestId)),
    }),

    // ── the working-time record ──
    defineRoute({
      method: 'post', path: '/api/people/time-records', status: 201,
      summary: 'Clock in / break / clock out in the back office (HQ staff as themselves, or the company for a worker in scope), chained into the record',
      tags: TAGS, access: 'user', body: W.ClockBody, response: W.RecordOutSchema,
      errors: { 404: 'no such employee in your scope', 422: 'clocked in twice, not clocked in, not on a break, a shift over 12 h' },
      handler: ({ body, user }) => records.clock(user, { employeeId: body.employeeId, event: body.event as ClockEvent }),
    }),
    defineRoute({
      method: 'get', path: '/api/people/employees/:id/time-records', summary: 'A worker’s month: records, corrections with both approvals, shifts, daily and weekly totals (ordinary / overtime)',
      tags: TAGS, access: 'user', params: W.EmployeeIdParam, query: W.MonthQuery, response: W.MonthOut, errors: { 404: 'no such employee in your scope' },
      handler: async ({ params, query, user }) => monthOut(await records.month(await records.employeeFor(user, params.id, 'read'), query.month)),
    }),
    defineRoute({
      method: 'get', path: '/api/people/employees/:id/time-records.pdf', summary: 'A worker’s monthly record as a PDF', tags: TAGS, access: 'user',
      params: W.EmployeeIdParam, query: W.MonthQuery, produces: [PDF], errors: { 404: 'no such employee in your scope' },
      handler: async ({ params, query, user, res }) => sendPdf(res, await records.month(await records.employeeFor(user, params.id, 'read'), query.month)),
    }),
    defineRoute({
      method: 'post', path: '/api/people/employees/:id/corrections', status: 201,
      summary: 'The company corrects a record: a new record referencing the original (kept), approved for the company now, in effect once the worker approves',
      tags: TAGS, access: 'people.write', params: W.EmployeeIdParam, body: W.CorrectionBody, response: W.RecordOutSchema,
      errors: { 404: 'no such employee in your scope', 422: 'not a clock record of this worker, a time in the future, or the corrected record would break the rules (shift over 12 h, …)' },
      handler: async ({ params, body, user, requestId }) => {
        const e = await records.employeeFor(user, params.id, 'manage');
        if (e.userId === user.id) throw forbidden('A worker may not correct their own record for the company.');
        return records.correct({ kind: 'user', user }, e, 'company', { ...body, event: body.event as ClockEvent }, requestId);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/people/employees/:id/corrections/:correctionId/approve',
      summary: 'Approve a correction: as the company (people.write over the worker) or as the worker (the user linked to the employee); the second approval puts it in effect',
      tags: TAGS, access: 'user', params: W.CorrectionParams, body: W.ApproveBody, response: W.CorrectionOut,
      errors: { 404: 'no such correction in your scope', 409: 'already approved by that party, or the record changed so it no longer fits' },
      handler: async ({ params, body, user, requestId }) => {
        const e = await records.employeeFor(user, params.id, 'read');
        if (body.party === 'worker' && e.userId !== user.id) throw forbidden('Only the worker approves as the worker (self-service page or the till).');
        if (body.party === 'company' && (e.userId === user.id || !(await mayManageEmployee(c.ds, user, e)))) throw forbidden('You may not approve for the company over this worker.');
        return records.approve({ kind: 'user', user }, e, params.correctionId, body.party, requestId);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/people/time-chains/verify', summary: 'Re-hash a store’s (or `hq:<company>`) chain of time records from its anchor: the first broken record, if any',
      tags: TAGS, access: 'people.read', query: W.ChainQuery, response: W.ChainCheckOut, errors: { 404: 'no such chain in your scope' },
      handler: ({ query, user }) => records.verify(user, query.chain),
    }),
    defineRoute({
      method: 'get', path: '/api/people/time-records/export.csv', summary: 'The month’s time records of the caller’s companies/stores for the labour inspectorate (CSV, with hashes)',
      tags: TAGS, access: 'people.read', query: W.ExportQuery, produces: ['text/csv'],
      handler: async ({ query, user, res }) => {
        const rows = await records.exportRows(user, query);
        await sendExport(res, 'csv', `registro-jornada-${query.month}`, TIME_RECORD_CSV_COLUMNS, rows);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/people/time-records/purge', summary: 'Retention: delete time records older than a date at least four years back (younger ones refused)',
      tags: TAGS, access: 'hr.admin', body: W.PurgeBody, response: W.PurgeOut, errors: { 422: 'the date is less than four years back' },
      handler: ({ body, user, requestId }) => records.purge(user, body.before, requestId),
    }),

    // ── the worker's self-service page ──
    defineRoute({
      method: 'post', path: '/api/people/self-service/login', summary: 'A worker signs in to their self-service page (company NIF, employee code, password or till PIN)',
      tags: TAGS, access: 'public', body: W.SelfServiceLoginBody, response: W.SelfServiceSession, errors: { 429: 'too many failed sign-ins' },
      handler: async ({ body, req }) => {
        // Counted like back-office sign-ins: per worker and per address, before argon2 runs.
        const slots = [
          { limiter: c.throttle.loginPerAccount, key: `self-service:${body.companyNif.toUpperCase()}:${body.code}` },
          { limiter: c.throttle.loginPerAddress, key: addressKey(req.ip) },
        ];
        const r = await throttled(slots, 'sign-ins', () => employees.selfServiceLogin(body), (x) => x.ok);
        if (!r.ok) throw r.problem;
        return r.session;
      },
    }),
    defineRoute({
      method: 'get', path: '/api/people/self-service/month', summary: 'The signed-in worker’s month (self-service token)', tags: TAGS, access: 'public',
      query: W.MonthQuery, response: W.MonthOut,
      handler: async ({ query, req }) => monthOut(await records.month(await worker(req), query.month)),
    }),
    defineRoute({
      method: 'get', path: '/api/people/self-service/month.pdf', summary: 'The signed-in worker’s monthly record as a PDF (self-service token)', tags: TAGS, access: 'public',
      query: W.MonthQuery, produces: [PDF],
      handler: async ({ query, req, res }) => sendPdf(res, await records.month(await worker(req), query.month)),
    }),
    defineRoute({
      method: 'post', path: '/api/people/self-service/corrections/:correctionId/approve', summary: 'The signed-in worker approves a correction of their record',
      tags: TAGS, access: 'public', params: W.SelfCorrectionParams, response: W.CorrectionOut, errors: { 404: 'no such correction of yours', 409: 'already approved' },
      handler: async ({ params, req }) => {
        const e = await worker(req);
        return records.approve({ kind: 'worker', employeeId: e.id }, e, params.correctionId, 'worker');
      },
    }),
    defineRoute({
      method: 'post', path: '/api/people/self-service/corrections', status: 201, summary: 'The signed-in worker proposes a correction (approved by them; in effect once the company approves)',
      tags: TAGS, access: 'public', body: W.CorrectionBody, response: W.RecordOutSchema, errors: { 422: 'not a clock record of yours, or it would break the rules' },
      handler: async ({ body, req }) => {
        const e = await worker(req);
        return records.correct({ kind: 'worker', employeeId: e.id }, e, 'worker', { ...body, event: body.event as ClockEvent });
      },
    }),
  ]);
}
