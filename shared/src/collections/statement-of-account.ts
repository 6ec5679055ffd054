/**
 * Statement of account (extracto de cuenta) of one counterparty for a period: the opening balance, every
 * posting of its open items in the period in date order with a running balance, and the closing balance.
 * What a customer or franchisee owes rises with invoices and returned debits (debit column) and falls with
 * credit notes, collections and write-offs (credit column). Money held as its credit (the rest of a payment)
 * comes in as `creditMovements`: received is a credit line; applied to an item or refunded is a debit line
 * (the item's own collection line then carries it), so closing = Σ item balances − credit held.
 */
import type { Cents } from '../money';
import type { OpenItem, PostingKind } from './open-items';
import { signedAmount } from './open-items';

export interface CreditMovement {
  readonly on: string;
  /** > 0 received into the credit (rest of a payment); < 0 applied to an item or refunded. */
  readonly amountCents: Cents;
  readonly ref?: string;
}

export type StatementLineKind = PostingKind | 'credit_received' | 'credit_used';

export interface StatementLine {
  readonly on: string;
  readonly kind: StatementLineKind;
  /** The invoice/ticket the posting belongs to ('' for credit movements). */
  readonly documentRef: string;
  readonly ref?: string;
  readonly debitCents: Cents;
  readonly creditCents: Cents;
  /** Running balance after this line (> 0: the counterparty owes). */
  readonly balanceCents: Cents;
}

export interface StatementOfAccount {
  readonly counterpartyId: string;
  readonly from: string;
  readonly to: string;
  readonly openingCents: Cents;
  readonly lines: readonly StatementLine[];
  readonly debitCents: Cents;
  readonly creditCents: Cents;
  readonly closingCents: Cents;
}

interface Raw { on: string; kind: StatementLineKind; documentRef: string; ref?: string; signed: Cents; credit: 0 | 1; order: number }

/**
 * The statement from `from` to `to` (inclusive ISO dates). Lines are sorted by date; within a day the
 * documents' postings by document then in posting order, then the credit movements in their order — so the
 * same ledger always prints the same statement.
 */
export function statementOfAccount(counterpartyId: string, items: readonly OpenItem[], from: string, to: string, creditMovements: readonly CreditMovement[] = []): StatementOfAccount {
  let opening = 0;
  const raws: Raw[] = [];
  let order = 0;
  for (const item of items) {
    if (item.counterpartyId !== counterpartyId) continue;
    for (const p of item.postings) {
      const signed = signedAmount(p);
      if (p.on < from) opening += signed;
      else if (p.on <= to) raws.push({ on: p.on, kind: p.kind, documentRef: item.documentRef, ...(p.ref !== undefined ? { ref: p.ref } : {}), signed, credit: 0, order: order++ });
    }
  }
  for (const m of creditMovements) {
    // credit held lowers what the counterparty owes
    const signed = -m.amountCents;
    if (m.on < from) opening += signed;
    else if (m.on <= to) raws.push({ on: m.on, kind: m.amountCents > 0 ? 'credit_received' : 'credit_used', documentRef: '', ...(m.ref !== undefined ? { ref: m.ref } : {}), signed, credit: 1, order: order++ });
  }
  raws.sort((a, b) => {
    if (a.on !== b.on) return a.on < b.on ? -1 : 1;
    if (a.credit !== b.credit) return a.credit - b.credit; // a day's credit movements after its documents
    if (a.documentRef !== b.documentRef) return a.documentRef < b.documentRef ? -1 : 1;
    return a.order - b.order;
  });
  let running = opening;
  let debit = 0;
  let credit = 0;
  const lines: StatementLine[] = raws.map((r) => {
    running += r.signed;
    const d = r.signed > 0 ? r.signed : 0;
    const c = r.signed < 0 ? -r.signed : 0;
    debit += d;
    credit += c;
    return { on: r.on, kind: r.kind, documentRef: r.documentRef, ...(r.ref !== undefined ? { ref: r.ref } : {}), debitCents: d, creditCents: c, balanceCents: running };
  });
  return { counterpartyId, from, to, openingCents: opening, lines, debitCents: debit, creditCents: credit, closingCents: running };
}
