/**
 * The terminal ↔ back-office protocol around the message schemas of `./sync`: socket namespace and event
 * names, the pairing exchange, the catalog pull request, and the record shape of each master-data entity a
 * till keeps. Both sides import these, so the contract has one definition. Entity schemas are lenient about
 * extra keys (the back office may send more than a till needs) and strict about the fields the till sells with.
 */
import { z } from 'zod';
import { IdSchema } from './ticket';
import { VersionSchema } from './sync';

export const SOCKET_NAMESPACE = '/terminal';

export const EVENTS = {
  /** server → terminal, once per connection: `{ ackedSeq, catalogVersion }`. */
  helloAck: 'hello:ack',
  /** terminal → server, TicketBatch, ack callback → TicketAck. */
  tickets: 'tickets',
  /** server → terminal: `{ version }`, the feed has moved. */
  catalogChanged: 'catalog:changed',
  /** server → terminal: `{ batchId, code, message }`, a batch (or pull) refused whole; nothing written. */
  syncError: 'sync:error',
  /** terminal → server: `{ sinceVersion, limit }`, ack callback → ChangePage. */
  catalogPull: 'catalog:pull',
  /** terminal → server: `{ q }` (TicketLookupRequest), ack callback → TicketLookupReply (wire/ticket-lookup.ts). */
  ticketLookup: 'ticket:lookup',
} as const;

export const SyncErrorSchema = z.object({ batchId: z.string().nullable(), code: z.string(), message: z.string() });
export type SyncError = z.infer<typeof SyncErrorSchema>;

/**
 * The answer to a socket request that could not be served (malformed, unknown event, database down): every
 * request with an ack callback gets one. `retry: false` means the same request will never succeed.
 */
export const SyncRequestErrorSchema = z.strictObject({
  error: z.strictObject({ code: z.string().min(1).max(64), message: z.string().max(500), retry: z.boolean() }),
});
export type SyncRequestError = z.infer<typeof SyncRequestErrorSchema>;

/** `connect_error` message of a refused handshake (bad / revoked token): stop retrying. */
export const UNAUTHORIZED = 'unauthorized';

/** Problem code of a pairing refused because HQ holds more tickets of the terminal id than the till wrote. */
export const TERMINAL_HISTORY_CONFLICT = 'TERMINAL_HISTORY_CONFLICT';

export const HelloAckSchema = z.object({
  ackedSeq: z.int().min(0),
  catalogVersion: VersionSchema,
  /** HQ's feed no longer holds the till's version (restored from an older copy, or another database): pull from 0. */
  catalogReset: z.boolean().optional(),
});
export type HelloAck = z.infer<typeof HelloAckSchema>;

export const CatalogChangedSchema = z.object({ version: VersionSchema });

/** `limit` is a wish: the back office never answers more than MAX_CHANGES_PER_PAGE changes, and that many when absent. */
export const CatalogPullSchema = z.strictObject({ sinceVersion: VersionSchema, limit: z.int().min(1).max(10_000).optional() });
export type CatalogPull = z.infer<typeof CatalogPullSchema>;

export const PairingRequestSchema = z.strictObject({
  code: z.string().min(1).max(64),
  appVersion: z.string().min(1).max(40),
  /** Highest seq the till has written: HQ refuses the pairing when it already holds more of that terminal id. */
  lastSeq: z.int().min(0).optional(),
});
export type PairingRequest = z.infer<typeof PairingRequestSchema>;

export const TerminalIdentitySchema = z.object({
  terminalId: IdSchema,
  terminalCode: z.string().min(1).max(16),
  terminalName: z.string().min(1).max(100),
  storeId: IdSchema,
  storeCode: z.string().min(1).max(16),
  storeName: z.string().min(1).max(200),
  storeAddress: z.string().max(300),
  timezone: z.string().min(1).max(64),
  companyId: IdSchema,
  companyNif: z.string().regex(/^[0-9A-Z]{9}$/),
  companyLegalName: z.string().min(1).max(200),
  companyTradeName: z.string().min(1).max(200),
  installation: z.string().min(1).max(100),
});
/** Who a terminal is: sent by HQ at pairing, kept by the terminal, printed on every receipt. */
export type TerminalIdentity = z.infer<typeof TerminalIdentitySchema>;

export const PairingResponseSchema = z.object({
  terminalId: IdSchema,
  token: z.string().min(16).max(512),
  identity: TerminalIdentitySchema,
  catalogVersion: VersionSchema,
  /** Highest seq HQ holds of this terminal id (0 for a new installation): the till's history must reach it. */
  ackedSeq: z.int().min(0).optional(),
});
export type PairingResponse = z.infer<typeof PairingResponseSchema>;

// ── master-data records (upsert `data`) ────────────────────────────────────────────────────────────
const Cents = z.int().min(0);
const Name = z.string().min(1).max(300);

export const ProductDataSchema = z.object({
  id: IdSchema,
  sku: z.string().min(1).max(64),
  name: Name,
  categoryId: IdSchema.nullable().optional(),
  taxRateBp: z.int().min(0).max(10_000),
  exemption: z.string().max(8).nullable().optional(),
  weighed: z.boolean(),
  /** Base price (tax included); a store `price` overrides it. */
  priceCents: Cents,
  active: z.boolean(),
});
export const PriceDataSchema = z.object({ productId: IdSchema, priceCents: Cents });
/**
 * Scheduled prices of one product in the till's store, resolved by HQ (store > company > base, newest
 * effective wins): each entry is the price from `at` (UTC instant) on. The till sells at the entry with the
 * latest `at` not after its own clock, else at the product's price — so it switches on time even offline.
 */
export const PriceScheduleDataSchema = z.object({
  productId: IdSchema,
  entries: z.array(z.object({ at: z.iso.datetime(), priceCents: Cents })).max(500),
});
export const BarcodeDataSchema = z.object({
  barcode: z.string().min(1).max(64),
  productId: IdSchema,
  /** A pack's own barcode (a box of 12): one scan rings up this many units. Absent: one unit. */
  units: z.int().min(2).max(10_000).optional(),
});
export const CategoryDataSchema = z.object({
  id: IdSchema,
  name: Name,
  parentId: IdSchema.nullable().optional(),
  sort: z.int().optional(),
});
export const StaffDataSchema = z.object({
  id: IdSchema,
  code: z.string().min(1).max(32),
  name: Name,
  role: z.enum(['cashier', 'supervisor', 'manager']),
  pinHash: z.string().min(1).max(512),
  active: z.boolean(),
});
export const CustomerDataSchema = z.object({
  id: IdSchema,
  nif: z.string().max(20).nullable().optional(),
  name: Name,
  reRegime: z.boolean(),
  creditLimitCents: Cents,
  active: z.boolean(),
  /** Dunning / credit control blocked the customer's sales on account (until paid or released by a manager). */
  onAccountBlocked: z.boolean().optional(),
  /** CRM: how the till finds the customer (search by phone, email; the loyalty card's barcode). */
  phone: z.string().max(30).nullable().optional(),
  email: z.string().max(254).nullable().optional(),
  /** The loyalty card number (its barcode); present = a member of the franchise's loyalty programme. */
  loyaltyCard: z.string().max(40).nullable().optional(),
  /** The CRM segments the customer is in (promotions for a segment apply at the till offline). */
  segmentIds: z.array(IdSchema).max(200).optional(),
});
export const NoticeDataSchema = z.object({
  id: IdSchema,
  title: z.string().min(1).max(300),
  body: z.string().max(10_000),
  validUntil: z.string().max(40).nullable().optional(),
  /** Office notices (issue 16): the English text beside the Spanish, priority, first day shown, till roles it is for (none: all). */
  titleEn: z.string().max(300).nullable().optional(),
  bodyEn: z.string().max(10_000).nullable().optional(),
  priority: z.enum(['normal', 'high', 'urgent']).optional(),
  startsAt: z.string().max(40).nullable().optional(),
  roles: z.array(z.enum(['cashier', 'supervisor', 'manager'])).max(3).optional(),
});

export type ProductData = z.infer<typeof ProductDataSchema>;
export type PriceData = z.infer<typeof PriceDataSchema>;
export type PriceScheduleData = z.infer<typeof PriceScheduleDataSchema>;
export type BarcodeData = z.infer<typeof BarcodeDataSchema>;
export type CategoryData = z.infer<typeof CategoryDataSchema>;
export type StaffData = z.infer<typeof StaffDataSchema>;
export type CustomerData = z.infer<typeof CustomerDataSchema>;
export type NoticeData = z.infer<typeof NoticeDataSchema>;
