/**
 * What happened to a document, told to the modules that keep their own ledgers from it (the books post an
 * invoice's entry when the invoice posts), inside the document's own transaction — so a document and its
 * entries commit or roll back together. The module that owns a document only announces it; it does not know
 * who listens. Listeners are installed per database by the server from the enabled modules (a deployment
 * without accounting posts no entries), and by medium tests that want them.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { Db } from '../persistence/sql';

export type DocumentEvent =
  /** An invoice we issued was posted (manual, fee, wholesale, F3 at HQ, credit notes). */
  | { type: 'invoice.posted'; invoiceId: string }
  /** A posted invoice was cancelled (anulación): its effects are undone. */
  | { type: 'invoice.cancelled'; invoiceId: string }
  /** A supplier invoice was posted (booked for payment). */
  | { type: 'supplier_invoice.posted'; invoiceId: string }
  /** A collection received or a payment made was recorded (with its allocations). */
  | { type: 'payment.recorded'; paymentId: string }
  /** A recorded payment was voided. */
  | { type: 'payment.voided'; paymentId: string }
  /** Credit a payment held was paid back (one `refunded` credit movement). */
  | { type: 'payment.refunded'; paymentId: string; movementId: string }
  /** A SEPA remittance was settled by the bank (the items it collected, its fee). */
  | { type: 'remittance.settled'; remittanceId: string }
  /** A direct debit came back unpaid (the return, the bank's fee, the fee recharged). */
  | { type: 'remittance.returned'; remittanceId: string; lineIds: readonly string[] }
  /** A bad debt was written off. */
  | { type: 'item.written_off'; itemId: string; postingId: string }
  /**
   * A gift voucher sold or loaded at a till (its own document: no IVA until it pays for goods): the money
   * taken (cash, card) against the vouchers outstanding.
   */
  | { type: 'voucher.sold'; saleId: string; companyId: string; storeId: string; date: string; number: string; cashCents: number; cardCents: number }
  /** Customer B was merged into A (CRM): what other modules keep per customer follows (loyalty points). */
  | { type: 'customer.merged'; intoId: string; mergedId: string }
  /** A customer registered at a till reached HQ: tickets naming it may have arrived first (two outboxes). */
  | { type: 'customer.registered'; customerId: string };

export type DocumentEventType = DocumentEvent['type'];
/** `by`: the user (id) who caused it, null for the system. */
export type DocumentReaction = (m: Db, clock: Clock, event: DocumentEvent, by: string | null) => Promise<void>;

const installed = new WeakMap<DataSource, readonly DocumentReaction[]>();

export function installDocumentReactions(ds: DataSource, reactions: readonly DocumentReaction[]): void {
  installed.set(ds, reactions);
}

/** Tells the installed listeners, in the caller's transaction; a listener that throws rolls the document back. */
export async function documentPosted(m: Db, clock: Clock, event: DocumentEvent, by: string | null): Promise<void> {
  const list = installed.get(m.dataSource);
  if (!list) return;
  for (const react of list) await react(m, clock, event, by);
}
