/**
 * HTTP schemas of receipt design at HQ (issue 19): a company's design and its stores' overrides (drafts),
 * a logo upload (PNG or SVG, base64), the live preview (a picture of the receipt the till would print) and
 * publishing (down the change feed to the tills).
 */
import { z } from 'zod';
import { DesignLogoSchema, GIFT_REFUNDS, Line, PromoSchema } from '../../receipts/design';
import { RowIdSchema } from '../limits';

export const LOGO_TYPES = ['image/png', 'image/svg+xml'] as const;
/** An uploaded logo: at most 1 MB of PNG or SVG, base64. */
export const LogoUpload = z.strictObject({
  fileName: z.string().trim().min(1).max(200),
  contentType: z.enum(LOGO_TYPES, { message: 'logo PNG o SVG / the logo must be PNG or SVG' }),
  dataBase64: z.string().min(8).max(1_400_000, 'logo de 1 MB como máximo / logo at most 1 MB').regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
});
export type LogoUpload = z.infer<typeof LogoUpload>;

/**
 * The fields of a design. In a company's design an absent field keeps what the draft had; in a store's
 * override an absent field inherits the company's. `logo: null` removes the logo.
 */
export const DesignBody = z.strictObject({
  logo: LogoUpload.nullable().optional(),
  headerLines: z.array(Line).max(8).optional(),
  footerLines: z.array(Line).max(8).optional(),
  returnPolicy: z.string().trim().max(600).nullable().optional(),
  exchangeDays: z.int().min(0).max(365).optional(),
  giftRefund: z.enum(GIFT_REFUNDS).optional(),
  promo: PromoSchema.nullable().optional(),
  /** A store's override: fields it stops overriding (inherited from the company's design again). */
  inherit: z.array(z.enum(['logo', 'headerLines', 'footerLines', 'returnPolicy', 'exchangeDays', 'giftRefund', 'promo'])).max(7).optional(),
});
export type DesignBody = z.output<typeof DesignBody>;

/** A design's fields as stored (the logo already dithered to both widths). */
export const DesignFields = z.object({
  logo: DesignLogoSchema.nullable().optional(),
  logoName: z.string().nullable().optional(),
  headerLines: z.array(z.string()).optional(),
  footerLines: z.array(z.string()).optional(),
  returnPolicy: z.string().nullable().optional(),
  exchangeDays: z.int().optional(),
  giftRefund: z.enum(GIFT_REFUNDS).optional(),
  promo: PromoSchema.nullable().optional(),
});
export type DesignFields = z.infer<typeof DesignFields>;

export const DesignView = z.object({
  companyId: z.string(),
  storeId: z.string().nullable(),
  draft: DesignFields,
  published: DesignFields.nullable(),
  revision: z.int(),
  publishedRevision: z.int(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type DesignView = z.infer<typeof DesignView>;

export const CompanyParam = z.object({ companyId: RowIdSchema });
export const StoreParam = z.object({ companyId: RowIdSchema, storeId: RowIdSchema });

export const DesignsAnswer = z.object({
  company: DesignView.nullable(),
  stores: z.array(z.object({ storeId: z.string(), code: z.string(), name: z.string(), override: DesignView.nullable() })),
});

export const PreviewBody = z.strictObject({
  storeId: RowIdSchema.optional(),
  columns: z.union([z.literal(32), z.literal(48)]).default(48),
  /** The drafts (default) or what is published. */
  source: z.enum(['draft', 'published']).default('draft'),
  /** The day the promotion is checked against (default: today). */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  /** Fields typed but not saved yet, laid over the draft (the live preview as the user types). */
  design: DesignBody.optional(),
});
export const PreviewAnswer = z.object({
  /** `data:image/png;base64,…`: the receipt as the virtual printer draws it from our own bytes. */
  png: z.string(),
  width: z.int(),
  height: z.int(),
  text: z.string(),
  /** Where the logo is in the picture (dots), null without a logo. */
  logo: z.object({ left: z.int(), top: z.int(), widthDots: z.int(), heightDots: z.int(), source: z.string() }).nullable(),
  bytes: z.int(),
  unknownCommands: z.int(),
});

export const PublishBody = z.strictObject({ storeId: RowIdSchema.optional() });
export const PublishAnswer = z.object({ revision: z.int(), stores: z.array(z.object({ storeId: z.string(), revision: z.string(), version: z.int() })) });

/** A signed e-receipt link's last part: `<ticket id>.<signature>` (shared/src/receipts/e-receipt.ts). */
export const EReceiptParam = z.object({ token: z.string().regex(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{22}$/, 'enlace no válido / not an e-receipt link') });
/** The till's `receipts.email` request and reply. */
export const EReceiptEmailRequest = z.strictObject({ ticketId: z.string().regex(/^[0-9a-f-]{36}$/), to: z.email().max(254).optional() });
export const EReceiptEmailReply = z.object({ sentTo: z.string(), messageId: z.string() });
