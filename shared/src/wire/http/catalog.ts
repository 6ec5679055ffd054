/**
 * HTTP schemas of the back office's catalog module (products, categories, suppliers, prices and scheduled
 * changes) and of the master-data writes it serves (customers, notices, staff). The API parses with them and
 * the admin UI validates its forms with the same ones. Lengths and ranges are the columns' own (../limits).
 */
import { z } from 'zod';
import { LIMITS, MAX_PRICE_CENTS, PriceCentsSchema, RowIdSchema } from '../limits';
import { TaxRateSchema } from '../ticket';

const Id = RowIdSchema;
const Exemption = z.enum(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']);
const Barcode = z.string().regex(/^[0-9]{6,14}$/, 'barcode: 6 to 14 digits');

export const IdParams = z.object({ id: Id });
export const StoreProductParams = z.object({ storeId: Id, productId: Id });
export const CompanyProductParams = z.object({ companyId: Id, productId: Id });

export const Barcodes = z
  .array(Barcode)
  .max(20)
  .superRefine((codes, ctx) => {
    codes.forEach((code, i) => {
      if (codes.indexOf(code) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `barcode ${code} appears twice` });
    });
  });

export const PackSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  units: z.int().min(2).max(10_000),
  barcode: Barcode.nullable().default(null),
});
export const ProductSupplierSchema = z.strictObject({
  supplierId: Id,
  reference: z.string().trim().max(64).nullable().default(null),
  costCents: PriceCentsSchema.nullable().default(null),
});

export const ProductBody = z
  .strictObject({
    sku: z.string().min(1).max(LIMITS.sku),
    name: z.string().min(1).max(LIMITS.productName),
    nameEn: z.string().max(LIMITS.productName).nullable().optional(),
    categoryId: Id.nullable().default(null),
    taxRateBp: TaxRateSchema,
    exemption: Exemption.nullable().default(null),
    weighed: z.boolean().default(false),
    priceCents: PriceCentsSchema,
    costCents: PriceCentsSchema.nullable().optional(),
    active: z.boolean().default(true),
    barcodes: Barcodes.optional(),
    packs: z.array(PackSchema).max(10).optional(),
    suppliers: z.array(ProductSupplierSchema).max(20).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.exemption !== null && p.taxRateBp !== 0) ctx.addIssue({ code: 'custom', path: ['exemption'], message: 'an exemption only applies to 0 % IVA' });
    p.suppliers?.forEach((s, i) => {
      if (p.suppliers!.findIndex((x) => x.supplierId === s.supplierId) !== i) ctx.addIssue({ code: 'custom', path: ['suppliers', i, 'supplierId'], message: 'supplier listed twice' });
    });
  });
export type ProductBody = z.output<typeof ProductBody>;

export const PriceBody = z.strictObject({ priceCents: PriceCentsSchema });
export const CategoryBody = z.strictObject({
  name: z.string().min(1).max(LIMITS.categoryName),
  parentId: Id.nullable().default(null),
  sort: z.int().min(0).max(1_000_000).default(0),
});
export const CustomerBody = z.strictObject({
  nif: z.string().regex(/^[0-9A-Z]{9}$/).nullable().default(null),
  name: z.string().min(1).max(LIMITS.customerName),
  email: z.email().max(LIMITS.email).nullable().default(null),
  reRegime: z.boolean().default(false),
  creditLimitCents: z.int().min(0).max(MAX_PRICE_CENTS).default(0),
  active: z.boolean().default(true),
});
export const NoticeBody = z.strictObject({
  storeId: Id.nullable().default(null),
  title: z.string().min(1).max(LIMITS.noticeTitle),
  body: z.string().min(1).max(LIMITS.noticeBody),
  validUntil: z.iso.datetime().max(LIMITS.instant).nullable().default(null),
});
export const StaffBody = z.strictObject({
  companyId: Id,
  storeId: Id.nullable().default(null),
  code: z.string().min(1).max(LIMITS.staffCode),
  name: z.string().min(1).max(LIMITS.staffName),
  role: z.enum(['cashier', 'supervisor', 'manager']),
  pin: z.string().regex(/^\d{4,8}$/).optional(),
  active: z.boolean().default(true),
});

export const VersionResponse = z.object({ version: z.int() });

// ── product list ────────────────────────────────────────────────────────────────────────────────
const boolish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const ProductFilterQuery = z.object({
  categoryId: Id.optional(),
  taxRateBp: z.coerce.number().pipe(TaxRateSchema).optional(),
  active: boolish.optional(),
  supplierId: Id.optional(),
});
export const ProductItem = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  taxRateBp: z.int(),
  exemption: z.string().nullable(),
  weighed: z.boolean(),
  priceCents: z.int(),
  costCents: z.int().nullable(),
  active: z.boolean(),
});
export const ProductDetail = ProductItem.extend({
  barcodes: z.array(z.string()),
  packs: z.array(z.object({ id: z.string(), name: z.string(), units: z.int(), barcode: z.string().nullable() })),
  suppliers: z.array(z.object({ supplierId: z.string(), supplierName: z.string(), reference: z.string().nullable(), costCents: z.int().nullable() })),
});

export const PriceAdjustSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('percent'), value: z.number().min(-90).max(500) }),
  z.strictObject({ mode: z.literal('delta'), cents: z.int().min(-MAX_PRICE_CENTS).max(MAX_PRICE_CENTS) }),
  z.strictObject({ mode: z.literal('fixed'), cents: PriceCentsSchema }),
]);
export const BulkEditBody = z
  .strictObject({
    ids: z.array(Id).min(1).max(10_000).optional(),
    filter: z
      .strictObject({
        q: z.string().trim().max(200).optional(),
        categoryId: Id.optional(),
        taxRateBp: TaxRateSchema.optional(),
        active: z.boolean().optional(),
        supplierId: Id.optional(),
      })
      .optional(),
    set: z.strictObject({
      categoryId: Id.nullable().optional(),
      taxRateBp: TaxRateSchema.optional(),
      exemption: Exemption.nullable().optional(),
      active: z.boolean().optional(),
      price: PriceAdjustSchema.optional(),
    }),
  })
  .superRefine((b, ctx) => {
    if ((b.ids === undefined) === (b.filter === undefined)) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids (a selection) or filter' });
  });
export type BulkEditBody = z.output<typeof BulkEditBody>;
export const BulkEditResponse = z.object({ updated: z.int(), version: z.int() });

// ── categories ──────────────────────────────────────────────────────────────────────────────────
export const CategoryItem = z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable(), sort: z.int(), products: z.int() });

// ── suppliers ───────────────────────────────────────────────────────────────────────────────────
export const SupplierAddress = z.strictObject({
  kind: z.enum(['billing', 'shipping', 'returns']).default('billing'),
  line: z.string().trim().min(1).max(200),
  postalCode: z.string().trim().max(10).default(''),
  city: z.string().trim().max(100).default(''),
  province: z.string().trim().max(100).default(''),
  country: z.string().trim().length(2).default('ES'),
});
export const SupplierContact = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.string().trim().max(100).default(''),
  email: z.email().max(LIMITS.email).nullable().default(null),
  phone: z.string().trim().max(40).nullable().default(null),
});
export const SupplierBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  nif: z.string().regex(/^[0-9A-Z]{9}$/, 'NIF: 9 letters or digits').nullable().default(null),
  contactName: z.string().trim().max(200).nullable().default(null),
  email: z.email().max(LIMITS.email).nullable().default(null),
  phone: z.string().trim().max(40).nullable().default(null),
  paymentTermsDays: z.int().min(0).max(365).default(30),
  notes: z.string().max(2000).nullable().default(null),
  active: z.boolean().default(true),
  addresses: z.array(SupplierAddress).max(10).default([]),
  contacts: z.array(SupplierContact).max(20).default([]),
  /** Checked (ibantools) and kept in electronic format by the server. */
  iban: z.string().trim().max(42).nullable().default(null),
  /** Receiving more than ordered beyond this (basis points) needs a reason; orders start with it. */
  overReceiptToleranceBp: z.int().min(0).max(10_000).default(500),
});
export const SupplierItem = z.object({
  id: z.string(),
  name: z.string(),
  nif: z.string().nullable(),
  contactName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  paymentTermsDays: z.int(),
  notes: z.string().nullable(),
  active: z.boolean(),
  addresses: z.array(SupplierAddress),
  contacts: z.array(SupplierContact),
  iban: z.string().nullable(),
  overReceiptToleranceBp: z.int(),
  products: z.int().optional(),
});
export const SupplierFilterQuery = z.object({ active: boolish.optional() });

// ── prices ──────────────────────────────────────────────────────────────────────────────────────
export const PriceLevelSchema = z.enum(['base', 'company', 'store']);
export const ScheduleBody = z
  .strictObject({
    productId: Id,
    level: PriceLevelSchema,
    companyId: Id.nullable().optional(),
    storeId: Id.nullable().optional(),
    priceCents: PriceCentsSchema,
    /** Wall-clock date and time where it applies: the store's zone (company/base: `timezone`, default Europe/Madrid). */
    effectiveLocal: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'yyyy-mm-ddThh:mm'),
    timezone: z.string().min(1).max(64).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.level === 'company' && !b.companyId) ctx.addIssue({ code: 'custom', path: ['companyId'], message: 'required for a company price' });
    if (b.level === 'store' && !b.storeId) ctx.addIssue({ code: 'custom', path: ['storeId'], message: 'required for a store price' });
  });
export type ScheduleBody = z.output<typeof ScheduleBody>;
export const PriceChangeItem = z.object({
  id: z.string(),
  productId: z.string(),
  level: PriceLevelSchema,
  companyId: z.string().nullable(),
  storeId: z.string().nullable(),
  priceCents: z.int(),
  effectiveAt: z.string(),
  localTime: z.string(),
  timezone: z.string(),
  status: z.enum(['scheduled', 'cancelled', 'superseded']),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  sku: z.string().optional(),
  productName: z.string().optional(),
  storeName: z.string().nullable().optional(),
  companyName: z.string().nullable().optional(),
});
export const PriceChangeFilterQuery = z.object({
  productId: Id.optional(),
  storeId: Id.optional(),
  companyId: Id.optional(),
  status: z.enum(['scheduled', 'cancelled', 'superseded']).optional(),
  upcoming: boolish.optional(),
});
export const EffectivePriceQuery = z.object({ at: z.iso.datetime().optional() });
export const EffectivePrice = z.object({ productId: z.string(), storeId: z.string(), at: z.string(), priceCents: z.int() });
export const ProductPrices = z.object({
  productId: z.string(),
  basePriceCents: z.int(),
  companies: z.array(z.object({ companyId: z.string(), priceCents: z.int() })),
  stores: z.array(z.object({ storeId: z.string(), priceCents: z.int() })),
  changes: z.array(PriceChangeItem),
});
