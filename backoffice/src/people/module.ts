/**
 * People and the working-time record (issue 16): employees (personal data apart, contracts, stores, till
 * role = the staff row on the tills), leaving (off every till through the feed), and the registro de
 * jornada — clock events from the tills (document outbox, `people.clock`) or the back office, hash-chained
 * per store, corrections approved by company and worker, monthly totals and PDF, the inspectorate's export;
 * corrections approved or rejected by the worker at the till (online, `people.corrections-pending` /
 * `people.correction-decide`); absences and holidays (requested on the self-service page, decided by the manager; yearly balance); the labour
 * inspectorate's read-only, time-limited key to one company's records.
 */
import type { TillClockEvent } from '@tpv/shared/wire/upward';
import { HttpProblem } from '@tpv/shared/problem';
import type { BackofficeModule, ModuleContext, UpwardHandler } from '../modules/types';
import { createEmployeeService } from './employees';
import { peopleRoutes } from './route';
import { absenceRoutes } from './absences-route';
import { createInspectorService } from './inspector';
import { inspectorRoutes } from './inspector-route';
import { createAbsenceService } from './absences';
import { rotaRoutes } from './rotas/route';
import { createRotaService } from './rotas/service';
import { createRotaTemplateService } from './rotas/templates';
import { appendClockEvent, createTimeRecordService } from './time-records';
import * as repo from './repository';
import { decideAtTill, pendingAtTill } from './till-corrections';
import { PEOPLE_CORRECTION_DECIDE, PEOPLE_CORRECTIONS_PENDING } from '@tpv/shared/people/till-corrections';

/**
 * A clock event made at a till with the worker's PIN: chained into the till's store record at the till's
 * time, once (the channel's upward_document). The staff member must be an employee of the till's company
 * (an employee with a till role shares the staff row's id); a rule broken is the till's `rejected`.
 */
const clockFromTill: UpwardHandler = async (m, ctx, till, doc) => {
  const input = doc.payload as TillClockEvent;
  try {
    const e = await repo.employeeById(m, input.staffId);
    if (!e || e.companyId !== till.companyId) return { rejected: 'No consta como empleado de esta empresa · Not an employee of this company' };
    const r = await appendClockEvent(m, ctx.clock, { kind: 'till', terminalId: till.terminalId, storeId: till.storeId, companyId: till.companyId }, {
      id: doc.id, employeeId: e.id, event: input.event, at: Date.parse(input.at), storeId: till.storeId, terminalId: till.terminalId, source: 'till',
    });
    return { reference: `Fichaje #${r.seq} registrado · clock event recorded` };
  } catch (e) {
    if (e instanceof HttpProblem && e.problem.status >= 400 && e.problem.status < 500) return { rejected: e.problem.detail ?? e.problem.title };
    throw e;
  }
};

export const peopleModule: BackofficeModule = {
  id: 'people',
  permissionModules: ['hr'],
  routes: (c: ModuleContext) => {
    const employees = createEmployeeService(c.ds, c.clock, c.masterData);
    const records = createTimeRecordService(c.ds, c.clock);
    return [
      peopleRoutes(c, employees, records),
      absenceRoutes(c, employees, createAbsenceService(c.ds, c.clock)),
      inspectorRoutes(c, createInspectorService(c.ds, c.clock, records)),
      rotaRoutes(c, createRotaService(c.ds, c.clock), createRotaTemplateService(c.ds, c.clock)),
    ];
  },
  upward: { 'people.clock': clockFromTill },
  // A worker's corrections at the till (their PIN verified there): those waiting for them, and their approval or rejection.
  tillRequests: { [PEOPLE_CORRECTIONS_PENDING]: pendingAtTill, [PEOPLE_CORRECTION_DECIDE]: decideAtTill },
};
