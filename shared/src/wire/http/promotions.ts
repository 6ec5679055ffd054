/**
 * HTTP schemas of HQ's promotions (issue 15): a promotion's definition (shared/src/promotions/definition.ts)
 * as the admin writes it, the list and item answers, and the promotion totals per promotion, store and day.
 */
import { z } from 'zod';
import { PromotionConditionsSchema, PromotionRuleSchema } from '../../promotions/definition';

const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');
const Id = z.string().min(1).max(64);

export const PromotionBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  rule: PromotionRuleSchema,
  conditions: PromotionConditionsSchema,
  priority: z.int().min(0).max(1000).default(0),
  exclusive: z.boolean().default(false),
});
export type PromotionBody = z.output<typeof PromotionBody>;

export const PromotionStatus = z.enum(['scheduled', 'active', 'ended']);
export const PromotionItem = z.object({
  id: Id,
  name: z.string(),
  rule: PromotionRuleSchema,
  conditions: PromotionConditionsSchema,
  priority: z.int(),
  exclusive: z.boolean(),
  /** At the time of the answer: not started yet, in force (its weekdays and hours aside), or ended. */
  status: PromotionStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PromotionItem = z.infer<typeof PromotionItem>;

export const PromotionListQuery = z.object({
  status: PromotionStatus.optional(),
  q: z.string().trim().max(120).optional(),
});
export const PromotionList = z.object({ items: z.array(PromotionItem) });
export const PromotionParams = z.object({ id: Id });

export const PromotionTotalsQuery = z.object({
  from: Day,
  to: Day,
  storeId: Id.optional(),
  promotionId: Id.optional(),
});
export const PromotionTotalRow = z.object({
  promotionId: Id,
  name: z.string(),
  storeId: Id,
  day: Day,
  tickets: z.int(),
  cents: z.int(),
});
export const PromotionTotals = z.object({
  rows: z.array(PromotionTotalRow),
  /** Per promotion over the period and stores asked. */
  byPromotion: z.array(z.object({ promotionId: Id, name: z.string(), tickets: z.int(), cents: z.int() })),
  totalCents: z.int(),
});
