/**
 * HTTP schemas of the collections ledger's API (issue 13, payments part): open items, payments (collections
 * received and payments made) with their allocation, held credit, refunds and cancellation, write-offs with
 * approval, and the statement of account. The API parses with them; the admin UI uses the same types.
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

const Id = RowIdSchema;
const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'yyyy-mm-dd');
const Cents = z.int().min(1).max(100_000_000_000);

export const SIDES = ['receivable', 'payable'] as const;
export const Side = z.enum(SIDES);
export const COUNTERPARTY_KINDS = ['company', 'customer', 'supplier', 'other'] as const;
export const CounterpartyKind = z.enum(COUNTERPARTY_KINDS);
export const ITEM_STATUSES = ['open', 'partial', 'paid', 'written_off', 'overpaid', 'cancelled'] as const;
export const ItemStatus = z.enum(ITEM_STATUSES);
export const PAYMENT_METHODS = ['transfer', 'card', 'cash', 'direct_debit', 'cheque', 'offset'] as const;
export const PaymentMethod = z.enum(PAYMENT_METHODS);
/** A row id, or `nif:<NIF>` for an invoice recipient typed by hand. */
const CounterpartyId = z.string().trim().min(1).max(64);

export const ItemFilterQuery = {
  side: Side.optional(),
  companyId: Id.optional(),
  counterpartyKind: CounterpartyKind.optional(),
  counterpartyId: CounterpartyId.optional(),
  status: ItemStatus.optional(),
  /** Only items still owed whose due date is before `asOf` (default today). */
  overdue: z.enum(['true', 'false']).optional(),
  asOf: Day.optional(),
  dueFrom: Day.optional(),
  dueTo: Day.optional(),
};

export const OpenItemRow = z.object({
  id: z.string(),
  companyId: z.string(),
  side: Side,
  kind: z.string(),
  documentRef: z.string(),
  counterpartyKind: CounterpartyKind,
  counterpartyId: z.string(),
  counterpartyName: z.string().nullable(),
  storeId: z.string().nullable(),
  issueDate: z.string(),
  dueDate: z.string(),
  amountCents: z.int(),
  balanceCents: z.int(),
  status: ItemStatus,
  cancelled: z.boolean(),
  dunningLevel: z.int(),
});
export type OpenItemRow = z.infer<typeof OpenItemRow>;

export const PostingRow = z.object({
  id: z.string(),
  kind: z.enum(['invoiced', 'credited', 'collected', 'returned', 'written_off']),
  amountCents: z.int(),
  signedCents: z.int(),
  onDate: z.string(),
  sourceKind: z.string(),
  sourceId: z.string().nullable(),
  note: z.string().nullable(),
});
export const WriteOffRow = z.object({
  id: z.string(),
  itemId: z.string(),
  companyId: z.string(),
  amountCents: z.int(),
  reason: z.string(),
  status: z.enum(['requested', 'approved', 'refused']),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type WriteOffRow = z.infer<typeof WriteOffRow>;
export const OpenItemDetail = OpenItemRow.extend({ postings: z.array(PostingRow), writeOffs: z.array(WriteOffRow) });
export type OpenItemDetail = z.infer<typeof OpenItemDetail>;

export const AllocationLineBody = z.strictObject({ itemId: Id, amountCents: Cents });
export const AllocationBody = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('oldest_first') }),
  z.strictObject({ mode: z.literal('manual'), lines: z.array(AllocationLineBody).min(1).max(500) }),
]);
export type AllocationBody = z.output<typeof AllocationBody>;

export const PaymentBody = z.strictObject({
  companyId: Id,
  /** receivable: a collection received; payable: a payment we made. */
  side: Side,
  counterpartyKind: CounterpartyKind,
  counterpartyId: CounterpartyId,
  method: PaymentMethod,
  amountCents: Cents,
  receivedOn: Day,
  reference: z.string().trim().max(140).nullable().default(null),
  note: z.string().max(2000).nullable().default(null),
  allocation: AllocationBody.default({ mode: 'oldest_first' }),
  /** Only compute the allocation (nothing written): the form's preview. */
  dryRun: z.boolean().default(false),
});
export type PaymentBody = z.output<typeof PaymentBody>;

export const PaymentFilterQuery = {
  side: Side.optional(),
  companyId: Id.optional(),
  counterpartyKind: CounterpartyKind.optional(),
  counterpartyId: CounterpartyId.optional(),
  status: z.enum(['posted', 'cancelled']).optional(),
  from: Day.optional(),
  to: Day.optional(),
};

export const PaymentRow = z.object({
  id: z.string(),
  companyId: z.string(),
  side: Side,
  number: z.string(),
  counterpartyKind: CounterpartyKind,
  counterpartyId: z.string(),
  counterpartyName: z.string().nullable(),
  method: PaymentMethod,
  amountCents: z.int(),
  allocatedCents: z.int(),
  refundedCents: z.int(),
  creditCents: z.int(),
  receivedOn: z.string(),
  reference: z.string().nullable(),
  status: z.enum(['posted', 'cancelled']),
});
export type PaymentRow = z.infer<typeof PaymentRow>;
export const PaymentAllocationRow = z.object({ itemId: z.string(), documentRef: z.string(), dueDate: z.string(), amountCents: z.int(), onDate: z.string() });
export const CreditMovementRow = z.object({ kind: z.enum(['received', 'allocated', 'refunded', 'cancelled']), amountCents: z.int(), onDate: z.string() });
export const PaymentDetail = PaymentRow.extend({
  note: z.string().nullable(),
  allocations: z.array(PaymentAllocationRow),
  creditMovements: z.array(CreditMovementRow),
});
export type PaymentDetail = z.infer<typeof PaymentDetail>;
/** The answer of a dry run: how the amount would be split (nothing written). */
export const PaymentPreview = z.object({
  dryRun: z.literal(true),
  lines: z.array(z.object({ itemId: z.string(), documentRef: z.string(), dueDate: z.string(), balanceCents: z.int(), amountCents: z.int() })),
  allocatedCents: z.int(),
  creditCents: z.int(),
});

export const AllocateBody = z.strictObject({ onDate: Day, allocation: AllocationBody.default({ mode: 'oldest_first' }) });
export const RefundBody = z.strictObject({ amountCents: Cents, onDate: Day, reference: z.string().trim().max(140).nullable().default(null) });
export const CancelPaymentBody = z.strictObject({ onDate: Day, reason: z.string().trim().min(1).max(2000) });

export const WriteOffBody = z.strictObject({
  reason: z.string().trim().min(3).max(2000),
  /** Default: the item's whole balance. */
  amountCents: Cents.optional(),
});
export const WriteOffDecisionBody = z.strictObject({ onDate: Day, note: z.string().trim().max(2000).nullable().default(null) });
export const WriteOffFilterQuery = { status: z.enum(['requested', 'approved', 'refused']).optional(), companyId: Id.optional() };

export const StatementQuery = z.object({
  counterpartyKind: CounterpartyKind,
  counterpartyId: CounterpartyId,
  from: Day,
  to: Day,
  side: Side.default('receivable'),
  /** Only this company's items (default: every company the caller may see). */
  companyId: Id.optional(),
  lang: z.enum(['es', 'en']).default('es'),
});
export type StatementQuery = z.output<typeof StatementQuery>;
export const StatementLineRow = z.object({
  on: z.string(),
  kind: z.string(),
  documentRef: z.string(),
  ref: z.string().optional(),
  debitCents: z.int(),
  creditCents: z.int(),
  balanceCents: z.int(),
});
export const StatementAnswer = z.object({
  counterpartyKind: CounterpartyKind,
  counterpartyId: z.string(),
  counterpartyName: z.string().nullable(),
  side: Side,
  from: z.string(),
  to: z.string(),
  openingCents: z.int(),
  lines: z.array(StatementLineRow),
  debitCents: z.int(),
  creditCents: z.int(),
  closingCents: z.int(),
  /** Σ balances of the counterparty's items today and the credit it holds (closing = owed − credit at `to`). */
  creditHeldCents: z.int(),
});
export type StatementAnswer = z.infer<typeof StatementAnswer>;
