/**
 * Corrections of a worker's working-time record, approved or rejected at the till (issue 16). The worker has
 * typed their PIN (verified here); the till asks HQ online (`till:request`) for the corrections waiting for
 * them and sends their decision — HQ checks they belong to this till's store and chains the approval with
 * this till's id. Online only: offline (or HQ silent) the till says it needs the connection; nothing is kept
 * or lost here, the correction stays waiting at HQ.
 */
import { ok, type Result } from '@tpv/shared/result';
import type { TillRequester } from '@tpv/shared/wire/till-request';
import {
  CorrectionDecisionReplySchema, PendingCorrectionsReplySchema, PEOPLE_CORRECTION_DECIDE, PEOPLE_CORRECTIONS_PENDING,
  type CorrectionDecisionReply, type PendingCorrectionsReply,
} from '@tpv/shared/people/till-corrections';
import { failure, type Failure } from '../app/errors';
import type { StaffMember } from './pins';

/** HQ's refusals the till knows (any other is shown as CORRECTION_REFUSED with HQ's message). */
export const CORRECTION_REFUSALS = ['CORRECTION_UNKNOWN', 'NOT_THIS_STORE', 'NOT_AN_EMPLOYEE', 'EMPLOYEE_LEFT', 'ALREADY_APPROVED', 'REJECTED', 'MALFORMED'] as const;
const OFFLINE = 'Sin conexión con la central: las correcciones solo se pueden aprobar en línea. No se ha perdido nada; inténtelo cuando vuelva la conexión · '
  + 'Offline: corrections can only be approved online. Nothing is lost; try again once the connection is back';

export interface TillCorrections {
  pending(by: StaffMember): Promise<Result<PendingCorrectionsReply, Failure>>;
  decide(by: StaffMember, correctionId: string, decision: 'approve' | 'reject'): Promise<Result<CorrectionDecisionReply & { message: string }, Failure>>;
}

export function createTillCorrections(hq: { request: TillRequester }): TillCorrections {
  const refusal = (r: { code: string; message: string }) =>
    failure((CORRECTION_REFUSALS as readonly string[]).includes(r.code) ? r.code : 'CORRECTION_REFUSED', r.message, { hqCode: r.code });
  return {
    async pending(by) {
      const r = await hq.request(PEOPLE_CORRECTIONS_PENDING, { staffId: by.id }, PendingCorrectionsReplySchema);
      if (r === null) return failure('HQ_UNAVAILABLE', OFFLINE);
      return 'refused' in r ? refusal(r.refused) : ok(r.reply);
    },
    async decide(by, correctionId, decision) {
      const r = await hq.request(PEOPLE_CORRECTION_DECIDE, { staffId: by.id, correctionId, decision }, CorrectionDecisionReplySchema);
      if (r === null) return failure('HQ_UNAVAILABLE', OFFLINE);
      if ('refused' in r) return refusal(r.refused);
      const message = decision === 'reject'
        ? 'Corrección rechazada: no se aplica · Correction rejected: it does not apply'
        : r.reply.effective ? 'Corrección aprobada: ya cuenta en su registro · Correction approved: it now counts in your record' : 'Corrección aprobada · Correction approved';
      return ok({ ...r.reply, message });
    },
  };
}
