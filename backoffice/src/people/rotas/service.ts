/**
 * Rotas (issue 16): a store's weekly shift plan. A shift is planned for an employee of the store (or of its
 * company's company-wide staff) who works there that day, checked against the rules (rules.ts) with every
 * other shift the worker has — at any store — and refused as a whole with field errors, nothing written.
 * A week copies from another (the previous one, or any week kept as the template) in one transaction: all
 * its shifts pass or none is written. The week's view sets the plan beside the store's sales per hour.
 * Scope: people.read / people.write on the store (HQ any, a franchisee their companies', a manager theirs).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import type { ShiftBody } from '@tpv/shared/wire/http/rotas';
import { canAccessStore, type AuthUser } from '../../auth/service';
import { forbidden, notFound } from '../../auth/http';
import { refused } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import { writeTransaction } from '../../persistence/raw';
import { newRowId } from '../../persistence/row-id';
import { all, exec, inList, one, type Db } from '../../persistence/sql';
import * as people from '../repository';
import { storeTimeZone } from '../time-records';
import { dateOfIndex, dayIndex, hm, shiftRefusals, toMinutes, workedOf, type FieldError, type PlannedShift } from './rules';

export interface ShiftRow extends PlannedShift { id: string; companyId: string; storeId: string }
const COLS = `id, company_id AS "companyId", store_id AS "storeId", employee_id AS "employeeId", date, start_min AS "startMin", end_min AS "endMin", break_min AS "breakMin"`;
const rowOf = (r: ShiftRow): ShiftRow => ({ ...r, startMin: Number(r.startMin), endMin: Number(r.endMin), breakMin: Number(r.breakMin) });
export const shiftOut = (s: ShiftRow) => ({ id: s.id, storeId: s.storeId, employeeId: s.employeeId, date: s.date, start: hm(s.startMin), end: hm(s.endMin), breakMinutes: s.breakMin, workedMinutes: workedOf(s) });

/** Every shift of these workers between two days (inclusive), whichever store. */
async function shiftsOf(m: Db, employeeIds: string[], from: string, to: string): Promise<ShiftRow[]> {
  if (!employeeIds.length) return [];
  return (await all<ShiftRow>(m, `SELECT ${COLS} FROM rota_shift WHERE employee_id IN (${inList(employeeIds.length)}) AND date >= ? AND date <= ? ORDER BY date, start_min`, [...employeeIds, from, to])).map(rowOf);
}
export async function insertShift(m: Db, s: ShiftRow, by: string, at: string) {
  await exec(m, `INSERT INTO rota_shift (id, company_id, store_id, employee_id, date, start_min, end_min, break_min, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [s.id, s.companyId, s.storeId, s.employeeId, s.date, s.startMin, s.endMin, s.breakMin, by, at]);
}
/** The weekly minutes of the contracts in force that day (null: none). */
const weeklyOn = (contracts: people.ContractRow[], date: string) => {
  const on = contracts.filter((c) => c.startsOn <= date && (c.endsOn === null || date <= c.endsOn));
  return on.length ? on.reduce((t, c) => t + Number(c.weeklyMinutes), 0) : null;
};
export const validation = (errors: FieldError[]) => new HttpProblem(problem(422, 'VALIDATION_FAILED', 'Request refused', { detail: errors.map((e) => e.message).join('; '), errors }));

export interface RotaStore { id: string; companyId: string }

/** The store, if the user's scope reaches it (404 unknown, 403 outside the scope). */
export async function rotaStoreFor(ds: DataSource, user: AuthUser, storeId: string): Promise<RotaStore> {
  const store = await one<RotaStore>(ds.manager, `SELECT id, company_id AS "companyId" FROM store WHERE id = ?`, [storeId]);
  if (!store) throw notFound(`store ${storeId}`);
  if (!(await canAccessStore(ds, user, storeId))) throw forbidden('You may not plan shifts for this store.');
  return store;
}

/** Employees who may work at the store: its own staff and the company's company-wide staff. */
export const employeesOf = (m: Db, store: RotaStore) =>
  all<Pick<people.EmployeeRow, 'id' | 'companyId' | 'storeId' | 'code' | 'name' | 'hiredOn' | 'leftOn'>>(m, `SELECT id, company_id AS "companyId", store_id AS "storeId", code, name, hired_on AS "hiredOn", left_on AS "leftOn" FROM employee
    WHERE company_id = ? AND (store_id = ? OR store_id IS NULL) ORDER BY code`, [store.companyId, store.id]);

/** The refusals of `planned` (new shifts of the store) against each worker's other shifts and contracts, in order. */
export async function checkPlanned(m: Db, store: RotaStore, planned: ShiftRow[], pathOf: (i: number, field: string) => string): Promise<FieldError[]> {
  const staff = new Map((await employeesOf(m, store)).map((e) => [e.id, e]));
  const ids = [...new Set(planned.map((s) => s.employeeId))];
  const days = planned.map((s) => dayIndex(s.date));
  const existing = await shiftsOf(m, ids, dateOfIndex(Math.min(...days) - 7), dateOfIndex(Math.max(...days) + 7));
  const contracts = await people.contractsOf(m, ids);
  const errors: FieldError[] = [];
  const accepted: ShiftRow[] = [];
  planned.forEach((s, i) => {
    const e = staff.get(s.employeeId);
    if (!e) errors.push({ path: pathOf(i, 'employeeId'), message: 'no es personal de esta tienda · not staff of this store' });
    else if (e.hiredOn > s.date || (e.leftOn !== null && e.leftOn < s.date)) errors.push({ path: pathOf(i, 'date'), message: `${e.name} no trabaja en la empresa el ${s.date} · does not work for the company that day` });
    else {
      const mine = contracts.filter((c) => c.employeeId === s.employeeId);
      const found = shiftRefusals([...existing, ...accepted], s, weeklyOn(mine, s.date));
      if (found.length) errors.push(...found.map((f) => ({ path: pathOf(i, f.path), message: f.message })));
      else accepted.push(s);
    }
  });
  return errors;
}

export function createRotaService(ds: DataSource, clock: Clock) {
  const at = () => new Date(clock.now()).toISOString();
  const storeFor = (user: AuthUser, storeId: string) => rotaStoreFor(ds, user, storeId);
  const check = checkPlanned;

  return {
    async add(user: AuthUser, b: ShiftBody, requestId?: string) {
      const store = await storeFor(user, b.storeId);
      const s: ShiftRow = { id: newRowId(clock), companyId: store.companyId, storeId: store.id, employeeId: b.employeeId, date: b.date, startMin: toMinutes(b.start), endMin: toMinutes(b.end), breakMin: b.breakMinutes };
      return writeTransaction(ds, async (m) => {
        const errors = await check(m, store, [s], (_i, f) => f);
        if (errors.length) throw validation(errors);
        await insertShift(m, s, user.email, at());
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'rota.shift_add', entity: 'rota_shift', entityId: s.id, companyId: store.companyId, storeId: store.id, after: s, requestId: requestId ?? null });
        return shiftOut(s);
      });
    },

    async remove(user: AuthUser, id: string, requestId?: string) {
      const s = await one<ShiftRow>(ds.manager, `SELECT ${COLS} FROM rota_shift WHERE id = ?`, [id]);
      if (!s || !(await canAccessStore(ds, user, s.storeId))) throw notFound(`shift ${id}`);
      await writeTransaction(ds, async (m) => {
        await exec(m, `DELETE FROM rota_shift WHERE id = ?`, [id]);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'rota.shift_remove', entity: 'rota_shift', entityId: id, companyId: s.companyId, storeId: s.storeId, before: s, requestId: requestId ?? null });
      });
      return { deleted: id };
    },

    /** Copies a week's shifts of the store onto another week, same weekdays: all of them pass the rules or none is written. */
    async copyWeek(user: AuthUser, b: { storeId: string; fromWeek: string; toWeek: string }, requestId?: string) {
      if (b.fromWeek === b.toWeek) throw refused(422, 'SAME_WEEK', 'copy a week onto another week', 'toWeek');
      const store = await storeFor(user, b.storeId);
      const shift = dayIndex(b.toWeek) - dayIndex(b.fromWeek);
      return writeTransaction(ds, async (m) => {
        const source = (await all<ShiftRow>(m, `SELECT ${COLS} FROM rota_shift WHERE store_id = ? AND date >= ? AND date <= ? ORDER BY date, start_min, employee_id`,
          [store.id, b.fromWeek, dateOfIndex(dayIndex(b.fromWeek) + 6)])).map(rowOf);
        const planned = source.map((s) => ({ ...s, id: newRowId(clock), date: dateOfIndex(dayIndex(s.date) + shift) }));
        if (planned.length) {
          const errors = await check(m, store, planned, (i, f) => `shifts[${i}].${f}`);
          if (errors.length) throw validation(errors);
        }
        const now = at();
        for (const s of planned) await insertShift(m, s, user.email, now);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'rota.week_copy', entity: 'rota_shift', entityId: `${store.id}:${b.toWeek}`, companyId: store.companyId, storeId: store.id, after: { ...b, created: planned.length }, requestId: requestId ?? null });
        return { created: planned.length, shifts: planned.map(shiftOut) };
      });
    },

    /**
     * The week: employees who may work there (contract hours, hours planned), the store's shifts, and per day
     * and hour the sale tickets and their totals beside the people planned at work in that hour. No per-hour
     * sales rollup exists yet: the hours are counted from the week's sale tickets (store + business-date index).
     */
    async week(user: AuthUser, storeId: string, week: string) {
      const store = await storeFor(user, storeId);
      const m = ds.manager;
      const days = Array.from({ length: 7 }, (_, i) => dateOfIndex(dayIndex(week) + i));
      const sunday = days[6]!;
      const tz = await storeTimeZone(m, store.id);
      const staff = (await employeesOf(m, store)).filter((e) => e.hiredOn <= sunday && (e.leftOn === null || e.leftOn >= week));
      const contracts = await people.contractsOf(m, staff.map((e) => e.id));
      const shifts = (await all<ShiftRow>(m, `SELECT ${COLS} FROM rota_shift WHERE store_id = ? AND date >= ? AND date <= ? ORDER BY date, start_min`, [store.id, week, sunday])).map(rowOf);
      // The reports' ticket rollup (store / local business date / hour), kept by the ingest in each ticket's transaction.
      const sold = await all<{ date: string; hour: unknown; tickets: unknown; gross: unknown }>(m,
        `SELECT business_date AS "date", hour, tickets, gross_cents AS gross FROM report_ticket_hour WHERE store_id = ? AND business_date >= ? AND business_date <= ?`, [store.id, week, sunday]);
      const hours = new Map<string, { date: string; hour: number; tickets: number; salesCents: number; staff: number }>();
      const cell = (date: string, hour: number) => {
        const k = `${date} ${hour}`;
        let c = hours.get(k);
        if (!c) hours.set(k, (c = { date, hour, tickets: 0, salesCents: 0, staff: 0 }));
        return c;
      };
      for (const t of sold) {
        const c = cell(t.date, Number(t.hour));
        c.tickets += Number(t.tickets);
        c.salesCents += Number(t.gross);
      }
      // A person counts in an hour they are planned for any part of it.
      for (const s of shifts) for (let h = Math.floor(s.startMin / 60); h * 60 < s.endMin; h++) cell(s.date, h).staff += 1;
      return {
        storeId: store.id, week, days, timeZone: tz,
        employees: staff.map((e) => ({
          id: e.id, code: e.code, name: e.name,
          weeklyMinutes: weeklyOn(contracts.filter((c) => c.employeeId === e.id), week),
          plannedMinutes: shifts.filter((s) => s.employeeId === e.id).reduce((t, s) => t + workedOf(s), 0),
        })),
        shifts: shifts.map(shiftOut),
        hours: [...hours.values()].filter((h) => days.includes(h.date)).sort((a, b) => a.date.localeCompare(b.date) || a.hour - b.hour),
        salesSource: 'report_ticket_hour: sale tickets and sales with IVA less returns, by store-local hour of issue (the reports rollup the ingest keeps)',
      };
    },
  };
}

export type RotaService = ReturnType<typeof createRotaService>;
