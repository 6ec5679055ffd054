/**
 * HTTP schemas of SEPA direct debits (mandates, remittances as pain.008, returns) and supplier transfers
 * (pain.001), issue 13 part sepadd. The API parses with them; the admin UI uses the same types.
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

const Id = RowIdSchema;
const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'yyyy-mm-dd');
const Cents = z.int().min(1).max(99_999_999_999);

export const MandateBody = z.strictObject({
  /** The creditor company (default: the caller's own). */
  companyId: Id.optional(),
  counterpartyKind: z.enum(['company', 'customer']),
  counterpartyId: Id,
  reference: z.string().trim().min(1).max(35),
  signedOn: Day,
  scheme: z.enum(['CORE', 'B2B']).default('CORE'),
  recurrence: z.enum(['recurrent', 'one-off']).default('recurrent'),
  /** Default: the counterparty's name. */
  debtorName: z.string().trim().max(140).nullable().default(null),
  debtorIban: z.string().trim().min(1).max(42),
  debtorBic: z.string().trim().max(11).nullable().default(null),
  /** The bank's fee of a returned debit is recharged to the debtor (contract). */
  rechargeReturnFee: z.boolean().default(false),
});
export type MandateBody = z.output<typeof MandateBody>;

export const MandatePatch = z.strictObject({
  status: z.enum(['active', 'revoked']).optional(),
  debtorIban: z.string().trim().min(1).max(42).optional(),
  debtorBic: z.string().trim().max(11).nullable().optional(),
  rechargeReturnFee: z.boolean().optional(),
});
export type MandatePatch = z.output<typeof MandatePatch>;

export const Mandate = z.object({
  id: z.string(),
  companyId: z.string(),
  counterpartyKind: z.enum(['company', 'customer']),
  counterpartyId: z.string(),
  counterpartyName: z.string().nullable(),
  reference: z.string(),
  signedOn: z.string(),
  scheme: z.enum(['CORE', 'B2B']),
  recurrence: z.enum(['recurrent', 'one-off']),
  debtorName: z.string(),
  debtorIban: z.string(),
  debtorBic: z.string().nullable(),
  status: z.enum(['active', 'revoked']),
  rechargeReturnFee: z.boolean(),
  collections: z.int(),
  lastCollectionOn: z.string().nullable(),
  closed: z.boolean(),
  createdAt: z.string(),
});
export type Mandate = z.infer<typeof Mandate>;

export const MandateListQuery = z.object({
  companyId: Id.optional(),
  counterpartyId: z.string().max(64).optional(),
  status: z.enum(['active', 'revoked']).optional(),
});

export const RemittanceBody = z.strictObject({
  companyId: Id.optional(),
  /** Requested collection date (ReqdColltnDt). */
  collectionDate: Day,
  /** Picks the receivable items due by this date of counterparties with an active mandate. */
  dueBy: Day.optional(),
  /** Or exactly these items. */
  itemIds: z.array(Id).min(1).max(5000).optional(),
}).refine((b) => b.dueBy !== undefined || b.itemIds !== undefined, { message: 'dueBy o itemIds / dueBy or itemIds', path: ['dueBy'] });
export type RemittanceBody = z.output<typeof RemittanceBody>;

export const RemittanceLine = z.object({
  id: z.string(),
  itemId: z.string(),
  documentRef: z.string(),
  counterpartyName: z.string().nullable(),
  mandateId: z.string(),
  mandateReference: z.string(),
  endToEndId: z.string(),
  amountCents: z.int(),
  sequenceType: z.string(),
  status: z.enum(['pending', 'settled', 'returned']),
  paymentId: z.string().nullable(),
  returnReason: z.string().nullable(),
  returnFeeCents: z.int().nullable(),
  returnedOn: z.string().nullable(),
  feeItemId: z.string().nullable(),
});
export const Remittance = z.object({
  id: z.string(),
  companyId: z.string(),
  number: z.string(),
  messageId: z.string(),
  collectionDate: z.string(),
  dueBy: z.string().nullable(),
  status: z.enum(['sent', 'settled']),
  itemCount: z.int(),
  totalCents: z.int(),
  fileId: z.string().nullable(),
  settledOn: z.string().nullable(),
  createdAt: z.string(),
});
export type Remittance = z.infer<typeof Remittance>;
export const RemittanceDetail = Remittance.extend({ lines: z.array(RemittanceLine) });
export type RemittanceDetail = z.infer<typeof RemittanceDetail>;

export const RemittanceListQuery = z.object({ companyId: Id.optional(), status: z.enum(['sent', 'settled']).optional() });

export const SettleBody = z.strictObject({ settledOn: Day });

export const ReturnLine = z.strictObject({
  endToEndId: z.string().trim().min(1).max(35),
  reasonCode: z.string().trim().min(4).max(4),
  returnedOn: Day,
  /** What the bank charged for the return (0: nothing). */
  bankFeeCents: z.int().min(0).max(100_000).default(0),
});
export const ReturnsBody = z.strictObject({ returns: z.array(ReturnLine).min(1).max(5000) });
export type ReturnsBody = z.output<typeof ReturnsBody>;

export const TransferBody = z.strictObject({
  companyId: Id.optional(),
  executionDate: Day,
  /** Payable items to pay (their whole balance) or with an amount each. */
  items: z.array(z.strictObject({ itemId: Id, amountCents: Cents.optional() })).min(1).max(5000),
});
export type TransferBody = z.output<typeof TransferBody>;

export const TransferBatch = z.object({
  id: z.string(),
  companyId: z.string(),
  number: z.string(),
  messageId: z.string(),
  executionDate: z.string(),
  itemCount: z.int(),
  totalCents: z.int(),
  fileId: z.string().nullable(),
  paymentIds: z.array(z.string()),
});
export type TransferBatch = z.infer<typeof TransferBatch>;
