/**
 * The working-time record (registro de jornada, issue 16), the use cases — each a transaction:
 * - clock: a clock event (in, break start/end, out) of a worker, from the till (document outbox, at the
 *   till's time) or the back office (HQ staff, now); checked against the worker's effective record with the
 *   rules of shared/src/people/time-clock.ts and appended to the store's hash chain.
 * - correct: a NEW record referencing the original (`corrects_id`): "event E happened at T" — it replaces
 *   the original's time when E is the original's event, or adds a missed event (a forgotten clock-out) to
 *   the original's shift. The company (manager/HR, `people.write` over the worker) proposing it approves it
 *   for the company in the same transaction; it takes effect only once the worker approves too (self-
 *   service page, the till with their PIN, or the back office as themselves). Approvals — and a worker's
 *   rejection, after which it never takes effect — are records of the chain as well, so they are shown and
 *   tamper-evident. The original stays and is shown.
 * - verify: a chain re-hashed from its anchor.
 * - purge: records older than four years (retention); anything younger is refused.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { verifyChain, type ChainCheck } from '@tpv/shared/people/time-chain';
import { CLOCK_EVENTS, CLOCK_REFUSAL_MESSAGES, refuseClockEvent, type ClockEvent, type TimedEvent } from '@tpv/shared/people/time-clock';
import { canAccessCompany, canAccessStore, visibleCompanyIds, visibleStoreIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { can } from '../platform/permissions';
import { recordAudit } from '../platform/audit';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import { one, type Db } from '../persistence/sql';
import * as repo from './repository';
import { correctionsOf, effectiveEvents, monthRecordOf, type MonthRecord } from './month-record';

export { correctionsOf, effectiveEvents, monthRecordOf, type CorrectionState, type EffectiveEvent, type MonthRecord } from './month-record';

/** Records are kept four years (Real Decreto-ley 8/2019, art. 34.9 ET): a purge refuses anything younger. */
export const RETENTION_YEARS = 4;
const DEFAULT_TZ = 'Europe/Madrid';

/** Who recorded or approved: a back-office user, a till (with the worker's PIN), the worker's self-service session. */
export type RecordActor =
  | { kind: 'user'; user: AuthUser }
  | { kind: 'till'; terminalId: string; storeId: string; companyId: string }
  | { kind: 'worker'; employeeId: string };

const iso = (ms: number) => new Date(ms).toISOString();
const actorLabel = (a: RecordActor) => (a.kind === 'user' ? `user ${a.user.email}` : a.kind === 'till' ? `till ${a.terminalId}` : `worker ${a.employeeId}`);
const clockProblem = (code: keyof typeof CLOCK_REFUSAL_MESSAGES, field = 'event') => refused(422, code, CLOCK_REFUSAL_MESSAGES[code], field);

/** The chain a worker's records go to: the store they clock at, or their company's HQ chain. */
export const chainKeyOf = (storeId: string | null, companyId: string) => storeId ?? `hq:${companyId}`;

/** The first event of a sequence that breaks the rules, replayed from the start. */
function replayRefusal(events: readonly TimedEvent[]) {
  for (let i = 0; i < events.length; i++) {
    const r = refuseClockEvent(events.slice(0, i), events[i]!);
    if (r) return r;
  }
  return null;
}

export async function storeTimeZone(m: Db, storeId: string | null): Promise<string> {
  if (storeId === null) return DEFAULT_TZ;
  return (await one<{ tz: string | null }>(m, `SELECT timezone AS tz FROM store WHERE id = ?`, [storeId]))?.tz ?? DEFAULT_TZ;
}

/** Whether the user may read this employee's record: their stores, or the company-wide staff of their companies. */
export async function mayReadEmployee(ds: DataSource, user: AuthUser, e: repo.EmployeeRow): Promise<boolean> {
  if (e.userId === user.id) return true;
  if (!can(user, 'people.read')) return false;
  if (e.storeId !== null) return canAccessStore(ds, user, e.storeId);
  const companies = visibleCompanyIds(user);
  return companies === null || companies.includes(e.companyId);
}

/** Whether the user acts for the company over this employee (corrections, approvals, clocking on their behalf). */
export async function mayManageEmployee(ds: DataSource, user: AuthUser, e: repo.EmployeeRow): Promise<boolean> {
  if (!can(user, 'people.write')) return false;
  return e.storeId !== null ? canAccessStore(ds, user, e.storeId) : canAccessCompany(user, e.companyId);
}

export interface ClockInput {
  employeeId: string;
  event: ClockEvent;
  /** Epoch ms of the event (the till's time, or now). */
  at: number;
  /** Where it was recorded: the till's store; null in the back office (the employee's store or HQ chain). */
  storeId: string | null;
  terminalId: string | null;
  source: repo.TimeRecordRow['source'];
  /** The record's id: a till's event keeps the id it was made with (its outbox document's), so both sides name it alike. */
  id?: string | undefined;
}

/** Appends one clock event inside the caller's transaction, refusing what breaks the rules (422, nothing written). */
export async function appendClockEvent(m: Db, clock: Clock, by: RecordActor, input: ClockInput): Promise<repo.TimeRecordRow> {
  const e = await repo.employeeById(m, input.employeeId);
  if (!e) throw refused(422, 'EMPLOYEE_UNKNOWN', `no employee ${input.employeeId}`, 'employeeId');
  if (e.leftOn !== null && iso(input.at).slice(0, 10) > e.leftOn) throw refused(422, 'EMPLOYEE_LEFT', `employee ${e.code} left on ${e.leftOn}`, 'employeeId');
  const records = await repo.recordsOfEmployees(m, [e.id]);
  const refusal = refuseClockEvent(effectiveEvents(records), { event: input.event, at: input.at });
  if (refusal) throw clockProblem(refusal);
  const storeId = input.storeId ?? e.storeId;
  return repo.appendRecord(m, {
    id: input.id ?? newRowId(clock), chainKey: chainKeyOf(storeId, e.companyId), companyId: e.companyId, storeId, employeeId: e.id, kind: input.event, event: null, at: iso(input.at),
    correctsId: null, party: null, reason: null, source: input.source, terminalId: input.terminalId, recordedBy: actorLabel(by), recordedAt: iso(clock.now()),
  });
}

export function createTimeRecordService(ds: DataSource, clock: Clock) {
  const now = () => clock.now();

  async function employeeFor(user: AuthUser, id: string, need: 'read' | 'manage'): Promise<repo.EmployeeRow> {
    const e = await repo.employeeById(ds.manager, id);
    if (!e) throw notFound(`employee ${id}`);
    if (!(await mayReadEmployee(ds, user, e))) throw notFound(`employee ${id}`);
    if (need === 'manage' && !(await mayManageEmployee(ds, user, e))) throw forbidden('You may not act for the company over this employee.');
    return e;
  }

  async function month(e: repo.EmployeeRow, ym: string): Promise<MonthRecord> {
    const m = ds.manager;
    const [records, contracts, tz] = await Promise.all([repo.recordsOfEmployees(m, [e.id]), repo.contractsOf(m, [e.id]), storeTimeZone(m, e.storeId)]);
    return monthRecordOf(e, ym, tz, records, contracts, now());
  }

  /** Proposes a correction and approves it for `party` in one transaction (nothing written when refused). */
  async function correct(by: RecordActor, e: repo.EmployeeRow, party: 'company' | 'worker', input: { correctsId: string; event: ClockEvent; at: string; reason: string }, requestId?: string) {
    return writeTransaction(ds, async (m) => {
      const original = await repo.recordById(m, input.correctsId);
      if (!original || original.employeeId !== e.id) throw refused(422, 'RECORD_UNKNOWN', `no clock record ${input.correctsId} of this employee`, 'correctsId');
      if (!(CLOCK_EVENTS as readonly string[]).includes(original.kind)) throw refused(422, 'NOT_A_CLOCK_RECORD', 'only a clock event can be corrected (correct the original, not a correction)', 'correctsId');
      const at = Date.parse(input.at);
      if (at > now()) throw refused(422, 'IN_THE_FUTURE', 'a correction cannot be later than now', 'at');
      const records = await repo.recordsOfEmployees(m, [e.id]);
      const proposal: repo.TimeRecordRow = {
        id: newRowId(clock), chainKey: original.chainKey, seq: Number.MAX_SAFE_INTEGER, companyId: e.companyId, storeId: original.storeId, employeeId: e.id, kind: 'correction',
        event: input.event, at: iso(at), correctsId: original.id, party: null, reason: input.reason, source: by.kind === 'worker' ? 'self_service' : 'backoffice', terminalId: null,
        recordedBy: actorLabel(by), recordedAt: iso(now()), prevHash: '', hash: '',
      };
      const refusal = replayRefusal(effectiveEvents(records, proposal));
      if (refusal) throw clockProblem(refusal, 'at');
      const { seq: _s, prevHash: _p, hash: _h, ...fresh } = proposal;
      const c = await repo.appendRecord(m, fresh);
      const a = await approvalRecord(m, by, c, party);
      if (by.kind === 'user') await recordAudit(m, clock, { actor: { id: by.user.id, email: by.user.email }, action: 'time_record.correct', entity: 'time_record', entityId: c.id, companyId: e.companyId, storeId: c.storeId, after: { correction: c, approval: a }, requestId: requestId ?? null });
      return c;
    });
  }

  async function approvalRecord(m: Db, by: RecordActor, c: repo.TimeRecordRow, party: 'company' | 'worker', kind: 'approval' | 'rejection' = 'approval') {
    return repo.appendRecord(m, {
      id: newRowId(clock), chainKey: c.chainKey, companyId: c.companyId, storeId: c.storeId, employeeId: c.employeeId, kind, event: null, at: iso(now()),
      correctsId: c.id, party, reason: null, source: by.kind === 'worker' ? 'self_service' : by.kind === 'till' ? 'till' : 'backoffice', terminalId: by.kind === 'till' ? by.terminalId : null,
      recordedBy: actorLabel(by), recordedAt: iso(now()),
    });
  }

  /** One party approves a correction; the second approval makes it effective (checked again against the record as it now stands). */
  async function approve(by: RecordActor, e: repo.EmployeeRow, correctionId: string, party: 'company' | 'worker', requestId?: string) {
    return writeTransaction(ds, async (m) => {
      const c = await repo.recordById(m, correctionId);
      if (!c || c.kind !== 'correction' || c.employeeId !== e.id) throw notFound(`correction ${correctionId}`);
      const records = await repo.recordsOfEmployees(m, [e.id]);
      const state = correctionsOf(records).find((s) => s.correction.id === c.id)!;
      if (state.rejected) throw refused(409, 'REJECTED', 'the worker rejected this correction: it cannot take effect');
      if (state[party]) throw refused(409, 'ALREADY_APPROVED', `this correction was already approved by the ${party === 'company' ? 'company' : 'worker'}`);
      const other = party === 'company' ? state.worker : state.company;
      if (other) {
        const refusal = replayRefusal(effectiveEvents(records, c));
        if (refusal) throw refused(409, refusal, `${CLOCK_REFUSAL_MESSAGES[refusal]} (the record changed since this correction was proposed)`);
      }
      const a = await approvalRecord(m, by, c, party);
      if (by.kind === 'user') await recordAudit(m, clock, { actor: { id: by.user.id, email: by.user.email }, action: 'time_record.approve', entity: 'time_record', entityId: c.id, companyId: e.companyId, storeId: c.storeId, after: a, requestId: requestId ?? null });
      return { correction: c, company: party === 'company' ? a : state.company, worker: party === 'worker' ? a : state.worker, rejected: null, effective: other !== null };
    });
  }

  /** The worker rejects a correction still waiting for them: a `rejection` record of the chain; it never takes effect. */
  async function reject(by: RecordActor, e: repo.EmployeeRow, correctionId: string) {
    return writeTransaction(ds, async (m) => {
      const c = await repo.recordById(m, correctionId);
      if (!c || c.kind !== 'correction' || c.employeeId !== e.id) throw notFound(`correction ${correctionId}`);
      const state = correctionsOf(await repo.recordsOfEmployees(m, [e.id])).find((s) => s.correction.id === c.id)!;
      if (state.rejected) throw refused(409, 'REJECTED', 'this correction was already rejected');
      if (state.worker) throw refused(409, 'ALREADY_APPROVED', 'this correction was already approved by the worker');
      const r = await approvalRecord(m, by, c, 'worker', 'rejection');
      return { correction: c, company: state.company, worker: null, rejected: r, effective: false };
    });
  }

  return {
    employeeFor,
    month,
    correct,
    approve,
    reject,

    /** A clock event in the back office: the worker as themselves (linked user), or someone acting for the company. */
    async clock(user: AuthUser, input: { employeeId: string; event: ClockEvent }) {
      const e = await employeeFor(user, input.employeeId, 'read');
      if (e.userId !== user.id && !(await mayManageEmployee(ds, user, e))) throw forbidden('Only the worker or the company may clock for this employee.');
      return writeTransaction(ds, (m) => appendClockEvent(m, clock, { kind: 'user', user }, { ...input, at: now(), storeId: null, terminalId: null, source: 'backoffice' }));
    },

    /** The chain of a store (or `hq:<company>`), re-hashed. */
    async verify(user: AuthUser, chainKey: string): Promise<ChainCheck & { chainKey: string }> {
      if (chainKey.startsWith('hq:')) {
        if (!canAccessCompany(user, chainKey.slice(3)) && visibleCompanyIds(user) !== null) throw notFound(`chain ${chainKey}`);
      } else if (!(await canAccessStore(ds, user, chainKey))) throw notFound(`chain ${chainKey}`);
      const { anchor, records } = await repo.chainRecords(ds.manager, chainKey);
      return { chainKey, ...verifyChain(records, anchor) };
    },

    /** The records of the caller's companies/stores in a month, for the labour inspectorate (CSV). */
    async exportRows(user: AuthUser, q: { month: string; companyId?: string | undefined; storeId?: string | undefined }) {
      const companies = visibleCompanyIds(user);
      const stores = await visibleStoreIds(ds, user);
      if (q.companyId && companies !== null && !companies.includes(q.companyId)) throw forbidden();
      if (q.storeId && stores !== null && !stores.includes(q.storeId)) throw forbidden();
      const [y, mo] = q.month.split('-').map(Number) as [number, number];
      const from = new Date(Date.UTC(y, mo - 1, 1) - 86_400_000).toISOString();
      const to = new Date(Date.UTC(y, mo, 1) + 86_400_000).toISOString();
      const cs = q.companyId ? [q.companyId] : companies;
      const ss = q.storeId ? [q.storeId] : user.role === 'store_manager' ? stores : null;
      return repo.recordsBetween(ds.manager, cs, ss, from, to);
    },

    /** Retention: deletes every chain's records older than `before`, which must be at least four years back. */
    async purge(user: AuthUser, before: string, requestId?: string) {
      const limit = new Date(now());
      limit.setUTCFullYear(limit.getUTCFullYear() - RETENTION_YEARS);
      if (Date.parse(before) > limit.getTime()) {
        throw refused(422, 'RETENTION_NOT_OVER', `time records are kept ${RETENTION_YEARS} years: nothing recorded after ${limit.toISOString().slice(0, 10)} may be deleted`, 'before');
      }
      return writeTransaction(ds, async (m) => {
        let deleted = 0;
        for (const k of await repo.chainKeys(m)) deleted += await repo.purgeChainBefore(m, k, new Date(Date.parse(before)).toISOString());
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'time_record.purge', entity: 'time_record', entityId: '*', after: { before, deleted }, requestId: requestId ?? null });
        return { deleted, before };
      });
    },
  };
}

export type TimeRecordService = ReturnType<typeof createTimeRecordService>;
