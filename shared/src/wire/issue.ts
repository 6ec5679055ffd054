/**
 * Issuing a ticket document: the one place that turns a priced ticket, its numbers and the previous fiscal
 * record into the Veri*Factu alta and the `TicketDocument` sent to HQ. The terminal's sale commit, the
 * load generator and the test factories all go through here, so they cannot drift apart.
 */
import { createAlta, type FiscalRecord } from '../fiscal/record';
import { fiscalNumber } from '../fiscal/series';
import type { Cents } from '../money';
import type { DomainError, Result } from '../result';
import { err, ok } from '../result';
import type { Discount, Payment, PricedTicket } from '../ticket';
import type { InvoiceAddress, TicketBenefit, TicketDocument } from './ticket';

export interface IssueTicketInput {
  id: string;
  /** Per-terminal gapless sequence. */
  seq: number;
  kind: 'sale' | 'return';
  series: string;
  number: number;
  /** When the ticket is issued, and its fiscal timestamp/date in the store's zone. */
  issuedAtMs: number;
  local: { timestamp: string; date: string };
  issuer: { terminalId: string; storeId: string; installation: string; companyNif: string; timezone: string };
  cashier: { id: string; name: string };
  customer?: { id?: string | undefined; nif?: string | null; name: string; reRegime: boolean; address?: InvoiceAddress | undefined } | undefined;
  /** A sale issued as a full invoice (F1, any amount) to `customer`, who then needs NIF and address. */
  fullInvoice?: boolean | undefined;
  priced: PricedTicket;
  ticketDiscount?: Discount | undefined;
  /** The promotions and loyalty redemptions the lines' `benefits` shares belong to (each once). */
  benefits?: readonly TicketBenefit[] | undefined;
  payments: readonly Payment[];
  change: Cents;
  sessionId: string;
  /** For a credit note: the ticket it rectifies. */
  original?: { id: string; fiscalNumber: string; issueDate: string } | undefined;
  /** F3: the simplified ticket this full invoice replaces (then no payments, and `customer` is the recipient). */
  substitutes?: { id: string; fiscalNumber: string; issueDate: string } | undefined;
  /** Hash of the last record of this installation's chain; null for the first. */
  previousHash: string | null;
}

const NIF_RE = /^[0-9A-Z]{9}$/;

function totalsOf(p: PricedTicket): TicketDocument['totals'] {
  const { benefits, ...rest } = p.totals;
  return benefits !== 0 ? { ...rest, benefits } : rest;
}

export function issueTicketDocument(input: IssueTicketInput): Result<TicketDocument, DomainError> {
  const p = input.priced;
  const fiscalNo = fiscalNumber(input.series, input.number);
  const alta = createAlta(
    {
      installation: input.issuer.installation,
      issuerNif: input.issuer.companyNif,
      invoiceNumber: fiscalNo,
      invoiceType: input.kind === 'return' ? 'R5' : input.substitutes ? 'F3' : input.fullInvoice === true ? 'F1' : 'F2',
      taxCents: p.totals.taxTotal,
      totalCents: p.totals.total,
      generatedAtMs: input.issuedAtMs,
      timeZone: input.issuer.timezone,
      issueDate: input.local.date,
      ...(input.original ? { rectified: { invoiceNumber: input.original.fiscalNumber, issueDate: input.original.issueDate } } : {}),
      ...(input.substitutes ? { substituted: [{ invoiceNumber: input.substitutes.fiscalNumber, issueDate: input.substitutes.issueDate }] } : {}),
    },
    input.previousHash === null ? null : { hash: input.previousHash },
  );
  if (!alta.ok) return err(alta.error);
  const fiscal: FiscalRecord = alta.value;
  const c = input.customer;
  return ok({
    id: input.id,
    terminalId: input.issuer.terminalId,
    storeId: input.issuer.storeId,
    seq: input.seq,
    kind: input.kind,
    series: input.series,
    number: input.number,
    fiscalNumber: fiscalNo,
    issuedAt: input.local.timestamp,
    cashier: { id: input.cashier.id, name: input.cashier.name },
    // A customer without a valid-looking NIF is still named on the ticket, only the NIF is left out.
    ...(c
      ? {
          customer: {
            ...(c.id !== undefined ? { id: c.id } : {}),
            ...(c.nif && NIF_RE.test(c.nif) ? { nif: c.nif } : {}),
            name: c.name,
            reRegime: c.reRegime,
            ...(c.address ? { address: { ...c.address } } : {}),
          },
        }
      : {}),
    lines: p.lines.map((l) => ({
      id: l.id,
      productId: l.productId,
      description: l.description,
      taxRate: l.taxRate,
      ...(l.exemption ? { exemption: l.exemption } : {}),
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      ...(l.discount ? { discount: l.discount } : {}),
      ...(l.returnOf ? { returnOf: l.returnOf } : {}),
      // Only when there are any: a ticket without promotions reads exactly as before benefits existed.
      ...(l.benefits && l.benefits.length > 0 ? { benefits: l.benefits.map((b) => ({ kind: b.kind, id: b.id, cents: b.cents })) } : {}),
      gross: l.gross,
      lineDiscount: l.lineDiscount,
      ...(l.benefitDiscount !== 0 ? { benefitDiscount: l.benefitDiscount } : {}),
      ticketDiscountShare: l.ticketDiscountShare,
      total: l.total,
    })),
    ...(input.benefits && input.benefits.length > 0 ? { benefits: input.benefits.map((b) => ({ ...b })) } : {}),
    ...(input.ticketDiscount ? { ticketDiscount: input.ticketDiscount } : {}),
    totals: totalsOf(p),
    taxBreakdown: p.taxBreakdown.map((r) => ({ ...r })) as TicketDocument['taxBreakdown'],
    payments: input.payments.map((x) => ({ ...x })) as TicketDocument['payments'],
    change: input.change,
    ...(input.original ? { originalTicket: { id: input.original.id, fiscalNumber: input.original.fiscalNumber } } : {}),
    ...(input.substitutes ? { substitutes: { ...input.substitutes } } : {}),
    sessionId: input.sessionId,
    fiscal: fiscal as TicketDocument['fiscal'],
  });
}
