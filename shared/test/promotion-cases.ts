/**
 * Promotion cases worked out by hand — ONE table run by the engine's unit test, by the till (terminal medium
 * test: scan → checkout → the ticket document's benefits) and by HQ ingest (backoffice medium test: the same
 * tickets re-priced at ingest, no review flag, promotion totals as expected). Every figure below is computed in
 * the comment beside it; none comes from running the code.
 *
 * Products (unit price, IVA, category): A 1,00 € 21 % drinks · B 2,00 € 21 % drinks · C 1,50 € 10 % snacks ·
 * D 5,00 € 21 % (no category) · W 10,00 €/kg 4 % fruit (weighed).
 */
import { makeEan13 } from '../src/barcode';
import type { Promotion } from '../src/promotions/definition';
import type { LineBenefit } from '../src/ticket';

export const PROMO_AT = '2027-05-12T10:00:00.000Z'; // a Wednesday, 12:00 in Madrid
const FROM = '2027-01-01T00:00:00.000Z';

const id = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
export const PROMO_CATEGORIES = { drinks: id(0x40, 1), snacks: id(0x40, 2), fruit: id(0x40, 3) } as const;
export type ProductKey = 'A' | 'B' | 'C' | 'D' | 'W';
export const PROMO_PRODUCTS: Record<ProductKey, { id: string; name: string; priceCents: number; taxRateBp: 2100 | 1000 | 400; categoryId: string | null; weighed: boolean; barcode: string }> = {
  A: { id: id(0x41, 1), name: 'Promo A agua', priceCents: 100, taxRateBp: 2100, categoryId: PROMO_CATEGORIES.drinks, weighed: false, barcode: makeEan13('840000000001') },
  B: { id: id(0x41, 2), name: 'Promo B zumo', priceCents: 200, taxRateBp: 2100, categoryId: PROMO_CATEGORIES.drinks, weighed: false, barcode: makeEan13('840000000002') },
  C: { id: id(0x41, 3), name: 'Promo C patatas', priceCents: 150, taxRateBp: 1000, categoryId: PROMO_CATEGORIES.snacks, weighed: false, barcode: makeEan13('840000000003') },
  D: { id: id(0x41, 4), name: 'Promo D aceite', priceCents: 500, taxRateBp: 2100, categoryId: null, weighed: false, barcode: makeEan13('840000000004') },
  W: { id: id(0x41, 5), name: 'Promo W fruta', priceCents: 1000, taxRateBp: 400, categoryId: PROMO_CATEGORIES.fruit, weighed: true, barcode: makeEan13('840000000005') },
};
const P = PROMO_PRODUCTS;
const base = (n: number, name: string, rule: Promotion['rule'], extra: Partial<Promotion> = {}): Promotion => ({
  id: id(0x42, n), name, rule, conditions: { validFrom: FROM }, priority: 0, exclusive: false, ...extra,
});

export const PROMOS = {
  x3x2: base(1, '3x2 agua', { kind: 'n_for_m', productIds: [P.A.id], buy: 3, pay: 2 }),
  second50: base(2, '2ª unidad -50% zumo', { kind: 'nth_unit', productIds: [P.B.id], nth: 2, percentBp: 5000 }),
  mix3for300: base(3, '3 por 3 €', { kind: 'mix_match', productIds: [P.A.id, P.C.id], quantity: 3, priceCents: 300 }),
  bundle: base(4, 'Menú zumo + patatas 3 €', { kind: 'bundle', items: [{ productId: P.B.id, units: 1 }, { productId: P.C.id, units: 1 }], priceCents: 300 }),
  snacks10: base(5, 'Aperitivos -10%', { kind: 'category', categoryIds: [PROMO_CATEGORIES.snacks], percentBp: 1000 }),
  fruit20c: base(6, 'Fruta -0,20', { kind: 'category', categoryIds: [PROMO_CATEGORIES.fruit], amountCents: 20 }),
  ticket5: base(7, '5% desde 10 €', { kind: 'ticket', thresholdCents: 1000, percentBp: 500 }),
  drinks30x: base(8, 'Bebidas -30% (exclusiva)', { kind: 'category', categoryIds: [PROMO_CATEGORIES.drinks], percentBp: 3000 }, { exclusive: true }),
  expired: base(9, 'Caducada', { kind: 'category', categoryIds: [PROMO_CATEGORIES.snacks], percentBp: 5000 }, { conditions: { validFrom: FROM, validTo: '2027-05-01T00:00:00.000Z' } }),
} satisfies Record<string, Promotion>;
export type PromoKey = keyof typeof PROMOS;

export interface PromotionCase {
  name: string;
  /** The promotions in force (every case has all of `PROMOS` defined; these are the active ones). */
  promos: PromoKey[];
  /** Lines in scan order (the till scans each line's units one by one; weighed lines by grams). */
  lines: Array<{ product: ProductKey; units?: number; grams?: number }>;
  /** Expected shares per line (1-based as on the ticket) and promotion; lines not named get none. */
  shares: Record<number, Partial<Record<PromoKey, number>>>;
  total: number;
  /** Returning some units of a line afterwards refunds what was paid for them. */
  ret?: { line: number; units: number; refund: number };
}

export const PROMOTION_CASES: PromotionCase[] = [
  // 3 × 1,00: the cheapest of the group of 3 is free → 1,00.
  { name: '3x2 on three units', promos: ['x3x2'], lines: [{ product: 'A', units: 3 }], shares: { 1: { x3x2: 100 } }, total: 100,
    // The line paid 2,00 for 3: returning one refunds 1,00 − round(1,00 × 1/3) = 1,00 − 0,33 = 0,67.
    ret: { line: 1, units: 1, refund: 67 } },
  // 7 units: two groups of 3 (2 free), the 7th pays.
  { name: '3x2 on seven units makes two groups', promos: ['x3x2'], lines: [{ product: 'A', units: 7 }], shares: { 1: { x3x2: 200 } }, total: 200 },
  // 2 × 2,00: the 2nd at −50 % → 1,00. 3 units: one pair → 1,00, the third pays.
  { name: 'second unit at -50%', promos: ['second50'], lines: [{ product: 'B', units: 3 }], shares: { 1: { second50: 100 } }, total: 100 },
  // A, A, C = 3,50 for 3,00 → 0,50 spread 100:100:150 → 14.29, 14.29, 21.43 → 14, 14, 21 (+1 to C's largest remainder) → A 28, C 22.
  { name: 'mix and match any 3 for 3,00', promos: ['mix3for300'], lines: [{ product: 'A', units: 2 }, { product: 'C', units: 1 }], shares: { 1: { mix3for300: 28 }, 2: { mix3for300: 22 } }, total: 50 },
  // B + C = 3,50 for 3,00 → 0,50 spread 200:150 → 28.57, 21.43 → 28, 21, +1 to B → 29, 21.
  { name: 'fixed bundle price', promos: ['bundle'], lines: [{ product: 'B', units: 1 }, { product: 'C', units: 1 }], shares: { 1: { bundle: 29 }, 2: { bundle: 21 } }, total: 50 },
  // 3 × 1,50 = 4,50 at −10 % → 0,45 (one rounding per line).
  { name: 'percent off a category', promos: ['snacks10'], lines: [{ product: 'C', units: 3 }], shares: { 1: { snacks10: 45 } }, total: 45,
    // Returning 1 of 3 refunds 1,50 − round(0,45/3) = 1,50 − 0,15 = 1,35.
    ret: { line: 1, units: 1, refund: 135 } },
  // 750 g × 10,00 €/kg = 7,50; amount off a weighed line: once per line → 0,20.
  { name: 'amount off a category on a weighed line', promos: ['fruit20c'], lines: [{ product: 'W', grams: 750 }], shares: { 1: { fruit20c: 20 } }, total: 20 },
  // 2 × 5,00 + 1,00 = 11,00 ≥ 10,00 → 5 % = 0,55 spread 1000:100 → 50, 5.
  { name: 'percent off the ticket over a threshold', promos: ['ticket5'], lines: [{ product: 'D', units: 2 }, { product: 'A', units: 1 }], shares: { 1: { ticket5: 50 }, 2: { ticket5: 5 } }, total: 55 },
  // 5,00 + 1,00 = 6,00 < 10,00 → nothing.
  { name: 'ticket threshold not reached', promos: ['ticket5'], lines: [{ product: 'D', units: 1 }, { product: 'A', units: 1 }], shares: {}, total: 0 },
  // Overlap on A: 3×2 saves 1,00 over 3 units (33,3/unit); mix C+A+A saves 0,50 over 3 (16,7/unit) → 3×2 first; then the mix has C only → nothing.
  { name: 'overlap: the promotion saving most per unit takes the units', promos: ['x3x2', 'mix3for300'], lines: [{ product: 'A', units: 3 }, { product: 'C', units: 1 }], shares: { 1: { x3x2: 100 } }, total: 100 },
  // 3×2 → 1,00 off A; left 2,00 + 10,00 = 12,00 ≥ 10,00 → 5 % = 0,60 spread 200:1000 → 10, 50.
  { name: 'item promotion then ticket promotion on the rest', promos: ['x3x2', 'ticket5'], lines: [{ product: 'A', units: 3 }, { product: 'D', units: 2 }], shares: { 1: { x3x2: 100, ticket5: 10 }, 2: { ticket5: 50 } }, total: 160 },
  // 6 A + D = 11,00 before, 3×2 twice → −2,00 → 9,00 < 10,00: the threshold is judged after item promotions.
  { name: 'ticket threshold judged after item promotions', promos: ['x3x2', 'ticket5'], lines: [{ product: 'A', units: 6 }, { product: 'D', units: 1 }], shares: { 1: { x3x2: 200 } }, total: 200 },
  // Combination 3×2 = 1,00 vs exclusive drinks −30 % on 3,00 = 0,90 → the combination.
  { name: 'exclusive loses to a better combination', promos: ['x3x2', 'drinks30x'], lines: [{ product: 'A', units: 3 }], shares: { 1: { x3x2: 100 } }, total: 100 },
  // Combination 3×2 = 1,00 vs exclusive −30 % on A 3,00 → 0,90 and B 2,00 → 0,60 = 1,50 → the exclusive alone.
  { name: 'exclusive applies alone when it saves more', promos: ['x3x2', 'drinks30x'], lines: [{ product: 'A', units: 3 }, { product: 'B', units: 1 }], shares: { 1: { drinks30x: 90 }, 2: { drinks30x: 60 } }, total: 150 },
  // Ended on 1 May: not in force on 12 May.
  { name: 'an ended promotion does not apply', promos: ['expired'], lines: [{ product: 'C', units: 2 }], shares: {}, total: 0 },
];

/** The case's lines as the engine sees them (ids 1..n as on the ticket). */
export function caseLines(c: PromotionCase) {
  return c.lines.map((l, i) => {
    const p = PROMO_PRODUCTS[l.product];
    return {
      id: String(i + 1), productId: p.id, categoryId: p.categoryId, unitPrice: p.priceCents,
      quantity: p.weighed ? { kind: 'weight' as const, grams: l.grams ?? 0 } : { kind: 'units' as const, units: l.units ?? 1 },
      benefits: undefined as LineBenefit[] | undefined,
    };
  });
}

/** Shares as the cases write them, from line benefits keyed by promotion id: { 1: { x3x2: 100 } }. */
export function sharesOf(lines: ReadonlyArray<{ benefits?: ReadonlyArray<{ kind: string; id: string; cents: number }> | undefined }>): PromotionCase['shares'] {
  const key = new Map(Object.entries(PROMOS).map(([k, p]) => [p.id, k as PromoKey]));
  const out: PromotionCase['shares'] = {};
  lines.forEach((l, i) => {
    for (const b of l.benefits ?? []) {
      if (b.kind !== 'promotion') continue;
      (out[i + 1] ??= {})[key.get(b.id) ?? (b.id as PromoKey)] = b.cents;
    }
  });
  return out;
}
