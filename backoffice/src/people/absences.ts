/**
 * Absences and holidays (issue 16), the use cases — each write one transaction, audited:
 * - a worker asks for a vacation or a leave on their self-service page (status requested); a manager over the
 *   worker (people.write in scope) records one for them, approved as written (a sick leave with its certificate);
 * - the manager approves or refuses a request (a refusal says why); nobody decides on their own request;
 * - the worker or the manager cancels one that has not started;
 * - every write refuses, changing nothing: a range that is not real dates or ends before it starts, outside the
 *   employment, over a year long, a vacation crossing New Year, one overlapping another live absence of the
 *   worker (409), a vacation beyond the year's available days (422). Approving re-checks overlap and balance;
 * - lists scoped like employees, and a worker's holiday balance per year (shared/src/people/absences.ts).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { calendarDays, holidayBalance, isCalendarDate, MAX_ABSENCE_DAYS, type AbsenceKind, type AbsenceStatus, type HolidayBalance } from '@tpv/shared/people/absences';
import { can } from '@tpv/shared/permissions';
import { visibleCompanyIds, visibleStoreIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import { all, exec, inList, one, type Db } from '../persistence/sql';
import * as repo from './repository';
import { mayManageEmployee, mayReadEmployee } from './time-records';

export interface AbsenceRow {
  id: string; employeeId: string; employeeCode: string; employeeName: string; companyId: string; storeId: string | null;
  kind: AbsenceKind; fromDate: string; toDate: string; days: number; note: string | null; status: AbsenceStatus;
  requestedByKind: 'user' | 'worker'; requestedBy: string; requestedAt: string;
  decidedBy: string | null; decidedByName: string | null; decidedAt: string | null; decisionNote: string | null;
}

const COLS = `a.id, a.employee_id AS "employeeId", e.code AS "employeeCode", e.name AS "employeeName", a.company_id AS "companyId", a.store_id AS "storeId",
  a.kind, a.from_date AS "fromDate", a.to_date AS "toDate", a.days, a.note, a.status, a.requested_by_kind AS "requestedByKind", a.requested_by AS "requestedBy",
  a.requested_at AS "requestedAt", a.decided_by AS "decidedBy", a.decided_by_name AS "decidedByName", a.decided_at AS "decidedAt", a.decision_note AS "decisionNote"`;
const rowOf = (r: AbsenceRow): AbsenceRow => ({ ...r, days: Number(r.days) });

async function absenceById(m: Db, id: string): Promise<AbsenceRow | undefined> {
  const r = await one<AbsenceRow>(m, `SELECT ${COLS} FROM absence a JOIN employee e ON e.id = a.employee_id WHERE a.id = ?`, [id]);
  return r ? rowOf(r) : undefined;
}
async function absencesOf(m: Db, employeeId: string): Promise<AbsenceRow[]> {
  return (await all<AbsenceRow>(m, `SELECT ${COLS} FROM absence a JOIN employee e ON e.id = a.employee_id WHERE a.employee_id = ? ORDER BY a.from_date, a.id`, [employeeId])).map(rowOf);
}

export type AbsenceActor = { kind: 'user'; user: AuthUser } | { kind: 'worker'; employee: repo.EmployeeRow };
export interface AbsenceInput { kind: AbsenceKind; fromDate: string; toDate: string; note?: string | null | undefined }

export function createAbsenceService(ds: DataSource, clock: Clock) {
  const now = () => new Date(clock.now()).toISOString();
  const today = () => now().slice(0, 10);
  const actorOf = (a: AbsenceActor) => (a.kind === 'user' ? { id: a.user.id, email: a.user.email } : { id: a.employee.id, email: `employee:${a.employee.code}` });

  /** The checks every absence passes before it is written or approved (`self`: the absence being approved, not counted against itself). */
  async function check(m: Db, e: repo.EmployeeRow, a: { kind: AbsenceKind; fromDate: string; toDate: string }, self?: string): Promise<void> {
    if (!isCalendarDate(a.fromDate)) throw refused(422, 'DATE_INVALID', `${a.fromDate} no es una fecha / not a date`, 'fromDate');
    if (!isCalendarDate(a.toDate)) throw refused(422, 'DATE_INVALID', `${a.toDate} no es una fecha / not a date`, 'toDate');
    if (a.toDate < a.fromDate) throw refused(422, 'RANGE_INVALID', 'La ausencia termina antes de empezar / it ends before it starts', 'toDate');
    const days = calendarDays(a.fromDate, a.toDate);
    if (days > MAX_ABSENCE_DAYS) throw refused(422, 'RANGE_TOO_LONG', `Más de ${MAX_ABSENCE_DAYS} días: regístrela en tramos / over ${MAX_ABSENCE_DAYS} days: record it in spells`, 'toDate');
    if (a.fromDate < e.hiredOn) throw refused(422, 'OUTSIDE_EMPLOYMENT', `Empieza antes del alta (${e.hiredOn}) / starts before the hiring date`, 'fromDate');
    if (e.leftOn !== null && a.toDate > e.leftOn) throw refused(422, 'OUTSIDE_EMPLOYMENT', `Termina después de la baja (${e.leftOn}) / ends after the leaving date`, 'toDate');
    if (a.kind === 'vacation' && a.fromDate.slice(0, 4) !== a.toDate.slice(0, 4)) {
      throw refused(422, 'VACATION_CROSSES_YEAR', 'Unas vacaciones que cruzan el año se piden en dos, una por año / ask for one per year', 'toDate');
    }
    const mine = (await absencesOf(m, e.id)).filter((x) => x.id !== self && (x.status === 'requested' || x.status === 'approved'));
    const clash = mine.find((x) => x.fromDate <= a.toDate && a.fromDate <= x.toDate);
    if (clash) throw refused(409, 'ABSENCE_OVERLAPS', `Se solapa con otra ausencia del ${clash.fromDate} al ${clash.toDate} / overlaps another absence`, 'fromDate');
    if (a.kind === 'vacation') {
      const year = Number(a.fromDate.slice(0, 4));
      const b = holidayBalance(year, e.hiredOn, e.leftOn, mine);
      if (days > b.availableDays) {
        throw refused(422, 'VACATION_EXCEEDS_BALANCE', `Pide ${days} días y le quedan ${Math.max(0, b.availableDays)} de ${b.allowanceDays} en ${year} / asks ${days} days, ${Math.max(0, b.availableDays)} left`, 'toDate');
      }
    }
  }

  async function employeeFor(actor: AbsenceActor, employeeId: string, write: boolean): Promise<repo.EmployeeRow> {
    if (actor.kind === 'worker') {
      if (actor.employee.id !== employeeId) throw notFound(`employee ${employeeId}`);
      return actor.employee;
    }
    const e = await repo.employeeById(ds.manager, employeeId);
    if (!e || !(await mayReadEmployee(ds, actor.user, e))) throw notFound(`employee ${employeeId}`);
    if (write && !(await mayManageEmployee(ds, actor.user, e))) throw forbidden('No gestiona a este empleado / you do not manage this employee.');
    return e;
  }

  async function absenceFor(actor: AbsenceActor, id: string): Promise<{ a: AbsenceRow; e: repo.EmployeeRow }> {
    const a = await absenceById(ds.manager, id);
    if (!a) throw notFound(`absence ${id}`);
    const e = await employeeFor(actor, a.employeeId, false).catch(() => {
      throw notFound(`absence ${id}`);
    });
    return { a, e };
  }

  return {
    /** A worker's request (requested) or a manager's record for a worker (approved as written). */
    async create(actor: AbsenceActor, employeeId: string, input: AbsenceInput, requestId?: string): Promise<AbsenceRow> {
      const e = await employeeFor(actor, employeeId, true);
      if (e.leftOn !== null && e.leftOn < today() && actor.kind === 'worker') throw forbidden('Ya no trabaja en la empresa / no longer employed.');
      const id = newRowId(clock);
      const at = now();
      const byUser = actor.kind === 'user';
      await writeTransaction(ds, async (m) => {
        await check(m, e, input);
        await exec(m, `INSERT INTO absence (id, employee_id, company_id, store_id, kind, from_date, to_date, days, note, status, requested_by_kind, requested_by, requested_at, decided_by, decided_by_name, decided_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
          id, e.id, e.companyId, e.storeId, input.kind, input.fromDate, input.toDate, calendarDays(input.fromDate, input.toDate), input.note ?? null,
          byUser ? 'approved' : 'requested', actor.kind, byUser ? actor.user.id : e.id, at,
          byUser ? actor.user.id : null, byUser ? actor.user.name : null, byUser ? at : null,
        ]);
        await recordAudit(m, clock, { actor: actorOf(actor), action: byUser ? 'absence.record' : 'absence.request', entity: 'absence', entityId: id, companyId: e.companyId, storeId: e.storeId, after: { employeeId: e.id, ...input }, requestId: requestId ?? null });
      });
      return (await absenceById(ds.manager, id))!;
    },

    /** A manager decides a worker's request: approve (overlap and balance checked again) or refuse (with a reason). */
    async decide(user: AuthUser, id: string, d: { decision: 'approve' | 'refuse'; note?: string | undefined }, requestId?: string): Promise<AbsenceRow> {
      const { a, e } = await absenceFor({ kind: 'user', user }, id);
      if (!(await mayManageEmployee(ds, user, e))) throw forbidden('No gestiona a este empleado / you do not manage this employee.');
      if (e.userId === user.id) throw forbidden('Nadie decide sobre su propia ausencia / nobody decides on their own absence.');
      if (d.decision === 'refuse' && !d.note?.trim()) throw refused(422, 'REASON_REQUIRED', 'Diga por qué se deniega / say why it is refused', 'note');
      await writeTransaction(ds, async (m) => {
        const cur = (await absenceById(m, id))!;
        if (cur.status !== 'requested') throw refused(409, 'ALREADY_DECIDED', `Ya está ${cur.status} / already ${cur.status}`);
        if (d.decision === 'approve') await check(m, e, cur, id);
        await exec(m, `UPDATE absence SET status = ?, decided_by = ?, decided_by_name = ?, decided_at = ?, decision_note = ? WHERE id = ? AND status = 'requested'`, [
          d.decision === 'approve' ? 'approved' : 'refused', user.id, user.name, now(), d.note?.trim() || null, id,
        ]);
        await recordAudit(m, clock, { actor: actorOf({ kind: 'user', user }), action: `absence.${d.decision}`, entity: 'absence', entityId: id, companyId: a.companyId, storeId: a.storeId, before: { status: cur.status }, after: { status: d.decision === 'approve' ? 'approved' : 'refused', note: d.note ?? null }, requestId: requestId ?? null });
      });
      return (await absenceById(ds.manager, id))!;
    },

    /** Cancels a requested or approved absence that has not started (the worker theirs; a manager any in scope). */
    async cancel(actor: AbsenceActor, id: string, requestId?: string): Promise<AbsenceRow> {
      const { a, e } = await absenceFor(actor, id);
      if (actor.kind === 'user' && !(await mayManageEmployee(ds, actor.user, e))) throw forbidden('No gestiona a este empleado / you do not manage this employee.');
      await writeTransaction(ds, async (m) => {
        const cur = (await absenceById(m, id))!;
        if (cur.status !== 'requested' && cur.status !== 'approved') throw refused(409, 'NOT_CANCELLABLE', `Está ${cur.status} / it is ${cur.status}`);
        if (cur.fromDate <= today()) throw refused(409, 'ALREADY_STARTED', `Empezó el ${cur.fromDate}: no se anula / started on ${cur.fromDate}`);
        await exec(m, `UPDATE absence SET status = 'cancelled' WHERE id = ?`, [id]);
        await recordAudit(m, clock, { actor: actorOf(actor), action: 'absence.cancel', entity: 'absence', entityId: id, companyId: a.companyId, storeId: a.storeId, before: { status: cur.status }, after: { status: 'cancelled' }, requestId: requestId ?? null });
      });
      return (await absenceById(ds.manager, id))!;
    },

    /** Absences the user may see (like employees: their companies; a store manager their store's people), filtered. */
    async list(user: AuthUser, q: { status?: AbsenceStatus | undefined; employeeId?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number }): Promise<AbsenceRow[]> {
      if (!can(user, 'people.read')) throw forbidden('people.read');
      const where: string[] = [];
      const params: unknown[] = [];
      const companies = visibleCompanyIds(user);
      if (companies !== null) {
        if (companies.length === 0) return [];
        where.push(`a.company_id IN (${inList(companies.length)})`);
        params.push(...companies);
      }
      if (user.role === 'store_manager') {
        const stores = (await visibleStoreIds(ds, user)) ?? [];
        if (stores.length === 0) return [];
        where.push(`(a.store_id IN (${inList(stores.length)}) OR a.store_id IS NULL)`);
        params.push(...stores);
      }
      const filters: Array<[string, string | undefined]> = [['a.status = ?', q.status], ['a.employee_id = ?', q.employeeId], ['a.to_date >= ?', q.from], ['a.from_date <= ?', q.to]];
      for (const [sql, v] of filters) {
        if (v === undefined) continue;
        where.push(sql);
        params.push(v);
      }
      const rows = await all<AbsenceRow>(ds.manager, `SELECT ${COLS} FROM absence a JOIN employee e ON e.id = a.employee_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.from_date DESC, a.id LIMIT ${Math.trunc(q.limit)}`, params);
      return rows.map(rowOf);
    },

    /** A worker's absences and their holiday balance for a year. */
    async ofEmployee(actor: AbsenceActor, employeeId: string, year: number): Promise<{ balance: HolidayBalance; items: AbsenceRow[] }> {
      const e = await employeeFor(actor, employeeId, false);
      const items = await absencesOf(ds.manager, e.id);
      return { balance: holidayBalance(year, e.hiredOn, e.leftOn, items), items: items.filter((x) => x.fromDate.slice(0, 4) === String(year) || x.toDate.slice(0, 4) === String(year)) };
    },
  };
}

export type AbsenceService = ReturnType<typeof createAbsenceService>;
