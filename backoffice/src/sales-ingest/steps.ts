/**
 * Posting steps of other modules inside the ingest transaction (ARCHITECTURE "Ledgers": a ticket is applied
 * as a list of posting steps — sales, stock, cash, receivables, then loyalty, vouchers, promotions' checks…
 * — each module contributing its own). The ingest writes its own rows first, then runs every enabled
 * module's step over the tickets it has just applied, in the same transaction: a step that throws rolls
 * the whole batch back (the till resends it), so a step must refuse nothing a till already sold — what it
 * cannot reconcile it flags for HQ's review queue and keeps.
 *
 * A ticket reaches a step once: duplicates and held tickets are not applied, a re-applied review item is.
 */
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { LedgerTx, ReviewRow } from './ledger';

export interface TicketStepContext {
  readonly engine: 'sqlite' | 'postgres';
  readonly terminalId: string;
  readonly storeId: string;
  /** The store's company (as locked with the terminal). */
  readonly companyId: string;
  /** HQ's clock when the batch is applied (ISO, UTC). */
  readonly now: string;
  readonly newId: () => string;
  /** The database's identity (one per DataSource): what a step's caches key on, as a process may serve several. */
  readonly db: object;
  /** The ingest transaction's own SQL: `?` placeholders, rows as plain objects (see LedgerTx.sql). */
  readonly sql: LedgerTx['sql'];
  /** Puts a ticket in HQ's review queue as an anomaly (the ticket stays applied); once per code and reason. */
  flag(ticket: Pick<TicketDocument, 'id' | 'seq'>, code: string, reason: string): Promise<void>;
}

export interface TicketStep {
  /** The module's id and what the step does, for logs and errors: `loyalty.earn`. */
  readonly id: string;
  apply(ctx: TicketStepContext, tickets: readonly TicketDocument[]): Promise<void>;
}

export async function runTicketSteps(
  steps: readonly TicketStep[] | undefined,
  tx: LedgerTx,
  engine: 'sqlite' | 'postgres',
  at: { terminalId: string; storeId: string; companyId: string; now: string; newId: () => string; db: object },
  tickets: readonly TicketDocument[],
): Promise<void> {
  if (!steps || steps.length === 0 || tickets.length === 0) return;
  const ctx: TicketStepContext = {
    engine,
    ...at,
    sql: (text, params) => tx.sql(text, params),
    async flag(ticket, code, reason) {
      const row: ReviewRow = {
        id: at.newId(), terminal_id: at.terminalId, store_id: at.storeId, seq: ticket.seq, ticket_id: ticket.id,
        kind: 'anomaly', code: code.slice(0, 60), reason: reason.slice(0, 2000), payload: null, created_at: at.now,
      };
      await tx.addReviewOnce(row);
    },
  };
  for (const step of steps) await step.apply(ctx, tickets);
}
