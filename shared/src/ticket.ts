/**
 * Pure ticket rules: line pricing, discounts, totals, tax breakdown, payments and returns. No I/O, no clock.
 * `priceTicket` runs on every scan: one pass over the lines plus an allocation, integer arithmetic only.
 *
 * Sign convention: a sale ticket has positive quantities and amounts; a return ticket has negative quantities,
 * so every amount on it (gross, discounts, totals, tax rows, refund payments) is negative. Discounts always
 * carry the sign of the line they reduce: line total = gross − lineDiscount − ticketDiscountShare.
 */
import { allocate, isCents, mulDiv, BP_100_PERCENT, type BasisPoints, type Cents } from './money';
import { domainError, err, ok, type DomainError, type Result } from './result';
import { isExemptionCause, isIvaRate, taxBreakdown, type ExemptionCause, type IvaRate, type TaxBreakdownRow } from './tax';

export type Quantity = { readonly kind: 'units'; readonly units: number } | { readonly kind: 'weight'; readonly grams: number };
export type Discount = { readonly kind: 'percent'; readonly bp: BasisPoints } | { readonly kind: 'amount'; readonly cents: Cents };
export type TicketKind = 'sale' | 'return';

export interface LineRef {
  readonly ticketId: string;
  readonly lineId: string;
  /**
   * Weighed return lines only: grams of the original line returned by earlier credit notes. The gross of the
   * part is then lineGross(before + q) − lineGross(before), so the parts of a line add up to its gross exactly.
   */
  readonly returnedBefore?: number | undefined;
}

export interface LineInput {
  readonly id: string;
  readonly productId: string;
  readonly description: string;
  /** IVA rate in basis points (2100, 1000, 400, 0). */
  readonly taxRate: number;
  readonly exemption?: ExemptionCause | undefined;
  /** Tax-included price in cents, per unit or per kg; never negative (returns carry the sign in the quantity). */
  readonly unitPrice: Cents;
  readonly quantity: Quantity;
  /** Always expressed as a positive amount / percentage; applied with the sign of the line. */
  readonly discount?: Discount | undefined;
  readonly returnOf?: LineRef | undefined;
  /**
   * What promotions and loyalty redemptions take off this line (positive amounts, applied with the line's
   * sign, after its own discount and before the ticket discount). The promotion engine (shared/src/
   * promotions) and the loyalty redemption allocate them; pricing only checks and applies them.
   */
  readonly benefits?: readonly LineBenefit[] | undefined;
}

/** One benefit's share of a line: `id` is the promotion's id, or the loyalty redemption's id. */
export interface LineBenefit {
  readonly kind: 'promotion' | 'loyalty';
  readonly id: string;
  readonly cents: Cents;
}

export interface TicketInput {
  readonly kind: TicketKind;
  readonly lines: readonly LineInput[];
  readonly ticketDiscount?: Discount | undefined;
  /** Customer in recargo de equivalencia. */
  readonly reRegime?: boolean | undefined;
}

/** A priced line: the input fields (optional ones present as `undefined` when absent) plus the amounts. */
export interface PricedLine extends LineInput {
  readonly taxRate: IvaRate;
  /** unitPrice × units, or roundHalfUp(unitPrice × grams / 1000). */
  readonly gross: Cents;
  readonly lineDiscount: Cents;
  /** Σ benefits' cents, with the line's sign (0 without benefits). */
  readonly benefitDiscount: Cents;
  readonly ticketDiscountShare: Cents;
  /** gross − lineDiscount − benefitDiscount − ticketDiscountShare: what the customer pays for this line, tax included. */
  readonly total: Cents;
}

export interface TicketTotals {
  /** Σ line gross before any discount. */
  readonly subtotal: Cents;
  readonly lineDiscounts: Cents;
  /** Σ lines' benefitDiscount: promotions and loyalty redemptions. */
  readonly benefits: Cents;
  readonly ticketDiscount: Cents;
  /** lineDiscounts + benefits + ticketDiscount. */
  readonly discountTotal: Cents;
  /** Σ line totals = Σ breakdown gross = subtotal − discountTotal. */
  readonly total: Cents;
  /** Σ (ivaCuota + reCuota). */
  readonly taxTotal: Cents;
}

export interface PricedTicket {
  readonly kind: TicketKind;
  readonly reRegime: boolean;
  readonly lines: readonly PricedLine[];
  readonly ticketDiscount?: Discount;
  readonly totals: TicketTotals;
  readonly taxBreakdown: readonly TaxBreakdownRow[];
}

export const TICKET_ERROR_CODES = [
  'EMPTY_TICKET',
  'DUPLICATE_LINE_ID',
  'LINE_ID_MISSING',
  'QUANTITY_NOT_POSITIVE',
  'QUANTITY_NOT_NEGATIVE',
  'QUANTITY_NOT_INTEGER',
  'UNIT_PRICE_INVALID',
  'TAX_RATE_UNKNOWN',
  'EXEMPTION_UNKNOWN',
  'EXEMPTION_NEEDS_ZERO_RATE',
  'RETURN_LINE_IN_SALE',
  'DISCOUNT_INVALID',
  'DISCOUNT_EXCEEDS_AMOUNT',
  'BENEFIT_INVALID',
  'BENEFIT_EXCEEDS_AMOUNT',
  'AMOUNT_OUT_OF_RANGE',
  'PAYMENT_AMOUNT_INVALID',
  'PAYMENT_SIGN_INVALID',
  'PAYMENT_SHORT',
  'CHANGE_FROM_NON_CASH',
  'REFUND_METHOD_NOT_ALLOWED',
  'REFUND_EXCEEDS_TOTAL',
  'CASH_TENDERED_IMPLAUSIBLE',
  'CARD_NEEDS_REFERENCE',
  'VOUCHER_NEEDS_CODE',
  'ON_ACCOUNT_NEEDS_CUSTOMER',
  'RETURN_UNKNOWN_LINE',
  'RETURN_QUANTITY_KIND_MISMATCH',
  'RETURN_EXCEEDS_SOLD',
] as const;
export type TicketErrorCode = (typeof TICKET_ERROR_CODES)[number];
export type TicketError = DomainError<TicketErrorCode>;

const fail = (code: TicketErrorCode, message: string, details?: Record<string, unknown>) => err(domainError(code, message, details));

// ---------------------------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------------------------

function signedQuantity(q: Quantity): number {
  return q.kind === 'units' ? q.units : q.grams;
}

/** Gross of one line (before discounts). Weighed lines round once, half away from zero. */
export function lineGross(unitPrice: Cents, quantity: Quantity): Cents {
  return quantity.kind === 'units' ? mulDiv(unitPrice, quantity.units, 1) : mulDiv(unitPrice, quantity.grams, 1000, 'halfUp');
}

/** Gross (negative) of `grams` returned from a weighed line after `before` grams: telescopes to the line's gross. */
function partGross(unitPrice: Cents, before: number, grams: number): Cents {
  const g = (x: number) => lineGross(unitPrice, { kind: 'weight', grams: x });
  return -(g(before + grams) - g(before));
}

function checkDiscount(d: Discount, where: Record<string, unknown>): TicketError | undefined {
  if (d.kind === 'percent') {
    if (!Number.isSafeInteger(d.bp) || d.bp < 0 || d.bp > BP_100_PERCENT) {
      return domainError('DISCOUNT_INVALID', `percent discount must be 0..10000 bp, got ${String(d.bp)}`, where);
    }
  } else if (d.kind === 'amount') {
    if (!isCents(d.cents) || d.cents < 0) {
      return domainError('DISCOUNT_INVALID', `amount discount must be non-negative integer cents, got ${String(d.cents)}`, where);
    }
  } else {
    return domainError('DISCOUNT_INVALID', 'unknown discount kind', where);
  }
  return undefined;
}

/** Discount magnitude (≥ 0) on a positive amount; error if an amount discount exceeds it. */
function discountOn(magnitude: Cents, d: Discount | undefined, where: Record<string, unknown>): Result<Cents, TicketError> {
  if (d === undefined) return ok(0);
  const bad = checkDiscount(d, where);
  if (bad) return err(bad);
  if (d.kind === 'percent') return ok(mulDiv(magnitude, d.bp, BP_100_PERCENT, 'halfUp'));
  if (d.cents > magnitude) {
    return fail('DISCOUNT_EXCEEDS_AMOUNT', `discount ${d.cents} exceeds amount ${magnitude}`, { ...where, discount: d.cents, amount: magnitude });
  }
  return ok(d.cents);
}

interface Work {
  line: LineInput;
  rate: IvaRate;
  gross: number;
  lineDiscount: number;
  benefitDiscount: number;
  net: number;
}

function priceLine(line: LineInput, index: number, kind: TicketKind): Result<Work, TicketError> {
  const where = { lineId: line.id, index };
  if (typeof line.id !== 'string' || line.id === '') return fail('LINE_ID_MISSING', 'line id is required', where);
  if (!isIvaRate(line.taxRate)) return fail('TAX_RATE_UNKNOWN', `unknown IVA rate ${String(line.taxRate)} bp`, where);
  if (line.exemption !== undefined) {
    if (!isExemptionCause(line.exemption)) return fail('EXEMPTION_UNKNOWN', `unknown exemption cause ${String(line.exemption)}`, where);
    if (line.taxRate !== 0) return fail('EXEMPTION_NEEDS_ZERO_RATE', 'an exempt line must have rate 0', where);
  }
  if (!isCents(line.unitPrice) || line.unitPrice < 0) {
    return fail('UNIT_PRICE_INVALID', `unit price must be non-negative integer cents, got ${String(line.unitPrice)}`, where);
  }
  const q = signedQuantity(line.quantity);
  if (!Number.isSafeInteger(q)) return fail('QUANTITY_NOT_INTEGER', `quantity must be an integer (units or grams), got ${String(q)}`, where);
  if (kind === 'sale') {
    if (q <= 0) return fail('QUANTITY_NOT_POSITIVE', `sale quantity must be positive, got ${q}`, where);
    if (line.returnOf !== undefined) return fail('RETURN_LINE_IN_SALE', 'a sale ticket cannot carry return lines', where);
  } else if (q >= 0) {
    return fail('QUANTITY_NOT_NEGATIVE', `return quantity must be negative, got ${q}`, where);
  }
  const before = line.returnOf?.returnedBefore;
  if (before !== undefined && (kind !== 'return' || line.quantity.kind !== 'weight' || !Number.isSafeInteger(before) || before < 0)) {
    return fail('QUANTITY_NOT_INTEGER', 'returnedBefore: grams (integer ≥ 0) of a weighed return line only', where);
  }
  let gross: number;
  try {
    gross = before === undefined ? lineGross(line.unitPrice, line.quantity) : partGross(line.unitPrice, before, -q);
  } catch {
    return fail('AMOUNT_OUT_OF_RANGE', 'line amount out of range', where);
  }
  const sign = gross < 0 ? -1 : 1;
  const d = discountOn(Math.abs(gross), line.discount, where);
  if (!d.ok) return d;
  const lineDiscount = d.value === 0 ? 0 : sign * d.value;
  let benefit = 0;
  if (line.benefits !== undefined) {
    for (const b of line.benefits) {
      if ((b.kind !== 'promotion' && b.kind !== 'loyalty') || typeof b.id !== 'string' || b.id === '' || !isCents(b.cents) || b.cents < 0) {
        return fail('BENEFIT_INVALID', `a line benefit needs a kind, an id and non-negative integer cents`, where);
      }
      benefit += b.cents;
    }
    if (benefit > Math.abs(gross) - d.value) {
      return fail('BENEFIT_EXCEEDS_AMOUNT', `benefits ${benefit} exceed the line's amount ${Math.abs(gross) - d.value}`, { ...where, benefits: benefit, amount: Math.abs(gross) - d.value });
    }
  }
  const benefitDiscount = benefit === 0 ? 0 : sign * benefit;
  return ok({ line, rate: line.taxRate, gross, lineDiscount, benefitDiscount, net: gross - lineDiscount - benefitDiscount });
}

/**
 * Prices a ticket: each line's gross, its own discount, its benefits (promotions, points), then the ticket discount spread over the lines by
 * largest remainder in proportion to their amounts after line discounts; totals and tax breakdown.
 */
export function priceTicket(input: TicketInput): Result<PricedTicket, TicketError> {
  const n = input.lines.length;
  if (n === 0) return fail('EMPTY_TICKET', 'a ticket needs at least one line');
  const work: Work[] = new Array<Work>(n);
  const seen = new Set<string>();
  let subtotal = 0;
  let lineDiscounts = 0;
  let benefits = 0;
  let net = 0;
  for (let i = 0; i < n; i++) {
    const line = input.lines[i]!;
    if (seen.has(line.id)) return fail('DUPLICATE_LINE_ID', `duplicate line id ${line.id}`, { lineId: line.id, index: i });
    seen.add(line.id);
    const w = priceLine(line, i, input.kind);
    if (!w.ok) return w;
    work[i] = w.value;
    subtotal += w.value.gross;
    lineDiscounts += w.value.lineDiscount;
    benefits += w.value.benefitDiscount;
    net += w.value.net;
  }
  if (!Number.isSafeInteger(subtotal)) return fail('AMOUNT_OUT_OF_RANGE', 'ticket amount out of range');
  const sign = net < 0 || (net === 0 && input.kind === 'return') ? -1 : 1;
  const td = discountOn(Math.abs(net), input.ticketDiscount, { ticket: true });
  if (!td.ok) return td;
  const ticketDiscount = td.value === 0 ? 0 : sign * td.value;
  let shares: number[] | undefined;
  if (ticketDiscount !== 0) {
    const a = allocate(td.value, work.map((w) => Math.abs(w.net)));
    // td.value ≤ |net| > 0 here, so weights are valid and not all zero.
    if (!a.ok) return fail('DISCOUNT_EXCEEDS_AMOUNT', a.error.message);
    shares = a.value;
  }
  const lines: PricedLine[] = new Array<PricedLine>(n);
  for (let i = 0; i < n; i++) {
    const w = work[i]!;
    const share = shares === undefined || shares[i] === 0 ? 0 : sign * shares[i]!;
    const l = w.line;
    // Built field by field (one object shape): a spread of caller objects of varying shapes is ~20× slower.
    lines[i] = {
      id: l.id,
      productId: l.productId,
      description: l.description,
      taxRate: w.rate,
      exemption: l.exemption,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      discount: l.discount,
      returnOf: l.returnOf,
      benefits: l.benefits,
      gross: w.gross,
      lineDiscount: w.lineDiscount,
      benefitDiscount: w.benefitDiscount,
      ticketDiscountShare: share,
      total: w.net - share,
    };
  }
  const total = net - ticketDiscount;
  const reRegime = input.reRegime === true;
  const tb = taxBreakdown(lines.map((l) => ({ taxRate: l.taxRate, exemption: l.exemption, gross: l.total })), reRegime);
  if (!tb.ok) return fail(tb.error.code === 'TAX_AMOUNT_INVALID' ? 'AMOUNT_OUT_OF_RANGE' : tb.error.code, tb.error.message);
  let taxTotal = 0;
  for (const r of tb.value) taxTotal += r.ivaCuota + r.reCuota;
  const totals: TicketTotals = {
    subtotal,
    lineDiscounts,
    benefits,
    ticketDiscount,
    discountTotal: lineDiscounts + benefits + ticketDiscount,
    total,
    taxTotal,
  };
  const priced: PricedTicket =
    input.ticketDiscount === undefined
      ? { kind: input.kind, reRegime, lines, totals, taxBreakdown: tb.value }
      : { kind: input.kind, reRegime, lines, ticketDiscount: input.ticketDiscount, totals, taxBreakdown: tb.value };
  return ok(priced);
}

// ---------------------------------------------------------------------------------------------------------
// Payments
// ---------------------------------------------------------------------------------------------------------

export type PaymentMethod = 'cash' | 'card' | 'voucher' | 'on_account';

/** Optional fields are optional in the type so a half-filled payment from the UI gets a typed error. */
export type Payment =
  | { readonly method: 'cash'; readonly amount: Cents }
  | { readonly method: 'card'; readonly amount: Cents; readonly reference?: string | undefined }
  | { readonly method: 'voucher'; readonly amount: Cents; readonly code?: string | undefined }
  | { readonly method: 'on_account'; readonly amount: Cents; readonly customerId?: string | undefined };

export interface Settlement {
  readonly total: Cents;
  /** Σ payment amounts. */
  readonly tendered: Cents;
  /** tendered − total, given back in cash (0 on refunds). */
  readonly change: Cents;
}

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/**
 * Checks the payments against a ticket total.
 * Sale (total ≥ 0): amounts positive; non-cash Σ ≤ total (change comes only from cash, so it never exceeds
 * the cash tendered); Σ ≥ total. Refund (total < 0): amounts negative, cash or card only, Σ = total exactly.
 */
/**
 * Change is always less than the largest euro note (500 €): nobody hands over a 500 € note more than the
 * sale needs, so 2,147,483,648 cents tendered for a 3,04 € sale is a keying error, refused before it
 * opens the drawer and books 21 million € of change.
 */
export const MAX_CASH_CHANGE_CENTS = 50_000 - 1;

export function settle(total: Cents, payments: readonly Payment[]): Result<Settlement, TicketError> {
  if (!isCents(total)) return fail('AMOUNT_OUT_OF_RANGE', 'total must be integer cents');
  const refund = total < 0;
  let cash = 0;
  let nonCash = 0;
  for (let i = 0; i < payments.length; i++) {
    const p = payments[i]!;
    const where = { index: i, method: p.method };
    if (!isCents(p.amount) || p.amount === 0) return fail('PAYMENT_AMOUNT_INVALID', `payment amount must be non-zero integer cents, got ${String(p.amount)}`, where);
    if (refund ? p.amount > 0 : p.amount < 0) {
      return fail('PAYMENT_SIGN_INVALID', refund ? 'refund payments must be negative' : 'sale payments must be positive', where);
    }
    switch (p.method) {
      case 'cash':
        cash += p.amount;
        break;
      case 'card':
        if (blank(p.reference)) return fail('CARD_NEEDS_REFERENCE', 'card payment needs the terminal reference', where);
        nonCash += p.amount;
        break;
      case 'voucher':
        if (refund) return fail('REFUND_METHOD_NOT_ALLOWED', 'refunds go back in cash or to the card', where);
        if (blank(p.code)) return fail('VOUCHER_NEEDS_CODE', 'voucher payment needs the voucher code', where);
        nonCash += p.amount;
        break;
      case 'on_account':
        if (refund) return fail('REFUND_METHOD_NOT_ALLOWED', 'refunds go back in cash or to the card', where);
        if (blank(p.customerId)) return fail('ON_ACCOUNT_NEEDS_CUSTOMER', 'on-account payment needs a customer', where);
        nonCash += p.amount;
        break;
      default:
        return fail('PAYMENT_AMOUNT_INVALID', `unknown payment method ${String((p as { method: unknown }).method)}`, { index: i });
    }
  }
  const tendered = cash + nonCash;
  if (refund) {
    if (tendered > total) return fail('PAYMENT_SHORT', `refunded ${-tendered} of ${-total}`, { total, tendered });
    if (tendered < total) return fail('REFUND_EXCEEDS_TOTAL', `refund ${-tendered} exceeds ${-total}`, { total, tendered });
    return ok({ total, tendered, change: 0 });
  }
  if (nonCash > total) return fail('CHANGE_FROM_NON_CASH', `non-cash payments ${nonCash} exceed the total ${total}`, { total, nonCash });
  if (tendered < total) return fail('PAYMENT_SHORT', `paid ${tendered} of ${total}`, { total, tendered, missing: total - tendered });
  if (tendered - total > MAX_CASH_CHANGE_CENTS) {
    return fail('CASH_TENDERED_IMPLAUSIBLE', `change of ${tendered - total} cents: cash tendered must exceed what is due by less than 500 €`, { total, tendered, maxChange: MAX_CASH_CHANGE_CENTS });
  }
  return ok({ total, tendered, change: tendered - total });
}

// ---------------------------------------------------------------------------------------------------------
// Returns
// ---------------------------------------------------------------------------------------------------------

/** A quantity against a line of the original ticket. Signs are ignored: magnitudes are compared. */
export interface ReturnQuantity {
  readonly lineId: string;
  readonly quantity: Quantity;
}

export interface ReturnableLine {
  readonly id: string;
  readonly quantity: Quantity;
}

/** What is still returnable per original line after the request, in the line's own unit. */
export interface ReturnCheck {
  readonly remaining: ReadonlyMap<string, number>;
}

/**
 * Refuses a return request that names an unknown line, a zero (or negative / non-integer) quantity, a
 * quantity of the wrong kind (units vs grams), or more than was sold once earlier returns are counted.
 * `alreadyReturned` are the lines of earlier return tickets (their negative quantities are fine);
 * `requested` are positive magnitudes. Several requests for one line add up.
 */
export function checkReturn(
  originalLines: readonly ReturnableLine[],
  alreadyReturned: readonly ReturnQuantity[],
  requested: readonly ReturnQuantity[],
): Result<ReturnCheck, TicketError> {
  const left = new Map<string, { kind: Quantity['kind']; left: number }>();
  for (const l of originalLines) left.set(l.id, { kind: l.quantity.kind, left: Math.abs(signedQuantity(l.quantity)) });
  for (const r of alreadyReturned) {
    const o = left.get(r.lineId);
    if (o === undefined) return fail('RETURN_UNKNOWN_LINE', `earlier return names unknown line ${r.lineId}`, { lineId: r.lineId });
    if (o.kind !== r.quantity.kind) return fail('RETURN_QUANTITY_KIND_MISMATCH', `line ${r.lineId} is sold by ${o.kind}`, { lineId: r.lineId });
    o.left -= Math.abs(signedQuantity(r.quantity));
  }
  if (requested.length === 0) return fail('EMPTY_TICKET', 'nothing requested for return');
  for (const r of requested) {
    const where = { lineId: r.lineId };
    const o = left.get(r.lineId);
    if (o === undefined) return fail('RETURN_UNKNOWN_LINE', `line ${r.lineId} is not on the original ticket`, where);
    if (o.kind !== r.quantity.kind) return fail('RETURN_QUANTITY_KIND_MISMATCH', `line ${r.lineId} is sold by ${o.kind}`, where);
    const q = signedQuantity(r.quantity);
    if (!Number.isSafeInteger(q)) return fail('QUANTITY_NOT_INTEGER', `quantity must be an integer, got ${String(q)}`, where);
    if (q <= 0) return fail('QUANTITY_NOT_POSITIVE', `return quantity must be positive, got ${q}`, where);
    if (q > o.left) {
      return fail('RETURN_EXCEEDS_SOLD', `line ${r.lineId}: returning ${q} but only ${Math.max(o.left, 0)} left`, { ...where, requested: q, returnable: Math.max(o.left, 0) });
    }
    o.left -= q;
  }
  const remaining = new Map<string, number>();
  for (const [id, o] of left) remaining.set(id, o.left);
  return ok({ remaining });
}

export interface LineReturnState {
  readonly lineId: string;
  readonly sold: number;
  readonly returned: number;
  /** sold − returned, never below 0 (an over-return, possible only from offline tills, shows as returned > sold). */
  readonly returnable: number;
}

/** Per original line, in its own unit: sold, returned by the given credit-note lines (any sign), returnable. */
export function returnState(originalLines: readonly ReturnableLine[], returned: readonly ReturnQuantity[]): LineReturnState[] {
  const back = new Map<string, number>();
  for (const r of returned) back.set(r.lineId, (back.get(r.lineId) ?? 0) + Math.abs(signedQuantity(r.quantity)));
  return originalLines.map((l) => {
    const sold = Math.abs(signedQuantity(l.quantity));
    const n = back.get(l.id) ?? 0;
    return { lineId: l.id, sold, returned: n, returnable: Math.max(0, sold - n) };
  });
}

/**
 * Builds the lines of a return ticket from the priced lines of the original sale: same product, price, rate
 * and exemption, negative quantity, `returnOf` set, and the original's discounts (line + benefits + ticket share) carried
 * as an amount discount in proportion to the quantity returned, so a customer never gets back more than was
 * paid. The proportion telescopes over successive returns:
 *   discount = roundHalfUp(D × (before + q) / sold) − roundHalfUp(D × before / sold)
 * (D = the line's total discount magnitude), so once a line is fully returned the refunds add up exactly to
 * what was paid for it. A weighed line's gross telescopes the same way (`returnOf.returnedBefore`, see
 * LineRef): returned gram by gram it refunds its gross exactly, never a cent more. (Only a discount within a
 * cent of 100 % can make a part's discount exceed its gross; it is capped there.) Requests for the same line
 * are merged.
 */
export function returnLinesFor(
  originalTicketId: string,
  originalLines: readonly PricedLine[],
  alreadyReturned: readonly ReturnQuantity[],
  requested: readonly ReturnQuantity[],
): Result<LineInput[], TicketError> {
  const check = checkReturn(originalLines, alreadyReturned, requested);
  if (!check.ok) return check;
  const want = new Map<string, number>();
  for (const r of requested) want.set(r.lineId, (want.get(r.lineId) ?? 0) + Math.abs(signedQuantity(r.quantity)));
  const out: LineInput[] = [];
  for (const o of originalLines) {
    const q = want.get(o.id);
    if (q === undefined) continue;
    const sold = Math.abs(signedQuantity(o.quantity));
    const before = sold - q - check.value.remaining.get(o.id)!;
    // Promotions and points taken off the line are part of its discount: the refund is what was paid.
    const d = Math.abs(o.lineDiscount + (o.benefitDiscount ?? 0) + o.ticketDiscountShare);
    const weighed = o.quantity.kind === 'weight' && before > 0;
    const gross = weighed ? -partGross(o.unitPrice, before, q) : Math.abs(lineGross(o.unitPrice, o.quantity.kind === 'units' ? { kind: 'units', units: q } : { kind: 'weight', grams: q }));
    const discount = d === 0 ? 0 : Math.min(gross, mulDiv(d, before + q, sold, 'halfUp') - mulDiv(d, before, sold, 'halfUp'));
    const quantity: Quantity = o.quantity.kind === 'units' ? { kind: 'units', units: -q } : { kind: 'weight', grams: -q };
    out.push({
      id: `r${out.length + 1}`,
      productId: o.productId,
      description: o.description,
      taxRate: o.taxRate,
      exemption: o.exemption,
      unitPrice: o.unitPrice,
      quantity,
      discount: discount === 0 ? undefined : { kind: 'amount', cents: discount },
      returnOf: weighed ? { ticketId: originalTicketId, lineId: o.id, returnedBefore: before } : { ticketId: originalTicketId, lineId: o.id },
    });
  }
  return ok(out);
}
