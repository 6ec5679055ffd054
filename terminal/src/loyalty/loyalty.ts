/**
 * Loyalty at the till: the member's balance (online, from HQ), redeeming points as a discount on the cart,
 * and the offline rule.
 *
 * - Online: HQ holds the points (`loyalty.hold`, atomic at HQ: two tills at once, one wins) and the cart
 *   gets a loyalty benefit with the hold's id; HQ's refusal ("not enough points") is final.
 * - Offline (no answer): at most the programme's `offlineCapPoints` per redemption and
 *   `offlineDailyCapPoints` per customer and day at this till, counted in `loyalty_offline_redemption`
 *   (written in the sale's transaction); the benefit is marked `offline` and HQ posts it as it comes.
 * - Removing the redemption (or another customer) gives the hold back; a hold no ticket uses lapses at HQ.
 * Points earned are computed with the shared rule for the receipt ("Puntos de esta compra"); HQ posts them.
 */
import { checkRedemption, LOYALTY_PROGRAMME_ID, LoyaltyProgrammeSchema, offlineAllowance, pointsEarned, type LoyaltyProgramme } from '@tpv/shared/loyalty/rules';
import { BalanceReplySchema, HoldReplySchema, LOYALTY_BALANCE, LOYALTY_HOLD, LOYALTY_RELEASE, ReleaseReplySchema } from '@tpv/shared/loyalty/requests';
import { ok, type Result } from '@tpv/shared/result';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { failure, type Failure } from '../app/errors';
import type { TerminalDeps } from '../app/context';
import type { CatalogQueries } from '../catalog/catalog';
import type { Cart, PricedCart } from '../sales/cart';
import type { CartService } from '../sales/cart-service';

export interface LoyaltyBalance {
  customerId: string;
  member: boolean;
  online: boolean;
  /** Online: HQ's balance and what is not held. */
  points: number | null;
  available: number | null;
  /** What this till may redeem offline for the customer today. */
  offlineAllowance: number;
  pointValueCents: number;
  minRedeemPoints: number;
}

const HOLD_TIMEOUT_MS = 4000;

export function createTillLoyalty(o: { deps: TerminalDeps; catalog: CatalogQueries; cart: CartService }) {
  const { deps, catalog, cart } = o;
  const db = deps.db;
  const getProgramme = db.prepare<[string], { rules: string }>('SELECT rules FROM loyalty_programme WHERE id = ?');
  const usedToday = db.prepare<[string, string], { n: number }>('SELECT COALESCE(SUM(points), 0) AS n FROM loyalty_offline_redemption WHERE customer_id = ? AND day = ?');
  const insOffline = db.prepare('INSERT INTO loyalty_offline_redemption (ticket_id, customer_id, day, points, created_at) VALUES (?, ?, ?, ?, ?)');
  const productCategory = db.prepare<[string], { category_id: string | null }>('SELECT category_id FROM product WHERE id = ?');

  const programme = (): LoyaltyProgramme | null => {
    const r = getProgramme.get(LOYALTY_PROGRAMME_ID);
    if (!r) return null;
    const p = LoyaltyProgrammeSchema.safeParse(JSON.parse(r.rules));
    return p.success ? p.data : null;
  };
  const today = () => deps.localTime(deps.clock.now()).timestamp.slice(0, 10);
  const allowance = (p: LoyaltyProgramme, customerId: string) => offlineAllowance(p, usedToday.get(customerId, today())?.n ?? 0);

  function member(customerId: string | undefined): Result<{ id: string; p: LoyaltyProgramme }, Failure> {
    const p = programme();
    if (!p || !p.active) return failure('LOYALTY_INACTIVE', 'no hay programa de puntos activo / there is no active loyalty programme');
    if (!customerId) return failure('LOYALTY_NO_CUSTOMER', 'elija primero el cliente / choose the customer first');
    const c = catalog.customerById(customerId);
    if (!c?.loyaltyCard) return failure('LOYALTY_NOT_MEMBER', 'el cliente no tiene tarjeta de puntos / the customer is not a loyalty member', { customerId });
    return ok({ id: c.id, p });
  }

  function release(holdId: string | undefined): void {
    if (holdId) deps.hq.request(LOYALTY_RELEASE, { holdId }, ReleaseReplySchema, HOLD_TIMEOUT_MS).catch(() => undefined);
  }

  return {
    programme,

    async balance(customerId: string): Promise<Result<LoyaltyBalance, Failure>> {
      const p = programme();
      const c = catalog.customerById(customerId);
      if (!c) return failure('CUSTOMER_UNKNOWN', `no customer ${customerId}`, { customerId });
      const base = { customerId, member: c.loyaltyCard !== null, pointValueCents: p?.pointValueCents ?? 0, minRedeemPoints: p?.minRedeemPoints ?? 0, offlineAllowance: p ? allowance(p, customerId) : 0 };
      if (!p || !c.loyaltyCard) return ok({ ...base, online: false, points: null, available: null });
      const r = await deps.hq.request(LOYALTY_BALANCE, { customerId }, BalanceReplySchema, HOLD_TIMEOUT_MS);
      if (r && 'reply' in r) return ok({ ...base, online: true, points: r.reply.points, available: r.reply.available });
      return ok({ ...base, online: false, points: null, available: null });
    },

    /** Redeems `points` on the open cart: online with HQ's hold, offline under the cap. */
    async redeem(points: number): Promise<Result<PricedCart, Failure>> {
      const current = cart.current();
      if (current.lines.length === 0) return failure('CART_EMPTY', 'nada que descontar todavía / nothing to discount yet');
      const m = member(current.customer?.id);
      if (!m.ok) return m;
      const { id: customerId, p } = m.value;
      if (current.loyalty) {
        release(current.loyalty.authorization);
        const cleared = cart.setLoyalty(null);
        if (!cleared.ok) return cleared;
      }
      const r = await deps.hq.request(LOYALTY_HOLD, { customerId, points }, HoldReplySchema, HOLD_TIMEOUT_MS);
      if (r && 'refused' in r) return failure(r.refused.code, r.refused.message, { customerId, points });
      if (r) {
        const set = cart.setLoyalty({ id: r.reply.holdId, authorization: r.reply.holdId, customerId, points, cents: r.reply.cents, expiresAt: r.reply.expiresAt });
        if (!set.ok) release(r.reply.holdId);
        return set;
      }
      const cap = allowance(p, customerId);
      const c = checkRedemption(p, points, cap);
      if (!c.ok) {
        if (c.error.code !== 'LOYALTY_INSUFFICIENT_POINTS') return failure(c.error.code, c.error.message, { customerId, points });
        return failure('LOYALTY_OFFLINE_CAP', `sin conexión con la central: como máximo ${cap} puntos ahora / offline: at most ${cap} points now`, { customerId, points, allowance: cap });
      }
      return cart.setLoyalty({ id: deps.newId(), customerId, points, cents: c.value, offline: true });
    },

    /** Removes the redemption from the cart and gives the hold back. */
    cancel(): Result<PricedCart, Failure> {
      const l = cart.current().loyalty;
      const r = cart.setLoyalty(null);
      if (r.ok) release(l?.authorization);
      return r;
    },

    /** At checkout: an offline redemption still within today's allowance (a parked cart may have waited). */
    check(c: Cart): Failure | undefined {
      if (!c.loyalty?.offline) return undefined;
      const p = programme();
      if (!p) return { code: 'LOYALTY_INACTIVE', message: 'no hay programa de puntos / there is no loyalty programme' };
      const cap = allowance(p, c.loyalty.customerId);
      if (c.loyalty.points > cap) return { code: 'LOYALTY_OFFLINE_CAP', message: `sin conexión: como máximo ${cap} puntos hoy / offline: at most ${cap} points today`, details: { allowance: cap } };
      return undefined;
    },

    recordInTransaction(doc: TicketDocument): void {
      for (const b of doc.benefits ?? []) {
        if (b.kind === 'loyalty' && b.offline && b.customerId && b.points) insOffline.run(doc.id, b.customerId, doc.issuedAt.slice(0, 10), b.points, new Date(deps.clock.now()).toISOString());
      }
    },

    /** Points this sale earns by the shared rule (what HQ will post), 0 for a non-member. */
    pointsEarned(doc: TicketDocument): number {
      const p = programme();
      const c = doc.customer?.id ? catalog.customerById(doc.customer.id) : undefined;
      if (!p || !c?.loyaltyCard) return 0;
      return pointsEarned(p, doc.lines.map((l) => ({ productId: l.productId, categoryId: productCategory.get(l.productId)?.category_id ?? null, total: l.total })));
    },
  };
}

export type TillLoyalty = ReturnType<typeof createTillLoyalty>;
