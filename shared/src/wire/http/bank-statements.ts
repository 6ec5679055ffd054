/**
 * HTTP schemas of bank statements and their reconciliation (issue 13, collections): a Norma 43 or camt.053
 * file uploaded as text, its statements and movements, automatic and manual matching of movements to open
 * items (a payment per matched movement), ignoring a movement. The API parses with them; the admin UI uses
 * the same types.
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

const Id = RowIdSchema;

/** At most 4.5 million characters (the JSON body limit is 5 MB): a month of a busy account in Norma 43 is well under 2 MB. */
export const MAX_STATEMENT_CHARS = 4_500_000;

export const ImportStatementBody = z.strictObject({
  /** The company whose account it is (default: the caller's only company). A known IBAN must be of this company. */
  companyId: Id.optional(),
  /** The file's text (Norma 43 or camt.053 XML). */
  content: z.string().min(1).max(MAX_STATEMENT_CHARS),
  /** The uploaded file's name (kept for the record). */
  fileName: z.string().trim().max(200).optional(),
  /** Run the automatic matching on the new movements (default true). */
  autoMatch: z.boolean().default(true),
});
export type ImportStatementBody = z.output<typeof ImportStatementBody>;

export const MOVEMENT_STATUSES = ['unmatched', 'matched', 'ignored'] as const;
export const MovementStatus = z.enum(MOVEMENT_STATUSES);
export type MovementStatus = z.infer<typeof MovementStatus>;
export const MATCH_KINDS = ['reference', 'amount', 'remittance', 'cash_deposit', 'manual'] as const;
export const MatchKind = z.enum(MATCH_KINDS);

export const BankStatementItem = z.object({
  id: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  accountId: z.string(),
  iban: z.string(),
  accountName: z.string(),
  format: z.enum(['norma43', 'camt053']),
  from: z.string(),
  to: z.string(),
  openingBalanceCents: z.int(),
  closingBalanceCents: z.int(),
  debitCount: z.int(),
  debitCents: z.int(),
  creditCount: z.int(),
  creditCents: z.int(),
  movementCount: z.int(),
  /** Movements already imported with an overlapping statement, not imported again. */
  skippedCount: z.int(),
  matchedCount: z.int(),
  unmatchedCount: z.int(),
  importedAt: z.string(),
});
export type BankStatementItem = z.infer<typeof BankStatementItem>;

export const BankMovementItem = z.object({
  id: z.string(),
  statementId: z.string(),
  companyId: z.string(),
  idx: z.int(),
  operationDate: z.string(),
  valueDate: z.string(),
  commonConcept: z.string(),
  ownConcept: z.string(),
  /** Signed: > 0 a credit (money in), < 0 a debit (money out). */
  amountCents: z.int(),
  document: z.string(),
  reference1: z.string(),
  reference2: z.string(),
  concepts: z.array(z.string()),
  status: MovementStatus,
  matchKind: MatchKind.nullable(),
  paymentId: z.string().nullable(),
  paymentNumber: z.string().nullable(),
  remittanceId: z.string().nullable(),
  storeId: z.string().nullable(),
  businessDate: z.string().nullable(),
  /** Cash deposit: what the store's cash sessions of that day say should have been deposited. */
  expectedCents: z.int().nullable(),
  note: z.string().nullable(),
});
export type BankMovementItem = z.infer<typeof BankMovementItem>;

export const BankStatementDetail = BankStatementItem.extend({ movements: z.array(BankMovementItem) });
export type BankStatementDetail = z.infer<typeof BankStatementDetail>;

export const ImportStatementAnswer = z.object({
  statements: z.array(BankStatementDetail),
  /** Movements matched automatically by this import. */
  matched: z.int(),
});

export const MatchRunAnswer = z.object({ matched: z.int(), statement: BankStatementDetail });

export const BankStatementFilterQuery = z.object({ companyId: Id.optional() });
export const BankMovementFilterQuery = z.object({
  status: MovementStatus.optional(),
  companyId: Id.optional(),
  statementId: Id.optional(),
});

export const ManualMatchBody = z.strictObject({
  /** Open items and the amount of the movement each takes (> 0); what is left of the movement is the counterparty's credit. */
  lines: z.array(z.strictObject({ itemId: Id, amountCents: z.int().min(1).max(Number.MAX_SAFE_INTEGER) })).min(1).max(200),
  note: z.string().trim().max(500).optional(),
});
export type ManualMatchBody = z.output<typeof ManualMatchBody>;

export const IgnoreBody = z.strictObject({ note: z.string().trim().min(1).max(500) });

export const CandidatesQuery = z.object({ q: z.string().trim().max(100).optional() });
/** An open item a movement may be matched to by hand (same company; receivable for a credit, payable for a debit). */
export const MatchCandidate = z.object({
  id: z.string(),
  documentRef: z.string(),
  counterpartyKind: z.string(),
  counterpartyId: z.string(),
  counterpartyName: z.string().nullable(),
  dueDate: z.string(),
  balanceCents: z.int(),
  /** Its balance equals the movement's amount. */
  exactAmount: z.boolean(),
});
export type MatchCandidate = z.infer<typeof MatchCandidate>;
