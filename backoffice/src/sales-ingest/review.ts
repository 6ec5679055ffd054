/**
 * Decisions on review-queue items (ingest_review), inside one ledger transaction so they never race the
 * ingest of the same terminal: an HQ user re-applies an item after a fix, or accepts it as it is. Every
 * decision is recorded in review_decision — who, when, what, and the outcome, failed re-applies included.
 *
 * What "re-apply" means per kind:
 * - rejected: the stored document goes through the same rules again (depth, schema, arithmetic, terminal and
 *   store, series ownership, unique id and number); if it passes now it is stored with all its effects at its
 *   own seq (ticket, lines, stock, cash, receivables); the till's ack point does not move (it already had).
 * - break: the record's link is verified again against the record HQ now holds before it.
 * - gap: resolved when the missing seqs have arrived meanwhile (only the till can send them).
 * - batch: the stored batch is submitted again (e.g. after the till was re-paired or replaced).
 * - anomaly: nothing to re-apply; accept it.
 */
import { domainError, err, ok, type DomainError, type Result } from '@tpv/shared/result';
import { checkLink } from './chain';
import { applyBatch, appliedDocs, checkAgainstLedger, fiscalRow, reviewRows, ticketWriter, type ApplyDeps } from './apply';
import { runTicketSteps } from './steps';
import type { FiscalRow, LedgerTx, ReviewRow, StoredReview, TerminalState } from './ledger';
import { candidateOf, validateBatch, type TerminalContext } from './validate';

export interface Decider {
  id: string;
  email: string;
}

export type ReviewDecisionCode = 'REVIEW_NOT_FOUND' | 'REVIEW_ALREADY_DECIDED' | 'REVIEW_REAPPLY_FAILED';
export type ReviewDecisionError = DomainError<ReviewDecisionCode>;

const parse = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

const contextOf = (state: TerminalState): TerminalContext => ({
  terminalId: state.id,
  storeId: state.storeId,
  installation: state.installation,
  companyNif: state.companyNif,
});

/** Re-applies one item; Ok(what happened) or Err(why it still cannot be applied). */
async function attempt(tx: LedgerTx, item: StoredReview, state: TerminalState, deps: ApplyDeps): Promise<Result<string, string>> {
  const ctx = contextOf(state);
  switch (item.kind) {
    case 'rejected': {
      const raw = parse(item.payload);
      if (item.seq === null || raw === null || typeof raw !== 'object') return err('no readable document to re-apply');
      const c = candidateOf(raw, item.seq, item.payload!);
      if (c.rejection === null) {
        const d = c.doc!;
        if (d.seq !== item.seq) c.rejection = { code: 'SEQ_MISMATCH', reason: `document seq ${d.seq}, item seq ${item.seq}` };
        else if (d.terminalId !== state.id || d.storeId !== state.storeId) c.rejection = { code: 'FOREIGN_TICKET', reason: `ticket of terminal ${d.terminalId} / store ${d.storeId}` };
      }
      if (c.rejection === null) await checkAgainstLedger(tx, state, [c]);
      if (c.rejection !== null) return err(`${c.rejection.code}: ${c.rejection.reason}`);
      const fiscal: FiscalRow[] = [];
      const reviews: ReviewRow[] = [];
      const review = reviewRows(ctx, deps, reviews);
      const stored = await tx.fiscalAt(state.id, item.seq);
      let chainOk = stored?.verified ?? false;
      if (!stored) {
        const before = await tx.fiscalBefore(state.id, item.seq);
        const link = checkLink(c.fiscal!, before?.hash ?? '', ctx.installation, ctx.companyNif);
        chainOk = link.verified;
        fiscal.push(fiscalRow(state.id, c, link));
        if (!link.verified) review(c, 'break', link.breakReason!.split(':')[0]!, link.breakReason!, c.json);
      }
      const writer = await ticketWriter(tx, { ...ctx, companyId: state.companyId }, deps, [c.doc!], review);
      writer.write(c.doc!, c, chainOk);
      await tx.write({ ...writer.rows(), fiscal, reviews, holds: [], releaseHeldUpTo: null, resolveGapsUpTo: null, terminal: null });
      await runTicketSteps(deps.steps, tx, deps.engine ?? 'sqlite', { terminalId: state.id, storeId: state.storeId, companyId: state.companyId, now: deps.now, newId: deps.newId, db: deps.db }, appliedDocs([c.doc!], writer.applied));
      return ok(`ticket ${c.doc!.fiscalNumber} stored at seq ${item.seq}`);
    }
    case 'break': {
      if (item.seq === null) return err('no chain position');
      const stored = await tx.fiscalAt(state.id, item.seq);
      if (!stored) return err(`no fiscal record at position ${item.seq}`);
      if (stored.verified) return ok('the link verifies');
      const raw = parse(item.payload);
      const c = raw !== null && typeof raw === 'object' ? candidateOf(raw, item.seq, item.payload!) : null;
      if (!c?.fiscal) return err('the record cannot be read');
      const before = await tx.fiscalBefore(state.id, item.seq);
      if (item.seq > 1 && before?.position !== item.seq - 1) return err(`HQ holds no record at position ${item.seq - 1} to check the link against`);
      const link = checkLink(c.fiscal, before?.hash ?? '', ctx.installation, ctx.companyNif);
      if (!link.verified) return err(link.breakReason!);
      await tx.markLinkVerified(state.id, item.seq);
      return ok('the link verifies now');
    }
    case 'gap':
      return item.seq !== null && state.lastAckedSeq >= item.seq
        ? ok('the missing seqs have arrived')
        : err(`seq ${state.lastAckedSeq + 1} is still missing; only the till can send it`);
    case 'batch': {
      const valid = validateBatch(ctx, parse(item.payload));
      if (!valid.ok) return err(`${valid.error.code}: ${valid.error.message}`);
      const applied = await applyBatch(tx, ctx, valid.value, deps);
      if (!applied.ok) return err(`${applied.error.code}: ${applied.error.message}`);
      return ok(`applied; acked up to seq ${applied.value.ack.ackedSeq}`);
    }
    default:
      return err('an anomaly has nothing to re-apply; accept it');
  }
}

export async function decideReview(
  tx: LedgerTx,
  id: string,
  action: 'reapply' | 'accept',
  by: Decider,
  note: string | null,
  deps: ApplyDeps,
): Promise<Result<void, ReviewDecisionError>> {
  const item = await tx.review(id);
  if (!item) return err(domainError('REVIEW_NOT_FOUND', `review item ${id} not found`));
  if (item.status !== 'open') return err(domainError('REVIEW_ALREADY_DECIDED', `review item ${id} is already ${item.status}`));
  const decision = { id: deps.newId(), review_id: id, user_id: by.id, user_email: by.email, action, at: deps.now };
  if (action === 'accept') {
    await tx.decide({ ...decision, outcome: 'accepted', detail: note }, { status: 'accepted', resolution: note });
    return ok(undefined);
  }
  const state = await tx.lockTerminal(item.terminal_id);
  const result = state ? await attempt(tx, item, state, deps) : err('terminal unknown');
  if (result.ok) {
    await tx.decide({ ...decision, outcome: 'reapplied', detail: result.value }, { status: 'reapplied', resolution: result.value });
    return ok(undefined);
  }
  await tx.decide({ ...decision, outcome: 'failed', detail: result.error.slice(0, 2000) }, null);
  return err(domainError('REVIEW_REAPPLY_FAILED', result.error.slice(0, 2000)));
}
