/**
 * Completing a sale: ONE SQLite transaction (BEGIN IMMEDIATE, synchronous=FULL) writes the ticket, lines,
 * payments, cash movement, the chained F2 record, the outbox row and the receipt job, and deletes the open
 * cart. Everything is checked before the transaction; inside it only numbers are allocated and rows
 * written. After commit: the print worker is woken and the drawer opens (through the ports).
 */
import { DEFAULT_SIMPLIFIED_INVOICE_LIMIT_CENTS } from '@tpv/shared/fiscal/record';
import type { BlockCheck } from '../blocks/blocks';
import type { Cents } from '@tpv/shared/money';
import { ok, type Result } from '@tpv/shared/result';
import { priceTicket, settle, type Payment } from '@tpv/shared/ticket';
import type { InvoiceAddress, TicketDocument } from '@tpv/shared/wire/ticket';
import { normalizeNif, validateNif } from '@tpv/shared/nif';
import { failure, type Failure } from '../app/errors';
import { requireIdentity, type TerminalDeps } from '../app/context';
import { abort, inTransaction } from '../app/tx';
import type { SessionQueries } from '../cash/sessions';
import type { CatalogQueries } from '../catalog/catalog';
import type { StaffMember } from '../people/pins';
import type { Printing } from '../printing/printing';
import { ticketReceipt } from '../printing/receipts';
import { emptyCart, priceCart, promotionShares, type Cart } from './cart';
import type { CartPromoter } from '../promotions/cart-promotions';
import type { CartStore } from './cart-store';
import type { TicketWriter, WriteTicketInput } from './ticket-writer';
import { loyaltyTicketBenefits, withLoyalty } from '../loyalty/cart-benefit';

export type ApiPayment =
  | { method: 'cash'; amountCents: Cents }
  | { method: 'card'; amountCents: Cents; reference: string }
  | { method: 'voucher'; amountCents: Cents; code: string }
  | { method: 'on_account'; amountCents: Cents };

/** The recipient of a full invoice: a customer of the till's list (`customerId`) and/or typed in. */
export interface InvoiceRecipientInput {
  customerId?: string | undefined;
  nif?: string | undefined;
  name?: string | undefined;
  address: InvoiceAddress;
}

export interface CheckoutDeps {
  deps: TerminalDeps;
  /** HQ's product blocks (issue 17): a line blocked since it was rung up (a parked ticket) is refused at payment. */
  blocks?: BlockCheck | undefined;
  store: CartStore;
  sessions: SessionQueries;
  catalog: CatalogQueries;
  writer: TicketWriter;
  printing: Printing;
  /** Re-evaluates the cart's promotions at payment time (none when absent). */
  promote?: CartPromoter | undefined;
  /** Gift vouchers: each voucher payment claims its authorization inside the sale's transaction (aborts without one). */
  claimPayments?: ((doc: TicketDocument) => void) | undefined;
  /** Loyalty: checks a redemption before the sale, records it inside the sale's transaction, and the points earned for the receipt. */
  loyalty?: {
    check(cart: Cart): Failure | undefined;
    recordInTransaction(doc: TicketDocument): void;
    pointsEarned(doc: TicketDocument): number;
  } | undefined;
}

export interface CheckoutResult {
  ticket: TicketDocument;
  change: Cents;
}

export interface Checkout {
  /** Commits the open cart as a sale. Bad input answers a failure and writes nothing. */
  /** `paper: false` (issue 19): the customer takes the e-receipt instead — no receipt is queued (a copy can be printed later). */
  checkout(cashier: StaffMember, payments: readonly ApiPayment[], invoice?: InvoiceRecipientInput, opts?: { paper?: boolean | undefined }): Result<CheckoutResult, Failure>;
}

export function createCheckout({ deps, store, sessions, catalog, writer, printing, promote, claimPayments, loyalty, blocks }: CheckoutDeps): Checkout {
  const unsentOnAccount = deps.db.prepare<[string], { c: number }>(
    `SELECT COALESCE(SUM(p.amount_cents), 0) AS c FROM payment p
       JOIN ticket t ON t.id = p.ticket_id JOIN outbox o ON o.ticket_id = t.id
      WHERE p.method = 'on_account' AND t.customer_id = ? AND o.sent_at IS NULL`,
  );

  return {
    checkout(cashier, apiPayments, invoice, opts = {}) {
      const identity = requireIdentity(deps);
      if (!identity.ok) return identity;
      const session = sessions.open();
      if (!session) return failure('CASH_SESSION_NOT_OPEN', 'open the till (cash session) before selling');
      const stored = store.load();
      if (!stored || stored.lines.length === 0) return failure('CART_EMPTY', 'the cart is empty');
      if (apiPayments.length === 0) return failure('PAYMENT_SHORT', 'no payment given');
      const blocked = blocks?.cartRefusal(stored.lines);
      if (blocked) return blocked;
      const cart = promote ? promote(stored) : stored;
      if (promotionShares(cart) !== promotionShares(stored)) {
        // Priced before a promotion ended (or began): the cashier sees the new prices and takes payment again.
        const repriced = priceCart(cart);
        if (repriced.ok) {
          store.save(cart);
          deps.events.emit('cart', repriced.value);
        }
        const now = new Set((cart.promotions ?? []).map((p) => p.id));
        const gone = (stored.promotions ?? []).filter((p) => !now.has(p.id));
        return gone.length > 0
          ? failure('PROMOTION_EXPIRED', `La promoción ${gone.map((p) => `«${p.name}»`).join(', ')} ya no está en vigor: el ticket se ha recalculado, cobre el nuevo total / The promotion ${gone.map((p) => `"${p.name}"`).join(', ')} has ended: the ticket was re-priced, take payment for the new total`, { promotions: gone.map((p) => p.id), total: repriced.ok ? repriced.value.totals.total : undefined })
          : failure('PROMOTIONS_CHANGED', 'Las promociones han cambiado: el ticket se ha recalculado, cobre el nuevo total / Promotions changed: the ticket was re-priced, take payment for the new total', { total: repriced.ok ? repriced.value.totals.total : undefined });
      }
      // Lines are numbered 1..n on the ticket (voided lines leave no hole).
      const numbered = cart.lines.map((l, i) => ({ ...l, id: String(i + 1) }));
      // loyalty: the points redeemed, spread over the lines (terminal/src/loyalty/cart-benefit.ts).
      const loyaltyBad = loyalty?.check(cart);
      if (loyaltyBad) return { ok: false, error: loyaltyBad };
      const lines = withLoyalty(numbered, cart.loyalty);
      if (!lines.ok) return lines;
      const priced = priceTicket({ kind: 'sale', lines: lines.value, ticketDiscount: cart.ticketDiscount, reRegime: cart.customer?.reRegime === true });
      if (!priced.ok) return priced;
      const total = priced.value.totals.total;
      const payments: Payment[] = apiPayments.map((p) => {
        switch (p.method) {
          case 'cash':
            return { method: 'cash', amount: p.amountCents };
          case 'card':
            return { method: 'card', amount: p.amountCents, reference: p.reference };
          case 'voucher':
            return { method: 'voucher', amount: p.amountCents, code: p.code };
          case 'on_account':
            return { method: 'on_account', amount: p.amountCents, customerId: cart.customer?.id };
        }
      });
      const settled = settle(total, payments);
      if (!settled.ok) return settled;
      if (total > DEFAULT_SIMPLIFIED_INVOICE_LIMIT_CENTS && invoice === undefined) {
        // The till asks for the recipient (NIF, name, address) and sends the checkout again as a full invoice.
        return failure('SIMPLIFIED_INVOICE_OVER_LIMIT', 'a simplified invoice may not exceed 3000.00 EUR: give the recipient and issue a full invoice', {
          total,
          needs: 'invoice_recipient',
        });
      }
      const onAccount = payments.reduce((s, p) => s + (p.method === 'on_account' ? p.amount : 0), 0);
      let customer: WriteTicketInput['customer'] = cart.customer;
      if (customer?.id !== undefined) {
        const c = catalog.customerById(customer.id);
        if (!c || !c.active) return failure('CUSTOMER_INACTIVE', `customer ${customer.name} can no longer be used`, { customerId: customer.id });
        customer = { id: c.id, name: c.name, nif: c.nif, reRegime: c.reRegime };
      }
      if (invoice !== undefined) {
        const recipient = invoiceRecipient(catalog, customer, invoice);
        if (!recipient.ok) return recipient;
        customer = recipient.value;
      }
      const nowMs = deps.clock.now();
      const r = inTransaction(deps.repos.transaction, () => {
        if (onAccount > 0 && customer?.id !== undefined) {
          const c = catalog.customerById(customer.id)!;
          if (c.onAccountBlocked) {
            abort({
              code: 'CUSTOMER_ON_ACCOUNT_BLOCKED',
              message: `${c.name}: ventas a crédito bloqueadas por impagados hasta que pague o un responsable lo desbloquee / sales on account blocked for unpaid items until paid or released by a manager`,
              details: { customerId: c.id },
            });
          }
          const outstanding = c.balanceCents + (unsentOnAccount.get(c.id)?.c ?? 0);
          if (outstanding + onAccount > c.creditLimitCents) {
            abort({
              code: 'CREDIT_LIMIT_EXCEEDED',
              message: `${c.name}: ${onAccount} on account would exceed the credit limit (${outstanding} of ${c.creditLimitCents} used)`,
              details: { customerId: c.id, creditLimitCents: c.creditLimitCents, outstandingCents: outstanding, requestedCents: onAccount },
            });
          }
        }
        const doc = writer.write(identity.value, {
          kind: 'sale',
          priced: priced.value,
          ticketDiscount: cart.ticketDiscount,
          benefits: [...(cart.promotions ?? []), ...loyaltyTicketBenefits(cart.loyalty)],
          payments,
          change: settled.value.change,
          cashier: { id: cashier.id, name: cashier.name },
          customer,
          fullInvoice: invoice !== undefined,
          sessionId: session.id,
        });
        claimPayments?.(doc); // vouchers (issue 15)
        loyalty?.recordInTransaction(doc);
        const pointsEarned = loyalty?.pointsEarned(doc) ?? 0;
        if (opts.paper !== false) printing.queueInTransaction(() => ticketReceipt(identity.value, doc, pointsEarned > 0 ? { pointsEarned } : {}), { id: deps.newId(), ticketId: doc.id, kind: 'sale', createdAt: new Date(nowMs).toISOString() });
        store.deleteInTransaction();
        return doc;
      });
      if (!r.ok) return r;
      store.forget();
      afterCommit(r.value);
      return ok({ ticket: r.value, change: settled.value.change });
    },
  };

  function afterCommit(doc: TicketDocument): void {
    printing.kick();
    if (doc.payments.some((p) => p.method === 'cash')) deps.drawer.open().catch(() => undefined);
    const empty = priceCart(emptyCart(deps.newId()));
    if (empty.ok) deps.events.emit('cart', empty.value);
    // After the empty cart, so the customer display keeps showing total and change.
    deps.events.emit('ticket', { id: doc.id, seq: doc.seq, fiscalNumber: doc.fiscalNumber, total: doc.totals.total, change: doc.change });
    deps.events.emit('status', { lastTicket: { id: doc.id, fiscalNumber: doc.fiscalNumber, total: doc.totals.total } });
  }
}

/**
 * The full invoice's recipient: the customer of the till's list named by `customerId` (else the cart's
 * customer) with what the cashier typed over it, or a recipient typed in entirely. The NIF must pass the
 * control-character check (offline: shared/src/nif.ts) and the name and address must be there.
 */
export function invoiceRecipient(
  catalog: Pick<CatalogQueries, 'customerById'>,
  cartCustomer: WriteTicketInput['customer'],
  input: InvoiceRecipientInput,
): Result<NonNullable<WriteTicketInput['customer']>, Failure> {
  let base = cartCustomer;
  if (input.customerId !== undefined) {
    const c = catalog.customerById(input.customerId);
    if (!c || !c.active) return failure('CUSTOMER_INACTIVE', `customer ${input.customerId} cannot be used`, { customerId: input.customerId });
    base = { id: c.id, name: c.name, nif: c.nif, reRegime: c.reRegime };
  }
  const nifText = input.nif ?? base?.nif ?? '';
  const nif = validateNif(nifText);
  if (!nif.ok) return failure('INVOICE_NIF_INVALID', `recipient NIF: ${nif.error.message}`, { field: 'nif', nif: normalizeNif(nifText) });
  const name = (input.name ?? base?.name ?? '').trim();
  if (name === '') return failure('INVOICE_RECIPIENT_INCOMPLETE', 'the recipient needs a name', { field: 'name' });
  // A typed-in recipient with another NIF is not the cart's customer: the invoice carries no customer id then.
  const sameCustomer = base?.id !== undefined && (base.nif === null || normalizeNif(base.nif) === nif.value.nif);
  return ok({
    ...(sameCustomer ? { id: base!.id } : {}),
    nif: nif.value.nif,
    name: name.slice(0, 200),
    // The sale was priced with the cart customer's recargo regime: the document must say the same.
    reRegime: cartCustomer?.reRegime === true,
    address: { street: input.address.street.trim(), postalCode: input.address.postalCode.trim(), city: input.address.city.trim(), ...(input.address.country ? { country: input.address.country } : {}) },
  });
}
