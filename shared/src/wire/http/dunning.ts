/**
 * HTTP schemas of dunning (reclamaciones: levels per company, runs, letters) and credit control (sales on
 * account blocked per company and counterparty, released by a manager). The API parses with them; the admin
 * UI uses the same types.
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

const Id = RowIdSchema;
const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'yyyy-mm-dd');
const Cents = z.int();
const Text = z.string().trim().min(1).max(2000);
const Name = z.string().trim().min(1).max(80);

export const DunningLevelBody = z.strictObject({
  level: z.int().min(1).max(9),
  name: z.strictObject({ es: Name, en: Name }),
  minDaysPastDue: z.int().min(1).max(3650),
  text: z.strictObject({ es: Text, en: Text }),
  blocks: z.boolean(),
  /** The letter claims Ley 3/2004 interest and the €40 compensation: the company chooses it per level. */
  claimsInterest: z.boolean(),
});
export type DunningLevelBody = z.infer<typeof DunningLevelBody>;

export const CompanyQuery = z.strictObject({ companyId: Id });
export const DunningLevelsBody = z.strictObject({ companyId: Id, levels: z.array(DunningLevelBody).min(1).max(9) });
export const DunningLevelsAnswer = z.object({ companyId: Id, isDefault: z.boolean(), levels: z.array(DunningLevelBody) });

export const DunningRunBody = z.strictObject({
  companyId: Id,
  asOf: Day,
  /** Letters in this language (default Spanish). */
  language: z.enum(['es', 'en']).default('es'),
});

export const DunningLetterItem = z.object({
  itemId: Id,
  documentRef: z.string(),
  dueDate: Day,
  balanceCents: Cents,
  daysPastDue: z.int(),
  interestCents: Cents,
  compensationCents: Cents,
});
export const DunningLetter = z.object({
  id: Id,
  companyId: Id,
  counterpartyKind: z.string(),
  counterpartyId: z.string(),
  counterpartyName: z.string().nullable(),
  level: z.int(),
  letterDate: Day,
  principalCents: Cents,
  interestCents: Cents,
  compensationCents: Cents,
  fileId: Id.nullable(),
  items: z.array(DunningLetterItem),
});
export type DunningLetter = z.infer<typeof DunningLetter>;
export const DunningRunAnswer = z.object({ asOf: Day, letters: z.array(DunningLetter), blocked: z.int(), unblocked: z.int() });
export const DunningLettersQuery = z.strictObject({ companyId: Id.optional(), from: Day.optional(), to: Day.optional() });
export const DunningLettersAnswer = z.object({ items: z.array(DunningLetter) });

export const ItemDunningAnswer = z.object({
  itemId: Id,
  dunningLevel: z.int(),
  lastDunnedOn: Day.nullable(),
  letters: z.array(DunningLetter),
});

export const CreditControlRow = z.object({
  companyId: Id,
  counterpartyKind: z.string(),
  counterpartyId: z.string(),
  counterpartyName: z.string().nullable(),
  creditLimitCents: Cents.nullable(),
  exposureCents: Cents,
  blocked: z.boolean(),
  reason: z.string().nullable(),
  releasedOn: Day.nullable(),
  releasedUntil: Day.nullable(),
  releasedBy: z.string().nullable(),
});
export type CreditControlRow = z.infer<typeof CreditControlRow>;
export const CreditControlQuery = z.strictObject({
  companyId: Id.optional(),
  blocked: z.enum(['true', 'false']).optional(),
});
export const CreditControlAnswer = z.object({ items: z.array(CreditControlRow) });
export const CreditLimitBody = z.strictObject({
  companyId: Id,
  counterpartyKind: z.enum(['company', 'customer', 'supplier', 'other']),
  counterpartyId: z.string().min(1).max(64),
  /** This company's limit for the counterparty; null: the customer's own (`customer.credit_limit_cents`), none for others. */
  creditLimitCents: z.int().min(0).max(100_000_000_00).nullable(),
});
export const CreditReleaseBody = z.strictObject({
  companyId: Id,
  counterpartyKind: z.enum(['company', 'customer', 'supplier', 'other']),
  counterpartyId: z.string().min(1).max(64),
  /** Day of the release (default today). */
  releasedOn: Day.optional(),
  /** Last day it holds (inclusive); omitted: until revoked. */
  until: Day.nullable().default(null),
  note: z.string().trim().min(1).max(500),
});
