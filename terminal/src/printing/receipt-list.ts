/**
 * The till's receipt list and e-receipts (issue 19): today's tickets at this till (search by number), from
 * which a gift receipt is printed later or the e-receipt sent; the e-receipt link of a ticket (signed here
 * with the store's key from the published design, so it works offline); and the e-mail of an e-receipt,
 * queued as a `receipts.email` document in the outbox — sent when HQ is reachable, applied there once.
 */
import type { Clock } from '@tpv/shared/clock';
import { ok, type Result } from '@tpv/shared/result';
import { eReceiptToken, eReceiptUrl } from '@tpv/shared/receipts/e-receipt';
import type { ReceiptDesignData } from '@tpv/shared/receipts/design';
import type { EReceiptEmail } from '@tpv/shared/wire/upward';
import type { SqliteHandle } from '../persistence/data-source';
import { createDocumentOutbox, type OutboxDocument } from '../sync/document-outbox';
import { failure, type Failure } from '../app/errors';

export interface ReceiptListRow {
  id: string;
  fiscalNumber: string;
  kind: 'sale' | 'return';
  issuedAt: string;
  totalCents: number;
  customer: { name: string; email: string | null } | null;
  /** A receipt was queued for it (false: the customer took no paper and nothing was printed since). */
  printed: boolean;
}

export interface EReceiptMailView {
  id: string;
  ticketId: string;
  to: string | null;
  createdAt: string;
  status: OutboxDocument['status'];
  reference: string | null;
  message: string | null;
}

export interface TillReceipts {
  today(q?: string): ReceiptListRow[];
  /** The signed e-receipt link of a ticket; null before HQ published a design with e-receipts. */
  link(ticketId: string): string | null;
  email(ticketId: string, to?: string): Result<EReceiptMailView, Failure>;
  emails(ticketId?: string): EReceiptMailView[];
}

interface TicketRow { id: string; fiscal_number: string; kind: 'sale' | 'return'; issued_at: string; total_cents: number; customer_id: string | null; jobs: number }

export function createTillReceipts(o: {
  db: SqliteHandle;
  clock: Clock;
  newId: () => string;
  design: () => ReceiptDesignData | null;
  /** The till's local day of an instant (`YYYY-MM-DD`). */
  localDay: (ms: number) => string;
  queued?: (() => void) | undefined;
}): TillReceipts {
  const outbox = createDocumentOutbox(o.db);
  // Tickets issued since the day before (a coarse bound on the ISO text, by idx_ticket_issued_at); the till's
  // local day is checked below. 1,000 cover any day of one till.
  const recent = o.db.prepare<[string], TicketRow>(
    `SELECT t.id, t.fiscal_number, t.kind, t.issued_at, t.total_cents, t.customer_id,
            (SELECT COUNT(*) FROM print_job j WHERE j.ticket_id = t.id AND j.kind IN ('sale', 'return')) AS jobs
       FROM ticket t WHERE t.issued_at >= ? ORDER BY t.seq DESC LIMIT 1000`,
  );
  const customer = o.db.prepare<[string], { name: string; email: string | null }>('SELECT name, email FROM customer WHERE id = ?');
  const ticket = o.db.prepare<[string], { id: string; customer_id: string | null }>('SELECT id, customer_id FROM ticket WHERE id = ?');
  const view = (d: OutboxDocument): EReceiptMailView => {
    const p = d.payload as EReceiptEmail;
    return { id: d.id, ticketId: p.ticketId, to: p.to ?? null, createdAt: d.createdAt, status: d.status, reference: d.reference, message: d.message };
  };
  const mails = () => outbox.recentOf(['receipts.email'], 2000).map(view);

  return {
    today(q) {
      const day = o.localDay(o.clock.now());
      const needle = q?.trim().toUpperCase() ?? '';
      const since = o.localDay(o.clock.now() - 36 * 3600_000);
      return recent
        .all(since)
        .filter((r) => o.localDay(Date.parse(r.issued_at)) === day)
        .filter((r) => needle === '' || r.fiscal_number.toUpperCase().includes(needle))
        .map((r) => ({
          id: r.id, fiscalNumber: r.fiscal_number, kind: r.kind, issuedAt: r.issued_at, totalCents: r.total_cents,
          customer: r.customer_id ? (customer.get(r.customer_id) ?? null) : null, printed: r.jobs > 0,
        }));
    },
    link(ticketId) {
      const e = o.design()?.eReceipt;
      return e ? eReceiptUrl(e.baseUrl, eReceiptToken(e.key, ticketId)) : null;
    },
    email(ticketId, to) {
      const t = ticket.get(ticketId);
      if (!t) return failure('TICKET_UNKNOWN', `no ticket ${ticketId}`);
      const address = to?.trim() || undefined;
      if (!address && !(t.customer_id && customer.get(t.customer_id)?.email)) {
        return failure('NO_EMAIL', 'escriba el correo del cliente: el ticket no tiene cliente con correo / type the customer’s e-mail: the ticket has no customer with one', { field: 'to' });
      }
      // A second tap while the first is still waiting sends nothing more: the same request is answered.
      const waiting = mails().find((m) => m.ticketId === ticketId && m.to === (address ?? null) && m.status === 'pending');
      if (waiting) return ok(waiting);
      const id = o.newId();
      const payload: EReceiptEmail = { ticketId, ...(address ? { to: address } : {}) };
      o.db.transaction(() => outbox.enqueue({ id, kind: 'receipts.email', createdAt: new Date(o.clock.now()).toISOString(), payload }))();
      o.queued?.();
      return ok(view(outbox.get(id)!));
    },
    emails(ticketId) {
      return mails().filter((m) => ticketId === undefined || m.ticketId === ticketId);
    },
  };
}
