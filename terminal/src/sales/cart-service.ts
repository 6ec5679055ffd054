/**
 * Cart use cases: each loads the open cart, applies a pure transition, authorises overrides (supervisor PIN
 * above the cashier's limits), persists the new cart, audits overrides and tells the screen. A failing
 * step writes nothing.
 */
import { ok, type Result } from '@tpv/shared/result';
import type { Discount } from '@tpv/shared/ticket';
import { failure, type Failure } from '../app/errors';
import type { TerminalDeps } from '../app/context';
import type { AuditLog } from '../people/audit';
import type { AuthService } from '../people/auth';
import type { StaffMember } from '../people/pins';
import { resolveScan, type CatalogQueries } from '../catalog/catalog';
import {
  addItem, cartLineGross, discountNeedsSupervisor, emptyCart, findLine, priceCart, removeLine, setCustomer, setTicketDiscount, updateLine,
  type Cart, type LinePatch, type PricedCart,
} from './cart';
import type { CartStore, ParkedCart } from './cart-store';
import type { CartPromoter } from '../promotions/cart-promotions';
import type { CartLoyalty } from '../loyalty/cart-benefit';
import type { BlockCheck } from '../blocks/blocks';
import { createDocumentOutbox } from '../sync/document-outbox';

export interface CartService {
  current(): Cart;
  priced(): PricedCart;
  scan(actor: StaffMember, code: string): Result<PricedCart, Failure>;
  addProduct(actor: StaffMember, productId: string, qty: { units?: number | undefined; grams?: number | undefined }): Result<PricedCart, Failure>;
  patchLine(actor: StaffMember, lineId: string, patch: LinePatch, supervisorPin?: string): Promise<Result<PricedCart, Failure>>;
  voidLine(actor: StaffMember, lineId: string, supervisorPin?: string): Promise<Result<PricedCart, Failure>>;
  /**
   * "Anular ticket": every line of the open cart `cartId` voided in one action, with the line void's
   * authorisation (supervisor or their PIN); answers the new empty cart.
   */
  cancelTicket(actor: StaffMember, cartId: string, supervisorPin?: string): Promise<Result<PricedCart, Failure>>;
  setDiscount(actor: StaffMember, discount: Discount | null, supervisorPin?: string): Promise<Result<PricedCart, Failure>>;
  setCustomer(actor: StaffMember, customerId: string | null): Result<PricedCart, Failure>;
  park(actor: StaffMember, label?: string): Result<{ parkedId: string }, Failure>;
  listParked(): Array<Omit<ParkedCart, 'cart'> & { total: number }>;
  resume(actor: StaffMember, parkedId: string): Result<PricedCart, Failure>;
  /** Loyalty (terminal/src/loyalty): puts or removes the points redemption; refused if it does not fit the cart. */
  setLoyalty(loyalty: CartLoyalty | null): Result<PricedCart, Failure>;
}

export interface CartServiceDeps {
  deps: TerminalDeps;
  store: CartStore;
  catalog: CatalogQueries;
  auth: Pick<AuthService, 'authorise'>;
  audit: AuditLog;
  /** Evaluates promotions on the cart before each commit (none when absent). */
  promote?: CartPromoter | undefined;
  /** HQ's product blocks (issue 17): refused before the line is added. */
  blocks?: BlockCheck | undefined;
}

export function createCartService({ deps, store, catalog, auth, audit, promote = (c) => c, blocks }: CartServiceDeps): CartService {
  const current = (): Cart => store.load() ?? emptyCart(deps.newId());
  const nowIso = () => new Date(deps.clock.now()).toISOString();
  const outbox = createDocumentOutbox(deps.db);

  /** `alsoWrite`: rows written in one transaction with the cart (a void's audit and outbox rows). */
  function commit(cart: Cart, alsoWrite?: () => void): Result<PricedCart, Failure> {
    const next = promote(cart);
    const p = priceCart(next);
    if (!p.ok) return p;
    if (alsoWrite) {
      deps.db.transaction(() => {
        store.saveInTransaction(next);
        alsoWrite();
      })();
    } else store.save(next);
    deps.events.emit('cart', p.value);
    return p;
  }

  function apply(r: Result<Cart, Failure>): Result<PricedCart, Failure> {
    return r.ok ? commit(r.value) : r;
  }

  return {
    current,
    priced() {
      const p = priceCart(current());
      if (!p.ok) throw new Error(`stored cart does not price: ${p.error.message}`);
      return p.value;
    },

    scan(_actor, code) {
      const item = resolveScan(deps.repos, deps.policy.scaleTemplates, code);
      if (!item.ok) return item;
      const blocked = blocks?.refusal(item.value.product.id, item.value.product.name, item.value.unit);
      if (blocked) return blocked;
      return apply(addItem(current(), item.value.product, item.value.quantity, item.value.barcode));
    },

    addProduct(_actor, productId, qty) {
      const product = catalog.productById(productId);
      if (!product) return failure('PRODUCT_UNKNOWN', `no product ${productId}`, { productId });
      if (!product.active) return failure('PRODUCT_INACTIVE', `${product.name} is no longer sold`, { productId });
      // A quick key or a search result carries no lot: a lot block refuses it too (shared/src/blocks/rules.ts).
      const blocked = blocks?.refusal(product.id, product.name);
      if (blocked) return blocked;
      if (qty.units !== undefined && qty.grams !== undefined) return failure('QUANTITY_KIND_MISMATCH', 'give units or grams, not both');
      let q: { kind: 'units'; units: number } | { kind: 'weight'; grams: number } | undefined;
      if (qty.grams !== undefined) q = { kind: 'weight', grams: qty.grams };
      else if (qty.units !== undefined) q = { kind: 'units', units: qty.units };
      else if (product.weighed) return failure('WEIGHT_REQUIRED', `${product.name} is sold by weight: give grams`, { productId });
      return apply(addItem(current(), product, q));
    },

    async patchLine(actor, lineId, patch, supervisorPin) {
      const stored = store.load();
      const cart = stored ?? emptyCart(deps.newId());
      const line = findLine(cart, lineId);
      if (!line) return failure('LINE_UNKNOWN', `no line ${lineId} in the cart`, { lineId });
      const next = updateLine(cart, lineId, patch);
      if (!next.ok) return next;
      const after = findLine(next.value, lineId)!;
      const reasons: string[] = [];
      if (patch.unitPrice !== undefined && patch.unitPrice !== line.unitPrice) reasons.push('price_override');
      if (patch.discount && discountNeedsSupervisor(cartLineGross(after), patch.discount, deps.policy.discountLimitBp)) reasons.push('line_discount');
      let authoriser: StaffMember | undefined;
      if (reasons.length > 0) {
        const a = await auth.authorise(actor, supervisorPin, reasons.join(' + '));
        if (!a.ok) return a;
        authoriser = a.value;
      }
      if (store.load() !== stored) return failure('CART_CHANGED', 'the cart changed meanwhile; try again');
      const r = commit(next.value);
      if (r.ok && authoriser) {
        for (const action of reasons) {
          audit({
            action,
            actorId: actor.id,
            authorisedBy: authoriser.id,
            details: { cartId: cart.id, lineId, productId: line.productId, from: { unitPrice: line.unitPrice, discount: line.discount ?? null }, to: { unitPrice: after.unitPrice, discount: after.discount ?? null } },
          });
        }
      }
      return r;
    },

    async voidLine(actor, lineId, supervisorPin) {
      const stored = store.load();
      const cart = stored ?? emptyCart(deps.newId());
      const line = findLine(cart, lineId);
      if (!line) return failure('LINE_UNKNOWN', `no line ${lineId} in the cart`, { lineId });
      const next = removeLine(cart, lineId);
      if (!next.ok) return next;
      const a = await auth.authorise(actor, supervisorPin, 'line_void');
      if (!a.ok) return a;
      if (store.load() !== stored) return failure('CART_CHANGED', 'the cart changed meanwhile; try again');
      // The cart without the line, its audit row and the `sales.void` document for HQ's cashier figures (issue
      // 18): one local transaction, so the void reaches HQ exactly once through the document outbox.
      const at = nowIso();
      const gross = cartLineGross(line);
      const r = commit(next.value, () => {
        audit({
          action: 'line_void', actorId: actor.id, authorisedBy: a.value.id,
          details: { cartId: cart.id, lineId, productId: line.productId, description: line.description, quantity: line.quantity, gross, at },
        });
        outbox.enqueue({
          id: deps.newId(), kind: 'sales.void', createdAt: at,
          payload: { cartId: cart.id, lineId, productId: line.productId, cashierId: actor.id, cashierName: actor.name, authorisedBy: a.value.id, cents: gross, cartEmptied: next.value.lines.length === 0, at },
        });
      });
      if (r.ok) deps.hq.documentsQueued();
      return r;
    },

    async cancelTicket(actor, cartId, supervisorPin) {
      const stored = store.load();
      // The checkout deletes the paid cart in the sale's transaction: no open cart means nothing to cancel.
      if (!stored || stored.lines.length === 0) return failure('CART_EMPTY', 'No hay ticket abierto que anular (vacío o ya cobrado) / no open ticket to cancel (empty or already paid)');
      // A late tap for a cart paid (or parked) meanwhile must not cancel the next customer's ticket.
      if (stored.id !== cartId) return failure('CART_CLOSED', 'Ese ticket ya está cobrado o aparcado / that ticket is already paid or parked', { cartId });
      const a = await auth.authorise(actor, supervisorPin, 'ticket_cancel');
      if (!a.ok) return a;
      if (store.load() !== stored) return failure('CART_CHANGED', 'the cart changed meanwhile; try again');
      // The empty cart, one audit row and ONE `sales.void` document for the whole ticket (issue 18): HQ counts
      // one cancelled ticket with the sum of its lines, exactly once, through the document outbox.
      const at = nowIso();
      const lines = stored.lines.map((l) => ({ lineId: l.id, productId: l.productId, description: l.description, quantity: l.quantity, gross: cartLineGross(l) }));
      const gross = lines.reduce((sum, l) => sum + l.gross, 0);
      const r = commit(emptyCart(deps.newId()), () => {
        audit({ action: 'ticket_cancel', actorId: actor.id, authorisedBy: a.value.id, details: { cartId, lines, gross, at } });
        outbox.enqueue({
          id: deps.newId(), kind: 'sales.void', createdAt: at,
          payload: { cartId, lineCount: lines.length, cashierId: actor.id, cashierName: actor.name, authorisedBy: a.value.id, cents: gross, cartEmptied: true, at },
        });
      });
      if (r.ok) deps.hq.documentsQueued();
      return r;
    },

    async setDiscount(actor, discount, supervisorPin) {
      const stored = store.load();
      const cart = stored ?? emptyCart(deps.newId());
      const next = setTicketDiscount(cart, discount);
      if (!next.ok) return next;
      const before = priceCart({ ...cart, ticketDiscount: undefined });
      const base = before.ok ? before.value.totals.total : 0;
      let authoriser: StaffMember | undefined;
      if (discountNeedsSupervisor(base, discount, deps.policy.discountLimitBp)) {
        const a = await auth.authorise(actor, supervisorPin, 'ticket_discount');
        if (!a.ok) return a;
        authoriser = a.value;
      }
      if (store.load() !== stored) return failure('CART_CHANGED', 'the cart changed meanwhile; try again');
      const r = commit(next.value);
      if (r.ok && authoriser) audit({ action: 'ticket_discount', actorId: actor.id, authorisedBy: authoriser.id, details: { cartId: cart.id, discount, base } });
      return r;
    },

    setCustomer(_actor, customerId) {
      if (customerId === null) return apply(setCustomer(current(), null));
      const c = catalog.customerById(customerId);
      if (!c) return failure('CUSTOMER_UNKNOWN', `no customer ${customerId}`, { customerId });
      if (!c.active) return failure('CUSTOMER_INACTIVE', `${c.name} is not active`, { customerId });
      return apply(setCustomer(current(), { id: c.id, name: c.name, nif: c.nif, reRegime: c.reRegime }));
    },

    park(actor, label) {
      const cart = current();
      if (cart.lines.length === 0) return failure('CART_EMPTY', 'nothing to park');
      const id = deps.newId();
      store.park(cart, { id, label: label ?? null, cashierId: actor.id, createdAt: nowIso() });
      const empty = priceCart(emptyCart(deps.newId()));
      if (empty.ok) deps.events.emit('cart', empty.value);
      return ok({ parkedId: id });
    },

    listParked() {
      return store.listParked().map(({ cart, ...rest }) => {
        const p = priceCart(cart);
        return { ...rest, total: p.ok ? p.value.totals.total : 0 };
      });
    },

    setLoyalty(loyalty) {
      return apply(ok({ ...current(), loyalty: loyalty ?? undefined }));
    },

    resume(_actor, parkedId) {
      if (current().lines.length > 0) return failure('CART_NOT_EMPTY', 'finish or park the open cart first');
      const cart = store.resume(parkedId);
      if (!cart) return failure('PARKED_UNKNOWN', `no parked cart ${parkedId}`, { parkedId });
      // Promotions are those in force now, not when the cart was parked.
      return commit(cart);
    },
  };
}
