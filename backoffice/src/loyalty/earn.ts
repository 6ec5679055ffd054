/**
 * Ingest posting step `loyalty.earn` (inside the ingest transaction, once per applied ticket):
 *
 * - A sale's loyalty redemptions (`benefits` of kind 'loyalty'): posted as `redeem` at the ticket's store.
 *   Online ones consume their hold (marked used by this ticket); offline ones are posted as they come. A
 *   redemption that takes the balance below zero, reuses a hold, or names none that HQ knows is kept and
 *   flagged (posting `flagged`, and an anomaly in the review queue): never lost, never double-spent silently.
 * - A member's sale (a customer with a loyalty card) earns points by the programme (shared rule).
 * - A return reverses the earn of each sale it returns from, in proportion to the money refunded.
 * A ticket replacing another (F3 `substitutes`) earns nothing: its sale already did.
 */
import { pointsEarned, pointsReversed, type LoyaltyProgramme } from '@tpv/shared/loyalty/rules';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { TicketStep, TicketStepContext } from '../sales-ingest/steps';
import { memberCard, post, programmeOf, type Sql } from './ledger';

export const loyaltyEarnStep: TicketStep = {
  id: 'loyalty.earn',
  async apply(ctx, tickets) {
    const sql: Sql = ctx.sql as Sql;
    const programme = await programmeOf(sql);
    for (const t of tickets) {
      if (t.substitutes) continue;
      if (t.kind === 'sale') {
        await postRedemptions(ctx, sql, t);
        if (programme) await postEarn(ctx, sql, programme, t);
      } else {
        await postReversals(ctx, sql, t);
      }
    }
  },
};

const dayOf = (t: TicketDocument) => t.issuedAt.slice(0, 10);

async function postRedemptions(ctx: TicketStepContext, sql: Sql, t: TicketDocument): Promise<void> {
  for (const b of t.benefits ?? []) {
    if (b.kind !== 'loyalty') continue;
    const customerId = b.customerId ?? t.customer?.id;
    if (!customerId || !b.points) {
      await ctx.flag(t, 'LOYALTY_REDEMPTION_UNNAMED', `canje de puntos ${b.id} sin cliente o sin puntos / points redemption ${b.id} without a customer or points (${b.cents} cents)`);
      continue;
    }
    const problems: string[] = [];
    if (b.authorization) {
      const [h] = await sql<{ customer_id: string; points: unknown; status: string; ticket_id: string | null }>(`SELECT customer_id, points, status, ticket_id FROM loyalty_hold WHERE id = ?`, [b.authorization]);
      if (!h) problems.push(`retención ${b.authorization} desconocida / unknown hold`);
      else if (h.status === 'used' && h.ticket_id !== t.id) problems.push(`retención ${b.authorization} ya usada por el ticket ${h.ticket_id} / hold already used`);
      else {
        if (h.customer_id !== customerId || Number(h.points) !== b.points) problems.push(`la retención era de ${Number(h.points)} puntos de ${h.customer_id} / the hold was for other points`);
        await sql(`UPDATE loyalty_hold SET status = 'used', ticket_id = ?, closed_at = ? WHERE id = ?`, [t.id, ctx.now, b.authorization]);
      }
    }
    const id = ctx.newId();
    const r = await post(sql, {
      id, customerId, kind: 'redeem', points: -b.points, amountCents: b.cents, companyId: ctx.companyId, storeId: ctx.storeId, terminalId: ctx.terminalId,
      ticketId: t.id, refId: b.authorization ?? null, day: dayOf(t), at: ctx.now, note: b.offline ? 'offline' : null,
    });
    if (r.balance < 0) problems.push(`saldo negativo tras el canje: ${r.balance} puntos / balance below zero after the redemption`);
    if (problems.length > 0) {
      await sql(`UPDATE loyalty_posting SET flagged = ? WHERE id = ?`, [true, id]);
      await ctx.flag(t, b.offline ? 'LOYALTY_OFFLINE_OVERDRAWN' : 'LOYALTY_REDEMPTION_CHECK', `${customerId}: ${b.points} puntos${b.offline ? ' (sin conexión / offline)' : ''}: ${problems.join('; ')}`);
    }
  }
}

type EarnAt = Pick<TicketStepContext, 'companyId' | 'storeId' | 'terminalId' | 'now' | 'newId'>;

async function postEarn(ctx: EarnAt, sql: Sql, programme: LoyaltyProgramme, t: TicketDocument): Promise<void> {
  const customerId = t.customer?.id;
  if (!customerId) return;
  const member = await memberCard(sql, customerId);
  if (!member?.card) return;
  const ids = [...new Set(t.lines.map((l) => l.productId))];
  const cats = new Map<string, string | null>();
  if (ids.length > 0) {
    const rows = await sql<{ id: string; category_id: string | null }>(`SELECT id, category_id FROM product WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    for (const r of rows) cats.set(r.id, r.category_id);
  }
  const points = pointsEarned(programme, t.lines.map((l) => ({ productId: l.productId, categoryId: cats.get(l.productId) ?? null, total: l.total })));
  if (points <= 0) return;
  await post(sql, {
    id: ctx.newId(), customerId, kind: 'earn', points, amountCents: t.totals.total, companyId: ctx.companyId, storeId: ctx.storeId, terminalId: ctx.terminalId,
    ticketId: t.id, day: dayOf(t), at: ctx.now,
  });
}

/**
 * A customer registered at a till offline reached HQ after sales naming it (the till's tickets and documents
 * go up through separate outboxes): the member's sales HQ already holds, with no earn posted, earn now — at
 * their own store, till and day. Called in the transaction that applies the customer (reaction to
 * `customer.registered`), so it runs once.
 */
export async function earnTicketsReceivedBefore(sql: Sql, customerId: string, now: string, newId: () => string): Promise<number> {
  const programme = await programmeOf(sql);
  if (!programme) return 0;
  const rows = await sql<{ document: string; store_id: string; terminal_id: string; company_id: string }>(
    `SELECT t.document, t.store_id, t.terminal_id, s.company_id FROM sale_ticket t JOIN store s ON s.id = t.store_id
      WHERE t.customer_id = ? AND t.kind = 'sale' AND NOT EXISTS (SELECT 1 FROM loyalty_posting p WHERE p.ticket_id = t.id AND p.kind = 'earn')
      ORDER BY t.issued_at, t.id`,
    [customerId],
  );
  let n = 0;
  for (const r of rows) {
    const t = JSON.parse(r.document) as TicketDocument;
    if (t.substitutes || t.customer?.id !== customerId) continue;
    await postEarn({ companyId: r.company_id, storeId: r.store_id, terminalId: r.terminal_id, now, newId }, sql, programme, t);
    n++;
  }
  return n;
}

async function postReversals(ctx: TicketStepContext, sql: Sql, t: TicketDocument): Promise<void> {
  const refunded = new Map<string, number>();
  for (const l of t.lines) {
    if (!l.returnOf) continue;
    refunded.set(l.returnOf.ticketId, (refunded.get(l.returnOf.ticketId) ?? 0) + Math.abs(l.total));
  }
  for (const [saleId, now] of refunded) {
    const [earn] = await sql<{ customer_id: string; points: unknown; amount_cents: unknown }>(`SELECT customer_id, points, amount_cents FROM loyalty_posting WHERE ticket_id = ? AND kind = 'earn'`, [saleId]);
    if (!earn) continue;
    const [before] = await sql<{ c: unknown; p: unknown }>(`SELECT COALESCE(SUM(amount_cents), 0) AS c, COALESCE(SUM(-points), 0) AS p FROM loyalty_posting WHERE ref_id = ? AND kind = 'reverse'`, [saleId]);
    // Capped by what is left of the earn (a refund too small to reverse a point leaves no posting to count).
    const points = Math.min(Number(earn.points) - Number(before?.p ?? 0), pointsReversed(Number(earn.points), Number(earn.amount_cents), Number(before?.c ?? 0), now));
    if (points <= 0) continue;
    const r = await post(sql, {
      id: ctx.newId(), customerId: earn.customer_id, kind: 'reverse', points: -points, amountCents: now, companyId: ctx.companyId, storeId: ctx.storeId, terminalId: ctx.terminalId,
      ticketId: t.id, refId: saleId, day: dayOf(t), at: ctx.now,
    });
    if (r.balance < 0) await ctx.flag(t, 'LOYALTY_REVERSAL_OVERDRAWN', `${earn.customer_id}: la devolución retira ${points} puntos ya gastados; saldo ${r.balance} / the return takes back ${points} points already spent`);
  }
}
