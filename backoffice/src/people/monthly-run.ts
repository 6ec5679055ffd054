/**
 * The month's working-time records of every employee (issue 16; bench `monthly_time_records_5000_s`): the
 * employees, contracts and records read in three queries, each worker's month built (shifts, totals) and
 * rendered as their PDF, handed to `out` one by one (a files area, a folder, a mail run).
 */
import type { Clock } from '@tpv/shared/clock';
import { all, type Db } from '../persistence/sql';
import * as repo from './repository';
import { monthRecordPdf } from './month-pdf';
import { monthRecordOf, type MonthRecord } from './time-records';

const RECORD_COLS = `id, chain_key AS "chainKey", seq, company_id AS "companyId", store_id AS "storeId", employee_id AS "employeeId", kind, event, at,
  corrects_id AS "correctsId", party, reason, source, terminal_id AS "terminalId", recorded_by AS "recordedBy", recorded_at AS "recordedAt", prev_hash AS "prevHash", hash`;

export interface MonthlyRunTotals {
  employees: number;
  records: number;
  pdfBytes: number;
}

export async function monthlyRecords(m: Db, clock: Clock, month: string, out: (r: MonthRecord, pdf: Buffer) => Promise<void> | void): Promise<MonthlyRunTotals> {
  const [y, mo] = month.split('-').map(Number) as [number, number];
  // A day's margin each side for the time zones; corrections and approvals made since the month began (their own `at` may lie elsewhere).
  const from = new Date(Date.UTC(y, mo - 1, 1) - 86_400_000).toISOString();
  const to = new Date(Date.UTC(y, mo, 1) + 86_400_000).toISOString();
  const employees = await repo.listEmployees(m, null, null, { includeLeft: true });
  const active = employees.filter((e) => e.hiredOn < `${month}-32` && (e.leftOn === null || e.leftOn >= `${month}-01`));
  const contracts = await all<repo.ContractRow & { employeeId: string }>(
    m, `SELECT id, employee_id AS "employeeId", type, weekly_minutes AS "weeklyMinutes", starts_on AS "startsOn", ends_on AS "endsOn" FROM employee_contract ORDER BY starts_on, id`,
  );
  const records = await all<repo.TimeRecordRow>(
    m, `SELECT ${RECORD_COLS} FROM time_record WHERE (at >= ? AND at < ?) OR (kind IN ('correction', 'approval') AND recorded_at >= ?) ORDER BY at, chain_key, seq`, [from, to, from],
  );
  const zones = new Map((await all<{ id: string; tz: string | null }>(m, `SELECT id, timezone AS tz FROM store`)).map((s) => [s.id, s.tz ?? 'Europe/Madrid']));
  const companies = new Map((await all<{ id: string; legalName: string; nif: string }>(m, `SELECT id, legal_name AS "legalName", nif FROM company`)).map((c) => [c.id, c]));
  const byEmployee = new Map<string, repo.TimeRecordRow[]>();
  for (const r of records) {
    r.seq = Number(r.seq);
    const list = byEmployee.get(r.employeeId) ?? [];
    list.push(r);
    byEmployee.set(r.employeeId, list);
  }
  const contractsOf = new Map<string, repo.ContractRow[]>();
  for (const c of contracts) contractsOf.set(c.employeeId, [...(contractsOf.get(c.employeeId) ?? []), { ...c, weeklyMinutes: Number(c.weeklyMinutes) }]);
  let pdfBytes = 0;
  for (const e of active) {
    const r = monthRecordOf(e, month, e.storeId ? (zones.get(e.storeId) ?? 'Europe/Madrid') : 'Europe/Madrid', byEmployee.get(e.id) ?? [], contractsOf.get(e.id) ?? [], clock.now());
    const pdf = await monthRecordPdf(r, companies.get(e.companyId)!);
    pdfBytes += pdf.length;
    await out(r, pdf);
  }
  return { employees: active.length, records: records.length, pdfBytes };
}
