/**
 * The people module's till requests (shared/src/wire/till-request.ts), issue 16: after a worker types their PIN
 * at the till's time clock, the till asks HQ for the corrections of their record waiting for them, and sends
 * their approval or rejection. Online only: HQ chains the answer into the store's record.
 */
import { z } from 'zod';
import { IdSchema } from '../wire/ticket';

export const PEOPLE_CORRECTIONS_PENDING = 'people.corrections-pending';
export const PEOPLE_CORRECTION_DECIDE = 'people.correction-decide';

export const PendingCorrectionsRequestSchema = z.strictObject({ staffId: IdSchema });
const Stamp = z.strictObject({ event: z.string().max(12), at: z.string().max(40) });
export const PendingCorrectionSchema = z.strictObject({
  id: IdSchema,
  /** The record corrected, as it was recorded (kept). */
  original: Stamp,
  /** What the company says happened. */
  proposed: Stamp,
  reason: z.string().max(500),
  /** Who proposed it (a back-office user's e-mail) and when. */
  proposedBy: z.string().max(120),
  proposedAt: z.string().max(40),
});
export type PendingCorrection = z.infer<typeof PendingCorrectionSchema>;
export const PendingCorrectionsReplySchema = z.strictObject({
  employee: z.strictObject({ code: z.string().max(16), name: z.string().max(200) }),
  timeZone: z.string().max(60),
  corrections: z.array(PendingCorrectionSchema).max(200),
});
export type PendingCorrectionsReply = z.infer<typeof PendingCorrectionsReplySchema>;

export const CORRECTION_DECISIONS = ['approve', 'reject'] as const;
export const CorrectionDecisionRequestSchema = z.strictObject({ staffId: IdSchema, correctionId: IdSchema, decision: z.enum(CORRECTION_DECISIONS) });
export const CorrectionDecisionReplySchema = z.strictObject({
  correctionId: IdSchema,
  decision: z.enum(CORRECTION_DECISIONS),
  /** Approved by both parties now: the corrected time counts. */
  effective: z.boolean(),
  /** The approval (or rejection) record's place in the store's chain. */
  seq: z.int().min(1),
});
export type CorrectionDecisionReply = z.infer<typeof CorrectionDecisionReplySchema>;
