/**
 * Returns posting: after a batch commits, each credit note is re-checked against everything HQ holds for its
 * original, from every till. A till online asked HQ first and cannot over-return; a till offline only knows
 * its own credit notes, so two tills may each refund the same unit. Such a credit note is a fiscal document
 * already issued and the money is already out: it is kept (stock back, cash counted) and flagged in the
 * review queue as an `anomaly` (RETURN_EXCEEDS_SOLD, or RETURN_ORIGINAL_UNKNOWN / RETURN_ORIGINAL_FOREIGN_COMPANY
 * for an original HQ cannot match), for a person to settle. Run after commit so two credit notes committed
 * by different writer lanes are still seen together (the later check sees both). Each check is one write
 * transaction (on SQLite behind the ingest's write lock, so it reads committed batches only). A crash between
 * a batch's commit and its check loses the flag, not the credit note: the ledger keeps the over-return
 * visible (returned > sold in `ticket:lookup`).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '@tpv/shared/clock';
import { createUuidV7 } from '@tpv/shared/ids';
import { returnState } from '@tpv/shared/ticket';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { DataSource, EntityManager } from 'typeorm';
import { companiesOf, creditNotesOf, insertReviewAnomaly } from '../persistence/returns';
import { writeTransaction } from '../persistence/raw';
import type { ApplyOutcome } from '../sales-ingest/apply';
import { creditNoteView } from './lookup';

export interface ReturnPosting {
  /** Ingest observer (`onApplied`): checks the credit notes of the batch, in the background. */
  afterApply(terminalId: string, outcome: ApplyOutcome): void;
  /** Resolves when every check started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
}

export function createReturnPosting(ds: DataSource, clock: Clock, log: (msg: string) => void = () => {}): ReturnPosting {
  const newId = createUuidV7(clock, (n) => randomBytes(n));
  let tail: Promise<void> = Promise.resolve();

  async function check(terminalId: string, note: { id: string; seq: number; storeId: string; originalTicketId: string }): Promise<void> {
    await writeTransaction(ds, (m) => checkIn(m, terminalId, note));
  }

  async function checkIn(m: EntityManager, terminalId: string, note: { id: string; seq: number; storeId: string; originalTicketId: string }): Promise<void> {
    const flag = (code: string, reason: string) =>
      insertReviewAnomaly({ ds, m }, { id: newId(), terminalId, storeId: note.storeId, seq: note.seq, ticketId: note.id, code, reason: reason.slice(0, 2000), createdAt: new Date(clock.now()).toISOString() });
    const c = await companiesOf({ ds, m }, note.storeId, note.originalTicketId);
    if (c.ticket === null || c.ticketDocument === null) return flag('RETURN_ORIGINAL_UNKNOWN', `credit note ${note.id}: original ticket ${note.originalTicketId} is not at HQ`);
    if (c.ticket !== c.asking) return flag('RETURN_ORIGINAL_FOREIGN_COMPANY', `credit note ${note.id}: original ticket ${note.originalTicketId} belongs to another company`);
    const original = JSON.parse(c.ticketDocument) as TicketDocument;
    const notes = (await creditNotesOf({ ds, m }, original.id, original.storeId)).map((n) => creditNoteView(n, original.id));
    const mine = new Set(notes.find((n) => n.id === note.id)?.lines.map((l) => l.lineId) ?? []);
    const over = returnState(original.lines, notes.flatMap((n) => n.lines)).filter((s) => mine.has(s.lineId) && s.returned > s.sold);
    if (over.length === 0) return;
    const what = over.map((s) => `line ${s.lineId}: ${s.returned} returned of ${s.sold} sold`).join('; ');
    return flag('RETURN_EXCEEDS_SOLD', `${original.fiscalNumber}: ${what} (credit notes: ${notes.map((n) => n.fiscalNumber).join(', ')})`);
  }

  return {
    afterApply(terminalId, outcome) {
      const notes = outcome.applied.filter((a) => a.originalTicketId !== null);
      if (notes.length === 0) return;
      // One check at a time, in commit order: each sees every credit note committed before it.
      tail = tail.then(async () => {
        for (const n of notes) {
          try {
            await check(terminalId, { id: n.id, seq: n.seq, storeId: n.storeId, originalTicketId: n.originalTicketId! });
          } catch (e) {
            log(`return check of ${n.id} failed: ${String(e)}`);
          }
        }
      });
    },
    idle: () => tail,
  };
}
