/**
 * Saved report views, their schedules and the report inbox (issue 18).
 *
 * A view is a user's named filters of one report (HQ may share one with a company: its users see it too).
 * A schedule delivers the view daily or weekly at a local time as PDF or XLSX into the inbox. Each minute
 * `runDue` claims the schedules whose `next_run_at` has passed with a compare-and-set on that column (moved to
 * the next future time), and enqueues one `dashboard.deliver` job per claim: a second node, a second tick or
 * a restart finds the column already moved, so a due time runs once. The job renders the report through the
 * report service (`ReportRenderer`, the reports module's) once per recipient — with the recipient's own
 * scope, so a company's user only ever gets their stores — stores the file and writes the inbox row; the
 * row's unique key (schedule, due time, user) makes a retried job write nothing twice.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { InboxItem, ReportView, ScheduleBody, ViewBody } from '@tpv/shared/wire/http/dashboard';
import { REPORT_KEYS } from '@tpv/shared/wire/http/reports';
import type { AuthUser } from '../auth/service';
import * as authRepo from '../auth/repository';
import { refused } from '../platform/api';
import { forbidden, notFound } from '../auth/http';
import { isHqRole } from '../platform/permissions';
import { all, exec, inList, one, updated } from '../persistence/sql';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { Files } from '../platform/files/service';
import type { Jobs } from '../platform/jobs/service';
import { localDate } from './figures';

/** The report service's file export (the reports module's `format=pdf|xlsx`), in the recipient's scope. */
export interface ReportRenderer {
  render(user: AuthUser, reportKey: string, filters: Record<string, string>, format: 'pdf' | 'xlsx'): Promise<{ bytes: Buffer; name: string; title: string }>;
}

export const DELIVER_JOB = 'dashboard.deliver';
const MEDIA = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

// ── local times ──

const partsFormats = new Map<string, Intl.DateTimeFormat>();
/** Offset (ms) of a time zone at an instant: local wall time − UTC. */
function offsetAt(ms: number, timeZone: string): number {
  let f = partsFormats.get(timeZone);
  if (!f) partsFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })));
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(ms / 1000) * 1000;
}

/** The instant of a local date and time in a time zone (the later reading in a DST fold, moved forward in a gap). */
export function localInstant(date: string, time: string, timeZone: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone);
  return t;
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

export interface Recurrence {
  frequency: 'daily' | 'weekly';
  weekday: number | null;
  timeOfDay: string;
  timeZone: string;
}

/** The first run strictly after `after` (ms). */
export function nextRunAfter(after: number, r: Recurrence): number {
  let date = localDate(after, r.timeZone);
  for (let i = 0; i < 9; i++, date = addDays(date, 1)) {
    if (r.frequency === 'weekly' && isoWeekday(date) !== r.weekday) continue;
    const t = localInstant(date, r.timeOfDay, r.timeZone);
    if (t > after) return t;
  }
  throw new Error('no next run within 9 days');
}

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// ── rows ──

interface ViewRow { id: string; user_id: string; company_id: string | null; name: string; report_key: string; filters: string; created_at: string }
interface ScheduleRow { id: string; view_id: string; user_id: string; frequency: 'daily' | 'weekly'; weekday: unknown; time_of_day: string; time_zone: string; format: 'pdf' | 'xlsx'; next_run_at: string; last_run_at: string | null }

const scheduleOut = (s: ScheduleRow) => ({
  id: s.id, frequency: s.frequency, weekday: s.weekday === null ? null : Number(s.weekday), timeOfDay: s.time_of_day, timeZone: s.time_zone, format: s.format, nextRunAt: s.next_run_at, lastRunAt: s.last_run_at,
});

/** Views the user sees: their own, and those shared with one of their companies. */
function visibleWhere(user: AuthUser, params: unknown[]): string {
  params.push(user.id);
  if (user.companyIds.length === 0) return 'v.user_id = ?';
  params.push(...user.companyIds);
  return `(v.user_id = ? OR v.company_id IN (${inList(user.companyIds.length)}))`;
}

export function createViewService(ds: DataSource, clock: Clock, deps: { files: Files; jobs: Pick<Jobs<unknown>, 'enqueue'>; renderer: () => ReportRenderer | null }) {
  const iso = (ms = clock.now()) => new Date(ms).toISOString();

  async function views(user: AuthUser, id?: string): Promise<ReportView[]> {
    const params: unknown[] = [];
    let where = visibleWhere(user, params);
    if (id) {
      where += ' AND v.id = ?';
      params.push(id);
    }
    const rows = await all<ViewRow>(ds.manager, `SELECT v.* FROM report_view v WHERE ${where} ORDER BY v.name`, params);
    if (rows.length === 0) return [];
    // A user sees their own schedules of a view (a shared view's schedules are its owner's).
    const sch = await all<ScheduleRow>(ds.manager, `SELECT * FROM report_schedule WHERE user_id = ? AND view_id IN (${inList(rows.length)}) ORDER BY created_at`, [user.id, ...rows.map((r) => r.id)]);
    return rows.map((v) => ({
      id: v.id, name: v.name, reportKey: v.report_key, filters: JSON.parse(v.filters) as Record<string, string>, companyId: v.company_id, mine: v.user_id === user.id, createdAt: v.created_at,
      schedules: sch.filter((s) => s.view_id === v.id).map(scheduleOut),
    }));
  }

  async function visibleView(user: AuthUser, id: string): Promise<ReportView> {
    const v = (await views(user, id))[0];
    if (!v) throw notFound('view');
    return v;
  }

  async function ownView(user: AuthUser, id: string): Promise<ReportView> {
    const v = await visibleView(user, id);
    if (!v.mine) throw forbidden('Only who saved a view changes or deletes it.');
    return v;
  }

  async function checkShare(user: AuthUser, companyId: string | null | undefined): Promise<void> {
    if (!companyId) return;
    if (!isHqRole(user.role)) throw refused(422, 'SHARE_HQ_ONLY', 'Solo la central comparte vistas con una empresa · only HQ shares views with a company', 'companyId');
    if (!(await one(ds.manager, `SELECT id FROM company WHERE id = ?`, [companyId]))) throw refused(422, 'UNKNOWN_COMPANY', 'Empresa desconocida · unknown company', 'companyId');
  }

  async function deliverTo(userId: string, s: ScheduleRow, v: ViewRow, runFor: string): Promise<boolean> {
    const done = await one(ds.manager, `SELECT id FROM report_inbox WHERE schedule_id = ? AND run_for = ? AND user_id = ?`, [s.id, runFor, userId]);
    if (done) return false;
    const rec = await authRepo.userById(ds.manager, userId);
    if (!rec || !rec.active) return false;
    const user: AuthUser = { id: rec.id, email: rec.email, name: rec.name, role: rec.role, companyId: rec.companyId, storeId: rec.storeId, companyIds: rec.companyIds };
    const renderer = deps.renderer();
    if (!renderer) throw new Error('the reports module is not enabled: nothing renders the report file');
    const out = await renderer.render(user, v.report_key, JSON.parse(v.filters) as Record<string, string>, s.format);
    const file = await deps.files.save({
      name: out.name, mediaType: MEDIA[s.format], purpose: 'report', data: out.bytes,
      owner: { companyId: null, storeId: null, createdBy: user.id },
    });
    const day = localDate(Date.parse(runFor), s.time_zone);
    try {
      await writeTransaction(ds, (m) =>
        exec(m, `INSERT INTO report_inbox (id, user_id, schedule_id, run_for, title, file_id, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`, [
          newRowId(clock), user.id, s.id, runFor, `${v.name} · ${out.title} · ${day}`.slice(0, 200), file.id, iso(),
        ]),
      );
    } catch (e) {
      await deps.files.remove(file); // another run of the same job got there first
      if (await one(ds.manager, `SELECT id FROM report_inbox WHERE schedule_id = ? AND run_for = ? AND user_id = ?`, [s.id, runFor, userId])) return false;
      throw e;
    }
    return true;
  }

  return {
    list: async (user: AuthUser) => ({ items: await views(user) }),
    get: visibleView,

    async create(user: AuthUser, body: ViewBody): Promise<ReportView> {
      if (!(REPORT_KEYS as readonly string[]).includes(body.reportKey)) throw refused(422, 'UNKNOWN_REPORT', 'Informe desconocido · unknown report', 'reportKey');
      await checkShare(user, body.companyId);
      if (await one(ds.manager, `SELECT id FROM report_view WHERE user_id = ? AND name = ?`, [user.id, body.name])) {
        throw refused(409, 'VIEW_NAME_TAKEN', 'Ya tienes una vista con ese nombre · you already have a view with that name', 'name');
      }
      const id = newRowId(clock);
      await writeTransaction(ds, (m) =>
        exec(m, `INSERT INTO report_view (id, user_id, company_id, name, report_key, filters, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
          id, user.id, body.companyId ?? null, body.name, body.reportKey, JSON.stringify(body.filters), iso(),
        ]),
      );
      return visibleView(user, id);
    },

    async remove(user: AuthUser, id: string): Promise<void> {
      await ownView(user, id);
      await writeTransaction(ds, async (m) => {
        await exec(m, `DELETE FROM report_schedule WHERE view_id = ?`, [id]);
        await exec(m, `DELETE FROM report_view WHERE id = ?`, [id]);
      });
    },

    async schedule(user: AuthUser, viewId: string, body: ScheduleBody): Promise<ReportView> {
      await visibleView(user, viewId);
      const timeZone = body.timeZone ?? 'Europe/Madrid';
      if (!validTimeZone(timeZone)) throw refused(422, 'UNKNOWN_TIME_ZONE', 'Zona horaria desconocida · unknown time zone', 'timeZone');
      const weekday = body.frequency === 'weekly' ? (body.weekday ?? null) : null;
      const next = nextRunAfter(clock.now(), { frequency: body.frequency, weekday, timeOfDay: body.timeOfDay, timeZone });
      await writeTransaction(ds, (m) =>
        exec(m, `INSERT INTO report_schedule (id, view_id, user_id, frequency, weekday, time_of_day, time_zone, format, next_run_at, last_run_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`, [
          newRowId(clock), viewId, user.id, body.frequency, weekday, body.timeOfDay, timeZone, body.format, iso(next), iso(),
        ]),
      );
      return visibleView(user, viewId);
    },

    async unschedule(user: AuthUser, scheduleId: string): Promise<void> {
      const s = await one<ScheduleRow>(ds.manager, `SELECT * FROM report_schedule WHERE id = ?`, [scheduleId]);
      if (!s || s.user_id !== user.id) throw notFound('schedule');
      await writeTransaction(ds, (m) => exec(m, `DELETE FROM report_schedule WHERE id = ?`, [scheduleId]));
    },

    /**
     * Claims every schedule due at `now` (compare-and-set on next_run_at) and enqueues its delivery.
     * Returns the claimed runs. A schedule missed for days runs once, then keeps to its time.
     */
    async runDue(): Promise<Array<{ scheduleId: string; runFor: string; jobId: string }>> {
      const now = clock.now();
      const due = await all<ScheduleRow>(ds.manager, `SELECT * FROM report_schedule WHERE next_run_at <= ? ORDER BY next_run_at LIMIT 500`, [iso(now)]);
      const claimed: Array<{ scheduleId: string; runFor: string; jobId: string }> = [];
      for (const s of due) {
        const next = iso(nextRunAfter(now, { frequency: s.frequency, weekday: s.weekday === null ? null : Number(s.weekday), timeOfDay: s.time_of_day, timeZone: s.time_zone }));
        const won = await writeTransaction(ds, (m) =>
          updated<{ id: string }>(m, `UPDATE report_schedule SET next_run_at = ?, last_run_at = ? WHERE id = ? AND next_run_at = ? RETURNING id`, [next, iso(now), s.id, s.next_run_at]),
        );
        if (won.length === 0) continue;
        const job = await deps.jobs.enqueue({ kind: DELIVER_JOB, params: { scheduleId: s.id, runFor: s.next_run_at }, owner: { companyId: null, storeId: null, createdBy: s.user_id } });
        claimed.push({ scheduleId: s.id, runFor: s.next_run_at, jobId: job.id });
      }
      return claimed;
    },

    /** The job: render and file the view for its recipients (the schedule's owner; for a view HQ shared with a company, that company's users too). */
    async deliver(params: { scheduleId: string; runFor: string }): Promise<{ delivered: number }> {
      const s = await one<ScheduleRow>(ds.manager, `SELECT * FROM report_schedule WHERE id = ?`, [params.scheduleId]);
      if (!s) return { delivered: 0 }; // deleted meanwhile
      const v = (await one<ViewRow>(ds.manager, `SELECT * FROM report_view WHERE id = ?`, [s.view_id]))!;
      const recipients = new Set([s.user_id]);
      if (v.company_id && v.user_id === s.user_id) {
        const owner = await authRepo.userById(ds.manager, s.user_id);
        if (owner && isHqRole(owner.role)) {
          const users = await all<{ id: string }>(ds.manager,
            `SELECT DISTINCT u.id FROM app_user u LEFT JOIN user_company uc ON uc.user_id = u.id WHERE u.company_id = ? OR uc.company_id = ?`, [v.company_id, v.company_id]);
          for (const u of users) recipients.add(u.id);
        }
      }
      let delivered = 0;
      for (const userId of recipients) if (await deliverTo(userId, s, v, params.runFor)) delivered++;
      return { delivered };
    },

    async inbox(user: AuthUser): Promise<{ items: InboxItem[]; unread: number }> {
      const rows = await all<{ id: string; title: string; file_id: string; created_at: string; read_at: string | null; file_name: string | null }>(ds.manager,
        `SELECT i.id, i.title, i.file_id, i.created_at, i.read_at, f.name AS file_name FROM report_inbox i LEFT JOIN stored_file f ON f.id = i.file_id
          WHERE i.user_id = ? ORDER BY i.created_at DESC LIMIT 200`, [user.id]);
      const items = rows.map((r) => ({ id: r.id, title: r.title, fileId: r.file_id, fileName: r.file_name ?? '', createdAt: r.created_at, read: r.read_at !== null }));
      return { items, unread: items.filter((i) => !i.read).length };
    },

    async markRead(user: AuthUser, id: string): Promise<void> {
      const r = await one<{ user_id: string }>(ds.manager, `SELECT user_id FROM report_inbox WHERE id = ?`, [id]);
      if (!r || r.user_id !== user.id) throw notFound('inbox item');
      await writeTransaction(ds, (m) => exec(m, `UPDATE report_inbox SET read_at = ? WHERE id = ? AND read_at IS NULL`, [iso(), id]));
    },
  };
}

export type ViewService = ReturnType<typeof createViewService>;
