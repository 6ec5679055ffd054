/**
 * Allocating a payment (or a counterparty's credit) over its open items: oldest due date first, or by hand
 * with an amount per item. Whatever is not allocated stays as the counterparty's credit — a payment is never
 * lost and never pushes an item below zero.
 */
import { isCents, type Cents } from '../money';
import { domainError, err, ok, type DomainError, type Result } from '../result';
import type { OpenItemView } from './open-items';

export interface AllocationLine {
  readonly itemId: string;
  readonly amountCents: Cents;
}

export type AllocationRequest =
  | { readonly mode: 'oldest_first' }
  | { readonly mode: 'manual'; readonly lines: readonly AllocationLine[] };

export interface PaymentAllocation {
  /** In the order applied (oldest first, or as given by hand). */
  readonly lines: readonly AllocationLine[];
  readonly allocatedCents: Cents;
  /** payment − allocated: kept as the counterparty's credit. */
  readonly creditCents: Cents;
}

export type AllocationErrorCode =
  | 'ALLOCATION_PAYMENT_INVALID'
  | 'ALLOCATION_AMOUNT_INVALID'
  | 'ALLOCATION_ITEM_UNKNOWN'
  | 'ALLOCATION_ITEM_DUPLICATE'
  | 'ALLOCATION_ITEM_CANCELLED'
  | 'ALLOCATION_ITEM_SETTLED'
  | 'ALLOCATION_OVER_BALANCE'
  | 'ALLOCATION_OVER_PAYMENT';
export type AllocationError = DomainError<AllocationErrorCode> & { readonly details?: { readonly itemId?: string; readonly balanceCents?: Cents; readonly paymentCents?: Cents } };

/** What allocation needs of an item (an OpenItemView has it). */
export type Allocatable = Pick<OpenItemView, 'id' | 'dueDate' | 'issueDate' | 'cancelled' | 'balanceCents'>;

function fail(code: AllocationErrorCode, message: string, details?: Record<string, unknown>): Result<never, AllocationError> {
  return err(domainError(code, message, details) as AllocationError);
}

/** Oldest due date first; same due date: older issue date, then id (so the order never depends on input order). */
export function compareByDue(a: Allocatable, b: Allocatable): number {
  if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  if (a.issueDate !== b.issueDate) return a.issueDate < b.issueDate ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Splits `paymentCents` (> 0) over `items` (the counterparty's items with their current balances).
 * oldest_first skips cancelled items and items with nothing owed. manual refuses: an unknown, cancelled or
 * settled item (balance ≤ 0), a line that is not a positive integer, the same item twice, a line over the
 * item's balance, and lines adding up to more than the payment.
 */
export function allocatePayment(paymentCents: Cents, items: readonly Allocatable[], request: AllocationRequest): Result<PaymentAllocation, AllocationError> {
  if (!isCents(paymentCents) || paymentCents <= 0) {
    return fail('ALLOCATION_PAYMENT_INVALID', `el cobro debe ser un importe positivo / the payment must be a positive amount: ${String(paymentCents)}`);
  }
  if (request.mode === 'oldest_first') {
    const candidates = items.filter((i) => !i.cancelled && i.balanceCents > 0).sort(compareByDue);
    const lines: AllocationLine[] = [];
    let left = paymentCents;
    for (const item of candidates) {
      if (left === 0) break;
      const amount = Math.min(left, item.balanceCents);
      lines.push({ itemId: item.id, amountCents: amount });
      left -= amount;
    }
    return ok({ lines, allocatedCents: paymentCents - left, creditCents: left });
  }
  const byId = new Map(items.map((i) => [i.id, i]));
  const seen = new Set<string>();
  let total = 0;
  for (const line of request.lines) {
    const item = byId.get(line.itemId);
    if (item === undefined) return fail('ALLOCATION_ITEM_UNKNOWN', `vencimiento desconocido / unknown item: ${line.itemId}`, { itemId: line.itemId });
    if (seen.has(line.itemId)) return fail('ALLOCATION_ITEM_DUPLICATE', `vencimiento repetido / item given twice: ${line.itemId}`, { itemId: line.itemId });
    seen.add(line.itemId);
    if (!isCents(line.amountCents) || line.amountCents <= 0) {
      return fail('ALLOCATION_AMOUNT_INVALID', `importe no válido para ${line.itemId} / invalid amount for ${line.itemId}: ${String(line.amountCents)}`, { itemId: line.itemId });
    }
    if (item.cancelled) return fail('ALLOCATION_ITEM_CANCELLED', `el documento está anulado / the document is cancelled: ${line.itemId}`, { itemId: line.itemId });
    if (item.balanceCents <= 0) return fail('ALLOCATION_ITEM_SETTLED', `el vencimiento ya está pagado / the item is already paid: ${line.itemId}`, { itemId: line.itemId, balanceCents: item.balanceCents });
    if (line.amountCents > item.balanceCents) {
      return fail('ALLOCATION_OVER_BALANCE', `importe superior al pendiente de ${line.itemId} (${item.balanceCents}) / amount over the balance of ${line.itemId} (${item.balanceCents})`, { itemId: line.itemId, balanceCents: item.balanceCents });
    }
    total += line.amountCents;
  }
  if (total > paymentCents) {
    return fail('ALLOCATION_OVER_PAYMENT', `se asigna más (${total}) que el cobro (${paymentCents}) / allocating more (${total}) than the payment (${paymentCents})`, { paymentCents });
  }
  return ok({ lines: request.lines.map((l) => ({ itemId: l.itemId, amountCents: l.amountCents })), allocatedCents: total, creditCents: paymentCents - total });
}
