/**
 * Open items of the receivables/payables ledger (ARCHITECTURE "Ledgers": append-only postings, every balance
 * is the sum of its postings). An open item is one due date of an invoice, an on-account ticket, or one due
 * date of a supplier invoice. Postings carry positive amounts; the kind gives the sign:
 *
 *   balance = invoiced − credited − collected + returned − written off
 *
 * ("returned" is a collection that came back: a returned direct debit reopens the item.) For a payable the
 * same arithmetic reads "what we still owe the supplier"; "collected" is then our payment.
 */
import { isCents, type Cents } from '../money';
import { domainError, err, ok, type DomainError, type Result } from '../result';
import { isIsoDate } from './days';

export type OpenItemSide = 'receivable' | 'payable';
export type OpenItemKind = 'invoice_due' | 'on_account_ticket' | 'supplier_invoice_due';
export type PostingKind = 'invoiced' | 'credited' | 'collected' | 'returned' | 'written_off';
export const POSTING_KINDS: readonly PostingKind[] = ['invoiced', 'credited', 'collected', 'returned', 'written_off'];

export interface OpenItemPosting {
  readonly kind: PostingKind;
  /** Always > 0: the kind says whether it raises or lowers the balance. */
  readonly amountCents: Cents;
  /** ISO date the posting takes effect (value date of a collection, date of a credit note). */
  readonly on: string;
  /** The document behind it: invoice number, credit note, payment, remittance, return, write-off. */
  readonly ref?: string;
}

export interface OpenItem {
  readonly id: string;
  readonly companyId: string;
  readonly counterpartyId: string;
  readonly side: OpenItemSide;
  readonly kind: OpenItemKind;
  /** Invoice/ticket number the item belongs to. */
  readonly documentRef: string;
  readonly issueDate: string;
  readonly dueDate: string;
  /** The document was cancelled (annulled before anything was collected): nothing may be allocated to it. */
  readonly cancelled?: boolean;
  readonly postings: readonly OpenItemPosting[];
}

/**
 * - `open`: something owed, nothing reduced it yet (or a return undid every collection);
 * - `partial`: something owed after credits/collections/write-offs reduced it;
 * - `paid`: nothing owed (settled by collections or credit notes), nothing written off;
 * - `written_off`: nothing owed, part of it by a write-off;
 * - `overpaid`: negative balance (a credit note after the item was collected): owed back to the counterparty.
 */
export type OpenItemStatus = 'open' | 'partial' | 'paid' | 'written_off' | 'overpaid';

export interface PostingTotals {
  readonly invoicedCents: Cents;
  readonly creditedCents: Cents;
  readonly collectedCents: Cents;
  readonly returnedCents: Cents;
  readonly writtenOffCents: Cents;
}

export function postingTotals(postings: readonly OpenItemPosting[]): PostingTotals {
  let invoiced = 0;
  let credited = 0;
  let collected = 0;
  let returned = 0;
  let writtenOff = 0;
  for (const p of postings) {
    switch (p.kind) {
      case 'invoiced': invoiced += p.amountCents; break;
      case 'credited': credited += p.amountCents; break;
      case 'collected': collected += p.amountCents; break;
      case 'returned': returned += p.amountCents; break;
      case 'written_off': writtenOff += p.amountCents; break;
    }
  }
  return { invoicedCents: invoiced, creditedCents: credited, collectedCents: collected, returnedCents: returned, writtenOffCents: writtenOff };
}

/** invoiced − credited − collected + returned − written off. */
export function balanceOf(postings: readonly OpenItemPosting[]): Cents {
  const t = postingTotals(postings);
  return t.invoicedCents - t.creditedCents - t.collectedCents + t.returnedCents - t.writtenOffCents;
}

/** Signed effect of one posting on the balance. */
export function signedAmount(p: OpenItemPosting): Cents {
  return p.kind === 'invoiced' || p.kind === 'returned' ? p.amountCents : -p.amountCents;
}

export function statusOf(postings: readonly OpenItemPosting[]): OpenItemStatus {
  const t = postingTotals(postings);
  const balance = t.invoicedCents - t.creditedCents - t.collectedCents + t.returnedCents - t.writtenOffCents;
  if (balance < 0) return 'overpaid';
  if (balance === 0) return t.writtenOffCents > 0 ? 'written_off' : 'paid';
  const reduced = t.creditedCents + t.collectedCents - t.returnedCents + t.writtenOffCents;
  return reduced > 0 ? 'partial' : 'open';
}

export type PostingErrorCode =
  | 'POSTING_AMOUNT_INVALID'
  | 'POSTING_KIND_INVALID'
  | 'POSTING_DATE_INVALID'
  | 'POSTING_ITEM_CANCELLED'
  | 'POSTING_FIRST_NOT_INVOICED'
  | 'POSTING_CREDIT_OVER_INVOICED'
  | 'POSTING_COLLECTED_OVER_BALANCE'
  | 'POSTING_RETURNED_OVER_COLLECTED'
  | 'POSTING_WRITE_OFF_OVER_BALANCE';
export type PostingError = DomainError<PostingErrorCode>;

/**
 * Whether `posting` may be appended to an item with `existing` postings. Refused:
 * an amount that is not a positive integer; anything on a cancelled item; a first posting that is not the
 * invoice; a collection larger than the balance (the rest of a payment is the counterparty's credit, not a
 * negative item); returning more than was collected; writing off more than is owed.
 * crediting more than was invoiced. Credit notes may exceed the balance (a credit after payment leaves the
 * item overpaid: money owed back).
 */
export function checkPosting(item: Pick<OpenItem, 'cancelled' | 'postings'>, posting: OpenItemPosting): Result<void, PostingError> {
  if (!POSTING_KINDS.includes(posting.kind)) {
    return err(domainError('POSTING_KIND_INVALID', `tipo de apunte desconocido / unknown posting kind: ${String(posting.kind)}`));
  }
  if (!isCents(posting.amountCents) || posting.amountCents <= 0) {
    return err(domainError('POSTING_AMOUNT_INVALID', `el importe debe ser un entero positivo de céntimos / amount must be positive integer cents: ${String(posting.amountCents)}`));
  }
  if (!isIsoDate(posting.on)) return err(domainError('POSTING_DATE_INVALID', `fecha no válida / invalid date: ${String(posting.on)}`));
  if (item.cancelled === true) return err(domainError('POSTING_ITEM_CANCELLED', 'el documento está anulado / the document is cancelled'));
  const existing = item.postings;
  if (existing.length === 0 && posting.kind !== 'invoiced') {
    return err(domainError('POSTING_FIRST_NOT_INVOICED', 'el primer apunte debe ser la factura / the first posting must be the invoice'));
  }
  const t = postingTotals(existing);
  const balance = t.invoicedCents - t.creditedCents - t.collectedCents + t.returnedCents - t.writtenOffCents;
  switch (posting.kind) {
    case 'credited':
      if (t.creditedCents + posting.amountCents > t.invoicedCents) {
        const room = t.invoicedCents - t.creditedCents;
        return err(domainError('POSTING_CREDIT_OVER_INVOICED', `abono superior a lo facturado sin abonar (${room}) / credit larger than what is invoiced and not yet credited (${room})`, { creditableCents: room }));
      }
      break;
    case 'collected':
      if (posting.amountCents > balance) {
        return err(domainError('POSTING_COLLECTED_OVER_BALANCE', `cobro superior al pendiente (${balance}) / collection larger than the balance (${balance})`, { balanceCents: balance }));
      }
      break;
    case 'returned':
      if (t.returnedCents + posting.amountCents > t.collectedCents) {
        const collected = t.collectedCents - t.returnedCents;
        return err(domainError('POSTING_RETURNED_OVER_COLLECTED', `devolución superior a lo cobrado (${collected}) / return larger than what was collected (${collected})`, { collectedCents: collected }));
      }
      break;
    case 'written_off':
      if (posting.amountCents > balance) {
        return err(domainError('POSTING_WRITE_OFF_OVER_BALANCE', `baja superior al pendiente (${balance}) / write-off larger than the balance (${balance})`, { balanceCents: balance }));
      }
      break;
    default:
      break;
  }
  return ok(undefined);
}

/** The item with `posting` appended, if checkPosting allows it (postings are never edited, only added). */
export function appendPosting<T extends Pick<OpenItem, 'cancelled' | 'postings'>>(item: T, posting: OpenItemPosting): Result<T, PostingError> {
  const c = checkPosting(item, posting);
  if (!c.ok) return c;
  return ok({ ...item, postings: [...item.postings, posting] });
}

/** An item's balance and status in one pass (what lists and aging read). */
export interface OpenItemView {
  readonly id: string;
  readonly counterpartyId: string;
  readonly dueDate: string;
  readonly issueDate: string;
  readonly cancelled: boolean;
  readonly balanceCents: Cents;
  readonly status: OpenItemStatus;
}

export function viewOf(item: OpenItem): OpenItemView {
  return {
    id: item.id,
    counterpartyId: item.counterpartyId,
    dueDate: item.dueDate,
    issueDate: item.issueDate,
    cancelled: item.cancelled === true,
    balanceCents: balanceOf(item.postings),
    status: statusOf(item.postings),
  };
}

/**
 * A counterparty's position: what its open items add up to, less the unapplied credit it holds (rests of
 * payments, refunds not yet paid out). `netCents` < 0 means we owe it money.
 */
export interface CounterpartyPosition {
  readonly counterpartyId: string;
  /** Σ positive balances (what it owes on items). */
  readonly owedCents: Cents;
  /** Σ |negative balances| (items overpaid) + unapplied credit. */
  readonly creditCents: Cents;
  readonly netCents: Cents;
}

export function counterpartyPosition(counterpartyId: string, items: readonly OpenItem[], unappliedCreditCents: Cents = 0): CounterpartyPosition {
  let owed = 0;
  let credit = unappliedCreditCents;
  for (const item of items) {
    if (item.counterpartyId !== counterpartyId) continue;
    const b = balanceOf(item.postings);
    if (b > 0) owed += b;
    else credit -= b;
  }
  return { counterpartyId, owedCents: owed, creditCents: credit, netCents: owed - credit };
}
