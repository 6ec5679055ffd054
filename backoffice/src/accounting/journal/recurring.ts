/**
 * Recurring entries (rent, payroll provisions): a template of lines posted on a day of every month from a
 * start date to an optional end. The job `accounting.recurring` posts every occurrence that is due and moves
 * the template on; an occurrence's source key (`recurring:<template>:<date>`) makes it post once whatever
 * runs it twice (two nodes, a retried job, the "run now" button). An occurrence dated in a locked month goes
 * into the next open one, like a document's (a job cannot ask anyone to re-date it).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { EntryLineBody, RecurringView } from '@tpv/shared/wire/http/accounting-journal';
import { HttpProblem } from '@tpv/shared/problem';
import { refused } from '../../platform/api';
import { newRowId } from '../../persistence/row-id';
import { writeTransaction } from '../../persistence/raw';
import { all, bool, exec, forUpdate, num, one, type Db } from '../../persistence/sql';
import { ensureAccounts, ensureChart } from '../core/chart';
import { postEntry } from '../core/journal';
import { checkBalanced, checkStores } from './service';

export const RECURRING_JOB = 'accounting.recurring';

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const pad = (n: number) => String(n).padStart(2, '0');

/** The first occurrence on `day` at or after `date`. */
export function firstOccurrence(date: string, day: number): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  if (d <= day) return `${y}-${pad(mo)}-${pad(day)}`;
  return nextOccurrence(`${y}-${pad(mo)}-${pad(day)}`, day);
}

/** The same day of the next month (days are 1–28, so every month has it). */
export function nextOccurrence(date: string, day: number): string {
  const [y, mo] = date.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01-${pad(day)}` : `${y}-${pad(mo + 1)}-${pad(day)}`;
}

type Row = Record<string, unknown>;
const view = (r: Row): RecurringView => ({
  id: String(r.id),
  companyId: String(r.company_id),
  description: String(r.description),
  lines: JSON.parse(String(r.lines)) as RecurringView['lines'],
  dayOfMonth: num(r.day_of_month)!,
  nextDate: String(r.next_date),
  endDate: (r.end_date as string | null) ?? null,
  active: bool(r.active),
  lastEntryId: (r.last_entry_id as string | null) ?? null,
  createdAt: String(r.created_at),
  createdBy: (r.created_by as string | null) ?? null,
});
const COLS = 'id, company_id, description, lines, day_of_month, next_date, end_date, active, last_entry_id, created_at, created_by';

export async function listRecurring(m: Db, companyId: string): Promise<RecurringView[]> {
  return (await all<Row>(m, `SELECT ${COLS} FROM acc_recurring WHERE company_id = ? ORDER BY next_date, created_at`, [companyId])).map(view);
}

export async function recurringOf(m: Db, companyId: string, id: string): Promise<RecurringView> {
  const r = await one<Row>(m, `SELECT ${COLS} FROM acc_recurring WHERE id = ? AND company_id = ?`, [id, companyId]);
  if (!r) throw refused(404, 'RECURRING_NOT_FOUND', 'No such recurring entry in this company', 'recurringId');
  return view(r);
}

export interface NewRecurring {
  description: string;
  lines: EntryLineBody[];
  dayOfMonth: number;
  startDate: string;
  endDate: string | null;
}

/** A template is checked as an entry would be (balanced, postable unblocked accounts, the company's stores). */
export async function createRecurring(m: Db, clock: Clock, companyId: string, t: NewRecurring, by: string): Promise<RecurringView> {
  checkBalanced(t.lines);
  await checkStores(m, companyId, t.lines);
  await ensureChart(m, clock, companyId);
  await ensureAccounts(m, clock, companyId, t.lines.map((l) => l.account));
  const next = firstOccurrence(t.startDate, t.dayOfMonth);
  if (t.endDate !== null && next > t.endDate) throw refused(422, 'RECURRING_NO_OCCURRENCE', `No day ${t.dayOfMonth} between ${t.startDate} and ${t.endDate}`, 'endDate');
  const id = newRowId(clock);
  const lines = t.lines.map((l) => ({ account: l.account, debitCents: l.debitCents, creditCents: l.creditCents, storeId: l.storeId ?? null, description: l.description ?? null }));
  await exec(m, `INSERT INTO acc_recurring (id, company_id, description, lines, day_of_month, next_date, end_date, active, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
    id, companyId, t.description, JSON.stringify(lines), t.dayOfMonth, next, t.endDate, true, iso(clock), by,
  ]);
  return recurringOf(m, companyId, id);
}

export async function setRecurringActive(m: Db, companyId: string, id: string, active: boolean): Promise<RecurringView> {
  await recurringOf(m, companyId, id);
  await exec(m, `UPDATE acc_recurring SET active = ? WHERE id = ?`, [active, id]);
  return recurringOf(m, companyId, id);
}

/** Deletes the template (the entries it posted stay: they are the books). */
export async function deleteRecurring(m: Db, companyId: string, id: string): Promise<RecurringView> {
  const before = await recurringOf(m, companyId, id);
  await exec(m, `DELETE FROM acc_recurring WHERE id = ?`, [id]);
  return before;
}

export interface RunOutcome {
  asOf: string;
  posted: number;
  failed: Array<{ recurringId: string; companyId: string; date: string; message: string }>;
}

/**
 * Posts every due occurrence (next_date ≤ asOf, within the end date) of the active templates — of one company
 * or all — each template in its own transaction with its row locked, so two runs at once post nothing twice.
 * A template whose entry is refused (an account blocked since) stays due and is reported; the others go on.
 */
export async function runDueRecurring(ds: DataSource, clock: Clock, asOf: string, companyId?: string): Promise<RunOutcome> {
  const due = await all<{ id: string; company_id: string }>(
    ds.manager,
    `SELECT id, company_id FROM acc_recurring WHERE active = ? AND next_date <= ?${companyId ? ' AND company_id = ?' : ''} ORDER BY next_date, id`,
    companyId ? [true, asOf, companyId] : [true, asOf],
  );
  const out: RunOutcome = { asOf, posted: 0, failed: [] };
  for (const d of due) {
    let at = '';
    try {
      out.posted += await writeTransaction(ds, async (m) => {
        const r = await one<Row>(m, `SELECT ${COLS} FROM acc_recurring WHERE id = ?${forUpdate(m)}`, [d.id]);
        if (!r || !bool(r.active)) return 0;
        const t = view(r);
        let next = t.nextDate;
        let last = t.lastEntryId;
        let n = 0;
        while (next <= asOf && (t.endDate === null || next <= t.endDate)) {
          at = next;
          const e = await postEntry(m, clock, {
            companyId: t.companyId,
            date: next,
            kind: 'recurring',
            description: t.description,
            lines: t.lines,
            source: { type: 'recurring', id: t.id, key: `recurring:${t.id}:${next}`, ref: next },
            mode: 'document',
            by: t.createdBy,
          });
          if (!e.existing) n++;
          last = e.id;
          next = nextOccurrence(next, t.dayOfMonth);
        }
        const finished = t.endDate !== null && next > t.endDate;
        await exec(m, `UPDATE acc_recurring SET next_date = ?, last_entry_id = ?, active = ? WHERE id = ?`, [next, last, !finished, t.id]);
        return n;
      });
    } catch (e) {
      const message = e instanceof HttpProblem ? (e.problem.detail ?? e.problem.code) : e instanceof Error ? e.message : String(e);
      out.failed.push({ recurringId: d.id, companyId: d.company_id, date: at, message });
    }
  }
  return out;
}

/** Any template due today or before (to enqueue the job at start only when there is work). */
export async function anyDue(ds: DataSource, asOf: string): Promise<boolean> {
  return !!(await one(ds.manager, `SELECT id FROM acc_recurring WHERE active = ? AND next_date <= ? LIMIT 1`, [true, asOf]));
}
