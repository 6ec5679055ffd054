/**
 * Data protection (GDPR / LOPDGDD, issue 15): consents per purpose (also recorded at the tills through the
 * document outbox, `privacy.consent`), the customer's data export (JSON + PDF), erasure as anonymisation that
 * keeps the invoices tax law requires, the access log of personal data, and the retention job.
 */
import { HttpProblem } from '@tpv/shared/problem';
import type { TillConsent } from '@tpv/shared/wire/upward';
import type { BackofficeModule, UpwardHandler } from '../modules/types';
import type { JobHandler } from '../platform/jobs/service';
import type { ModuleContext } from '../modules/types';
import { writeTransaction } from '../persistence/raw';
import { recordConsents } from './consents';
import { erasedCustomerStep, runRetention } from './erasure';
import { privacyRoutes, RETENTION_JOB } from './route';

/** A consent given at the counter: recorded once (the channel's upward_document), source `till`, dated when the till made it. */
const consentFromTill: UpwardHandler = async (m, ctx, till, doc) => {
  const input = doc.payload as TillConsent;
  try {
    const rows = await recordConsents(m, ctx.clock, {
      customerId: input.customerId, consents: input.consents, source: 'till', recordedBy: `till ${till.terminalId}${input.staffId ? ` staff ${input.staffId}` : ''}`,
      givenAt: doc.createdAt, storeId: till.storeId, terminalId: till.terminalId, documentId: doc.id,
    });
    return { reference: `${rows.length} consentimientos registrados / consents recorded` };
  } catch (e) {
    if (e instanceof HttpProblem && e.problem.status >= 400 && e.problem.status < 500) return { rejected: e.problem.detail ?? e.problem.title };
    throw e;
  }
};

const retentionJob: JobHandler<ModuleContext> = async (run, ctx) => {
  const by = (run.params as { by?: { id: string; email: string } | null } | null)?.by ?? null;
  const r = await runRetention((fn) => writeTransaction(ctx.ds, fn), ctx.ds.manager, ctx.clock, by, (done, total) => run.progress(done, total));
  if (r.feedVersion > 0) ctx.live.gateway?.catalogChanged(null, r.feedVersion);
  return {
    result: r,
    message: r.years === null
      ? 'sin política de conservación / no retention policy'
      : `${r.anonymised} anonimizados · anonymised, ${r.skippedOpenBalance} con saldo pendiente · skipped (open balance), de ${r.candidates} inactivos · of inactive`,
  };
};

export const privacyModule: BackofficeModule = {
  id: 'privacy',
  routes: (c) => [privacyRoutes(c)],
  upward: { 'privacy.consent': consentFromTill },
  jobs: { [RETENTION_JOB]: retentionJob },
  ticketSteps: [erasedCustomerStep],
};
