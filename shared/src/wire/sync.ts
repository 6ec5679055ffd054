/**
 * Sync protocol between a terminal and the back office (invariants 4 and 5): hello on connect, ticket
 * batches up from the outbox, acks of the highest contiguous seq applied, and the master-data change feed
 * down. All objects strict, integers bounded, strings bounded.
 */
import { z } from 'zod';
import { IdSchema, TicketDocumentSchema } from './ticket';

/** Monotonic master-data version (0 = nothing yet). */
export const VersionSchema = z.int().min(0);
/** Per-terminal ticket sequence; 0 in an ack/hello means "nothing yet". */
export const SeqSchema = z.int().min(0);

export const TerminalHelloSchema = z.strictObject({
  terminalId: IdSchema,
  token: z.string().min(16).max(512),
  /** Highest seq the terminal has seen acked (it resends everything above). */
  lastAckedSeq: SeqSchema,
  /** Master-data version of its local copy: it asks for changes after this. */
  catalogVersion: VersionSchema,
  /** Highest seq the terminal has written (its own history): HQ holding more means another installation's history. */
  lastSeq: SeqSchema.optional(),
  /** The feed epoch HQ gave with `catalogVersion` (ChangePage.epoch): another epoch there means HQ's feed went back. */
  catalogEpoch: z.string().min(1).max(64).optional(),
});
export type TerminalHello = z.infer<typeof TerminalHelloSchema>;

export const MAX_TICKETS_PER_BATCH = 200;

export const TicketBatchSchema = z
  .strictObject({
    terminalId: IdSchema,
    batchId: z.uuid(),
    tickets: z.array(TicketDocumentSchema).min(1).max(MAX_TICKETS_PER_BATCH),
  })
  .superRefine((b, ctx) => {
    b.tickets.forEach((t, i) => {
      if (t.terminalId !== b.terminalId) {
        ctx.addIssue({ code: 'custom', path: ['tickets', i, 'terminalId'], message: 'ticket from another terminal' });
      }
      if (i > 0 && t.seq <= b.tickets[i - 1]!.seq) {
        ctx.addIssue({ code: 'custom', path: ['tickets', i, 'seq'], message: 'tickets must be in strictly increasing seq order' });
      }
    });
  });
export type TicketBatch = z.infer<typeof TicketBatchSchema>;

export const TicketAckSchema = z.strictObject({
  terminalId: IdSchema,
  /** Highest contiguous seq applied (0 = none). */
  ackedSeq: SeqSchema,
  /** Tickets refused for good (e.g. arithmetic mismatch); they stay for human review, never silently dropped. */
  rejected: z
    .array(z.strictObject({ seq: z.int().min(1), reason: z.string().min(1).max(500) }))
    .max(MAX_TICKETS_PER_BATCH)
    .optional(),
  /**
   * The batch was refused whole (nothing written): `permanent` when resending it can never succeed (malformed
   * envelope, seqs that cannot be trusted, a ticket claiming another till or store) — HQ keeps it in its review
   * queue and the till should stop resending it until something changes (a new connection).
   */
  refused: z.strictObject({ code: z.string().min(1).max(64), reason: z.string().max(500), permanent: z.boolean() }).optional(),
});
export type TicketAck = z.infer<typeof TicketAckSchema>;

/** Entities carried by the master-data feed. */
export const MASTER_DATA_ENTITIES = [
  'product',
  'barcode',
  'price',
  /** A store's upcoming (and latest past) prices of one product: id = productId, store-scoped (catalog issue 10). */
  'price_schedule',
  'tax',
  'category',
  'staff',
  'promotion',
  'notice',
  'customer',
  'store',
  'terminal',
  'settings',
  /** A delivery note shipped to a store, store-scoped, deleted once received or closed (wire/upward.ts DeliveryNoteDataSchema). */
  'delivery_note',
  /** The franchise's loyalty programme (id `franchise`; shared/src/loyalty LoyaltyProgrammeDataSchema). */
  'loyalty_programme',
  /** Issue 17: a product (or lot / best-before range) HQ blocked; network-wide, or store-scoped per store (shared/src/blocks/rules.ts). */
  'product_block',
  /** Issue 19: the receipt design a store prints with (id = store id, store-scoped; shared/src/receipts/design.ts). */
  'receipt_design',
  /** Issue 16: a task or checklist for a store (store-scoped; deleted once the store has done it: shared/src/office/tasks.ts). */
  'office_task',
] as const;
export const MasterDataEntitySchema = z.enum(MASTER_DATA_ENTITIES);
export type MasterDataEntity = z.infer<typeof MasterDataEntitySchema>;

const ChangeBase = { version: z.int().min(1), entity: MasterDataEntitySchema, id: IdSchema };

/** One change: an upsert carries the entity's full record (validated by the entity's own schema); a delete
 *  carries `data: null`. */
export const MasterDataChangeSchema = z.discriminatedUnion('op', [
  z.strictObject({ ...ChangeBase, op: z.literal('upsert'), data: z.record(z.string().max(64), z.unknown()) }),
  z.strictObject({ ...ChangeBase, op: z.literal('delete'), data: z.null().optional() }),
]);
export type MasterDataChange = z.infer<typeof MasterDataChangeSchema>;

export const MAX_CHANGES_PER_PAGE = 1000;

/** Changes with fromVersion < version ≤ toVersion, ascending; hasMore means ask again from toVersion. */
export const ChangePageSchema = z
  .strictObject({
    fromVersion: VersionSchema,
    toVersion: VersionSchema,
    changes: z.array(MasterDataChangeSchema).max(MAX_CHANGES_PER_PAGE),
    hasMore: z.boolean(),
    /** HQ's feed epoch at `toVersion`: the till keeps it with its version and sends it back in its hello. */
    epoch: z.string().min(1).max(64).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.toVersion < p.fromVersion) ctx.addIssue({ code: 'custom', path: ['toVersion'], message: 'toVersion < fromVersion' });
    let prev = p.fromVersion;
    p.changes.forEach((c, i) => {
      if (c.version <= prev || c.version > p.toVersion) {
        ctx.addIssue({ code: 'custom', path: ['changes', i, 'version'], message: 'versions must increase within (fromVersion, toVersion]' });
      }
      prev = c.version;
    });
  });
export type ChangePage = z.infer<typeof ChangePageSchema>;

