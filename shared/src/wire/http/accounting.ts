/**
 * HTTP shapes of the accounting core (issue 14): a company's posting rules and period locks. The parts of the
 * module (journal, books, taxes, exports) keep their shapes in `accounting-*.ts` beside this file.
 */
import { z } from 'zod';
import { ROLE_IDS } from '../../accounting/rules';

export const CompanyParams = z.object({ companyId: z.string().min(1).max(64) });
export const PeriodParams = CompanyParams.extend({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as yyyy-mm') });

export const PeriodLockSchema = z.object({ period: z.string(), lockedAt: z.string(), lockedBy: z.string().nullable() });
export const PeriodLocksSchema = z.object({ companyId: z.string(), locks: z.array(PeriodLockSchema) });

export const RuleSchema = z.object({
  role: z.enum(ROLE_IDS as [string, ...string[]]),
  rateBp: z.number().int().nullable(),
  account: z.string(),
  isDefault: z.boolean(),
  es: z.string(),
  en: z.string(),
});
export const RulesSchema = z.object({ companyId: z.string(), rules: z.array(RuleSchema) });
export const RuleBody = z.strictObject({
  role: z.enum(ROLE_IDS as [string, ...string[]]),
  rateBp: z.number().int().min(0).max(9999).nullable().default(null),
  /** null: back to the default account. */
  account: z.string().regex(/^\d{1,12}$/, 'digits only').nullable(),
});
