import { describe, expect, it } from 'vitest';
import {
  addItem, discountNeedsSupervisor, emptyCart, priceCart, removeLine, setCustomer, setTicketDiscount, updateLine, type Cart, type SellableProduct,
} from '../../src/sales/cart';

const cola: SellableProduct = { id: 'p-cola', name: 'Cola 2 L', taxRateBp: 2100, exemption: null, weighed: false, priceCents: 199 };
const bread: SellableProduct = { id: 'p-bread', name: 'Pan', taxRateBp: 400, exemption: null, weighed: false, priceCents: 85 };
const apples: SellableProduct = { id: 'p-apple', name: 'Manzana', taxRateBp: 400, exemption: null, weighed: true, priceCents: 249 };

function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'OK' : r.error!.code);

describe('cart transitions', () => {
  it('adds lines, merges a repeated unit scan, gives weighed articles their own line', () => {
    let c: Cart = emptyCart('c1');
    c = must(addItem(c, cola, undefined));
    c = must(addItem(c, cola, undefined));
    c = must(addItem(c, apples, { kind: 'weight', grams: 1234 }));
    c = must(addItem(c, apples, { kind: 'weight', grams: 500 }));
    expect(c.lines.map((l) => [l.id, l.quantity])).toEqual([
      ['1', { kind: 'units', units: 2 }],
      ['2', { kind: 'weight', grams: 1234 }],
      ['3', { kind: 'weight', grams: 500 }],
    ]);
    const p = must(priceCart(c));
    // 2 × 1,99 = 3,98; 1,234 kg × 2,49 = 3,07266 → 3,07; 0,5 × 2,49 = 1,245 → 1,25 (half up)
    expect(p.lines.map((l) => l.gross)).toEqual([398, 307, 125]);
    expect(p.totals.total).toBe(830);
    // 21 %: base round(398/1.21)=329, iva 69; 4 %: gross 432, base round(432/1.04)=415, iva 17
    expect(p.taxBreakdown.map((r) => [r.rate, r.gross, r.base, r.ivaCuota])).toEqual([[2100, 398, 329, 69], [400, 432, 415, 17]]);
  });

  it('refuses bad quantities and kinds', () => {
    const c = must(addItem(emptyCart('c'), cola, undefined));
    expect(code(addItem(c, cola, { kind: 'units', units: 0 }))).toBe('QUANTITY_NOT_POSITIVE');
    expect(code(addItem(c, cola, { kind: 'units', units: -2 }))).toBe('QUANTITY_NOT_POSITIVE');
    expect(code(addItem(c, cola, { kind: 'units', units: 1.5 }))).toBe('QUANTITY_NOT_INTEGER');
    expect(code(addItem(c, apples, undefined))).toBe('WEIGHT_REQUIRED');
    expect(code(addItem(c, cola, { kind: 'weight', grams: 100 }))).toBe('QUANTITY_KIND_MISMATCH');
    expect(code(updateLine(c, '1', { units: 0 }))).toBe('QUANTITY_NOT_POSITIVE');
    expect(code(updateLine(c, '1', { grams: 10 }))).toBe('QUANTITY_KIND_MISMATCH');
    expect(code(updateLine(c, '9', { units: 2 }))).toBe('LINE_UNKNOWN');
  });

  it('changes quantity, discounts a line, overrides a price, voids a line', () => {
    let c = must(addItem(emptyCart('c'), cola, undefined));
    c = must(addItem(c, bread, undefined));
    c = must(updateLine(c, '1', { units: 3 })); // 5,97
    c = must(updateLine(c, '1', { discount: { kind: 'percent', bp: 1000 } })); // −0,60 (0,597 half up)
    c = must(updateLine(c, '2', { unitPrice: 50 }));
    const p = must(priceCart(c));
    expect(p.lines.map((l) => [l.gross, l.lineDiscount, l.total, l.listPrice])).toEqual([[597, 60, 537, 199], [50, 0, 50, 85]]);
    expect(code(updateLine(c, '2', { discount: { kind: 'amount', cents: 51 } }))).toBe('DISCOUNT_EXCEEDS_AMOUNT');
    c = must(updateLine(c, '1', { discount: null }));
    expect(c.lines[0]!.discount).toBeUndefined();
    c = must(removeLine(c, '1'));
    expect(c.lines.map((l) => l.id)).toEqual(['2']);
    expect(code(removeLine(c, '1'))).toBe('LINE_UNKNOWN');
    // ids are never reused inside a cart
    c = must(addItem(c, cola, undefined));
    expect(c.lines.map((l) => l.id)).toEqual(['2', '3']);
  });

  it('spreads a ticket discount by largest remainder and prices the customer in recargo', () => {
    let c = must(addItem(emptyCart('c'), cola, undefined)); // 199
    c = must(addItem(c, bread, undefined)); // 85
    expect(code(setTicketDiscount(emptyCart('e'), { kind: 'amount', cents: 1 }))).toBe('CART_EMPTY');
    c = must(setTicketDiscount(c, { kind: 'amount', cents: 100 }));
    const p = must(priceCart(c));
    // 100 × 199/284 = 70.07 → 70, 100 × 85/284 = 29.93 → 29 + 1 (largest remainder) = 30
    expect(p.lines.map((l) => l.ticketDiscountShare)).toEqual([70, 30]);
    expect(p.totals.total).toBe(184);
    expect(code(setTicketDiscount(c, { kind: 'amount', cents: 285 }))).toBe('DISCOUNT_EXCEEDS_AMOUNT');
    const re = must(priceCart(must(setCustomer(c, { id: 'k', name: 'Frutería', nif: null, reRegime: true }))));
    // 21 % + 5,2 %: gross 129 → base round(12900/126.2)=102, iva round(102×0.21)=21, re 6
    expect(re.taxBreakdown[0]).toMatchObject({ rate: 2100, reRate: 520, gross: 129, base: 102, ivaCuota: 21, reCuota: 6 });
  });

  it('an empty cart prices to zeros', () => {
    expect(must(priceCart(emptyCart('e'))).totals).toEqual({ subtotal: 0, lineDiscounts: 0, benefits: 0, ticketDiscount: 0, discountTotal: 0, total: 0, taxTotal: 0 });
  });

  it.each([
    // amount, discount, limit bp, needs supervisor
    [1000, { kind: 'percent', bp: 1000 }, 1000, false],
    [1000, { kind: 'percent', bp: 1001 }, 1000, true],
    [1000, { kind: 'amount', cents: 100 }, 1000, false],
    [1000, { kind: 'amount', cents: 101 }, 1000, true],
    [999, { kind: 'amount', cents: 100 }, 1000, true],
    [1000, null, 0, false],
  ] as const)('discount %s / %j over limit %s bp → supervisor %s', (amount, d, limit, expected) => {
    expect(discountNeedsSupervisor(amount, d, limit)).toBe(expected);
  });
});
