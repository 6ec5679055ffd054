/**
 * A full invoice (F3) for an earlier simplified ticket of this till: the cashier finds the ticket (its fiscal
 * number typed, its barcode or QR scanned), gives the recipient, and the till issues an F3 that replaces it.
 *
 * The F3 is a ticket of this till (kind 'sale', series T): next seq and number, its own alta in the chain
 * (`substituted` names the ticket), the ticket's lines and amounts re-priced with the same shared rules (so
 * base and cuotas per rate are exactly the ticket's), no payments (the money moved with the ticket), printed
 * as FACTURA, and sent up through the outbox exactly-once like any ticket. `ticket_substitution` keeps a
 * ticket from being replaced twice at this till; the back office refuses a second one from anywhere.
 * Works offline: nothing here asks the back office.
 */
import { ok, type Result } from '@tpv/shared/result';
import { priceTicket } from '@tpv/shared/ticket';
import { ticketInputOf, type TicketDocument } from '@tpv/shared/wire/ticket';
import { failure, type Failure } from '../app/errors';
import { requireIdentity, type TerminalDeps } from '../app/context';
import { abort, inTransaction } from '../app/tx';
import type { SessionQueries } from '../cash/sessions';
import type { CatalogQueries } from '../catalog/catalog';
import type { StaffMember } from '../people/pins';
import type { Printing } from '../printing/printing';
import { ticketReceipt } from '../printing/receipts';
import { invoiceRecipient, type InvoiceRecipientInput } from './checkout';
import type { TicketWriter } from './ticket-writer';

export interface SubstitutionDeps {
  deps: TerminalDeps;
  sessions: SessionQueries;
  catalog: CatalogQueries;
  writer: TicketWriter;
  printing: Printing;
  /** This till's ticket by fiscal number, barcode, QR URL or id (returns/: `findTicket`). */
  findTicket: (q: string) => TicketDocument | undefined;
}

export interface Substitutions {
  /** Issues the F3 replacing the ticket `q` names. Bad input answers a failure and writes nothing. */
  substitute(cashier: StaffMember, q: string, recipient: InvoiceRecipientInput): Result<{ ticket: TicketDocument; replaced: TicketDocument }, Failure>;
  /** The F3 that replaced a ticket of this till, if any. */
  replacedBy(ticketId: string): { invoiceTicketId: string; fiscalNumber: string } | undefined;
}

export function createSubstitutions({ deps, sessions, catalog, writer, printing, findTicket }: SubstitutionDeps): Substitutions {
  const { db } = deps;
  const replaced = db.prepare<[string], { invoice_ticket_id: string; fiscal_number: string }>(
    'SELECT s.invoice_ticket_id, t.fiscal_number FROM ticket_substitution s JOIN ticket t ON t.id = s.invoice_ticket_id WHERE s.ticket_id = ?',
  );
  const insSubstitution = db.prepare('INSERT INTO ticket_substitution (ticket_id, invoice_ticket_id, at) VALUES (?, ?, ?)');

  return {
    replacedBy(ticketId) {
      const r = replaced.get(ticketId);
      return r ? { invoiceTicketId: r.invoice_ticket_id, fiscalNumber: r.fiscal_number } : undefined;
    },
    substitute(cashier, q, input) {
      const identity = requireIdentity(deps);
      if (!identity.ok) return identity;
      const original = findTicket(q);
      if (!original) return failure('TICKET_UNKNOWN', `no ticket of this till matches "${q.slice(0, 80)}"`, { field: 'ticket' });
      if (original.kind !== 'sale' || original.fiscal.invoiceType !== 'F2') {
        return failure('NOT_A_SIMPLIFIED_TICKET', `${original.fiscalNumber} is not a simplified invoice (F2): only those are replaced by an F3`, {
          field: 'ticket',
          invoiceType: original.fiscal.invoiceType,
        });
      }
      const before = replaced.get(original.id);
      if (before) {
        return failure('TICKET_ALREADY_SUBSTITUTED', `${original.fiscalNumber} was already replaced by the invoice ${before.fiscal_number}`, {
          field: 'ticket',
          invoice: before.fiscal_number,
        });
      }
      const c = original.customer;
      const recipient = invoiceRecipient(catalog, c ? { ...(c.id !== undefined ? { id: c.id } : {}), nif: c.nif ?? null, name: c.name, reRegime: c.reRegime } : undefined, input);
      if (!recipient.ok) return recipient;
      // The same lines through the same rules: the F3's bases and cuotas per rate are the ticket's, to the cent.
      const priced = priceTicket(ticketInputOf(original));
      if (!priced.ok) return priced;
      const sessionId = sessions.open()?.id ?? original.sessionId;
      const nowMs = deps.clock.now();
      const r = inTransaction(deps.repos.transaction, () => {
        if (replaced.get(original.id)) abort({ code: 'TICKET_ALREADY_SUBSTITUTED', message: `${original.fiscalNumber} was already replaced` });
        const doc = writer.write(identity.value, {
          kind: 'sale',
          priced: priced.value,
          ticketDiscount: original.ticketDiscount,
          payments: [],
          change: 0,
          cashier: { id: cashier.id, name: cashier.name },
          customer: recipient.value,
          sessionId,
          substitutes: { id: original.id, fiscalNumber: original.fiscalNumber, issueDate: original.fiscal.issueDate },
        });
        insSubstitution.run(original.id, doc.id, new Date(nowMs).toISOString());
        printing.queueInTransaction(() => ticketReceipt(identity.value, doc, { originalIssuedAt: original.issuedAt }), {
          id: deps.newId(),
          ticketId: doc.id,
          kind: 'invoice',
          createdAt: new Date(nowMs).toISOString(),
        });
        return doc;
      });
      if (!r.ok) return r;
      printing.kick();
      deps.events.emit('status', { lastTicket: { id: r.value.id, fiscalNumber: r.value.fiscalNumber, total: r.value.totals.total } });
      return ok({ ticket: r.value, replaced: original });
    },
  };
}
