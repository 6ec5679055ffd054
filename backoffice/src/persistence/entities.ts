/**
 * Back-office entities as TypeORM EntitySchemas (no decorators: code runs through esbuild).
 * Tables are created by ./migrations only (`synchronize: false`); keep both in step.
 *
 * Conventions: ids are UUID strings; money is integer cents and stock is integer units/grams, stored as
 * `bigint` and always read back as JS numbers; instants are ISO-8601 UTC strings; fiscal timestamps keep
 * their offset; dates are `yyyy-mm-dd`; JSON columns hold text (`document`/`payload` of received tickets
 * are kept verbatim as strings).
 */
import { EntitySchema } from 'typeorm';
import type { MovementReason } from '@tpv/shared/inventory/movements';
import { c, columns } from './columns';
import { ADDRESS_COLUMNS, organisationEntities } from '../organisation/entities';

// ───────────────────────────── organisation ─────────────────────────────

export type CompanyKind = 'franchisor' | 'franchisee';
export interface CompanyRow {
  id: string;
  kind: CompanyKind;
  nif: string;
  legalName: string;
  tradeName: string | null;
  address: string | null;
  /** Structured address, IBAN and archiving: organisation module (organisation/entities.ts). */
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  province?: string | null;
  country?: string | null;
  iban?: string | null;
  archivedAt?: string | null;
}
export const CompanyEntity = new EntitySchema<CompanyRow>({
  name: 'Company',
  tableName: 'company',
  columns: columns({
    id: c.uuid({ primary: true }),
    kind: c.str(16),
    nif: c.str(16),
    legalName: c.str(200),
    tradeName: c.str(200, { nullable: true }),
    address: c.text({ nullable: true }),
    ...ADDRESS_COLUMNS,
    iban: c.str(34, { nullable: true }),
    archivedAt: c.instant({ nullable: true }),
  }),
});

export interface StoreRow {
  id: string;
  code: string;
  companyId: string;
  name: string;
  address: string | null;
  /** IANA zone, default Europe/Madrid. */
  timezone: string;
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  province?: string | null;
  country?: string | null;
  /** JSON of shared/wire/http/organisation OpeningHours. */
  openingHours?: string | null;
  salesAreaM2?: number | null;
  archivedAt?: string | null;
}
export const StoreEntity = new EntitySchema<StoreRow>({
  name: 'Store',
  tableName: 'store',
  columns: columns({
    id: c.uuid({ primary: true }),
    code: c.str(16),
    companyId: c.uuid(),
    name: c.str(200),
    address: c.text({ nullable: true }),
    timezone: c.str(64, { default: 'Europe/Madrid' }),
    ...ADDRESS_COLUMNS,
    openingHours: c.text({ nullable: true }),
    salesAreaM2: c.int({ nullable: true }),
    archivedAt: c.instant({ nullable: true }),
  }),
});

export interface TerminalRow {
  id: string;
  storeId: string;
  code: string;
  name: string;
  /** Veri*Factu NumeroInstalacion: unique across the franchise. */
  installation: string;
  tokenHash: string | null;
  /** HMAC of the live pairing code under the server's pairing key (hex). */
  pairingCodeHash: string | null;
  /** Public first group of the live pairing code: finds the row without a write lock. */
  pairingSelector?: string | null;
  pairingExpiresAt: string | null;
  revokedAt: string | null;
  lastSeenAt: string | null;
  /** Highest contiguous seq applied and acknowledged. */
  lastAckedSeq: number;
  lastFiscalHash: string | null;
  /** Change-feed version the terminal last reported. */
  catalogVersion: number;
  appVersion: string | null;
  /** The terminal this one replaced (new hardware: a new installation with its own code, series and chain). */
  replacesId: string | null;
  /** Set once this terminal was replaced: it is retired, its token revoked. */
  replacedById: string | null;
  replacedAt: string | null;
  /** What the till reported against HQ's history (HQ holds more than it wrote), until it stops. */
  syncConflict: string | null;
  syncConflictAt: string | null;
  /** Generation of the device token: a signed token of this generation or newer is valid (auth/device-token.ts). */
  tokenGeneration: number;
  /** Set when HQ retired the till for good (token revoked; its history stays). */
  retiredAt?: string | null;
}
export const TerminalEntity = new EntitySchema<TerminalRow>({
  name: 'Terminal',
  tableName: 'terminal',
  columns: columns({
    id: c.uuid({ primary: true }),
    storeId: c.uuid(),
    code: c.str(16),
    name: c.str(100),
    installation: c.str(100),
    tokenHash: c.text({ nullable: true }),
    pairingCodeHash: c.text({ nullable: true }),
    pairingSelector: c.str(8, { nullable: true }),
    pairingExpiresAt: c.instant({ nullable: true }),
    revokedAt: c.instant({ nullable: true }),
    lastSeenAt: c.instant({ nullable: true }),
    lastAckedSeq: c.bigint({ default: 0 }),
    lastFiscalHash: c.str(64, { nullable: true }),
    catalogVersion: c.bigint({ default: 0 }),
    appVersion: c.str(32, { nullable: true }),
    replacesId: c.uuid({ nullable: true }),
    replacedById: c.uuid({ nullable: true }),
    replacedAt: c.instant({ nullable: true }),
    syncConflict: c.str(500, { nullable: true }),
    syncConflictAt: c.instant({ nullable: true }),
    tokenGeneration: c.int({ default: 0 }),
    retiredAt: c.instant({ nullable: true }),
  }),
});

export type AppUserRole = import('../platform/permissions').Role;
export interface AppUserRow {
  id: string;
  /** Store lower-cased: uniqueness is by exact text on both engines. */
  email: string;
  name: string;
  passwordHash: string;
  role: AppUserRole;
  /** Managers are scoped to their company's stores; null for HQ users. */
  companyId: string | null;
  /** Store managers: their one store (companyId is that store's company); null otherwise. */
  storeId?: string | null;
}
export const AppUserEntity = new EntitySchema<AppUserRow>({
  name: 'AppUser',
  tableName: 'app_user',
  columns: columns({
    id: c.uuid({ primary: true }),
    email: c.str(254),
    name: c.str(200),
    passwordHash: c.text(),
    role: c.str(24),
    companyId: c.uuid({ nullable: true }),
    storeId: c.uuid({ nullable: true }),
  }),
});

export type StaffRole = 'cashier' | 'supervisor' | 'manager';
export interface StaffRow {
  id: string;
  companyId: string;
  /** null: may work in any store of the company. */
  storeId: string | null;
  code: string;
  name: string;
  role: StaffRole;
  pinHash: string;
  active: boolean;
  version: number;
}
export const StaffEntity = new EntitySchema<StaffRow>({
  name: 'Staff',
  tableName: 'staff',
  columns: columns({
    id: c.uuid({ primary: true }),
    companyId: c.uuid(),
    storeId: c.uuid({ nullable: true }),
    code: c.str(16),
    name: c.str(200),
    role: c.str(24),
    pinHash: c.text(),
    active: c.bool({ default: true }),
    version: c.bigint({ default: 0 }),
  }),
});

// ───────────────────────────── catalog ─────────────────────────────

export interface CategoryRow {
  id: string;
  name: string;
  parentId: string | null;
  active: boolean;
  version: number;
}
export const CategoryEntity = new EntitySchema<CategoryRow>({
  name: 'Category',
  tableName: 'category',
  columns: columns({
    id: c.uuid({ primary: true }),
    name: c.str(100),
    parentId: c.uuid({ nullable: true }),
    active: c.bool({ default: true }),
    version: c.bigint({ default: 0 }),
  }),
});

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  /** English name (admin UI, documents); null: the Spanish one is used. */
  nameEn?: string | null;
  categoryId: string | null;
  /** IVA rate in basis points (2100 = 21 %). */
  taxRateBp: number;
  /** Exemption cause (E1…E6) when the rate is 0, else null. */
  exemption: string | null;
  /** Sold by weight: quantities in grams. */
  weighed: boolean;
  basePriceCents: number;
  /** Cost price in cents per unit (per kg when weighed); null when unknown. */
  costCents?: number | null;
  active: boolean;
  version: number;
}
export const ProductEntity = new EntitySchema<ProductRow>({
  name: 'Product',
  tableName: 'product',
  columns: columns({
    id: c.uuid({ primary: true }),
    sku: c.str(64),
    name: c.str(200),
    categoryId: c.uuid({ nullable: true }),
    taxRateBp: c.int(),
    exemption: c.str(8, { nullable: true }),
    weighed: c.bool({ default: false }),
    basePriceCents: c.bigint(),
    costCents: c.bigint({ nullable: true }),
    nameEn: c.str(200, { nullable: true }),
    active: c.bool({ default: true }),
    version: c.bigint({ default: 0 }),
  }),
});

export interface ProductBarcodeRow {
  barcode: string;
  productId: string;
}
export const ProductBarcodeEntity = new EntitySchema<ProductBarcodeRow>({
  name: 'ProductBarcode',
  tableName: 'product_barcode',
  columns: columns({ barcode: c.str(32, { primary: true }), productId: c.uuid() }),
});

export interface StorePriceRow {
  storeId: string;
  productId: string;
  priceCents: number;
}
export const StorePriceEntity = new EntitySchema<StorePriceRow>({
  name: 'StorePrice',
  tableName: 'store_price',
  columns: columns({ storeId: c.uuid({ primary: true }), productId: c.uuid({ primary: true }), priceCents: c.bigint() }),
});

export interface CustomerRow {
  id: string;
  nif: string | null;
  name: string;
  email: string | null;
  /** In the recargo de equivalencia regime. */
  reRegime: boolean;
  creditLimitCents: number;
  active: boolean;
  version: number;
}
export const CustomerEntity = new EntitySchema<CustomerRow>({
  name: 'Customer',
  tableName: 'customer',
  columns: columns({
    id: c.uuid({ primary: true }),
    nif: c.str(16, { nullable: true }),
    name: c.str(200),
    email: c.str(254, { nullable: true }),
    reRegime: c.bool({ default: false }),
    creditLimitCents: c.bigint({ default: 0 }),
    active: c.bool({ default: true }),
    version: c.bigint({ default: 0 }),
  }),
});

export interface NoticeRow {
  id: string;
  /** null: every store. */
  storeId: string | null;
  title: string;
  body: string;
  startsAt: string | null;
  endsAt: string | null;
  active: boolean;
  version: number;
}
export const NoticeEntity = new EntitySchema<NoticeRow>({
  name: 'Notice',
  tableName: 'notice',
  columns: columns({
    id: c.uuid({ primary: true }),
    storeId: c.uuid({ nullable: true }),
    title: c.str(200),
    body: c.text(),
    startsAt: c.instant({ nullable: true }),
    endsAt: c.instant({ nullable: true }),
    active: c.bool({ default: true }),
    version: c.bigint({ default: 0 }),
  }),
});

// ───────────────────────────── change feed ─────────────────────────────

export type ChangeOp = 'upsert' | 'delete';
export interface ChangeLogRow {
  /** Assigned by the database, strictly increasing, never reused. */
  version: number;
  entity: string;
  entityId: string;
  op: ChangeOp;
  /** Set for store-scoped changes (store_price, store notices); null = every store. */
  storeId: string | null;
  /** Parsed JSON (stored as text); null for deletes. */
  payload: unknown;
  createdAt: string;
}
export const ChangeLogEntity = new EntitySchema<ChangeLogRow>({
  name: 'ChangeLog',
  tableName: 'change_log',
  columns: columns({
    version: { type: 'bigint', primary: true, generated: 'increment', transformer: c.bigint().transformer },
    entity: c.str(32),
    entityId: c.str(64),
    op: c.str(8),
    storeId: c.uuid({ nullable: true }),
    payload: c.json({ nullable: true }),
    createdAt: c.instant(),
  }),
});

// ───────────────────────────── sales ingest ─────────────────────────────

export interface SaleTicketRow {
  /** UUID v7 assigned by the terminal. */
  id: string;
  terminalId: string;
  storeId: string;
  /** Gapless per terminal. */
  seq: number;
  kind: string;
  series: string;
  number: number;
  /** `series/number`. */
  fiscalNumber: string;
  /** Fiscal timestamp with its offset, verbatim (`2024-01-01T19:20:30+01:00`). */
  issuedAt: string;
  /** Store-local business date `yyyy-mm-dd`. */
  businessDate: string;
  cashierId: string | null;
  customerId: string | null;
  sessionId: string | null;
  totalCents: number;
  taxCents: number;
  discountCents: number;
  originalTicketId: string | null;
  /** The ticket document as received (JSON text, verbatim). */
  document: string;
  receivedAt: string;
  chainOk: boolean;
}
export const SaleTicketEntity = new EntitySchema<SaleTicketRow>({
  name: 'SaleTicket',
  tableName: 'sale_ticket',
  columns: columns({
    id: c.uuid({ primary: true }),
    terminalId: c.uuid(),
    storeId: c.uuid(),
    seq: c.bigint(),
    kind: c.str(16),
    series: c.str(32),
    number: c.bigint(),
    fiscalNumber: c.str(64),
    issuedAt: c.instant(),
    businessDate: c.date(),
    cashierId: c.uuid({ nullable: true }),
    customerId: c.uuid({ nullable: true }),
    sessionId: c.str(64, { nullable: true }),
    totalCents: c.bigint(),
    taxCents: c.bigint(),
    discountCents: c.bigint({ default: 0 }),
    originalTicketId: c.uuid({ nullable: true }),
    document: c.text(),
    receivedAt: c.instant(),
    chainOk: c.bool(),
  }),
});

export interface SaleLineRow {
  ticketId: string;
  lineNo: number;
  productId: string;
  /** Signed: negative on returns. */
  units: number;
  /** Weighed products only. */
  grams: number | null;
  totalCents: number;
  taxRateBp: number;
}
export const SaleLineEntity = new EntitySchema<SaleLineRow>({
  name: 'SaleLine',
  tableName: 'sale_line',
  columns: columns({
    ticketId: c.uuid({ primary: true }),
    lineNo: c.int({ primary: true }),
    productId: c.uuid(),
    units: c.int(),
    grams: c.int({ nullable: true }),
    totalCents: c.bigint(),
    taxRateBp: c.int(),
  }),
});

export interface SalePaymentRow {
  ticketId: string;
  idx: number;
  method: string;
  amountCents: number;
}
export const SalePaymentEntity = new EntitySchema<SalePaymentRow>({
  name: 'SalePayment',
  tableName: 'sale_payment',
  columns: columns({
    ticketId: c.uuid({ primary: true }),
    idx: c.int({ primary: true }),
    method: c.str(16),
    amountCents: c.bigint(),
  }),
});

export interface FiscalRecordRow {
  terminalId: string;
  /** Position in the terminal's (installation's) chain. */
  chainPosition: number;
  recordKind: 'alta' | 'anulacion';
  ticketId: string | null;
  /** Uppercase SHA-256 huella. */
  hash: string;
  previousHash: string | null;
  verified: boolean;
  breakReason: string | null;
}
export const FiscalRecordEntity = new EntitySchema<FiscalRecordRow>({
  name: 'FiscalRecord',
  tableName: 'fiscal_record',
  columns: columns({
    terminalId: c.uuid({ primary: true }),
    chainPosition: { ...c.bigint(), primary: true },
    recordKind: c.str(16, { default: 'alta' }),
    ticketId: c.uuid({ nullable: true }),
    hash: c.str(64),
    previousHash: c.str(64, { nullable: true }),
    verified: c.bool(),
    breakReason: c.text({ nullable: true }),
  }),
});

export interface IngestHoldRow {
  terminalId: string;
  seq: number;
  /** The ticket message as received (JSON text, verbatim). */
  payload: string;
  receivedAt: string;
}
export const IngestHoldEntity = new EntitySchema<IngestHoldRow>({
  name: 'IngestHold',
  tableName: 'ingest_hold',
  columns: columns({
    terminalId: c.uuid({ primary: true }),
    seq: { ...c.bigint(), primary: true },
    payload: c.text(),
    receivedAt: c.instant(),
  }),
});

/** Stock of a product at a location (store, warehouse or transit), owned by `companyId`: = Σ its movements. */
export interface StockLevelRow {
  locationId: string;
  companyId: string;
  productId: string;
  /** Units, or grams for weighed products. */
  quantity: number;
  updatedAt: string;
}
export const StockLevelEntity = new EntitySchema<StockLevelRow>({
  name: 'StockLevel',
  tableName: 'stock_level',
  columns: columns({
    locationId: c.uuid({ primary: true }),
    productId: c.uuid({ primary: true }),
    companyId: c.uuid(),
    quantity: c.bigint({ default: 0 }),
    updatedAt: c.instant(),
  }),
});

export type StockReason = MovementReason;
export interface StockMovementRow {
  id: string;
  locationId: string;
  productId: string;
  delta: number;
  reason: StockReason;
  cause?: string | null;
  ticketId: string | null;
  lineNo: number | null;
  documentType?: string | null;
  documentId?: string | null;
  documentLine?: number | null;
  /** µ€ per unit (or gram) it moved at; null for till sales (valued at the average of their moment). */
  unitCostMicros?: number | null;
  lot?: string | null;
  bestBefore?: string | null;
  at: string;
}
export const StockMovementEntity = new EntitySchema<StockMovementRow>({
  name: 'StockMovement',
  tableName: 'stock_movement',
  columns: columns({
    id: c.uuid({ primary: true }),
    locationId: c.uuid(),
    productId: c.uuid(),
    delta: c.bigint(),
    reason: c.str(16),
    cause: c.str(24, { nullable: true }),
    ticketId: c.uuid({ nullable: true }),
    lineNo: c.int({ nullable: true }),
    documentType: c.str(24, { nullable: true }),
    documentId: c.uuid({ nullable: true }),
    documentLine: c.int({ nullable: true }),
    unitCostMicros: c.bigint({ nullable: true }),
    lot: c.str(40, { nullable: true }),
    bestBefore: c.date({ nullable: true }),
    at: c.instant(),
  }),
});

export interface CashSessionSummaryRow {
  terminalId: string;
  sessionId: string;
  /** Parsed JSON (stored as text). */
  totals: unknown;
  updatedAt: string;
}
export const CashSessionSummaryEntity = new EntitySchema<CashSessionSummaryRow>({
  name: 'CashSessionSummary',
  tableName: 'cash_session_summary',
  columns: columns({
    terminalId: c.uuid({ primary: true }),
    sessionId: c.str(64, { primary: true }),
    totals: c.json(),
    updatedAt: c.instant(),
  }),
});

export type ReceivableStatus = 'open' | 'paid' | 'written_off';
export interface ReceivableRow {
  id: string;
  customerId: string;
  storeId: string;
  ticketId: string;
  amountCents: number;
  dueDate: string;
  status: ReceivableStatus;
  paidCents: number;
}
export const ReceivableEntity = new EntitySchema<ReceivableRow>({
  name: 'Receivable',
  tableName: 'receivable',
  columns: columns({
    id: c.uuid({ primary: true }),
    customerId: c.uuid(),
    storeId: c.uuid(),
    ticketId: c.uuid(),
    amountCents: c.bigint(),
    dueDate: c.date(),
    status: c.str(16, { default: 'open' }),
    paidCents: c.bigint({ default: 0 }),
  }),
});

export const backofficeEntities = [
  CompanyEntity,
  StoreEntity,
  TerminalEntity,
  AppUserEntity,
  StaffEntity,
  CategoryEntity,
  ProductEntity,
  ProductBarcodeEntity,
  StorePriceEntity,
  CustomerEntity,
  NoticeEntity,
  ChangeLogEntity,
  SaleTicketEntity,
  SaleLineEntity,
  SalePaymentEntity,
  FiscalRecordEntity,
  IngestHoldEntity,
  StockLevelEntity,
  StockMovementEntity,
  CashSessionSummaryEntity,
  ReceivableEntity,
  ...organisationEntities,
];

/** Every table the migrations create (for health checks and tests). */
export const backofficeTables = backofficeEntities.map((e) => e.options.tableName as string);
