/** The ingest review queue for HQ (list, detail, decisions). */
import { z } from 'zod';

export const REVIEW_KINDS = ['rejected', 'anomaly', 'break', 'gap', 'batch'] as const;
export const REVIEW_STATUSES = ['open', 'accepted', 'reapplied', 'resolved'] as const;

const Id = z.string().min(1).max(36);
export const ReviewIdParams = z.object({ id: Id });

export const ReviewListQuery = z.strictObject({
  terminalId: Id.optional(),
  storeId: Id.optional(),
  kind: z.enum(REVIEW_KINDS).optional(),
  status: z.enum(REVIEW_STATUSES).optional(),
  code: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ReviewListQuery = z.output<typeof ReviewListQuery>;

export const AcceptBody = z.strictObject({ note: z.string().trim().min(1).max(500).optional() });

export const ReviewItemSchema = z
  .object({
    id: z.string(),
    terminalId: z.string(),
    terminalCode: z.string(),
    storeId: z.string(),
    storeCode: z.string(),
    seq: z.int().nullable(),
    ticketId: z.string().nullable(),
    kind: z.enum(REVIEW_KINDS),
    code: z.string(),
    reason: z.string(),
    status: z.enum(REVIEW_STATUSES),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    resolution: z.string().nullable(),
  })
  .meta({ id: 'ReviewItem' });
export type ReviewItemView = z.infer<typeof ReviewItemSchema>;

export const ReviewDecisionSchema = z.object({
  id: z.string(),
  userId: z.string(),
  userEmail: z.string(),
  action: z.enum(['reapply', 'accept']),
  outcome: z.enum(['reapplied', 'accepted', 'failed']),
  detail: z.string().nullable(),
  at: z.string(),
});
export type ReviewDecisionView = z.infer<typeof ReviewDecisionSchema>;

export const ReviewDetailSchema = ReviewItemSchema.extend({
  payload: z.string().nullable().meta({ description: 'The document (or batch) as received, JSON text; null for items that carry none' }),
  decisions: z.array(ReviewDecisionSchema),
}).meta({ id: 'ReviewDetail' });
export type ReviewDetail = z.infer<typeof ReviewDetailSchema>;

export const ReviewPageSchema = z
  .object({ items: z.array(ReviewItemSchema), total: z.int(), limit: z.int(), offset: z.int() })
  .meta({ id: 'ReviewPage' });
export type ReviewPage = z.infer<typeof ReviewPageSchema>;
