/**
 * Named rota templates (issue 16): a manager keeps a store's week under a name ("Semana estándar", "Rebajas") —
 * its shifts by weekday and employee, no dates — lists, renames and deletes them, and applies one to a week.
 * Applying writes ordinary shifts in one transaction, each checked by the rules (rules.ts) with the workers'
 * other shifts: all pass or none is written (422, each field error naming the employee and the day). Employees
 * no longer at the store that day (moved, left, not yet hired) are refused too, unless the manager asks to skip
 * them (`skipMissing`): then they are left out and reported. Scope: the store, people.read to list, people.write
 * to change (another store's template is 404, another store 403).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { canAccessStore, type AuthUser } from '../../auth/service';
import { notFound } from '../../auth/http';
import { recordAudit } from '../../platform/audit';
import { writeTransaction } from '../../persistence/raw';
import { newRowId } from '../../persistence/row-id';
import { all, exec, inList, one, type Db } from '../../persistence/sql';
import { dateOfIndex, dayIndex, hm, workedOf } from './rules';
import { checkPlanned, employeesOf, insertShift, rotaStoreFor, shiftOut, validation, type RotaStore, type ShiftRow } from './service';

interface TemplateRow { id: string; companyId: string; storeId: string; name: string; createdBy: string; createdAt: string; updatedAt: string }
interface TemplateShiftRow { id: string; templateId: string; employeeId: string; employeeName: string; weekday: number; startMin: number; endMin: number; breakMin: number }

const WEEKDAYS = ['lunes · Monday', 'martes · Tuesday', 'miércoles · Wednesday', 'jueves · Thursday', 'viernes · Friday', 'sábado · Saturday', 'domingo · Sunday'];
const COLS = `id, company_id AS "companyId", store_id AS "storeId", name, created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

const nameTaken = (name: string) =>
  new HttpProblem(problem(409, 'NAME_TAKEN', 'Request refused', { detail: `ya hay una plantilla «${name}» en esta tienda · this store already has a template "${name}"`, errors: [{ path: 'name', message: 'nombre en uso · name already used' }] }));

async function shiftsOfTemplates(m: Db, ids: string[]): Promise<TemplateShiftRow[]> {
  if (!ids.length) return [];
  const rows = await all<TemplateShiftRow>(m, `SELECT s.id, s.template_id AS "templateId", s.employee_id AS "employeeId", e.name AS "employeeName", s.weekday, s.start_min AS "startMin", s.end_min AS "endMin", s.break_min AS "breakMin"
    FROM rota_template_shift s JOIN employee e ON e.id = s.employee_id WHERE s.template_id IN (${inList(ids.length)}) ORDER BY s.weekday, s.start_min, e.code`, ids);
  return rows.map((r) => ({ ...r, weekday: Number(r.weekday), startMin: Number(r.startMin), endMin: Number(r.endMin), breakMin: Number(r.breakMin) }));
}

const templateOut = (t: TemplateRow, shifts: TemplateShiftRow[]) => ({
  id: t.id, storeId: t.storeId, name: t.name, createdBy: t.createdBy, createdAt: t.createdAt, updatedAt: t.updatedAt,
  shifts: shifts.filter((s) => s.templateId === t.id).map((s) => ({
    employeeId: s.employeeId, employeeName: s.employeeName, weekday: s.weekday, start: hm(s.startMin), end: hm(s.endMin), breakMinutes: s.breakMin, workedMinutes: workedOf(s),
  })),
});

export function createRotaTemplateService(ds: DataSource, clock: Clock) {
  const at = () => new Date(clock.now()).toISOString();
  const audit = (m: Db, user: AuthUser, action: string, t: { id: string; companyId: string; storeId: string }, change: { before?: unknown; after?: unknown }, requestId?: string) =>
    recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action, entity: 'rota_template', entityId: t.id, companyId: t.companyId, storeId: t.storeId, ...change, requestId: requestId ?? null });

  /** The template, if the user's scope reaches its store (404 otherwise: another store's template is not shown). */
  async function templateFor(user: AuthUser, id: string): Promise<TemplateRow> {
    const t = await one<TemplateRow>(ds.manager, `SELECT ${COLS} FROM rota_template WHERE id = ?`, [id]);
    if (!t || !(await canAccessStore(ds, user, t.storeId))) throw notFound(`template ${id}`);
    return t;
  }
  const taken = async (m: Db, storeId: string, name: string, except = '') =>
    (await one<{ id: string }>(m, `SELECT id FROM rota_template WHERE store_id = ? AND name = ? AND id <> ?`, [storeId, name, except])) !== undefined;

  return {
    async list(user: AuthUser, storeId: string) {
      const store = await rotaStoreFor(ds, user, storeId);
      const ts = await all<TemplateRow>(ds.manager, `SELECT ${COLS} FROM rota_template WHERE store_id = ? ORDER BY name`, [store.id]);
      const shifts = await shiftsOfTemplates(ds.manager, ts.map((t) => t.id));
      return { items: ts.map((t) => templateOut(t, shifts)) };
    },

    async get(user: AuthUser, id: string) {
      const t = await templateFor(user, id);
      return templateOut(t, await shiftsOfTemplates(ds.manager, [t.id]));
    },

    /** Saves the store's shifts of `week` under `name`, by weekday (an empty week is refused: nothing to keep). */
    async save(user: AuthUser, b: { storeId: string; name: string; week: string }, requestId?: string) {
      const store = await rotaStoreFor(ds, user, b.storeId);
      return writeTransaction(ds, async (m) => {
        if (await taken(m, store.id, b.name)) throw nameTaken(b.name);
        const week = await all<{ employeeId: string; date: string; startMin: unknown; endMin: unknown; breakMin: unknown }>(m,
          `SELECT employee_id AS "employeeId", date, start_min AS "startMin", end_min AS "endMin", break_min AS "breakMin" FROM rota_shift WHERE store_id = ? AND date >= ? AND date <= ? ORDER BY date, start_min`,
          [store.id, b.week, dateOfIndex(dayIndex(b.week) + 6)]);
        if (!week.length) {
          throw new HttpProblem(problem(422, 'WEEK_EMPTY', 'Request refused', { detail: `no hay turnos en la semana del ${b.week} · no shifts that week`, errors: [{ path: 'week', message: `sin turnos · no shifts` }] }));
        }
        const now = at();
        const t: TemplateRow = { id: newRowId(clock), companyId: store.companyId, storeId: store.id, name: b.name, createdBy: user.email, createdAt: now, updatedAt: now };
        await exec(m, `INSERT INTO rota_template (id, company_id, store_id, name, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [t.id, t.companyId, t.storeId, t.name, t.createdBy, t.createdAt, t.updatedAt]);
        for (const s of week) {
          await exec(m, `INSERT INTO rota_template_shift (id, template_id, employee_id, weekday, start_min, end_min, break_min) VALUES (?, ?, ?, ?, ?, ?, ?)`,
            [newRowId(clock), t.id, s.employeeId, dayIndex(s.date) - dayIndex(b.week), Number(s.startMin), Number(s.endMin), Number(s.breakMin)]);
        }
        await audit(m, user, 'rota.template_save', t, { after: { ...t, fromWeek: b.week, shifts: week.length } }, requestId);
        return templateOut(t, await shiftsOfTemplates(m, [t.id]));
      });
    },

    async rename(user: AuthUser, id: string, name: string, requestId?: string) {
      const t = await templateFor(user, id);
      return writeTransaction(ds, async (m) => {
        if (await taken(m, t.storeId, name, t.id)) throw nameTaken(name);
        const updatedAt = at();
        await exec(m, `UPDATE rota_template SET name = ?, updated_at = ? WHERE id = ?`, [name, updatedAt, t.id]);
        await audit(m, user, 'rota.template_rename', t, { before: { name: t.name }, after: { name } }, requestId);
        return templateOut({ ...t, name, updatedAt }, await shiftsOfTemplates(m, [t.id]));
      });
    },

    async remove(user: AuthUser, id: string, requestId?: string) {
      const t = await templateFor(user, id);
      await writeTransaction(ds, async (m) => {
        await exec(m, `DELETE FROM rota_template_shift WHERE template_id = ?`, [t.id]);
        await exec(m, `DELETE FROM rota_template WHERE id = ?`, [t.id]);
        await audit(m, user, 'rota.template_delete', t, { before: t }, requestId);
      });
      return { deleted: t.id };
    },

    /** Writes the template's shifts on `week`'s days: all pass the rules or none is written. */
    async apply(user: AuthUser, id: string, b: { week: string; skipMissing: boolean }, requestId?: string) {
      const t = await templateFor(user, id);
      const store: RotaStore = { id: t.storeId, companyId: t.companyId };
      return writeTransaction(ds, async (m) => {
        const tshifts = await shiftsOfTemplates(m, [t.id]);
        const staff = new Map((await employeesOf(m, store)).map((e) => [e.id, e]));
        const planned = tshifts.map((s) => ({
          source: s,
          shift: { id: newRowId(clock), companyId: t.companyId, storeId: t.storeId, employeeId: s.employeeId, date: dateOfIndex(dayIndex(b.week) + s.weekday), startMin: s.startMin, endMin: s.endMin, breakMin: s.breakMin } satisfies ShiftRow,
        }));
        // Who is no longer at the store that day: moved to another store, left, or not hired yet.
        const missing = (p: (typeof planned)[number]) => {
          const e = staff.get(p.shift.employeeId);
          if (!e) return 'ya no es personal de esta tienda · no longer staff of this store';
          if (e.leftOn !== null && e.leftOn < p.shift.date) return `dejó la empresa el ${e.leftOn} · left on ${e.leftOn}`;
          if (e.hiredOn > p.shift.date) return `no trabaja aún en la empresa · not hired yet`;
          return null;
        };
        const skipped = b.skipMissing ? planned.filter((p) => missing(p) !== null) : [];
        const kept = planned.filter((p) => !skipped.includes(p));
        const label = (i: number) => `${kept[i]!.source.employeeName}, ${WEEKDAYS[kept[i]!.source.weekday]} ${kept[i]!.shift.date}`;
        if (kept.length) {
          const errors = await checkPlanned(m, store, kept.map((p) => p.shift), (i, f) => `shifts[${i}].${f}`);
          if (errors.length) {
            throw validation(errors.map((e) => {
              const i = Number(/^shifts\[(\d+)\]/.exec(e.path)![1]);
              return { path: e.path, message: `${label(i)}: ${e.message}` };
            }));
          }
        }
        const now = at();
        for (const p of kept) await insertShift(m, p.shift, user.email, now);
        const out = {
          created: kept.length,
          shifts: kept.map((p) => shiftOut(p.shift)),
          skipped: skipped.map((p) => ({ employeeId: p.shift.employeeId, employeeName: p.source.employeeName, date: p.shift.date, reason: missing(p)! })),
        };
        await audit(m, user, 'rota.template_apply', t, { after: { week: b.week, created: out.created, skipped: out.skipped } }, requestId);
        return out;
      });
    },
  };
}

export type RotaTemplateService = ReturnType<typeof createRotaTemplateService>;
