/**
 * The `data` of each master-data change as terminals receive it: the protocol's record types, so a change
 * here that the tills would not accept fails to compile. One function per entity, used by the HQ API and by
 * the demo seed so both write the same shape.
 */
import type { BarcodeData, CategoryData, CustomerData, NoticeData, PriceData, ProductData, StaffData } from '@tpv/shared/wire/sync-protocol';

export const productPayload = (p: {
  id: string; sku: string; name: string; categoryId: string | null; taxRateBp: number; exemption: string | null;
  weighed: boolean; basePriceCents: number; active: boolean;
}): ProductData => ({
  id: p.id, sku: p.sku, name: p.name, categoryId: p.categoryId, taxRateBp: p.taxRateBp, exemption: p.exemption,
  weighed: p.weighed, priceCents: p.basePriceCents, active: p.active,
});

export const pricePayload = (p: { productId: string; priceCents: number }): PriceData => ({ productId: p.productId, priceCents: p.priceCents });

export const barcodePayload = (b: { barcode: string; productId: string; units?: number | undefined }): BarcodeData => ({ barcode: b.barcode, productId: b.productId, ...(b.units ? { units: b.units } : {}) });

export const categoryPayload = (c: { id: string; name: string; parentId: string | null; sort: number }): CategoryData => ({
  id: c.id, name: c.name, parentId: c.parentId, sort: c.sort,
});

export const staffPayload = (s: { id: string; code: string; name: string; role: StaffData['role']; pinHash: string; active: boolean }): StaffData => ({
  id: s.id, code: s.code, name: s.name, role: s.role, pinHash: s.pinHash, active: s.active,
});

export const customerPayload = (c: {
  id: string; nif: string | null; name: string; reRegime: boolean; creditLimitCents: number; active: boolean; onAccountBlocked?: boolean;
  phone?: string | null; email?: string | null; loyaltyCard?: string | null; segmentIds?: readonly string[];
}): CustomerData => ({
  id: c.id, nif: c.nif, name: c.name, reRegime: c.reRegime, creditLimitCents: c.creditLimitCents, active: c.active, onAccountBlocked: c.onAccountBlocked === true,
  // CRM fields only when known, so the feed of a customer without them reads as before.
  ...(c.phone ? { phone: c.phone } : {}),
  ...(c.email ? { email: c.email } : {}),
  ...(c.loyaltyCard ? { loyaltyCard: c.loyaltyCard } : {}),
  ...(c.segmentIds && c.segmentIds.length > 0 ? { segmentIds: [...c.segmentIds] } : {}),
});

export const noticePayload = (n: { id: string; title: string; body: string; endsAt: string | null }): NoticeData => ({
  id: n.id, title: n.title, body: n.body, validUntil: n.endsAt,
});
