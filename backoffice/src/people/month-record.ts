/**
 * A worker's month of the working-time record (issue 16), pure: the effective events (originals and the
 * corrections both parties approved), shifts, totals and the records shown. No I/O and no service imports,
 * so the monthly run's worker threads (month-worker.ts) load only this, the PDF and pdfkit.
 */
import { buildShifts, CLOCK_EVENTS, localDate, monthTotals, type ClockEvent, type MonthTotals, type Shift, type TimedEvent } from '@tpv/shared/people/time-clock';
import type * as repo from './repository';

export interface EffectiveEvent extends TimedEvent {
  /** The record the time comes from: the original, or the effective correction that replaced/added it. */
  recordId: string;
  corrected: boolean;
}

/** A correction with its approvals (the original stays; the correction counts once both parties approved, never once the worker rejected it). */
export interface CorrectionState {
  correction: repo.TimeRecordRow;
  company: repo.TimeRecordRow | null;
  worker: repo.TimeRecordRow | null;
  rejected: repo.TimeRecordRow | null;
  effective: boolean;
}

export function correctionsOf(records: readonly repo.TimeRecordRow[]): CorrectionState[] {
  const approvals = records.filter((r) => r.kind === 'approval');
  const rejections = records.filter((r) => r.kind === 'rejection');
  return records
    .filter((r) => r.kind === 'correction')
    .map((c) => {
      const company = approvals.find((a) => a.correctsId === c.id && a.party === 'company') ?? null;
      const worker = approvals.find((a) => a.correctsId === c.id && a.party === 'worker') ?? null;
      const rejected = rejections.find((a) => a.correctsId === c.id) ?? null;
      return { correction: c, company, worker, rejected, effective: company !== null && worker !== null && rejected === null };
    });
}

/**
 * The worker's events as they stand: originals not replaced by an effective correction, plus effective
 * corrections (a later correction of the same original wins), sorted by time. `assume` treats one more
 * correction as effective (checking a proposal before it is written or approved).
 */
export function effectiveEvents(records: readonly repo.TimeRecordRow[], assume?: repo.TimeRecordRow): EffectiveEvent[] {
  const effective = correctionsOf(records).filter((c) => c.effective).map((c) => c.correction);
  if (assume) effective.push(assume);
  effective.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.seq - b.seq);
  const replaced = new Map<string, repo.TimeRecordRow>();
  const added: repo.TimeRecordRow[] = [];
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const c of effective) {
    const original = byId.get(c.correctsId ?? '');
    if (original && original.kind === c.event) replaced.set(original.id, c);
    else added.push(c);
  }
  const out: EffectiveEvent[] = [];
  for (const r of records) {
    if (!(CLOCK_EVENTS as readonly string[]).includes(r.kind)) continue;
    const c = replaced.get(r.id);
    out.push(c ? { event: c.event as ClockEvent, at: Date.parse(c.at), recordId: c.id, corrected: true } : { event: r.kind as ClockEvent, at: Date.parse(r.at), recordId: r.id, corrected: false });
  }
  for (const c of added) out.push({ event: c.event as ClockEvent, at: Date.parse(c.at), recordId: c.id, corrected: true });
  return out.sort((a, b) => a.at - b.at);
}

export interface MonthRecord {
  employee: repo.EmployeeRow;
  month: string;
  timeZone: string;
  records: repo.TimeRecordRow[];
  corrections: CorrectionState[];
  shifts: Array<Shift & { date: string }>;
  totals: MonthTotals;
  contracts: repo.ContractRow[];
}

/** One worker's month from their records and contracts (shared by the API, the PDF and the bench). */
export function monthRecordOf(
  employee: repo.EmployeeRow, month: string, timeZone: string, records: repo.TimeRecordRow[], contracts: repo.ContractRow[], now: number,
): MonthRecord {
  const shifts = buildShifts(effectiveEvents(records), now);
  const totals = monthTotals(month, shifts, contracts, timeZone);
  const inMonth = new Set(totals.days.map((d) => d.date));
  const day = (ms: number) => localDate(ms, timeZone);
  const monthShifts = shifts.map((s) => ({ ...s, date: day(s.start) })).filter((s) => inMonth.has(s.date));
  // Records shown: those of the month's days (by event time, with a day's margin for the time zone) and whatever refers to them.
  const shown = records.filter((r) => {
    const d = day(Date.parse(r.at));
    return inMonth.has(d) || (r.correctsId !== null && records.some((o) => o.id === r.correctsId && inMonth.has(day(Date.parse(o.at)))));
  });
  const shownIds = new Set(shown.map((r) => r.id));
  const approvals = records.filter((r) => (r.kind === 'approval' || r.kind === 'rejection') && r.correctsId !== null && shownIds.has(r.correctsId) && !shownIds.has(r.id));
  const all = [...shown, ...approvals];
  return { employee, month, timeZone, records: all, corrections: correctionsOf(all), shifts: monthShifts, totals, contracts };
}

