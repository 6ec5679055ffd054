/**
 * The restock formulas (backoffice/src/restocking/formulas.ts), table-driven, every figure worked by hand
 * in the comment of its row. Default rule: 14 days of cover from the warehouse (lead 2 days), z = 1.65.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE, salesFromWeeks, suggest, withSupplierTerms, type RuleTerms } from '../../src/restocking/formulas';
import { addWeeks, weekOf } from '../../src/restocking/weeks';

const flat14 = [14, 14, 14, 14, 14, 14, 14, 14];
const zigzag = [7, 21, 7, 21, 7, 21, 7, 21];
const cover = (x: Partial<RuleTerms> = {}): RuleTerms => ({ ...DEFAULT_RULE, ...x });
const minmax = (min: number, max: number, x: Partial<RuleTerms> = {}): RuleTerms => ({ ...DEFAULT_RULE, method: 'minmax', minQty: min, maxQty: max, coverDays: null, ...x });

interface Row {
  why: string;
  rule: RuleTerms;
  weeks: number[];
  lastYear?: [number, number];
  pos: [number, number, number];
  rop: number;
  target: number;
  qty: number;
  daily?: number;
  cover?: number | null;
}

const ROWS: Row[] = [
  // Σ = 112 over 8 weeks → r = 112 / 56 = 2/day; Σq² = 1568, var = (1568 − 112²/8)/7 = 0 → SS 0.
  // ROP = ⌈2 × 2⌉ = 4; T = ⌈2 × (2 + 14)⌉ = 32; P = 3 < 4 → 32 − 3 = 29. Cover 3 / 2 = 1.5 days.
  { why: 'steady sales, below the reorder point', rule: cover(), weeks: flat14, pos: [3, 0, 0], rop: 4, target: 32, qty: 29, daily: 2, cover: 1.5 },
  // Same with P = 4 = ROP: not below it → nothing.
  { why: 'at the reorder point: nothing', rule: cover(), weeks: flat14, pos: [4, 0, 0], rop: 4, target: 32, qty: 0 },
  // 29 in packs of 6 → ⌈29/6⌉ = 5 packs = 30.
  { why: 'rounded up to the pack', rule: cover({ packMultiple: 6 }), weeks: flat14, pos: [3, 0, 0], rop: 4, target: 32, qty: 30 },
  // Σ = 112, Σq² = 4×49 + 4×441 = 1960; var_w = (1960 − 1568)/7 = 56; σ_d = √(56/7) = √8 = 2.8284;
  // SS = 1.65 × 2.8284 × √(2 + 14) = 18.668. ROP = ⌈4 + 18.668⌉ = 23; T = ⌈32 + 18.668⌉ = 51.
  // P = 10 on hand + 5 ordered + 2 in transit = 17 < 23 → 51 − 17 = 34.
  { why: 'variable sales add safety stock; open orders and transit count', rule: cover(), weeks: zigzag, pos: [10, 5, 2], rop: 23, target: 51, qty: 34 },
  // Last year: 80 in the same 8 weeks (10/week), 60 in the 4 after (15/week) → s = 15/10 = 1.5; d = 3/day.
  // ROP = ⌈3 × 2⌉ = 6; T = ⌈3 × 16⌉ = 48; P = 0 → 48.
  { why: 'seasonality from last year', rule: cover(), weeks: flat14, lastYear: [80, 60], pos: [0, 0, 0], rop: 6, target: 48, qty: 48, daily: 3 },
  // 200 in the 4 weeks after → 50/10 = 5, clamped to 2 → d = 4; T = ⌈4 × 16⌉ = 64.
  { why: 'seasonality clamped to ×2', rule: cover(), weeks: flat14, lastYear: [80, 200], pos: [0, 0, 0], rop: 8, target: 64, qty: 64, daily: 4 },
  // No last-year sales in the same weeks → s = 1 whatever followed.
  { why: 'no history a year ago: no seasonality', rule: cover(), weeks: flat14, lastYear: [0, 90], pos: [0, 0, 0], rop: 4, target: 32, qty: 32, daily: 2 },
  // Lead time 5 (rule): ROP = ⌈2 × 5⌉ = 10; T = ⌈2 × 19⌉ = 38; P = 9 → 29.
  { why: "the rule's lead time", rule: cover({ leadTimeDays: 5 }), weeks: flat14, pos: [9, 0, 0], rop: 10, target: 38, qty: 29 },
  // From a supplier without a lead time: 7 days → ROP = ⌈2 × 7⌉ = 14; T = ⌈2 × 21⌉ = 42; P = 13 → 29.
  { why: 'a supplier lead time by default', rule: cover({ source: 'supplier' }), weeks: flat14, pos: [13, 0, 0], rop: 14, target: 42, qty: 29 },
  // 7 days of cover: T = ⌈2 × 9⌉ = 18; P = 0 → 18.
  { why: 'days of cover from the rule', rule: cover({ coverDays: 7 }), weeks: flat14, pos: [0, 0, 0], rop: 4, target: 18, qty: 18 },
  // Min/max 10/30, packs of 12: P = 9 < 10 → 30 − 9 = 21 → ⌈21/12⌉ × 12 = 24.
  { why: 'min/max below the minimum, in packs', rule: minmax(10, 30, { packMultiple: 12 }), weeks: flat14, pos: [9, 0, 0], rop: 10, target: 30, qty: 24 },
  // P = 10 is not below 10 → nothing, whatever sells.
  { why: 'min/max at the minimum', rule: minmax(10, 30), weeks: zigzag, pos: [10, 0, 0], rop: 10, target: 30, qty: 0 },
  // Incoming counts for min/max too: 4 + 6 = 10 → nothing.
  { why: 'min/max with goods on the way', rule: minmax(10, 30), weeks: flat14, pos: [4, 6, 0], rop: 10, target: 30, qty: 0 },
  // Nothing sells and nothing on hand: ROP = T = 0, nothing; cover unknown.
  { why: 'nothing sells', rule: cover(), weeks: [0, 0, 0, 0, 0, 0, 0, 0], pos: [0, 0, 0], rop: 0, target: 0, qty: 0, daily: 0, cover: null },
  // Oversold (−3 on hand) with no sales history: P = −3 < 0 → 0 − (−3) = 3 brings it back to zero.
  { why: 'oversold stock is made up', rule: cover(), weeks: [0, 0, 0, 0, 0, 0, 0, 0], pos: [-3, 0, 0], rop: 0, target: 0, qty: 3 },
  // Returns beat sales (net −8 in a week): Σ = 98 − 8 = 90, r = 90/56 = 1.6071; Σq² = 7×196 + 64 = 1436, var = (1436 − 90²/8)/7 =
  // (1436 − 1012.5)/7 = 60.5 → σ_d = √(60.5/7) = 2.9399; SS = 1.65 × 2.9399 × 4 = 19.403.
  // ROP = ⌈3.214 + 19.403⌉ = 23; T = ⌈25.714 + 19.403⌉ = 46; P = 0 → 46.
  { why: 'a week of net returns', rule: cover(), weeks: [14, 14, 14, 14, 14, 14, 14, -8], pos: [0, 0, 0], rop: 23, target: 46, qty: 46 },
];

describe('restock formulas (hand-worked table)', () => {
  it.each(ROWS)('$why', (r) => {
    const s = suggest(r.rule, salesFromWeeks(r.weeks, ...(r.lastYear ?? [0, 0])), { onHand: r.pos[0], openOrders: r.pos[1], inTransit: r.pos[2] });
    expect({ rop: s.reorderPoint, target: s.target, qty: s.quantity }).toEqual({ rop: r.rop, target: r.target, qty: r.qty });
    if (r.daily !== undefined) expect(s.dailySales).toBeCloseTo(r.daily, 9);
    if (r.cover !== undefined) expect(s.coverDays).toBe(r.cover);
    expect(s.position).toBe(r.pos[0] + r.pos[1] + r.pos[2]);
  });

  // Supplier terms (purchasing's product_supplier) where the rule says nothing: lead 5, packs of 10, at least 40.
  // flat14 → d = 2, σ = 0. Cover 14 from the supplier: L = 5 → ROP ⌈2·5⌉ = 10, T ⌈2·19⌉ = 38.
  it.each([
    // P 6 < 10: max(38 − 6 = 32, 40) = 40 → 4 packs of 10 = 40.
    { why: 'the minimum order lifts a small order', rule: cover({ source: 'supplier' }), pos: 6, lead: 5, qty: 40 },
    // Rule lead 9 wins over the supplier's 5: ROP ⌈2·9⌉ = 18, T ⌈2·23⌉ = 46; P 0 → max(46, 40) = 46 → 5 packs = 50.
    { why: "the rule's own lead time wins", rule: cover({ source: 'supplier', leadTimeDays: 9 }), pos: 0, lead: 9, qty: 50 },
    // Rule pack 12 wins over the supplier's 10: P 6 → max(32, 40) = 40 → ⌈40/12⌉ = 4 packs of 12 = 48.
    { why: "the rule's own pack wins", rule: cover({ source: 'supplier', packMultiple: 12 }), pos: 6, lead: 5, qty: 48 },
    // From the warehouse, the supplier's terms do not apply: L 2 → ROP 4, T ⌈2·16⌉ = 32; P 3 → 29.
    { why: "a warehouse rule ignores a supplier's terms", rule: cover(), pos: 3, lead: 2, qty: 29 },
  ])('$why', (r) => {
    const s = suggest(withSupplierTerms(r.rule, { packSize: 10, minOrderQty: 40, leadTimeDays: 5 }), salesFromWeeks(flat14), { onHand: r.pos, openOrders: 0, inTransit: 0 });
    expect({ lead: s.leadTimeDays, qty: s.quantity }).toEqual({ lead: r.lead, qty: r.qty });
  });

  it('names a week by its Monday', () => {
    expect(weekOf('2026-11-30')).toBe('2026-11-30'); // a Monday
    expect(weekOf('2026-11-29')).toBe('2026-11-23'); // Sunday ends the week before
    expect(weekOf('2027-01-01')).toBe('2026-12-28'); // across the year
    expect(addWeeks('2026-11-30', -52)).toBe('2025-12-01');
  });
});
