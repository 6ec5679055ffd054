import { EntitySchema } from 'typeorm';
import type { EntitySchemaColumnOptions } from 'typeorm';

/**
 * TypeORM EntitySchema definitions of the terminal database (no decorators: code runs through esbuild).
 * The migration in ./migrations is the source of truth for the schema (synchronize is off); these schemas
 * map rows to camelCase objects and must name the same tables and columns — a medium test checks that.
 *
 * Money = integer cents, rates = basis points, timestamps = ISO-8601 text, ids = uuid v7 text.
 * `json` columns hold any JSON value and are (de)serialised by TypeORM (`simple-json`, stored as text).
 */

type Json = unknown;
export type StaffRole = 'cashier' | 'supervisor' | 'manager';
export type CashSessionStatus = 'open' | 'closed';
export type CashMovementKind = 'float' | 'sale' | 'refund' | 'cash_in' | 'cash_out';
export type TicketKind = 'sale' | 'return';
export type FiscalRecordKind = 'alta' | 'anulacion';
export type PrintJobStatus = 'pending' | 'printing' | 'done' | 'failed';

// ── column helpers ──────────────────────────────────────────────────────────────────────────────
const text = (name: string, nullable = false): EntitySchemaColumnOptions => ({ type: 'text', name, nullable });
const int = (name: string, nullable = false): EntitySchemaColumnOptions => ({ type: 'integer', name, nullable });
const bool = (name: string): EntitySchemaColumnOptions => ({ type: 'boolean', name, nullable: false });
const json = (name: string, nullable = false): EntitySchemaColumnOptions => ({ type: 'simple-json', name, nullable });
const textPk = (name = 'id'): EntitySchemaColumnOptions => ({ type: 'text', name, primary: true });
const intPk = (name: string): EntitySchemaColumnOptions => ({ type: 'integer', name, primary: true });

// ── master data ─────────────────────────────────────────────────────────────────────────────────
export interface Category { id: string; name: string; parentId: string | null; sort: number; version: number }
export const CategoryEntity = new EntitySchema<Category>({
  name: 'Category', tableName: 'category',
  columns: { id: textPk(), name: text('name'), parentId: text('parent_id', true), sort: int('sort'), version: int('version') },
  indices: [{ name: 'idx_category_parent', columns: ['parentId', 'sort'] }],
});

export interface Product {
  id: string; sku: string; name: string; categoryId: string | null; taxRateBp: number; exemption: string | null;
  weighed: boolean; priceCents: number; active: boolean; version: number;
}
export const ProductEntity = new EntitySchema<Product>({
  name: 'Product', tableName: 'product',
  columns: {
    id: textPk(), sku: text('sku'), name: text('name'), categoryId: text('category_id', true), taxRateBp: int('tax_rate_bp'),
    exemption: text('exemption', true), weighed: bool('weighed'), priceCents: int('price_cents'), active: bool('active'),
    version: int('version'),
  },
  uniques: [{ name: 'uq_product_sku', columns: ['sku'] }],
  indices: [{ name: 'idx_product_category', columns: ['categoryId', 'name'] }],
});

/** `units`: a pack's barcode rings up that many (null: one). */
export interface ProductBarcode { barcode: string; productId: string; units: number | null; version: number }
export const ProductBarcodeEntity = new EntitySchema<ProductBarcode>({
  name: 'ProductBarcode', tableName: 'product_barcode',
  columns: { barcode: textPk('barcode'), productId: text('product_id'), units: int('units', true), version: int('version') },
  indices: [{ name: 'idx_product_barcode_product', columns: ['productId'] }],
});

export interface QuickKey { page: number; position: number; productId: string; label: string; color: string | null; version: number }
export const QuickKeyEntity = new EntitySchema<QuickKey>({
  name: 'QuickKey', tableName: 'quick_key',
  columns: {
    page: intPk('page'), position: intPk('position'), productId: text('product_id'), label: text('label'),
    color: text('color', true), version: int('version'),
  },
  indices: [{ name: 'idx_quick_key_product', columns: ['productId'] }],
});

export interface Customer {
  id: string; nif: string | null; name: string; reRegime: boolean; creditLimitCents: number; balanceCents: number;
  active: boolean; version: number; onAccountBlocked?: boolean;
  phone?: string | null; email?: string | null; loyaltyCard?: string | null; segmentIds?: string;
  /** The folded name of the ordered-prefix search (shared/src/crm/customer.ts foldName). */
  nameKey?: string;
}
export const CustomerEntity = new EntitySchema<Customer>({
  name: 'Customer', tableName: 'customer',
  columns: {
    id: textPk(), nif: text('nif', true), name: text('name'), reRegime: bool('re_regime'),
    creditLimitCents: int('credit_limit_cents'), balanceCents: int('balance_cents'), active: bool('active'), version: int('version'),
    // collections (issue 13): blocked for sales on account by the back office's dunning / credit control
    onAccountBlocked: { ...bool('on_account_blocked'), default: false },
    // CRM (issue 15): found by phone, email, loyalty card; segments for promotions offline
    phone: text('phone', true), email: text('email', true), loyaltyCard: text('loyalty_card', true), segmentIds: { ...text('segment_ids'), default: '[]' }, nameKey: { ...text('name_key'), default: '' },
  },
  indices: [{ name: 'idx_customer_nif', columns: ['nif'] }, { name: 'idx_customer_name', columns: ['name'] }],
});

export interface Staff {
  id: string; code: string; name: string; role: StaffRole; pinHash: string; active: boolean; version: number;
}
export const StaffEntity = new EntitySchema<Staff>({
  name: 'Staff', tableName: 'staff',
  columns: {
    id: textPk(), code: text('code'), name: text('name'), role: text('role'), pinHash: text('pin_hash'), active: bool('active'),
    version: int('version'),
  },
  uniques: [{ name: 'uq_staff_code', columns: ['code'] }],
});

export interface Notice {
  id: string; title: string; body: string; validUntil: string | null; version: number;
  /** Office notices (issue 16): English beside the Spanish, priority, shown from, till roles (JSON list; empty: all). */
  titleEn: string | null; bodyEn: string | null; priority: string; startsAt: string | null; roles: string;
}
export const NoticeEntity = new EntitySchema<Notice>({
  name: 'Notice', tableName: 'notice',
  columns: {
    id: textPk(), title: text('title'), body: text('body'), validUntil: text('valid_until', true), version: int('version'),
    titleEn: text('title_en', true), bodyEn: text('body_en', true), priority: text('priority'), startsAt: text('starts_at', true), roles: text('roles'),
  },
  indices: [{ name: 'idx_notice_valid_until', columns: ['validUntil'] }],
});

/** Single row (id = 1): the master-data version this terminal has applied. */
export interface MasterDataState { id: 1; version: number; updatedAt: string | null }
export const MasterDataStateEntity = new EntitySchema<MasterDataState>({
  name: 'MasterDataState', tableName: 'master_data_state',
  columns: { id: intPk('id'), version: int('version'), updatedAt: text('updated_at', true) },
});

// ── terminal identity / config ──────────────────────────────────────────────────────────────────
/** Key/value config: terminal id, store, company NIF, series, device config, HQ token… value is JSON. */
export interface TerminalConfig { key: string; value: Json }
export const TerminalConfigEntity = new EntitySchema<TerminalConfig>({
  name: 'TerminalConfig', tableName: 'terminal_config',
  columns: { key: textPk('key'), value: json('value') },
});

// ── selling ─────────────────────────────────────────────────────────────────────────────────────
export interface CashSession {
  id: string; number: number; status: CashSessionStatus; openedAt: string; openedBy: string; floatCents: number;
  floatCount: Json | null; closedAt: string | null; closedBy: string | null; countedCents: number | null;
  countedDetail: Json | null; expectedCents: number | null; differenceCents: number | null; zReport: Json | null;
}
export const CashSessionEntity = new EntitySchema<CashSession>({
  name: 'CashSession', tableName: 'cash_session',
  columns: {
    id: textPk(), number: int('number'), status: text('status'), openedAt: text('opened_at'), openedBy: text('opened_by'),
    floatCents: int('float_cents'), floatCount: json('float_count', true), closedAt: text('closed_at', true),
    closedBy: text('closed_by', true), countedCents: int('counted_cents', true), countedDetail: json('counted_detail', true),
    expectedCents: int('expected_cents', true), differenceCents: int('difference_cents', true), zReport: json('z_report', true),
  },
  uniques: [{ name: 'uq_cash_session_number', columns: ['number'] }],
  indices: [{ name: 'uq_cash_session_one_open', columns: ['status'], unique: true, where: `"status" = 'open'` }],
});

export interface CashMovement {
  id: string; sessionId: string; kind: CashMovementKind; amountCents: number; reason: string | null;
  ticketId: string | null; at: string; staffId: string | null;
}
export const CashMovementEntity = new EntitySchema<CashMovement>({
  name: 'CashMovement', tableName: 'cash_movement',
  columns: {
    id: textPk(), sessionId: text('session_id'), kind: text('kind'), amountCents: int('amount_cents'), reason: text('reason', true),
    ticketId: text('ticket_id', true), at: text('at'), staffId: text('staff_id', true),
  },
  indices: [
    { name: 'idx_cash_movement_session', columns: ['sessionId', 'at'] },
    { name: 'idx_cash_movement_ticket', columns: ['ticketId'] },
  ],
});

export interface Ticket {
  id: string; seq: number; kind: TicketKind; series: string; number: number; fiscalNumber: string; issuedAt: string;
  sessionId: string; cashierId: string; customerId: string | null; originalTicketId: string | null; totalCents: number;
  discountCents: number; document: Json;
}
export const TicketEntity = new EntitySchema<Ticket>({
  name: 'Ticket', tableName: 'ticket',
  columns: {
    id: textPk(), seq: int('seq'), kind: text('kind'), series: text('series'), number: int('number'),
    fiscalNumber: text('fiscal_number'), issuedAt: text('issued_at'), sessionId: text('session_id'), cashierId: text('cashier_id'),
    customerId: text('customer_id', true), originalTicketId: text('original_ticket_id', true), totalCents: int('total_cents'),
    discountCents: int('discount_cents'), document: json('document'),
  },
  uniques: [
    { name: 'uq_ticket_seq', columns: ['seq'] },
    { name: 'uq_ticket_series_number', columns: ['series', 'number'] },
    { name: 'uq_ticket_fiscal_number', columns: ['fiscalNumber'] },
  ],
  indices: [
    { name: 'idx_ticket_session', columns: ['sessionId'] },
    { name: 'idx_ticket_issued_at', columns: ['issuedAt'] },
    { name: 'idx_ticket_customer', columns: ['customerId'] },
    { name: 'idx_ticket_original', columns: ['originalTicketId'] },
  ],
});

/** Quantity is either `units` (integer) or `grams` (integer, weighed items) — exactly one is set. */
export interface TicketLine {
  ticketId: string; lineNo: number; productId: string | null; description: string; units: number | null; grams: number | null;
  unitPriceCents: number; discountCents: number; totalCents: number; taxRateBp: number;
  returnOfTicketId: string | null; returnOfLineNo: number | null;
}
export const TicketLineEntity = new EntitySchema<TicketLine>({
  name: 'TicketLine', tableName: 'ticket_line',
  columns: {
    ticketId: textPk('ticket_id'), lineNo: intPk('line_no'), productId: text('product_id', true), description: text('description'),
    units: int('units', true), grams: int('grams', true), unitPriceCents: int('unit_price_cents'), discountCents: int('discount_cents'),
    totalCents: int('total_cents'), taxRateBp: int('tax_rate_bp'), returnOfTicketId: text('return_of_ticket_id', true),
    returnOfLineNo: int('return_of_line_no', true),
  },
  indices: [{ name: 'idx_ticket_line_return_of', columns: ['returnOfTicketId', 'returnOfLineNo'] }],
});

export interface Payment { ticketId: string; idx: number; method: string; amountCents: number; reference: string | null }
export const PaymentEntity = new EntitySchema<Payment>({
  name: 'Payment', tableName: 'payment',
  columns: {
    ticketId: textPk('ticket_id'), idx: intPk('idx'), method: text('method'), amountCents: int('amount_cents'),
    reference: text('reference', true),
  },
});

export interface SeriesCounter { series: string; lastNumber: number }
export const SeriesCounterEntity = new EntitySchema<SeriesCounter>({
  name: 'SeriesCounter', tableName: 'series_counter',
  columns: { series: textPk('series'), lastNumber: int('last_number') },
});

export interface SequenceCounter { name: string; value: number }
export const SequenceCounterEntity = new EntitySchema<SequenceCounter>({
  name: 'SequenceCounter', tableName: 'sequence_counter',
  columns: { name: textPk('name'), value: int('value') },
});

export interface FiscalRecord {
  chainIndex: number; ticketId: string; kind: FiscalRecordKind; invoiceNumber: string; hash: string;
  previousHash: string | null; record: Json;
}
export const FiscalRecordEntity = new EntitySchema<FiscalRecord>({
  name: 'FiscalRecord', tableName: 'fiscal_record',
  columns: {
    chainIndex: intPk('chain_index'), ticketId: text('ticket_id'), kind: text('kind'), invoiceNumber: text('invoice_number'),
    hash: text('hash'), previousHash: text('previous_hash', true), record: json('record'),
  },
  uniques: [{ name: 'uq_fiscal_record_hash', columns: ['hash'] }],
  indices: [{ name: 'idx_fiscal_record_ticket', columns: ['ticketId'] }],
});

export interface Outbox {
  seq: number; ticketId: string; payload: Json; createdAt: string; sentAt: string | null; attempts: number; lastError: string | null;
}
export const OutboxEntity = new EntitySchema<Outbox>({
  name: 'Outbox', tableName: 'outbox',
  columns: {
    seq: intPk('seq'), ticketId: text('ticket_id'), payload: json('payload'), createdAt: text('created_at'),
    sentAt: text('sent_at', true), attempts: int('attempts'), lastError: text('last_error', true),
  },
  uniques: [{ name: 'uq_outbox_ticket', columns: ['ticketId'] }],
  indices: [{ name: 'idx_outbox_pending', columns: ['seq'], where: `"sent_at" IS NULL` }],
});

export interface ParkedTicket { id: string; label: string | null; cashierId: string; createdAt: string; draft: Json }
export const ParkedTicketEntity = new EntitySchema<ParkedTicket>({
  name: 'ParkedTicket', tableName: 'parked_ticket',
  columns: { id: textPk(), label: text('label', true), cashierId: text('cashier_id'), createdAt: text('created_at'), draft: json('draft') },
  indices: [{ name: 'idx_parked_ticket_created_at', columns: ['createdAt'] }],
});

export interface AuditLog {
  id: string; at: string; action: string; actorId: string | null; authorisedBy: string | null; details: Json | null;
}
export const AuditLogEntity = new EntitySchema<AuditLog>({
  name: 'AuditLog', tableName: 'audit_log',
  columns: {
    id: textPk(), at: text('at'), action: text('action'), actorId: text('actor_id', true), authorisedBy: text('authorised_by', true),
    details: json('details', true),
  },
  indices: [{ name: 'idx_audit_log_at', columns: ['at'] }],
});

export interface PrintJob {
  id: string; kind: string; ticketId: string | null; document: Json; status: PrintJobStatus; attempts: number;
  lastError: string | null; createdAt: string; printedAt: string | null; copy: boolean;
}
export const PrintJobEntity = new EntitySchema<PrintJob>({
  name: 'PrintJob', tableName: 'print_job',
  columns: {
    id: textPk(), kind: text('kind'), ticketId: text('ticket_id', true), document: json('document'), status: text('status'),
    attempts: int('attempts'), lastError: text('last_error', true), createdAt: text('created_at'), printedAt: text('printed_at', true),
    copy: bool('copy'),
  },
  indices: [
    { name: 'idx_print_job_status', columns: ['status', 'createdAt'] },
    { name: 'idx_print_job_ticket', columns: ['ticketId'] },
  ],
});

export const terminalEntities = [
  CategoryEntity, ProductEntity, ProductBarcodeEntity, QuickKeyEntity, CustomerEntity, StaffEntity, NoticeEntity,
  MasterDataStateEntity, TerminalConfigEntity, CashSessionEntity, CashMovementEntity, TicketEntity, TicketLineEntity,
  PaymentEntity, SeriesCounterEntity, SequenceCounterEntity, FiscalRecordEntity, OutboxEntity, ParkedTicketEntity,
  AuditLogEntity, PrintJobEntity,
];
