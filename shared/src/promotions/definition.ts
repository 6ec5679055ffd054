/**
 * A promotion as HQ defines it and the tills receive it on the change feed (entity `promotion`): its kind
 * (the rule), its conditions (where, when, for whom) and how it combines (priority, exclusive). The same
 * schema checks HQ's API bodies, the feed records and the till's stored copies, so a definition one side
 * accepts the other can evaluate. `checkPromotion` adds what a schema cannot say (a 3×2 must pay less than it takes).
 */
import { z } from 'zod';

const Id = z.string().min(1).max(64);
const Ids = z.array(Id).max(500);
const Cents = z.int().min(0).max(100_000_000);
const Bp = z.int().min(1).max(10_000);
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const PromotionRuleSchema = z.discriminatedUnion('kind', [
  /** Take `buy` units of the set, pay `pay`: the (buy − pay) cheapest of each group are free (3×2, 2×1). */
  z.strictObject({ kind: z.literal('n_for_m'), productIds: Ids.min(1), buy: z.int().min(2).max(100), pay: z.int().min(1).max(99) }),
  /** The nth unit of the set at −percent (2nd unit −50 %): the cheapest of each group of n. */
  z.strictObject({ kind: z.literal('nth_unit'), productIds: Ids.min(1), nth: z.int().min(2).max(100), percentBp: Bp }),
  /** Any `quantity` units of the group for `priceCents`, or at −percent (mix & match). */
  z.strictObject({ kind: z.literal('mix_match'), productIds: Ids.min(2), quantity: z.int().min(2).max(100), priceCents: Cents.optional(), percentBp: Bp.optional() }),
  /** A fixed set of products (units of each) for `priceCents`. */
  z.strictObject({ kind: z.literal('bundle'), items: z.array(z.strictObject({ productId: Id, units: z.int().min(1).max(100) })).min(2).max(20), priceCents: Cents }),
  /** Percent or amount (per unit; per line on weighed lines) off the products of some categories. */
  z.strictObject({ kind: z.literal('category'), categoryIds: Ids.min(1), percentBp: Bp.optional(), amountCents: Cents.min(1).optional() }),
  /** Percent or amount off the ticket when what is left to pay after item promotions reaches the threshold. */
  z.strictObject({ kind: z.literal('ticket'), thresholdCents: Cents, percentBp: Bp.optional(), amountCents: Cents.min(1).optional() }),
]);
export type PromotionRule = z.infer<typeof PromotionRuleSchema>;
export type PromotionKind = PromotionRule['kind'];
export const PROMOTION_KINDS = ['n_for_m', 'nth_unit', 'mix_match', 'bundle', 'category', 'ticket'] as const satisfies readonly PromotionKind[];

export const PromotionConditionsSchema = z.strictObject({
  /** Only these companies' stores (absent: every company). */
  companyIds: Ids.optional(),
  /** Only these stores (absent: every store of the companies). */
  storeIds: Ids.optional(),
  /** In force from (inclusive) … to (exclusive), instants (ISO). */
  validFrom: z.iso.datetime({ offset: true }),
  validTo: z.iso.datetime({ offset: true }).nullable().optional(),
  /** ISO weekdays 1 (Monday) … 7 (Sunday), in the store's time zone. */
  weekdays: z.array(z.int().min(1).max(7)).min(1).max(7).optional(),
  /** Local time window [from, to) in the store's time zone; to < from spans midnight. */
  hours: z.strictObject({ from: HHMM, to: HHMM }).optional(),
  /** Only for customers in one of these segments. */
  segmentIds: Ids.optional(),
  /** Only for loyalty members (a customer with a loyalty card). */
  loyaltyOnly: z.boolean().optional(),
});
export type PromotionConditions = z.infer<typeof PromotionConditionsSchema>;

export const PromotionSchema = z.strictObject({
  id: Id,
  name: z.string().trim().min(1).max(120),
  rule: PromotionRuleSchema,
  conditions: PromotionConditionsSchema,
  /** Higher first when two promotions save as much per unit. */
  priority: z.int().min(0).max(1000).default(0),
  /** Applies alone: never combined with another promotion on the ticket. */
  exclusive: z.boolean().default(false),
});
export type Promotion = z.infer<typeof PromotionSchema>;

/** What the schema cannot say; [] when the definition is sound. Paths as in the body (`rule.pay`). */
export function checkPromotion(p: Pick<Promotion, 'rule' | 'conditions'>): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const r = p.rule;
  const oneOf = (a: unknown, b: unknown, pa: string, pb: string) => {
    if ((a === undefined) === (b === undefined)) out.push({ path: `rule.${pa}`, message: `give exactly one of ${pa} and ${pb} / indique solo uno de ${pa} y ${pb}` });
  };
  if (r.kind === 'n_for_m' && r.pay >= r.buy) out.push({ path: 'rule.pay', message: 'pay must be less than buy (3×2: buy 3, pay 2) / pagar debe ser menor que llevar' });
  if (r.kind === 'mix_match') oneOf(r.priceCents, r.percentBp, 'priceCents', 'percentBp');
  if (r.kind === 'category' || r.kind === 'ticket') oneOf(r.percentBp, r.amountCents, 'percentBp', 'amountCents');
  if (r.kind === 'bundle' && new Set(r.items.map((i) => i.productId)).size !== r.items.length) out.push({ path: 'rule.items', message: 'each product once in a bundle / cada producto una vez' });
  const c = p.conditions;
  if (c.validTo != null && Date.parse(c.validTo) <= Date.parse(c.validFrom)) out.push({ path: 'conditions.validTo', message: 'ends before it starts / termina antes de empezar' });
  if (c.hours && c.hours.from === c.hours.to) out.push({ path: 'conditions.hours.to', message: 'empty time window / franja horaria vacía' });
  return out;
}
