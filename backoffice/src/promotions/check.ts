/**
 * Ingest step `promotions.check`: re-prices each sale ticket's promotions with the tills' own engine
 * (shared/src/promotions) on the promotions in force at the ticket's issue time, in the store of the till, with
 * the products' categories and the customer's card and segments as HQ holds them. A ticket whose shares differ
 * is flagged PROMOTION_MISMATCH for HQ's review (never refused: the customer has paid). The promotion totals
 * per promotion, store and local day are added from what the ticket says it gave.
 */
import { evaluatePromotions, indexPromotions } from '@tpv/shared/promotions/engine';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { TicketStep, TicketStepContext } from '../sales-ingest/steps';
import { PromotionSchema, type Promotion } from '@tpv/shared/promotions/definition';

/** "1:<id>=100;…" per line, sorted by promotion id within a line (comparable whatever the order). */
function sharesKey(lines: ReadonlyArray<{ benefits?: ReadonlyArray<{ kind: string; id: string; cents: number }> | undefined }>): string {
  return lines.map((l) => (l.benefits ?? []).filter((b) => b.kind === 'promotion').map((b) => `${b.id}=${b.cents}`).sort().join(';')).join('|');
}

const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');

async function promotionsFor(ctx: TicketStepContext, tickets: readonly TicketDocument[]): Promise<Promotion[]> {
  const times = tickets.map((t) => Date.parse(t.issuedAt));
  const from = new Date(Math.min(...times)).toISOString();
  const to = new Date(Math.max(...times)).toISOString();
  const rows = await ctx.sql('SELECT definition FROM promotion WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)', [to, from]);
  const out: Promotion[] = [];
  for (const r of rows) {
    const p = PromotionSchema.safeParse(JSON.parse(String(r['definition'])));
    if (p.success) out.push(p.data);
  }
  return out;
}

async function categoriesOf(ctx: TicketStepContext, tickets: readonly TicketDocument[]): Promise<Map<string, string | null>> {
  const ids = [...new Set(tickets.flatMap((t) => t.lines.map((l) => l.productId)))];
  const out = new Map<string, string | null>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of await ctx.sql(`SELECT id, category_id FROM product WHERE id IN (${inList(chunk.length)})`, chunk)) out.set(String(r['id']), (r['category_id'] as string | null) ?? null);
  }
  return out;
}

/**
 * The customer's loyalty card and segments as HQ holds them when the ticket is applied (the CRM module's
 * `customer.loyalty_card` and `customer_segment_member`): what the till had from the feed.
 */
async function customerOf(ctx: TicketStepContext, id: string): Promise<{ id: string; loyaltyCard: string | null; segmentIds: string[] }> {
  const r = (await ctx.sql<{ loyalty_card: string | null }>('SELECT loyalty_card FROM customer WHERE id = ?', [id]))[0];
  const segments = await ctx.sql<{ segment_id: string }>('SELECT segment_id FROM customer_segment_member WHERE customer_id = ? ORDER BY segment_id', [id]);
  return { id, loyaltyCard: r?.loyalty_card ?? null, segmentIds: segments.map((x) => x.segment_id) };
}

export const promotionsCheckStep: TicketStep = {
  id: 'promotions.check',
  async apply(ctx, tickets) {
    const sales = tickets.filter((t) => t.kind === 'sale' && !t.substitutes);
    if (sales.length === 0) return;
    const promotions = await promotionsFor(ctx, sales);
    const claimed = sales.some((t) => (t.benefits ?? []).some((b) => b.kind === 'promotion'));
    if (promotions.length === 0 && !claimed) return;
    const index = indexPromotions(promotions);
    const categories = await categoriesOf(ctx, sales);
    const timeZone = String((await ctx.sql('SELECT timezone FROM store WHERE id = ?', [ctx.storeId]))[0]?.['timezone'] ?? 'Europe/Madrid');
    for (const t of sales) {
      const customer = t.customer?.id ? await customerOf(ctx, t.customer.id) : null;
      const r = evaluatePromotions(
        index,
        t.lines.map((l) => ({ id: l.id, productId: l.productId, categoryId: categories.get(l.productId) ?? null, unitPrice: l.unitPrice, quantity: l.quantity, discount: l.discount })),
        { storeId: ctx.storeId, companyId: ctx.companyId, at: Date.parse(t.issuedAt), timeZone, customer },
      );
      const expected = sharesKey(t.lines.map((l) => ({ benefits: r.lineBenefits.get(l.id) })));
      const actual = sharesKey(t.lines);
      if (expected !== actual) {
        await ctx.flag(t, 'PROMOTION_MISMATCH', `promociones del ticket ≠ recalculadas en central / the ticket's promotions differ from HQ's: till ${actual || 'none'}; HQ ${expected || 'none'}`);
      }
      const day = t.issuedAt.slice(0, 10); // the local date (issuedAt carries the store's offset)
      for (const b of t.benefits ?? []) {
        if (b.kind !== 'promotion' || b.cents === 0) continue;
        await ctx.sql(
          `INSERT INTO promotion_total (promotion_id, store_id, day, tickets, cents) VALUES (?, ?, ?, 1, ?)
           ON CONFLICT (promotion_id, store_id, day) DO UPDATE SET tickets = promotion_total.tickets + 1, cents = promotion_total.cents + excluded.cents`,
          [b.id, ctx.storeId, day, b.cents],
        );
      }
    }
  },
};
