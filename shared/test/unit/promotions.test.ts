/**
 * The promotion engine: the hand-worked table (shared/test/promotion-cases.ts, also run by the till and by HQ
 * ingest), then the conditions (time zone, weekdays, hours, stores, segments, loyalty), the manual discount
 * rule, definitions refused, and the index's speed with 5,000 promotions.
 */
import { describe, expect, it } from 'vitest';
import { checkPromotion, PromotionSchema, type Promotion } from '../../src/promotions/definition';
import { evaluatePromotions, indexPromotions, withPromotionBenefits, type PromotionContext } from '../../src/promotions/engine';
import { priceTicket } from '../../src/ticket';
import { caseLines, PROMO_AT, PROMO_PRODUCTS, PROMOS, PROMOTION_CASES, sharesOf } from '../promotion-cases';

const ctx: PromotionContext = { storeId: 's1', companyId: 'c1', at: Date.parse(PROMO_AT), timeZone: 'Europe/Madrid' };

describe('promotion cases worked by hand', () => {
  for (const c of PROMOTION_CASES) {
    it(c.name, () => {
      const index = indexPromotions(c.promos.map((k) => PROMOS[k]));
      const lines = caseLines(c);
      const r = evaluatePromotions(index, lines, ctx);
      const withB = withPromotionBenefits(lines, r);
      expect(sharesOf(withB)).toEqual(c.shares);
      expect(r.total).toBe(c.total);
      expect(r.applied.reduce((s, a) => s + a.cents, 0)).toBe(c.total);
      // The priced ticket accepts the shares and takes them off.
      const priced = priceTicket({ kind: 'sale', lines: withB.map((l) => ({ ...l, description: 'x', taxRate: 2100 })) });
      expect(priced.ok && priced.value.totals.benefits).toBe(c.total);
    });
  }
});

const snacks = (conditions: Partial<Promotion['conditions']>, extra: Partial<Promotion> = {}): Promotion => ({
  ...PROMOS.snacks10, conditions: { validFrom: '2027-01-01T00:00:00Z', ...conditions }, ...extra,
});
const C3 = [{ id: '1', productId: PROMO_PRODUCTS.C.id, categoryId: PROMO_PRODUCTS.C.categoryId, unitPrice: 150, quantity: { kind: 'units' as const, units: 3 } }];
const saves = (p: Promotion, over: Partial<PromotionContext> = {}, lines = C3) => evaluatePromotions(indexPromotions([p]), lines, { ...ctx, ...over }).total;

describe('conditions', () => {
  it('date range [from, to)', () => {
    expect(saves(snacks({ validFrom: PROMO_AT }))).toBe(45);
    expect(saves(snacks({ validTo: PROMO_AT }))).toBe(0);
    expect(saves(snacks({ validFrom: '2027-05-12T10:00:00.001Z' }))).toBe(0);
  });
  it('weekdays and hours in the store time zone (12:00 Wednesday in Madrid is 10:00 UTC)', () => {
    expect(saves(snacks({ weekdays: [3] }))).toBe(45);
    expect(saves(snacks({ weekdays: [1, 2, 4, 5, 6, 7] }))).toBe(0);
    expect(saves(snacks({ hours: { from: '12:00', to: '13:00' } }))).toBe(45);
    expect(saves(snacks({ hours: { from: '10:00', to: '12:00' } }))).toBe(0); // 10–12 UTC would match; Madrid does not
    expect(saves(snacks({ hours: { from: '22:00', to: '12:01' } }))).toBe(45); // spans midnight
    // 23:30 UTC on Wednesday is 01:30 Thursday in Madrid.
    expect(saves(snacks({ weekdays: [4], hours: { from: '01:00', to: '02:00' } }), { at: Date.parse('2027-05-12T23:30:00Z') })).toBe(45);
  });
  it('stores and companies', () => {
    expect(saves(snacks({ storeIds: ['s1'] }))).toBe(45);
    expect(saves(snacks({ storeIds: ['s2'] }))).toBe(0);
    expect(saves(snacks({ companyIds: ['c2'] }))).toBe(0);
  });
  it('segments and loyalty members', () => {
    expect(saves(snacks({ segmentIds: ['vip'] }))).toBe(0);
    expect(saves(snacks({ segmentIds: ['vip'] }), { customer: { id: 'k', segmentIds: ['x', 'vip'] } })).toBe(45);
    expect(saves(snacks({ loyaltyOnly: true }), { customer: { id: 'k' } })).toBe(0);
    expect(saves(snacks({ loyaltyOnly: true }), { customer: { id: 'k', loyaltyCard: '123' } })).toBe(45);
  });
  it("a line with the cashier's own discount takes no item promotion but counts for the ticket one", () => {
    const line = { ...C3[0]!, units: undefined, quantity: { kind: 'units' as const, units: 10 }, discount: { kind: 'percent' as const, bp: 1000 } };
    expect(saves(PROMOS.snacks10, {}, [line])).toBe(0);
    // 15,00 − 10 % = 13,50 ≥ 10,00 → 5 % = 0,675 → 68.
    expect(saves(PROMOS.ticket5, {}, [line])).toBe(68);
  });
  it('equal saving per unit: higher priority, then lower id', () => {
    const a = { ...PROMOS.snacks10, id: 'b-promo' };
    const b = { ...PROMOS.snacks10, id: 'a-promo' };
    expect(evaluatePromotions(indexPromotions([a, b]), C3, ctx).applied.map((x) => x.id)).toEqual(['a-promo']);
    expect(evaluatePromotions(indexPromotions([{ ...a, priority: 5 }, b]), C3, ctx).applied.map((x) => x.id)).toEqual(['b-promo']);
  });
});

describe('definitions', () => {
  it('refuses what cannot work', () => {
    const bad = (rule: unknown, conditions: unknown = { validFrom: PROMO_AT }) => {
      const p = PromotionSchema.safeParse({ id: 'x', name: 'x', rule, conditions });
      return p.success ? checkPromotion(p.data).map((e) => e.path) : ['schema'];
    };
    expect(bad({ kind: 'n_for_m', productIds: ['a'], buy: 2, pay: 2 })).toEqual(['rule.pay']);
    expect(bad({ kind: 'ticket', thresholdCents: 100 })).toEqual(['rule.percentBp']);
    expect(bad({ kind: 'category', categoryIds: ['c'], percentBp: 100 }, { validFrom: PROMO_AT, validTo: PROMO_AT })).toEqual(['conditions.validTo']);
    expect(bad({ kind: 'bundle', items: [{ productId: 'a', units: 1 }], priceCents: 1 })).toEqual(['schema']);
    expect(bad({ kind: 'category', categoryIds: ['c'], percentBp: 100 })).toEqual([]);
  });
});

describe('speed', () => {
  it('5,000 promotions indexed: an evaluation looks at the cart’s own', () => {
    const many: Promotion[] = Array.from({ length: 5000 }, (_, i) => ({ ...PROMOS.x3x2, id: `p${i}`, rule: { kind: 'n_for_m', productIds: [`prod-${i}`], buy: 3, pay: 2 } }));
    const index = indexPromotions([...many, PROMOS.x3x2]);
    const lines = [{ id: '1', productId: PROMO_PRODUCTS.A.id, categoryId: null, unitPrice: 100, quantity: { kind: 'units' as const, units: 3 } }];
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) evaluatePromotions(index, lines, ctx);
    expect((performance.now() - t0) / 1000).toBeLessThan(1);
    expect(evaluatePromotions(index, lines, ctx).total).toBe(100);
  });
});
