/**
 * Promotions at the till (issue 15, must-be-true 1): the hand-worked table of shared/test/promotion-cases.ts
 * run through a real terminal database — promotions, categories and products arrive on the change feed, the
 * cashier scans, the cart shows the promotions, checkout writes a ticket document whose lines carry the shares
 * and whose `benefits` name each promotion; a return of promoted units refunds what was paid. Then a cart priced
 * before a promotion ended and paid after: PROMOTION_EXPIRED, nothing written, the cart re-priced.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTicketArithmetic } from '@tpv/shared/wire/ticket';
import { createTerminalApp, type TerminalApp } from '../../src/app/terminal-app';
import { createCatalogStore } from '../../src/sync/catalog';
import { receiptToText } from '@tpv/shared/receipt';
import { ticketReceipt } from '../../src/printing/receipts';
import { freshTerminalDb, IDENTITY, rowCounts, STAFF, tempDir, type TestDb } from './support/fixture';
import { PROMO_AT, PROMO_CATEGORIES, PROMO_PRODUCTS, PROMOS, PROMOTION_CASES, sharesOf, type PromoKey } from '../../../shared/test/promotion-cases';

const dir = tempDir('tpv-promotions-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('promotions at the till', () => {
  const me = { id: STAFF.cashier.id, name: STAFF.cashier.name, role: 'cashier' as const };
  let t: TestDb;
  let app: TerminalApp;
  let now = Date.parse(PROMO_AT);
  let v = 0;
  let feed: (changes: Array<Record<string, unknown>>) => void;
  const activate = (keys: PromoKey[]) =>
    feed(Object.entries(PROMOS).map(([k, p]) => (keys.includes(k as PromoKey) ? { entity: 'promotion', id: p.id, op: 'upsert', data: p } : { entity: 'promotion', id: p.id, op: 'delete', data: null })));

  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    const store = createCatalogStore(t.db);
    feed = (changes) => {
      store.applyPage({ fromVersion: v, toVersion: v + changes.length, hasMore: false, changes: changes.map((c, i) => ({ version: v + i + 1, ...c })) }, new Date(now).toISOString());
      v += changes.length;
    };
    feed([
      ...Object.entries(PROMO_CATEGORIES).map(([name, id], i) => ({ entity: 'category', id, op: 'upsert', data: { id, name, parentId: null, sort: i } })),
      ...Object.values(PROMO_PRODUCTS).flatMap((p, i) => [
        { entity: 'product', id: p.id, op: 'upsert', data: { id: p.id, sku: `PROMO-${i}`, name: p.name, categoryId: p.categoryId, taxRateBp: p.taxRateBp, exemption: null, weighed: p.weighed, priceCents: p.priceCents, active: true } },
        { entity: 'barcode', id: p.barcode, op: 'upsert', data: { barcode: p.barcode, productId: p.id } },
      ]),
    ]);
    app = createTerminalApp({ db: t.db, clock: { now: () => now }, startPrinting: false });
    expect(app.cash.open(me, { '5000': 10 }).ok).toBe(true);
  });
  afterAll(async () => {
    await app.stop();
    await t.ds.destroy();
  });

  for (const c of PROMOTION_CASES) {
    it(c.name, async () => {
      activate(c.promos);
      for (const l of c.lines) {
        const p = PROMO_PRODUCTS[l.product];
        if (p.weighed) expect(app.cart.addProduct(me, p.id, { grams: l.grams }).ok).toBe(true);
        else for (let k = 0; k < (l.units ?? 1); k++) expect(app.cart.scan(me, p.barcode).ok).toBe(true);
      }
      const cart = app.cart.priced();
      expect(cart.totals.benefits).toBe(c.total);
      expect(cart.promotions.reduce((s, p) => s + p.cents, 0)).toBe(c.total);
      const sold = app.checkout.checkout(me, [{ method: 'cash', amountCents: cart.totals.total }]);
      if (!sold.ok) throw new Error(JSON.stringify(sold.error));
      const doc = sold.value.ticket;
      expect(sharesOf(doc.lines)).toEqual(c.shares);
      expect((doc.benefits ?? []).reduce((s, b) => s + b.cents, 0)).toBe(c.total);
      expect((doc.benefits ?? []).map((b) => b.name).sort()).toEqual(Object.keys(Object.assign({}, ...Object.values(c.shares))).map((k) => PROMOS[k as PromoKey].name).sort());
      expect(verifyTicketArithmetic(doc).ok).toBe(true);
      if (c.ret) {
        const r = await app.returns.createReturn(me, { originalTicketId: doc.id, lines: [{ lineNo: c.ret.line, units: c.ret.units }], refund: { method: 'cash' } });
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        expect(-r.value.ticket.totals.total).toBe(c.ret.refund);
      }
    });
  }

  it('the receipt shows each promotion, its saving and the total saved; the X report the promotion totals', () => {
    const sold = app.checkout.checkout(me, [{ method: 'cash', amountCents: 0 }]);
    expect(!sold.ok && sold.error.code).toBe('CART_EMPTY');
    const docs = t.db.prepare<[], { document: string }>(`SELECT document FROM ticket WHERE kind = 'sale' ORDER BY seq`).all().map((r) => JSON.parse(r.document) as Parameters<typeof ticketReceipt>[1]);
    const doc = docs.find((d) => d.benefits?.some((b) => b.id === PROMOS.drinks30x.id))!;
    const text = receiptToText(ticketReceipt(IDENTITY, doc), 42);
    expect(text).toMatch(/Bebidas -30% \(exclusiva\)\s+-0,90/);
    expect(text).toMatch(/Promociones aplicadas[\s\S]*Bebidas -30% \(exclusiva\)\s+-1,50[\s\S]*Total ahorrado\s+1,50 €/);
    const x = app.cash.xReport();
    if (!x.ok) throw new Error(x.error.message);
    // The 3x2 applied on six of the table's tickets: 1,00 + 2,00 + 1,00 + 1,00 + 2,00 + 1,00.
    expect(x.value.promotions.find((p) => p.id === PROMOS.x3x2.id)).toMatchObject({ tickets: 6, cents: 800 });
    expect(x.value.promotionsTotal).toBe(PROMOTION_CASES.reduce((s, c) => s + c.total, 0));
  });

  it('a cart priced before a promotion ended and paid after it: PROMOTION_EXPIRED, nothing written, the cart re-priced', () => {
    const ends = '2027-05-12T22:00:00.000Z'; // midnight in Madrid
    feed([{ entity: 'promotion', id: PROMOS.x3x2.id, op: 'upsert', data: { ...PROMOS.x3x2, conditions: { validFrom: PROMOS.x3x2.conditions.validFrom, validTo: ends } } }]);
    now = Date.parse(ends) - 60_000;
    for (let k = 0; k < 3; k++) app.cart.scan(me, PROMO_PRODUCTS.A.barcode);
    expect(app.cart.priced().totals.total).toBe(200);
    now = Date.parse(ends) + 60_000;
    const before = rowCounts(t.db);
    const paid = app.checkout.checkout(me, [{ method: 'cash', amountCents: 200 }]);
    expect(!paid.ok && paid.error.code).toBe('PROMOTION_EXPIRED');
    expect(!paid.ok && paid.error.message).toMatch(/3x2 agua.*ya no está en vigor.*has ended/);
    expect(rowCounts(t.db)).toEqual(before);
    const again = app.cart.priced();
    expect([again.totals.total, again.promotions]).toEqual([300, []]);
    expect(app.checkout.checkout(me, [{ method: 'cash', amountCents: 300 }]).ok).toBe(true);
  });
});
