/**
 * The cart's promotions: evaluates the till's promotions on a cart (at the till's clock, with the cart
 * customer's segments and loyalty card) and puts the shares on its lines. The cart service runs it on every
 * change; checkout runs it again at payment time (a promotion priced before midnight may have ended).
 */
import type { Clock } from '@tpv/shared/clock';
import type { CatalogQueries } from '../catalog/catalog';
import { withPromotions, type Cart } from '../sales/cart';
import type { PromotionBook } from './book';

export type CartPromoter = (cart: Cart) => Cart;

export function createCartPromoter(book: PromotionBook, catalog: Pick<CatalogQueries, 'customerById'>, clock: Clock): CartPromoter {
  return (cart) => {
    if (cart.lines.length === 0) return withPromotions(cart, { lineBenefits: new Map(), applied: [], total: 0 });
    const c = cart.customer ? catalog.customerById(cart.customer.id) : undefined;
    const r = book.evaluate(
      cart.lines.map((l) => ({ id: l.id, productId: l.productId, categoryId: l.categoryId ?? null, unitPrice: l.unitPrice, quantity: l.quantity, discount: l.discount })),
      clock.now(),
      c ? { id: c.id, segmentIds: c.segmentIds, loyaltyCard: c.loyaltyCard } : null,
    );
    return withPromotions(cart, r);
  };
}
