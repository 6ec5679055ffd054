/**
 * Corrections approved at the till (issue 16). The till has verified the worker's PIN and names them by their
 * staff id (an employee with a till role shares it); HQ checks the worker belongs to the till's company and
 * store (or is company-wide staff), that the correction is theirs and still waiting for them, and records
 * the approval — or rejection — with the same service as the self-service page: a chained record with source
 * `till` and the till's id. Any refusal is final for the till (TillRequestRefused), with nothing written.
 */
import { HttpProblem } from '@tpv/shared/problem';
import { TillRequestRefused } from '@tpv/shared/wire/till-request';
import {
  CorrectionDecisionRequestSchema, PendingCorrectionsRequestSchema, type CorrectionDecisionReply, type PendingCorrectionsReply,
} from '@tpv/shared/people/till-corrections';
import type { ModuleContext, UpwardTill } from '../modules/types';
import * as repo from './repository';
import { correctionsOf, createTimeRecordService, storeTimeZone, type RecordActor } from './time-records';

const NOT_YOURS = 'No es una corrección pendiente de su registro · Not a correction of your record waiting for you';

/** The worker behind the PIN, if they may act at this till. */
async function workerAt(c: ModuleContext, till: UpwardTill, staffId: string): Promise<repo.EmployeeRow> {
  const e = await repo.employeeById(c.ds.manager, staffId);
  if (!e || e.companyId !== till.companyId) throw new TillRequestRefused('NOT_AN_EMPLOYEE', 'No consta como empleado de esta empresa · Not an employee of this company');
  if (e.storeId !== null && e.storeId !== till.storeId) throw new TillRequestRefused('NOT_THIS_STORE', 'No es personal de esta tienda · Not staff of this store');
  if (e.leftOn !== null) throw new TillRequestRefused('EMPLOYEE_LEFT', 'Ya no trabaja en la empresa · No longer works for the company');
  return e;
}

const tillActor = (till: UpwardTill): RecordActor => ({ kind: 'till', terminalId: till.terminalId, storeId: till.storeId, companyId: till.companyId });

export async function pendingAtTill(c: ModuleContext, till: UpwardTill, payload: unknown): Promise<PendingCorrectionsReply> {
  const req = PendingCorrectionsRequestSchema.safeParse(payload);
  if (!req.success) throw new TillRequestRefused('MALFORMED', req.error.issues[0]?.message ?? 'malformed request');
  const e = await workerAt(c, till, req.data.staffId);
  const records = await repo.recordsOfEmployees(c.ds.manager, [e.id]);
  const byId = new Map(records.map((r) => [r.id, r]));
  const waiting = correctionsOf(records).filter((s) => s.worker === null && s.rejected === null);
  return {
    employee: { code: e.code, name: e.name },
    timeZone: await storeTimeZone(c.ds.manager, e.storeId ?? till.storeId),
    corrections: waiting.map(({ correction: x }) => {
      const o = byId.get(x.correctsId ?? '');
      return {
        id: x.id,
        original: { event: o?.kind ?? '', at: o?.at ?? '' },
        proposed: { event: x.event ?? '', at: x.at },
        reason: x.reason ?? '',
        proposedBy: (x.recordedBy ?? '').replace(/^user /, '').slice(0, 120),
        proposedAt: x.recordedAt,
      };
    }),
  };
}

export async function decideAtTill(c: ModuleContext, till: UpwardTill, payload: unknown): Promise<CorrectionDecisionReply> {
  const req = CorrectionDecisionRequestSchema.safeParse(payload);
  if (!req.success) throw new TillRequestRefused('MALFORMED', req.error.issues[0]?.message ?? 'malformed request');
  const e = await workerAt(c, till, req.data.staffId);
  const records = createTimeRecordService(c.ds, c.clock);
  try {
    const r = req.data.decision === 'approve'
      ? await records.approve(tillActor(till), e, req.data.correctionId, 'worker')
      : await records.reject(tillActor(till), e, req.data.correctionId);
    const rec = r.rejected ?? r.worker!;
    return { correctionId: r.correction.id, decision: req.data.decision, effective: r.effective, seq: rec.seq };
  } catch (x) {
    if (x instanceof HttpProblem && x.problem.status === 404) throw new TillRequestRefused('CORRECTION_UNKNOWN', NOT_YOURS);
    if (x instanceof HttpProblem && x.problem.status >= 400 && x.problem.status < 500) {
      throw new TillRequestRefused(x.problem.code, x.problem.code === 'ALREADY_APPROVED' || x.problem.code === 'REJECTED'
        ? `Ya decidida · Already decided: ${x.problem.detail ?? x.problem.title}` : (x.problem.detail ?? x.problem.title));
    }
    throw x;
  }
}
