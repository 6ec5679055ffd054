/**
 * The customer as the tills hold it (shared/src/wire/sync-protocol.ts CustomerData), read whole from HQ's
 * tables: contact data, the dunning block, the segments it is in. Every writer of a customer's feed row uses
 * this, so no writer drops fields another set (a dunning block must not wipe the phone the till searches by).
 */
import type { CustomerData } from '@tpv/shared/wire/sync-protocol';
import type { ChangeInput } from '../persistence/change-log';
import { all, bool, one, type Db } from '../persistence/sql';
import { customerPayload } from '../catalog/payloads';

export async function customerFeedPayload(m: Db, customerId: string): Promise<CustomerData | null> {
  const c = await one<Record<string, unknown>>(
    m,
    `SELECT id, nif, name, re_regime, credit_limit_cents, active, phone, email, loyalty_card, merged_into_id FROM customer WHERE id = ?`,
    [customerId],
  );
  if (!c || c.merged_into_id) return null;
  const blocked = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM credit_control WHERE counterparty_kind = 'customer' AND counterparty_id = ? AND blocked = ?`, [customerId, true]);
  const segs = await all<{ segment_id: string }>(m, `SELECT segment_id FROM customer_segment_member WHERE customer_id = ? ORDER BY segment_id`, [customerId]);
  return customerPayload({
    id: String(c.id), nif: (c.nif as string | null) ?? null, name: String(c.name), reRegime: bool(c.re_regime), creditLimitCents: Number(c.credit_limit_cents),
    active: bool(c.active), onAccountBlocked: Number(blocked?.n ?? 0) > 0,
    phone: (c.phone as string | null) ?? null, email: (c.email as string | null) ?? null, loyaltyCard: (c.loyalty_card as string | null) ?? null,
    segmentIds: segs.map((s) => s.segment_id),
  });
}

/** The feed row for a customer: its upsert, or its delete when it is gone (merged). */
export async function customerChange(m: Db, customerId: string, createdAt: string): Promise<ChangeInput> {
  const payload = await customerFeedPayload(m, customerId);
  return payload
    ? { entity: 'customer', entityId: customerId, op: 'upsert', payload, createdAt }
    : { entity: 'customer', entityId: customerId, op: 'delete', createdAt };
}
