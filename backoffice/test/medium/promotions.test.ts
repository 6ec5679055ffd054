/**
 * Promotions at HQ (issue 15), on both engines: the hand-worked table of shared/test/promotion-cases.ts as
 * tickets a till priced with the shared engine, through the real ingest — the step `promotions.check`
 * re-prices each with the promotions HQ holds in force at its issue time: no review flag, and the promotion
 * totals per promotion/store/day are the table's. A ticket claiming a promotion HQ does not give is flagged and
 * kept. Then the API: create (refusing a bad definition with its field), the feed rows of a store-scoped
 * promotion, a franchisee's read-only view, end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePromotions, indexPromotions, withPromotionBenefits } from '@tpv/shared/promotions/engine';
import type { Promotion } from '@tpv/shared/promotions/definition';
import { exec, all } from '../../src/persistence/sql';
import { connectTerminal, engines, F, factoryFor, pullChanges, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { PROMO_AT, PROMO_CATEGORIES, PROMO_PRODUCTS, PROMOS, PROMOTION_CASES, sharesOf, type PromotionCase } from '../../../shared/test/promotion-cases';

const NOW = Date.parse(PROMO_AT) + 3_600_000;
const clock = { now: () => NOW };

async function setPromotions(h: Harness, ps: readonly Promotion[]) {
  await exec(h.ds.manager, 'DELETE FROM promotion');
  for (const p of ps) {
    await exec(h.ds.manager, 'INSERT INTO promotion (id, name, definition, valid_from, valid_to, ended_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)', [
      p.id, p.name, JSON.stringify(p), new Date(p.conditions.validFrom).toISOString(), p.conditions.validTo ? new Date(p.conditions.validTo).toISOString() : null, PROMO_AT, PROMO_AT,
    ]);
  }
}

describe.each(engines)('promotions at HQ on $name', (engine) => {
  let h: Harness;
  let till: TerminalClient;
  let hq: string;
  let at = Date.parse(PROMO_AT);
  const f = () => factoryFor(F.t1, F.storeM1, F.ruiz.nif, 7, { now: () => at });
  let factory: ReturnType<typeof f>;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    till = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    factory = f();
    for (const [name, id] of Object.entries(PROMO_CATEGORIES)) await exec(h.ds.manager, 'INSERT INTO category (id, name, parent_id, active, version) VALUES (?, ?, NULL, ?, 1)', [id, name, true]);
    for (const [k, p] of Object.entries(PROMO_PRODUCTS)) {
      await exec(h.ds.manager, 'INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, base_price_cents, active, version) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, 1)', [
        p.id, `PROMO-${k}`, p.name, p.categoryId, p.taxRateBp, p.weighed, p.priceCents, true,
      ]);
    }
  });
  afterAll(async () => {
    till?.close();
    await h?.close();
  });

  /** The ticket a till would issue for the case (the engine on its lines, one second after the last). */
  const ticketOf = (c: PromotionCase) => {
    const index = indexPromotions(c.promos.map((k) => PROMOS[k]));
    at += 1000;
    return factory.sale({
      lines: c.lines.map((l) => ({ product: PROMO_PRODUCTS[l.product], units: l.units, grams: l.grams })),
      promote: (lines) => {
        const r = evaluatePromotions(index, lines.map((l) => ({ ...l, categoryId: PROMO_PRODUCTS[c.lines[Number(l.id) - 1]!.product].categoryId })), {
          storeId: F.storeM1.id, companyId: F.ruiz.id, at, timeZone: 'Europe/Madrid',
        });
        return { lines: withPromotionBenefits(lines, r), benefits: r.applied.map((a) => ({ ...a })) };
      },
    });
  };
  const openFlags = async () => all<{ code: string; reason: string }>(h.ds.manager, `SELECT code, reason FROM ingest_review WHERE code = 'PROMOTION_MISMATCH'`);

  it('the hand-worked table: every ticket re-priced identically (no flag), totals per promotion as the table', async () => {
    const expected = new Map<string, number>();
    let seq = 0;
    for (const c of PROMOTION_CASES) {
      await setPromotions(h, c.promos.map((k) => PROMOS[k]));
      const doc = ticketOf(c);
      expect(sharesOf(doc.lines), c.name).toEqual(c.shares);
      expect(await till.send([doc])).toEqual({ terminalId: F.t1.id, ackedSeq: ++seq });
      expect(await openFlags(), c.name).toEqual([]);
      for (const b of doc.benefits ?? []) expected.set(b.id, (expected.get(b.id) ?? 0) + b.cents);
    }
    const r = await h.api('GET', '/api/promotions/totals?from=2027-05-12&to=2027-05-12', { token: hq });
    expect(r.status).toBe(200);
    expect(Object.fromEntries(r.body.byPromotion.map((x: { promotionId: string; cents: number }) => [x.promotionId, x.cents]))).toEqual(Object.fromEntries(expected));
    expect(r.body.totalCents).toBe(PROMOTION_CASES.reduce((s, c) => s + c.total, 0));
  });

  it('a ticket claiming a promotion HQ does not give is flagged for review and kept', async () => {
    const c = PROMOTION_CASES[0]!;
    await setPromotions(h, []);
    const doc = ticketOf(c);
    const ack = await till.send([doc]);
    expect(ack.rejected).toBeUndefined();
    const flags = await openFlags();
    expect(flags).toHaveLength(1);
    expect(flags[0]!.reason).toContain(`${PROMOS.x3x2.id}=100`);
  });

  it('HQ creates, refuses a bad definition, sends a store promotion to that store only, franchisees read, end', async () => {
    const body = { name: '2x1 tienda M1', rule: { kind: 'n_for_m', productIds: [PROMO_PRODUCTS.A.id], buy: 2, pay: 2 }, conditions: { validFrom: PROMO_AT, storeIds: [F.storeM1.id] } };
    const bad = await h.api('POST', '/api/promotions', { token: hq, body });
    expect([bad.status, bad.body.errors?.[0]?.path]).toEqual([422, 'rule.pay']);
    const unknown = await h.api('POST', '/api/promotions', { token: hq, body: { ...body, rule: { ...body.rule, pay: 1, productIds: ['nope'] } } });
    expect([unknown.status, unknown.body.errors?.[0]?.path]).toEqual([422, 'rule.productIds']);
    const created = await h.api('POST', '/api/promotions', { token: hq, body: { ...body, rule: { ...body.rule, pay: 1 } } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.status).toBe('active');
    const rows = await all<{ store_id: string | null; op: string }>(h.ds.manager, `SELECT store_id, op FROM change_log WHERE entity = 'promotion' AND entity_id = ?`, [id]);
    expect(rows).toEqual([{ store_id: F.storeM1.id, op: 'upsert' }]);
    const page = await pullChanges(till, 0);
    expect(page.changes.some((ch) => ch.entity === 'promotion' && ch.id === id)).toBe(true);

    const levante = await h.login(F.managerLevante);
    expect((await h.api('GET', '/api/promotions', { token: levante })).body.items).toEqual([]);
    const ruiz = await h.login(F.managerRuiz);
    expect((await h.api('GET', '/api/promotions', { token: ruiz })).body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await h.api('POST', `/api/promotions/${id}/end`, { token: ruiz })).status).toBe(403);

    const ended = await h.api('POST', `/api/promotions/${id}/end`, { token: hq });
    expect([ended.status, ended.body.status, ended.body.conditions.validTo]).toEqual([200, 'ended', new Date(NOW).toISOString()]);
    expect((await h.api('POST', `/api/promotions/${id}/end`, { token: hq })).status).toBe(409);
    const audit = await all<{ action: string }>(h.ds.manager, `SELECT action FROM audit_log WHERE entity_id = ? ORDER BY action`, [id]);
    expect(audit.map((a) => a.action)).toEqual(['promotion.create', 'promotion.end']);
  });
});
