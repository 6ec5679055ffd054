/**
 * Builds valid ticket documents the way a terminal does — priced with `priceTicket`/`settle`, numbered in
 * the terminal's series, chained with `createAlta` — for tests, the load generator and benchmarks.
 * Deterministic for a given seed and clock. Not used by the running back office.
 */
import type { Clock } from '@tpv/shared/clock';
import { fiscalDateTime } from '@tpv/shared/fiscal/datetime';
import { seriesFor } from '@tpv/shared/fiscal/series';
import { seededRandom } from '@tpv/shared/prng';
import { issueTicketDocument } from '@tpv/shared/wire/issue';
import { createUuidV7 } from '@tpv/shared/ids';
import { unwrap } from '@tpv/shared/result';
import { priceTicket, returnLinesFor, settle, type LineInput, type Payment, type PricedTicket, type ReturnQuantity } from '@tpv/shared/ticket';
import type { TicketBenefit, TicketDocument } from '@tpv/shared/wire/ticket';
import { spreadRedemption } from '@tpv/shared/loyalty/rules';
import type { HistoryProduct } from '../../src/tickets/seeding/generate';

/** A product as tickets use it: the history generator's shape. */
export type FactoryProduct = HistoryProduct;

export interface FactoryIdentity {
  terminalId: string;
  terminalCode: string;
  storeId: string;
  storeCode: string;
  installation: string;
  companyNif: string;
  timezone?: string;
}

export interface TicketFactoryOptions {
  identity: FactoryIdentity;
  products: readonly FactoryProduct[];
  clock: Clock;
  seed?: number;
  cashier?: { id: string; name: string };
  /** Customers that may buy on account (a ticket in ~5 % pays on account when one is given). */
  onAccountCustomers?: ReadonlyArray<{ id: string; name: string }>;
  /** Share of return tickets (0..1, default 0.05). */
  returnRate?: number;
  sessionId?: string;
  /** Start after these (resume a terminal): last seq, last numbers per kind, last fiscal hash. */
  resume?: { seq: number; saleNumber: number; returnNumber: number; lastHash: string };
}

/** A full invoice's recipient (F1/F3): valid NIF, name, address; `id` when a customer of the base. */
export interface FactoryRecipient {
  id?: string;
  nif: string;
  name: string;
  address: { street: string; postalCode: string; city: string };
}

export interface SaleSpec {
  lines: Array<{ product: FactoryProduct; units?: number; grams?: number }>;
  payment?: 'cash' | 'card' | { onAccount: { id: string; name: string } } | { vouchers: Array<{ code: string; amount: number }> };
  /** Issue the sale as a full invoice (F1) to this recipient. */
  invoice?: FactoryRecipient;
  /** What a till's promotions put on the lines, and the ticket's benefits summary (issue 15). */
  promote?: (lines: LineInput[]) => { lines: LineInput[]; benefits: TicketBenefit[] };
  /** The customer named on the ticket (a loyalty member earns points). */
  customer?: { id: string; name: string };
  /** Loyalty points redeemed: `cents` spread over the lines as the till does (kind 'loyalty', id). */
  loyalty?: { id: string; points: number; cents: number; customerId: string; authorization?: string; offline?: boolean };
}

export interface TicketFactory {
  /** Next ticket: a sale (random 1–6 lines) or now and then a return of an earlier sale. */
  next(): TicketDocument;
  /** A sale of exactly these lines. */
  sale(spec: SaleSpec): TicketDocument;
  /**
   * A return of `units`/`grams` of one line of an earlier sale (made by this factory or, as at another till of
   * the company, by any other), after the credit-note lines `already` issued against it.
   */
  returnOf(original: TicketDocument, lineIndex: number, quantity: number, already?: ReturnQuantity[]): TicketDocument;
  /** An F3 replacing `original` (a simplified sale of this factory): same lines and amounts, no payments. */
  substitute(original: TicketDocument, recipient: FactoryRecipient): TicketDocument;
  readonly state: { seq: number; saleNumber: number; returnNumber: number; lastHash: string };
}

export function createTicketFactory(opts: TicketFactoryOptions): TicketFactory {
  const rnd = seededRandom(opts.seed ?? 1);
  const randomBytes = (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * 256);
    return out;
  };
  const newId = createUuidV7(opts.clock, randomBytes);
  const id = opts.identity;
  const tz = id.timezone ?? 'Europe/Madrid';
  const cashier = opts.cashier ?? { id: '00000000-0000-7000-8006-000000000001', name: 'Cajera demo' };
  const sessionId = opts.sessionId ?? `S-${id.terminalCode}-1`;
  const state = { seq: 0, saleNumber: 0, returnNumber: 0, lastHash: '', ...opts.resume };
  const recentSales: Array<{ doc: TicketDocument; priced: PricedTicket }> = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  function build(
    kind: 'sale' | 'return',
    lines: LineInput[],
    payFor: (total: number) => Payment[],
    extra: { customer?: TicketDocument['customer']; original?: TicketDocument; fullInvoice?: boolean; substitutes?: TicketDocument; benefits?: TicketBenefit[] },
  ): { doc: TicketDocument; priced: PricedTicket } {
    const priced = unwrap(priceTicket({ kind, lines, ...(extra.substitutes ? { ticketDiscount: extra.substitutes.ticketDiscount, reRegime: extra.substitutes.customer?.reRegime === true } : {}) }));
    const payments = payFor(priced.totals.total);
    const settled = extra.substitutes ? { change: 0 } : unwrap(settle(priced.totals.total, payments));
    const now = opts.clock.now();
    const when = fiscalDateTime(now, tz);
    const year = Number(when.date.slice(6));
    const series = unwrap(seriesFor({ storeCode: id.storeCode, terminalCode: id.terminalCode, year, kind }));
    const number = kind === 'sale' ? ++state.saleNumber : ++state.returnNumber;
    const original = extra.original;
    const doc = unwrap(
      issueTicketDocument({
        id: newId(),
        seq: ++state.seq,
        kind,
        series,
        number,
        issuedAtMs: now,
        local: when,
        issuer: { ...id, timezone: tz },
        cashier,
        customer: extra.customer,
        priced,
        payments,
        change: settled.change,
        sessionId,
        original: original ? { id: original.id, fiscalNumber: original.fiscalNumber, issueDate: original.fiscal.issueDate } : undefined,
        fullInvoice: extra.fullInvoice,
        substitutes: extra.substitutes ? { id: extra.substitutes.id, fiscalNumber: extra.substitutes.fiscalNumber, issueDate: extra.substitutes.fiscal.issueDate } : undefined,
        ticketDiscount: extra.substitutes?.ticketDiscount,
        benefits: extra.benefits,
        previousHash: state.lastHash === '' ? null : state.lastHash,
      }),
    );
    state.lastHash = doc.fiscal.hash;
    return { doc, priced };
  }

  function lineOf(i: number, product: FactoryProduct, units?: number, grams?: number): LineInput {
    return {
      id: String(i + 1),
      productId: product.id,
      description: product.name.slice(0, 200),
      taxRate: product.taxRateBp,
      exemption: product.exemption ?? undefined,
      unitPrice: product.priceCents,
      quantity: product.weighed ? { kind: 'weight', grams: grams ?? 500 } : { kind: 'units', units: units ?? 1 },
    };
  }

  function sale(spec: SaleSpec): TicketDocument {
    const plain = spec.lines.map((l, i) => lineOf(i, l.product, l.units, l.grams));
    const promoted = spec.promote?.(plain);
    let lines = promoted?.lines ?? plain;
    const y = spec.loyalty;
    if (y) {
      const pre = unwrap(priceTicket({ kind: 'sale', lines }));
      const shares = spreadRedemption(y.cents, pre.lines.map((l) => l.gross - l.lineDiscount - l.benefitDiscount));
      if (!shares.ok) throw new Error(shares.error.message);
      lines = lines.map((l, i) => (shares.value[i]! > 0 ? { ...l, benefits: [...(l.benefits ?? []), { kind: 'loyalty' as const, id: y.id, cents: shares.value[i]! }] } : l));
    }
    const loyaltyBenefits: TicketBenefit[] = y
      ? [{ kind: 'loyalty', id: y.id, name: 'Puntos', cents: y.cents, points: y.points, customerId: y.customerId, ...(y.authorization ? { authorization: y.authorization } : {}), ...(y.offline ? { offline: true } : {}) }]
      : [];
    const benefits: TicketBenefit[] | undefined = promoted || y ? [...(promoted?.benefits ?? []), ...loyaltyBenefits] : undefined;
    const p = spec.payment ?? 'cash';
    const onAccount = typeof p === 'object' && 'onAccount' in p ? p.onAccount : undefined;
    const vouchers = typeof p === 'object' && 'vouchers' in p ? p.vouchers : undefined;
    const built = build(
      'sale',
      lines,
      (total) => {
        if (vouchers) {
          // Gift vouchers first (at most the total), the rest in cash.
          const paid = vouchers.map((v) => ({ method: 'voucher' as const, amount: v.amount, code: v.code }));
          const rest = total - paid.reduce((s, x) => s + x.amount, 0);
          return rest > 0 ? [...paid, { method: 'cash', amount: rest }] : paid;
        }
        if (onAccount) return [{ method: 'on_account', amount: total, customerId: onAccount.id }];
        if (p === 'card') return [{ method: 'card', amount: total, reference: `AUTH-${state.seq + 1}` }];
        return [{ method: 'cash', amount: Math.ceil(total / 500) * 500 || 500 }];
      },
      {
        ...(spec.invoice
          ? { customer: recipientOf(spec.invoice), fullInvoice: true }
          : onAccount ? { customer: { id: onAccount.id, name: onAccount.name, reRegime: false } } : spec.customer ? { customer: { id: spec.customer.id, name: spec.customer.name, reRegime: false } } : {}),
        ...(benefits ? { benefits } : {}),
      },
    );
    recentSales.push(built);
    if (recentSales.length > 50) recentSales.shift();
    return built.doc;
  }

  function returnOf(original: TicketDocument, lineIndex: number, quantity: number, already: ReturnQuantity[] = []): TicketDocument {
    // A document's lines carry every priced amount (the wire shape of PricedLine).
    const soldLines = recentSales.find((s) => s.doc.id === original.id)?.priced.lines ?? (original.lines as unknown as PricedTicket['lines']);
    const line = soldLines[lineIndex]!;
    const q = line.quantity.kind === 'units' ? { kind: 'units' as const, units: quantity } : { kind: 'weight' as const, grams: quantity };
    const lines = unwrap(returnLinesFor(original.id, soldLines, already, [{ lineId: line.id, quantity: q }]));
    return build('return', lines, (total) => [{ method: 'cash', amount: total }], { original }).doc;
  }

  function recipientOf(r: FactoryRecipient): NonNullable<TicketDocument['customer']> {
    return { ...(r.id !== undefined ? { id: r.id } : {}), nif: r.nif, name: r.name, reRegime: false, address: { ...r.address } };
  }

  function substitute(original: TicketDocument, recipient: FactoryRecipient): TicketDocument {
    const lines: LineInput[] = original.lines.map((l) => ({
      id: l.id, productId: l.productId, description: l.description, taxRate: l.taxRate, exemption: l.exemption, unitPrice: l.unitPrice, quantity: l.quantity, discount: l.discount,
    }));
    return build('sale', lines, () => [], { customer: recipientOf(recipient), substitutes: original }).doc;
  }

  function next(): TicketDocument {
    if (recentSales.length > 0 && rnd() < (opts.returnRate ?? 0.05)) {
      const s = pick(recentSales);
      const idx = Math.floor(rnd() * s.doc.lines.length);
      const line = s.priced.lines[idx]!;
      return returnOf(s.doc, idx, line.quantity.kind === 'units' ? 1 : Math.max(1, Math.floor(line.quantity.grams / 2)));
    }
    const n = 1 + Math.floor(rnd() * 6);
    const chosen = new Set<FactoryProduct>();
    while (chosen.size < Math.min(n, opts.products.length)) chosen.add(pick(opts.products));
    const lines = [...chosen].map((product) => ({
      product,
      units: 1 + Math.floor(rnd() * 3),
      grams: 100 + Math.floor(rnd() * 1400),
    }));
    const r = rnd();
    const customers = opts.onAccountCustomers ?? [];
    const payment: SaleSpec['payment'] = customers.length > 0 && r < 0.05 ? { onAccount: pick(customers) } : r < 0.5 ? 'card' : 'cash';
    return sale({ lines, payment });
  }

  return { next, sale, returnOf, substitute, state };
}
