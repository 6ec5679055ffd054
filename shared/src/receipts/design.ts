/**
 * A franchise's receipt design (issue 19), pure: what HQ publishes and the till prints with — a logo already
 * dithered to both paper widths (58 mm = 384 dots, 80 mm = 576 dots), header and footer lines, the return
 * policy (its text, the exchange period in days, how a gift receipt's return is refunded) and a promotional
 * message with its first and last day.
 *
 * The change feed carries one effective design per store (`receipt_design`, id = store id, store-scoped):
 * the company's design with the store's overrides already applied, so the till stores it whole and keeps
 * printing it offline. `applyReceiptDesign` puts it on a receipt document; HQ's preview and the till run
 * the same function, then the same encoder, so the preview is what the till prints.
 */
import { z } from 'zod';
import type { Columns, ReceiptBlock, ReceiptDocument } from '../receipt';
import { eReceiptToken, eReceiptUrl } from './e-receipt';

/** Dots across the paper of a printer with 32 (58 mm) or 48 (80 mm) columns of Font A (12 dots each). */
export const PAPER_DOTS = { 32: 384, 48: 576 } as const;
export const paperDots = (columns: Columns): 384 | 576 => PAPER_DOTS[columns];
/** The key the logo is stored under in the printer's NV graphics memory (`GS ( L`). */
export const LOGO_KEY = 'LG';
/** Tallest logo kept (dots): a logo is a header, not a poster; keeps the feed page small. */
export const MAX_LOGO_HEIGHT = 240;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');
const Base64 = z.string().max(200_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

/** One dithered logo: rows of ceil(w/8) bytes, MSB = leftmost dot, 1 = black, as base64. */
export const LogoBitmapSchema = z.strictObject({
  widthDots: z.int().min(1).max(576),
  heightDots: z.int().min(1).max(MAX_LOGO_HEIGHT),
  bits: Base64,
});
export type LogoBitmap = z.infer<typeof LogoBitmapSchema>;

export const DesignLogoSchema = z.strictObject({
  /** Changes whenever the picture changes (a hash of it): the till re-stores the printer's copy then. */
  id: z.string().regex(/^[0-9a-f]{8,64}$/),
  p384: LogoBitmapSchema,
  p576: LogoBitmapSchema,
});
export type DesignLogo = z.infer<typeof DesignLogoSchema>;

export const Line = z.string().trim().max(48, 'máximo 48 caracteres por línea / at most 48 characters a line');
export const GIFT_REFUNDS = ['voucher', 'exchange_only'] as const;
export type GiftRefund = (typeof GIFT_REFUNDS)[number];

export const PromoSchema = z
  .strictObject({ text: z.string().trim().min(1).max(300), from: Day, to: Day })
  .refine((p) => p.from <= p.to, { message: 'la promoción acaba antes de empezar / promotion ends before it starts', path: ['to'] });
export type Promo = z.infer<typeof PromoSchema>;

/** The design a store prints with (company design + the store's overrides), as the feed carries it. */
export const ReceiptDesignDataSchema = z.strictObject({
  storeId: z.string().min(1).max(64),
  companyId: z.string().min(1).max(64),
  /** `<company revision>.<store revision>`: which publication this is (shown at HQ and on the till). */
  revision: z.string().max(32),
  publishedAt: z.string().max(40),
  logo: DesignLogoSchema.nullable(),
  headerLines: z.array(Line).max(8),
  footerLines: z.array(Line).max(8),
  returnPolicy: z.string().trim().max(600).nullable(),
  /** Days after the sale a gift receipt's holder may exchange or return (0: no returns on gift receipts). */
  exchangeDays: z.int().min(0).max(365),
  /** What a gift receipt's return gives back: a gift voucher for the amount, or an exchange only. */
  giftRefund: z.enum(GIFT_REFUNDS),
  promo: PromoSchema.nullable(),
  /**
   * The e-receipt link's base (the back office's public address) and this store's signing key
   * (e-receipt.ts): the till prints a QR of the signed link on sales and credit notes.
   */
  eReceipt: z.strictObject({ baseUrl: z.string().regex(/^https?:\/\/[^\s]+$/).max(200), key: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).nullable().optional(),
});
export type ReceiptDesignData = z.infer<typeof ReceiptDesignDataSchema>;

/** What a receipt is, for which parts of the design it gets. */
export type ReceiptPurpose = 'sale' | 'return' | 'gift' | 'other';

/** The promo shows from its first day to its last day inclusive (the till's local day, `YYYY-MM-DD`). */
export const promoActive = (promo: Promo | null, today: string): boolean => promo !== null && promo.from <= today && today <= promo.to;

/** Adds `days` to a `YYYY-MM-DD` day (calendar days, no time zone involved). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The design on a receipt: the logo first (the dots for this paper width), the header lines after the
 * store's own header (before its first separator), and before the final feed/cut the footer lines, then on
 * sales and gift receipts the return policy and the promotion of the day.
 */
export function applyReceiptDesign(doc: ReceiptDocument, design: ReceiptDesignData | null, o: { columns: Columns; today: string; purpose: ReceiptPurpose; ticketId?: string | undefined }): ReceiptDocument {
  if (!design) return doc;
  const blocks = [...doc.blocks];
  const center = (t: string): ReceiptBlock => ({ kind: 'text', text: t, align: 'center' });
  // Header: after the store header (first separator), or at the top.
  if (design.headerLines.length > 0) {
    const sep = blocks.findIndex((b) => b.kind === 'separator');
    blocks.splice(sep < 0 ? 0 : sep, 0, ...design.headerLines.map(center));
  }
  const tail: ReceiptBlock[] = [];
  if (design.footerLines.length > 0) tail.push({ kind: 'separator' }, ...design.footerLines.map(center));
  if (o.purpose === 'sale' || o.purpose === 'gift') {
    if (design.returnPolicy) tail.push({ kind: 'separator' }, { kind: 'text', text: design.returnPolicy });
    if (promoActive(design.promo, o.today)) tail.push({ kind: 'separator' }, { kind: 'text', text: design.promo!.text, align: 'center', bold: true });
  }
  if ((o.purpose === 'sale' || o.purpose === 'return') && design.eReceipt && o.ticketId) {
    const url = eReceiptUrl(design.eReceipt.baseUrl, eReceiptToken(design.eReceipt.key, o.ticketId));
    tail.push({ kind: 'separator' }, { kind: 'text', text: 'Su ticket en el móvil:', align: 'center' }, { kind: 'qr', data: url, ecc: 'M', moduleSize: 4 });
  }
  if (tail.length > 0) {
    // Before the closing feed + cut when the document ends with them.
    let at = blocks.length;
    while (at > 0 && (blocks[at - 1]!.kind === 'cut' || blocks[at - 1]!.kind === 'feed')) at--;
    blocks.splice(at, 0, ...tail);
  }
  if (design.logo) {
    const bm = o.columns === 32 ? design.logo.p384 : design.logo.p576;
    blocks.unshift({ kind: 'logo', key: LOGO_KEY, logoId: design.logo.id, widthDots: bm.widthDots, heightDots: bm.heightDots, bits: bm.bits });
  }
  return { title: doc.title, blocks };
}
