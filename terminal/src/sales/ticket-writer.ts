/**
 * Writes one completed ticket (sale or credit note) — call it inside `repos.transaction`:
 * terminal seq, gapless series number, the Veri*Factu alta chained after the last record, the
 * `TicketDocument` (validated by `TicketDocumentSchema` before anything is inserted), then ticket, lines,
 * payments, cash movement, fiscal record, outbox row and the receipt print job, all on prepared statements.
 * A failure after numbers were allocated throws, so the surrounding transaction rolls back and no number
 * is lost.
 */
import { seriesFor } from '@tpv/shared/fiscal/series';
import { issueTicketDocument } from '@tpv/shared/wire/issue';
import type { Cents } from '@tpv/shared/money';
import type { Discount, Payment, PricedTicket } from '@tpv/shared/ticket';
import { TicketDocumentSchema, type InvoiceAddress, type TicketBenefit, type TicketDocument } from '@tpv/shared/wire/ticket';
import type { TerminalDeps } from '../app/context';
import { abort } from '../app/tx';
import type { TerminalIdentity } from '../identity';
import { COUNTER_TICKET_SEQ } from '../persistence/repositories';

export interface WriteTicketInput {
  kind: 'sale' | 'return';
  priced: PricedTicket;
  ticketDiscount?: Discount | undefined;
  /** The promotions / loyalty redemptions the lines' shares belong to (the document's `benefits`). */
  benefits?: readonly TicketBenefit[] | undefined;
  payments: readonly Payment[];
  change: Cents;
  cashier: { id: string; name: string };
  customer?: { id?: string | undefined; nif: string | null; name: string; reRegime: boolean; address?: InvoiceAddress | undefined } | undefined;
  /** Issue the sale as a full invoice (F1) to `customer` (valid NIF and address checked before). */
  fullInvoice?: boolean | undefined;
  sessionId: string;
  /** F3: the simplified ticket of this till this full invoice replaces (no payments then). */
  substitutes?: { id: string; fiscalNumber: string; issueDate: string } | undefined;
  /** `foreign`: sold at another till; the document references it, the local link columns stay NULL (returns/). */
  original?: { id: string; fiscalNumber: string; issueDate: string; foreign?: boolean } | undefined;
}

export interface TicketWriter {
  write(identity: TerminalIdentity, input: WriteTicketInput): TicketDocument;
}

export function createTicketWriter(deps: TerminalDeps): TicketWriter {
  const { db, repos } = deps;
  const lastFiscal = db.prepare<[], { chain_index: number; hash: string }>('SELECT chain_index, hash FROM fiscal_record ORDER BY chain_index DESC LIMIT 1');
  const insTicket = db.prepare(
    `INSERT INTO ticket (id, seq, kind, series, number, fiscal_number, issued_at, session_id, cashier_id, customer_id, original_ticket_id, total_cents, discount_cents, document)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLine = db.prepare(
    `INSERT INTO ticket_line (ticket_id, line_no, product_id, description, units, grams, unit_price_cents, discount_cents, total_cents, tax_rate_bp, return_of_ticket_id, return_of_line_no)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insPayment = db.prepare('INSERT INTO payment (ticket_id, idx, method, amount_cents, reference) VALUES (?, ?, ?, ?, ?)');
  const insMovement = db.prepare('INSERT INTO cash_movement (id, session_id, kind, amount_cents, reason, ticket_id, at, staff_id) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)');
  const insFiscal = db.prepare('INSERT INTO fiscal_record (chain_index, ticket_id, kind, invoice_number, hash, previous_hash, record) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insOutbox = db.prepare('INSERT INTO outbox (seq, ticket_id, payload, created_at) VALUES (?, ?, ?, ?)');

  return {
    write(identity, input) {
      const nowMs = deps.clock.now();
      const local = deps.localTime(nowMs);
      const series = seriesFor({ storeCode: identity.storeCode, terminalCode: identity.terminalCode, year: local.year, kind: input.kind });
      if (!series.ok) abort(series.error);
      const id = deps.newId();
      const seq = repos.nextValue(COUNTER_TICKET_SEQ);
      const number = repos.nextSeriesNumber(series.value);
      const prev = lastFiscal.get();
      const p = input.priced;
      const c = input.customer;
      const issued = issueTicketDocument({
        id, seq, kind: input.kind, series: series.value, number, issuedAtMs: nowMs, local,
        issuer: identity, cashier: input.cashier, customer: c, fullInvoice: input.fullInvoice, substitutes: input.substitutes, priced: p, ticketDiscount: input.ticketDiscount, benefits: input.benefits,
        payments: input.payments, change: input.change, sessionId: input.sessionId, original: input.original,
        previousHash: prev ? prev.hash : null,
      });
      if (!issued.ok) abort(issued.error);
      const doc = issued.value;
      const fiscal = doc.fiscal;
      const fiscalNo = doc.fiscalNumber;
      const checked = TicketDocumentSchema.safeParse(doc);
      if (!checked.success) {
        // A bug, not user input: refuse to write a document the back office would reject.
        throw new Error(`TicketDocument invalid: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      const json = JSON.stringify(doc);
      const ownOriginal = input.original !== undefined && input.original.foreign !== true;
      insTicket.run(id, seq, input.kind, series.value, number, fiscalNo, local.timestamp, input.sessionId, input.cashier.id, c?.id ?? null, ownOriginal ? input.original!.id : null, p.totals.total, p.totals.discountTotal, json);
      for (let i = 0; i < p.lines.length; i++) {
        const l = p.lines[i]!;
        insLine.run(
          id, Number(l.id), l.productId, l.description,
          l.quantity.kind === 'units' ? l.quantity.units : null, l.quantity.kind === 'weight' ? l.quantity.grams : null,
          l.unitPrice, l.lineDiscount + l.benefitDiscount + l.ticketDiscountShare, l.total, l.taxRate,
          l.returnOf && ownOriginal ? l.returnOf.ticketId : null, l.returnOf && ownOriginal ? Number(l.returnOf.lineId) : null,
        );
      }
      let cash = 0;
      for (let i = 0; i < input.payments.length; i++) {
        const x = input.payments[i]!;
        const ref = x.method === 'card' ? x.reference : x.method === 'voucher' ? x.code : x.method === 'on_account' ? x.customerId : undefined;
        insPayment.run(id, i + 1, x.method, x.amount, ref ?? null);
        if (x.method === 'cash') cash += x.amount;
      }
      const drawerDelta = cash - input.change;
      if (drawerDelta !== 0) {
        insMovement.run(deps.newId(), input.sessionId, input.kind === 'return' ? 'refund' : 'sale', drawerDelta, id, new Date(nowMs).toISOString(), input.cashier.id);
      }
      insFiscal.run((prev?.chain_index ?? 0) + 1, id, fiscal.kind, fiscal.invoiceNumber, fiscal.hash, fiscal.previousHash === '' ? null : fiscal.previousHash, JSON.stringify(fiscal));
      insOutbox.run(seq, id, json, new Date(nowMs).toISOString());
      return doc;
    },
  };
}
