/** HTTP bodies and answers of the loyalty module (backoffice/src/loyalty/route.ts). */
import { z } from 'zod';
import { LoyaltyProgrammeSchema } from '../../loyalty/rules';

export const ProgrammeAnswer = z.object({ programme: LoyaltyProgrammeSchema.nullable(), updatedAt: z.string().nullable() });
export const ProgrammeBody = LoyaltyProgrammeSchema;

export const MemberParams = z.object({ customerId: z.string().uuid() });
export const PostingRow = z.object({
  id: z.string(), seq: z.number(), kind: z.string(), points: z.number(), amountCents: z.number(), companyId: z.string(), storeId: z.string().nullable(),
  ticketId: z.string().nullable(), refId: z.string().nullable(), day: z.string(), flagged: z.boolean(), note: z.string().nullable(), createdAt: z.string(),
});
export const MemberLedgerAnswer = z.object({
  customerId: z.string(), name: z.string(), card: z.string().nullable(), points: z.number(), held: z.number(), postings: z.array(PostingRow),
  /** Outstanding points by the company where they were earned. */
  byCompany: z.array(z.object({ companyId: z.string(), points: z.number() })),
});
export const AdjustBody = z.strictObject({
  customerId: z.string().uuid(),
  points: z.int().min(-1_000_000).max(1_000_000).refine((n) => n !== 0, 'no puede ser 0 / cannot be 0'),
  companyId: z.string().uuid(),
  note: z.string().trim().min(3).max(500),
});
export const AdjustAnswer = z.object({ seq: z.number(), balance: z.number() });

export const LiabilityAnswer = z.object({
  pointValueCents: z.number(),
  rows: z.array(z.object({ companyId: z.string(), companyName: z.string(), points: z.number(), cents: z.number() })),
  /** Points members owe (offline overdrafts not covered yet). */
  overdraftPoints: z.number(),
});
export const SettlementQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month: YYYY-MM') });
export const SettlementAnswer = z.object({
  month: z.string(),
  pointValueCents: z.number(),
  lines: z.array(z.object({ debtorCompanyId: z.string(), debtorName: z.string(), creditorCompanyId: z.string(), creditorName: z.string(), points: z.number(), cents: z.number() })),
});
export const ExpireBody = z.strictObject({ asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'asOf: YYYY-MM-DD').optional() });
export const JobStarted = z.object({ jobId: z.string() });
