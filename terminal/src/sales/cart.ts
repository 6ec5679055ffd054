/**
 * The open cart as a value, and its state transitions (pure: no I/O, no clock). Every transition returns
 * a new cart or a typed failure; a transition that would make the ticket unpriceable (an amount discount
 * above the line, say) fails, so a cart that exists always prices.
 */
import type { BasisPoints, Cents } from '@tpv/shared/money';
import { BP_100_PERCENT, mulDiv } from '@tpv/shared/money';
import { ok, type Result } from '@tpv/shared/result';
import type { ExemptionCause, TaxBreakdownRow } from '@tpv/shared/tax';
import { lineGross, priceTicket, type Discount, type LineInput, type PricedLine, type PricedTicket, type Quantity, type TicketTotals } from '@tpv/shared/ticket';
import { failure, type Failure } from '../app/errors';
import { withPromotionBenefits, type AppliedPromotion, type PromotionResult } from '@tpv/shared/promotions/engine';
import { withLoyalty, type CartLoyalty } from '../loyalty/cart-benefit';

/** A line as rung up: the pricing input of a sale line (shared/ticket), plus what the till keeps beside it. */
export interface CartLine extends Omit<LineInput, 'returnOf'> {
  /** Catalog price when the line was rung up (differs from unitPrice after an override). */
  readonly listPrice: Cents;
  readonly barcode?: string | undefined;
  /** The product's category when rung up (category promotions). */
  readonly categoryId?: string | null | undefined;
}

export interface CartCustomer {
  readonly id: string;
  readonly name: string;
  readonly nif: string | null;
  readonly reRegime: boolean;
}

export interface Cart {
  readonly id: string;
  readonly lines: readonly CartLine[];
  /** Next line id number (ids are never reused inside one cart). */
  readonly nextLine: number;
  readonly ticketDiscount?: Discount | undefined;
  readonly customer?: CartCustomer | undefined;
  /** The promotions the lines' `benefits` shares belong to, as last evaluated (terminal/src/promotions). */
  readonly promotions?: readonly AppliedPromotion[] | undefined;
  /** Loyalty points redeemed on this cart (terminal/src/loyalty): a benefit spread over the lines when priced. */
  readonly loyalty?: CartLoyalty | undefined;
}

export interface SellableProduct {
  readonly id: string;
  readonly name: string;
  readonly taxRateBp: number;
  readonly exemption: string | null;
  readonly weighed: boolean;
  readonly priceCents: Cents;
  readonly categoryId?: string | null | undefined;
}

export interface PricedCart {
  readonly id: string;
  readonly lines: ReadonlyArray<PricedLine & { readonly listPrice: Cents; readonly barcode?: string | undefined }>;
  readonly totals: TicketTotals;
  readonly taxBreakdown: readonly TaxBreakdownRow[];
  readonly ticketDiscount?: Discount | undefined;
  readonly customer?: CartCustomer | undefined;
  /** Each promotion applied and what it saves (the lines carry the shares). */
  readonly promotions: readonly AppliedPromotion[];
  readonly loyalty?: CartLoyalty | undefined;
}

export const emptyCart = (id: string): Cart => ({ id, lines: [], nextLine: 1 });

const ZERO_TOTALS: TicketTotals = { subtotal: 0, lineDiscounts: 0, benefits: 0, ticketDiscount: 0, discountTotal: 0, total: 0, taxTotal: 0 };

function checkQuantity(q: Quantity): Failure | undefined {
  const n = q.kind === 'units' ? q.units : q.grams;
  if (!Number.isSafeInteger(n)) return { code: 'QUANTITY_NOT_INTEGER', message: `quantity must be a whole number of ${q.kind === 'units' ? 'units' : 'grams'}` };
  if (n <= 0) return { code: 'QUANTITY_NOT_POSITIVE', message: `quantity must be positive, got ${n}` };
  return undefined;
}

/** Prices the cart with the shared ticket rules (an empty cart prices to zeros). */
export function priceCart(cart: Cart): Result<PricedCart, Failure> {
  if (cart.lines.length === 0) {
    return ok({ id: cart.id, lines: [], totals: ZERO_TOTALS, taxBreakdown: [], ticketDiscount: cart.ticketDiscount, customer: cart.customer, promotions: [] });
  }
  // loyalty: the redemption's share of each line, after the line's own discount and promotions.
  const lines = withLoyalty(cart.lines, cart.loyalty);
  if (!lines.ok) return lines;
  const p = priceTicket({ kind: 'sale', lines: lines.value, ticketDiscount: cart.ticketDiscount, reRegime: cart.customer?.reRegime === true });
  if (!p.ok) return p;
  return ok(toPricedCart(cart, p.value));
}

function toPricedCart(cart: Cart, p: PricedTicket): PricedCart {
  return {
    id: cart.id,
    lines: p.lines.map((l, i) => ({ ...l, listPrice: cart.lines[i]!.listPrice, barcode: cart.lines[i]!.barcode })),
    totals: p.totals,
    taxBreakdown: p.taxBreakdown,
    ticketDiscount: cart.ticketDiscount,
    customer: cart.customer,
    promotions: cart.promotions ?? [],
    ...(cart.loyalty ? { loyalty: cart.loyalty } : {}),
  };
}

/**
 * Whether the cart prices once its promotions are evaluated again: the promotion shares it carries are
 * those of the cart before the change, so they are left out here (the cart service re-evaluates them).
 */
function checked(cart: Cart): Result<Cart, Failure> {
  const p = priceCart(withPromotions(cart, NO_PROMOTIONS));
  return p.ok ? ok(cart) : p;
}

const NO_PROMOTIONS: PromotionResult = { lineBenefits: new Map(), applied: [], total: 0 };

/** The cart with its lines' promotion shares and its promotion list replaced by an evaluation's. */
export function withPromotions(cart: Cart, r: PromotionResult): Cart {
  if (r.total === 0 && !cart.promotions?.length && !cart.lines.some((l) => l.benefits?.length)) return cart;
  const { promotions: _old, ...rest } = cart;
  return { ...rest, lines: withPromotionBenefits(cart.lines, r), ...(r.applied.length > 0 ? { promotions: r.applied } : {}) };
}

/** The promotion shares of a cart, comparable between two evaluations ("1:<id>=100;…"). */
export function promotionShares(cart: Cart): string {
  return cart.lines.map((l, i) => (l.benefits ?? []).filter((b) => b.kind === 'promotion').map((b) => `${i}:${b.id}=${b.cents}`).join(';')).join('|');
}

/**
 * Adds a product. A unit article scanned again right after itself (same price, no discount) adds one to
 * that line instead of a new line; weighed articles always get their own line.
 */
export function addItem(cart: Cart, product: SellableProduct, quantity: Quantity | undefined, barcode?: string): Result<Cart, Failure> {
  const q: Quantity = quantity ?? { kind: 'units', units: 1 };
  const bad = checkQuantity(q);
  if (bad) return { ok: false, error: bad };
  if (product.weighed !== (q.kind === 'weight')) {
    return failure(product.weighed ? 'WEIGHT_REQUIRED' : 'QUANTITY_KIND_MISMATCH', product.weighed ? `${product.name} is sold by weight (grams)` : `${product.name} is sold by units`, { productId: product.id });
  }
  const last = cart.lines[cart.lines.length - 1];
  if (last && q.kind === 'units' && last.productId === product.id && last.quantity.kind === 'units' && last.discount === undefined && last.unitPrice === product.priceCents) {
    const merged: CartLine = { ...last, quantity: { kind: 'units', units: last.quantity.units + q.units } };
    return checked({ ...cart, lines: [...cart.lines.slice(0, -1), merged] });
  }
  const line: CartLine = {
    id: String(cart.nextLine),
    productId: product.id,
    description: product.name,
    taxRate: product.taxRateBp,
    exemption: (product.exemption ?? undefined) as ExemptionCause | undefined,
    unitPrice: product.priceCents,
    listPrice: product.priceCents,
    quantity: q,
    barcode,
    ...(product.categoryId ? { categoryId: product.categoryId } : {}),
  };
  return checked({ ...cart, lines: [...cart.lines, line], nextLine: cart.nextLine + 1 });
}

export interface LinePatch {
  units?: number | undefined;
  grams?: number | undefined;
  /** null removes the line's discount. */
  discount?: Discount | null | undefined;
  unitPrice?: Cents | undefined;
}

export function findLine(cart: Cart, lineId: string): CartLine | undefined {
  return cart.lines.find((l) => l.id === lineId);
}

export function updateLine(cart: Cart, lineId: string, patch: LinePatch): Result<Cart, Failure> {
  const line = findLine(cart, lineId);
  if (!line) return failure('LINE_UNKNOWN', `no line ${lineId} in the cart`, { lineId });
  let next: CartLine = line;
  if (patch.units !== undefined || patch.grams !== undefined) {
    if (patch.units !== undefined && patch.grams !== undefined) return failure('QUANTITY_KIND_MISMATCH', 'give units or grams, not both');
    const q: Quantity = patch.units !== undefined ? { kind: 'units', units: patch.units } : { kind: 'weight', grams: patch.grams! };
    if (q.kind !== line.quantity.kind) return failure('QUANTITY_KIND_MISMATCH', `line ${lineId} is sold by ${line.quantity.kind === 'units' ? 'units' : 'weight (grams)'}`, { lineId });
    const bad = checkQuantity(q);
    if (bad) return { ok: false, error: { ...bad, details: { lineId } } };
    next = { ...next, quantity: q };
  }
  if (patch.discount !== undefined) next = { ...next, discount: patch.discount ?? undefined };
  if (patch.unitPrice !== undefined) {
    if (!Number.isSafeInteger(patch.unitPrice) || patch.unitPrice < 0) return failure('UNIT_PRICE_INVALID', 'price must be non-negative integer cents');
    next = { ...next, unitPrice: patch.unitPrice };
  }
  return checked({ ...cart, lines: cart.lines.map((l) => (l.id === lineId ? next : l)) });
}

export function removeLine(cart: Cart, lineId: string): Result<Cart, Failure> {
  if (!findLine(cart, lineId)) return failure('LINE_UNKNOWN', `no line ${lineId} in the cart`, { lineId });
  const lines = cart.lines.filter((l) => l.id !== lineId);
  // A ticket discount in cents may no longer fit the smaller ticket: the check below refuses the void then.
  return checked({ ...cart, lines });
}

export function setTicketDiscount(cart: Cart, discount: Discount | null): Result<Cart, Failure> {
  if (discount !== null && cart.lines.length === 0) return failure('CART_EMPTY', 'nothing to discount yet');
  return checked({ ...cart, ticketDiscount: discount ?? undefined });
}

export function setCustomer(cart: Cart, customer: CartCustomer | null): Result<Cart, Failure> {
  // Points redeemed belong to the member: another customer drops the redemption (its hold lapses at HQ).
  const loyalty = cart.loyalty && cart.loyalty.customerId === customer?.id ? cart.loyalty : undefined;
  return checked({ ...cart, customer: customer ?? undefined, loyalty });
}

/** Discount as basis points of `amount` (an amount discount is compared as its share of the amount). */
export function discountBp(amount: Cents, d: Discount): BasisPoints {
  if (d.kind === 'percent') return d.bp;
  if (amount <= 0) return d.cents > 0 ? BP_100_PERCENT : 0;
  return mulDiv(d.cents, BP_100_PERCENT, amount, 'ceil');
}

/** Whether a discount on `amount` is above the cashier's own limit. */
export function discountNeedsSupervisor(amount: Cents, d: Discount | null | undefined, limitBp: BasisPoints): boolean {
  if (!d) return false;
  return d.kind === 'percent' ? d.bp > limitBp : d.cents * BP_100_PERCENT > limitBp * amount;
}

/** Gross of a cart line before discounts (for discount limits). */
export const cartLineGross = (l: Pick<CartLine, 'unitPrice' | 'quantity'>): Cents => lineGross(l.unitPrice, l.quantity);
