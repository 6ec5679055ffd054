/**
 * Catalog prices (issue 10) on SQLite and PostgreSQL, through the HTTP API with an injected clock:
 * - the precedence table worked by hand (store > company > base, newest effective wins, a fixed price
 *   written later supersedes a change already in force), and the schedules the tills receive;
 * - a change at 03:00 local on the night Europe/Madrid moves to summer time is effective at exactly
 *   01:00:00.000Z (not a millisecond before); 02:30 that night does not exist and is refused; 02:30 on the
 *   night back to winter time is its first occurrence;
 * - cancelling before the time (the tills drop it) and refusing after it; bad input and scope refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminal, engines, F, pullChanges, startHarness, type Harness, type TerminalClient } from '../support/harness';

const P = '00000000-0000-7000-8005-0000000001a1';
const Q = '00000000-0000-7000-8005-0000000001a2';
const H = 3_600_000;
const T0 = Date.parse('2027-03-27T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
/** Madrid wall time of an instant (CET +1 before 28 March 2027). */
const madridLocal = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Madrid', dateStyle: 'short', timeStyle: 'short' }).format(ms).replace(' ', 'T');

describe.each(engines)('catalog prices on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = T0;
  let hq: string;
  let ruiz: string;
  let levante: string;
  let madrid: TerminalClient;
  let valencia: TerminalClient;

  const effective = async (storeId: string, at: number, product = P) => {
    const r = await h.api('GET', `/api/stores/${storeId}/prices/${product}?at=${encodeURIComponent(iso(at))}`, { token: hq });
    expect(r.status).toBe(200);
    return r.body.priceCents as number;
  };
  const schedule = (token: string, body: Record<string, unknown>) => h.api('POST', '/api/price-changes', { token, body: { productId: P, ...body } });
  /** The last price_schedule change of a product a terminal's store received since a version. */
  const scheduleOf = async (t: TerminalClient, since: number, product = P) => {
    const page = await pullChanges(t, since);
    return page.changes.filter((c) => c.entity === 'price_schedule' && c.id === product).at(-1);
  };

  beforeAll(async () => {
    h = await startHarness(engine, { now: () => now });
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
    levante = await h.login(F.managerLevante);
    madrid = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    valencia = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
    for (const [id, sku] of [[P, 'PREC-1'], [Q, 'DST-1']] as const) {
      const r = await h.api('PUT', `/api/products/${id}`, { token: hq, body: { sku, name: `Precio ${sku}`, taxRateBp: 1000, priceCents: 1000 } });
      expect(r.status).toBe(200);
    }
  });
  afterAll(async () => {
    madrid?.close();
    valencia?.close();
    await h?.teardown();
  });

  it('store > company > base, newest effective wins; a fixed price written later supersedes a change in force', async () => {
    expect((await h.api('PUT', `/api/companies/${F.ruiz.id}/prices/${P}`, { token: ruiz, body: { priceCents: 900 } })).status).toBe(200);
    expect((await h.api('PUT', `/api/stores/${F.storeM1.id}/prices/${P}`, { token: ruiz, body: { priceCents: 800 } })).status).toBe(200);
    const v0 = (await pullChanges(valencia, 0)).toVersion;
    // base 1100 from T0+1h, Ruiz 950 from T0+2h, Madrid 2 700 from T0+3h.
    expect((await schedule(hq, { level: 'base', priceCents: 1100, effectiveLocal: madridLocal(T0 + H) })).status).toBe(201);
    expect((await schedule(ruiz, { level: 'company', companyId: F.ruiz.id, priceCents: 950, effectiveLocal: madridLocal(T0 + 2 * H) })).status).toBe(201);
    const m2 = await schedule(ruiz, { level: 'store', storeId: F.storeM2.id, priceCents: 700, effectiveLocal: madridLocal(T0 + 3 * H) });
    expect(m2.status).toBe(201);

    // Worked by hand:           M1 (own 800, Ruiz)   M2 (Ruiz 900)   V1 (Levante, base)
    const table: Array<[number, number, number, number]> = [
      [T0 + H / 2, 800, 900, 1000],
      [T0 + H, 800, 900, 1100],
      [T0 + 2 * H, 800, 950, 1100],
      [T0 + 3 * H, 800, 700, 1100],
    ];
    for (const [at, m1, mm2, v1] of table) {
      expect([await effective(F.storeM1.id, at), await effective(F.storeM2.id, at), await effective(F.storeV1.id, at)], iso(at)).toEqual([m1, mm2, v1]);
    }
    // The tills got their store's schedule ahead of time: Valencia only sees the base change.
    expect((await scheduleOf(valencia, v0))?.data).toEqual({ productId: P, entries: [{ at: iso(T0 + H), priceCents: 1100 }] });

    // At T0+2.5h HQ sets Ruiz's fixed price again: it supersedes the 950 already in force, not M2's 700 to come.
    now = T0 + 2.5 * H;
    expect((await h.api('PUT', `/api/companies/${F.ruiz.id}/prices/${P}`, { token: hq, body: { priceCents: 990 } })).status).toBe(200);
    expect(await effective(F.storeM2.id, now)).toBe(990);
    expect(await effective(F.storeM2.id, T0 + 3 * H)).toBe(700);
    const list = await h.api('GET', `/api/price-changes?productId=${P}&sort=effectiveAt`, { token: hq });
    expect(list.body.items.map((c: { level: string; status: string }) => `${c.level}:${c.status}`)).toEqual(['base:scheduled', 'company:superseded', 'store:scheduled']);
    // Upcoming only: M2's change; a franchisee of another company does not see Ruiz's rows.
    expect((await h.api('GET', `/api/price-changes?productId=${P}&upcoming=true`, { token: hq })).body.items.map((c: { id: string }) => c.id)).toEqual([m2.body.id]);
    expect((await h.api('GET', `/api/price-changes?productId=${P}`, { token: levante })).body.items.map((c: { level: string }) => c.level)).toEqual(['base']);
    now = T0;
  });

  it('03:00 on the night Madrid moves to summer time is 01:00:00.000Z; 02:30 that night does not exist; 02:30 in October is the first one', async () => {
    const r = await schedule(hq, { productId: Q, level: 'store', storeId: F.storeV1.id, priceCents: 1234, effectiveLocal: '2027-03-28T03:00' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ effectiveAt: '2027-03-28T01:00:00.000Z', localTime: '2027-03-28T03:00', timezone: 'Europe/Madrid' });
    const cut = Date.parse('2027-03-28T01:00:00.000Z');
    expect(await effective(F.storeV1.id, cut - 1, Q)).toBe(1000);
    expect(await effective(F.storeV1.id, cut, Q)).toBe(1234);
    expect(await effective(F.storeM1.id, cut, Q)).toBe(1000); // another store: untouched

    const gap = await schedule(hq, { productId: Q, level: 'store', storeId: F.storeV1.id, priceCents: 1, effectiveLocal: '2027-03-28T02:30' });
    expect(gap.status).toBe(422);
    expect(gap.body.errors).toEqual([expect.objectContaining({ path: 'effectiveLocal' })]);
    const autumn = await schedule(hq, { productId: Q, level: 'store', storeId: F.storeV1.id, priceCents: 1300, effectiveLocal: '2027-10-31T02:30' });
    expect(autumn.body.effectiveAt).toBe('2027-10-31T00:30:00.000Z');
  });

  it('cancels a change before its time (the tills drop it), refuses after it; refuses bad input and foreign scope, writing nothing', async () => {
    const since = (await pullChanges(valencia, 0)).toVersion;
    const c = await schedule(levante, { level: 'store', storeId: F.storeV1.id, priceCents: 555, effectiveLocal: madridLocal(T0 + 5 * H) });
    expect(c.status).toBe(201);
    expect((await scheduleOf(valencia, since))?.data).toMatchObject({ entries: expect.arrayContaining([{ at: iso(T0 + 5 * H), priceCents: 555 }]) });
    const mid = (await pullChanges(valencia, 0)).toVersion;
    const cancelled = await h.api('POST', `/api/price-changes/${c.body.id}/cancel`, { token: levante });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const after = await scheduleOf(valencia, mid);
    expect(JSON.stringify(after?.data ?? null)).not.toContain('555');
    expect(await effective(F.storeV1.id, T0 + 6 * H)).toBe(1100);
    expect((await h.api('POST', `/api/price-changes/${c.body.id}/cancel`, { token: levante })).status).toBe(409);

    // Too late: already in force.
    const late = await schedule(hq, { level: 'store', storeId: F.storeV1.id, priceCents: 777, effectiveLocal: madridLocal(T0 + 7 * H) });
    now = T0 + 8 * H;
    const refused = await h.api('POST', `/api/price-changes/${late.body.id}/cancel`, { token: hq });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/took effect/);
    now = T0;

    const before = (await pullChanges(valencia, 0)).toVersion;
    const count = async () => (await h.api('GET', '/api/price-changes?pageSize=1', { token: hq })).body.total as number;
    const n = await count();
    const past = await schedule(hq, { level: 'base', priceCents: 1, effectiveLocal: madridLocal(T0 - H) });
    expect(past.status).toBe(422);
    expect(past.body.errors[0].path).toBe('effectiveLocal');
    expect((await schedule(hq, { level: 'store', priceCents: 1, effectiveLocal: madridLocal(T0 + H) })).status).toBe(400);
    expect((await schedule(hq, { level: 'base', priceCents: -1, effectiveLocal: madridLocal(T0 + H) })).status).toBe(400);
    expect((await schedule(hq, { productId: '00000000-0000-7000-8005-00000000ffff', level: 'base', priceCents: 1, effectiveLocal: madridLocal(T0 + H) })).status).toBe(422);
    expect((await schedule(ruiz, { level: 'store', storeId: F.storeV1.id, priceCents: 1, effectiveLocal: madridLocal(T0 + H) })).status).toBe(403);
    expect((await schedule(ruiz, { level: 'base', priceCents: 1, effectiveLocal: madridLocal(T0 + H) })).status).toBe(403);
    expect((await schedule(ruiz, { level: 'company', companyId: F.levante.id, priceCents: 1, effectiveLocal: madridLocal(T0 + H) })).status).toBe(403);
    expect(await count()).toBe(n);
    expect((await pullChanges(valencia, before)).changes).toEqual([]);
  });
});

describe.each(engines)('a store opened after prices were set, on $name', (engine) => {
  it('gets its company’s prices and the schedules that reach it', async () => {
    const now = T0;
    const h = await startHarness(engine, { now: () => now });
    try {
      const hq = await h.login(F.hq);
      expect((await h.api('PUT', `/api/products/${P}`, { token: hq, body: { sku: 'NEW-S', name: 'Nuevo', taxRateBp: 1000, priceCents: 1000 } })).status).toBe(200);
      expect((await h.api('PUT', `/api/companies/${F.ruiz.id}/prices/${P}`, { token: hq, body: { priceCents: 900 } })).status).toBe(200);
      expect((await h.api('POST', '/api/price-changes', { token: hq, body: { productId: P, level: 'company', companyId: F.ruiz.id, priceCents: 950, effectiveLocal: madridLocal(T0 + H) } })).status).toBe(201);
      const { newStoreCatalogChanges } = await import('../../src/catalog/prices');
      const storeId = '00000000-0000-7000-8002-0000000000aa';
      await h.ds.query(`INSERT INTO store (id, code, company_id, name, address, timezone) VALUES ('${storeId}', 'M009', '${F.ruiz.id}', 'Madrid 9', NULL, 'Europe/Madrid')`);
      const changes = await newStoreCatalogChanges(h.ds.manager, storeId, iso(now));
      expect(changes.map((c) => [c.entity, c.op, c.storeId, c.payload])).toEqual([
        ['price', 'upsert', storeId, { productId: P, priceCents: 900 }],
        ['price_schedule', 'upsert', storeId, { productId: P, entries: [{ at: iso(T0 + H), priceCents: 950 }] }],
      ]);
    } finally {
      await h.teardown();
    }
  });
});
