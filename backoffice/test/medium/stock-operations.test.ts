/**
 * Transfers, counts and adjustments over HTTP on both engines (backoffice/src/stock/{transfers,counts,
 * adjustments}.ts): stock and transit per location, costs and valuation differences worked by hand below,
 * the blind counting screen, recounts, sales during a count, refusals that write nothing, documents posted
 * once, roles and scope, and a till's count landing in a count.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { postStockMoves } from '../../src/stock/ledger';
import { submitTillCount } from '../../src/stock/api';
import { writeTransaction } from '../../src/persistence/raw';
import { all } from '../../src/persistence/sql';

const WAREHOUSE = '00000000-0000-7000-8009-0000000000a1';
const [p1, p2, p3] = F.products;

describe.each(engines)('stock operations on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = Date.UTC(2026, 10, 30, 9, 0, 0);
  const clock = { now: () => now };
  const tick = () => (now += 1000);
  let hq = '';
  let ruiz = '';
  let levante = '';
  let m1 = '';

  const level = async (loc: string, product: string) =>
    Number((await all<{ quantity: unknown }>(h.ds.manager, 'SELECT quantity FROM stock_level WHERE location_id = ? AND product_id = ?', [loc, product]))[0]?.quantity ?? 0);
  const movements = async () => Number((await all<{ n: unknown }>(h.ds.manager, 'SELECT COUNT(*) AS n FROM stock_movement'))[0]!.n);
  const avg = async (company: string, product: string) =>
    (await all<{ a: unknown }>(h.ds.manager, 'SELECT avg_cost_micros AS a FROM stock_cost WHERE company_id = ? AND product_id = ?', [company, product])).map((r) => Number(r.a))[0];
  /** A product's movements from one document as the movements list shows them: `reason delta number`, sorted. */
  const shown = async (product: string, documentId: string) => {
    const r = await h.api('GET', `/api/stock/products/${product}/movements?pageSize=100`, { token: hq });
    return (r.body.items as Array<{ documentId: string | null; reason: string; delta: number; documentNumber: string | null }>)
      .filter((x) => x.documentId === documentId).map((x) => `${x.reason} ${x.delta} ${x.documentNumber}`).sort();
  };
  /** Test-only stock in (an opening receipt at a price) or out (a till sale) straight through the ledger. */
  const move = (loc: string, product: string, delta: number, reason: 'receipt' | 'sale', cost?: number) =>
    writeTransaction(h.ds, (m) =>
      postStockMoves(m, clock, [{ locationId: loc, productId: product, delta, reason, documentType: 'test', documentId: randomUUID(), documentLine: 1, purchaseCostMicros: cost ?? null }], { at: new Date(tick()).toISOString() }),
    );

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    await h.ds.query(
      `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (${engine.name === 'postgres' ? '$1, $2, $3, $4, NULL' : '?, ?, ?, ?, NULL'})`,
      [WAREHOUSE, 'RUIZ-ALM', F.ruiz.id, 'Almacén Ruiz'],
    );
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
    // Opening stock of Ruiz at M001: p1 20 @ 2,000000 €, p2 10 @ 0,555555 €; its warehouse p1 30 @ 2,000000 €.
    await move(F.storeM1.id, p1!.id, 20, 'receipt', 2_000_000);
    await move(F.storeM1.id, p2!.id, 10, 'receipt', 555_555);
    await move(WAREHOUSE, p1!.id, 30, 'receipt', 2_000_000);
  });
  afterAll(async () => h?.teardown());

  it('transfers store → store through transit: ship once, receive short, close writes the rest off', async () => {
    const made = await h.api('POST', '/api/stock/transfers', {
      token: m1,
      body: { fromLocationId: F.storeM1.id, toLocationId: F.storeM2.id, lines: [{ productId: p1!.id, quantity: 8 }, { productId: p2!.id, quantity: 5 }] },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ number: 'TR-2026-000001', status: 'draft', fromName: 'Madrid 1', toName: 'Madrid 2' });
    const id = made.body.id as string;

    tick();
    const shipped = await h.api('POST', `/api/stock/transfers/${id}/ship`, { token: m1 });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('shipped');
    const transit = (await all<{ id: string }>(h.ds.manager, 'SELECT transit_location_id AS id FROM stock_transfer WHERE id = ?', [id]))[0]!.id;
    // 20 − 8 = 12 at M001, 8 in transit (Ruiz's), nothing at M002 yet; the average does not move.
    expect([await level(F.storeM1.id, p1!.id), await level(transit, p1!.id), await level(F.storeM2.id, p1!.id)]).toEqual([12, 8, 0]);
    expect(await avg(F.ruiz.id, p1!.id)).toBe(2_000_000);

    const before = await movements();
    const again = await h.api('POST', `/api/stock/transfers/${id}/ship`, { token: m1 });
    expect(again.status).toBe(409);
    expect(await movements()).toBe(before);
    expect((await h.api('PUT', `/api/stock/transfers/${id}`, { token: m1, body: { lines: [{ productId: p1!.id, quantity: 1 }] } })).status).toBe(409);

    // M001's store manager cannot receive at M002; Ruiz's manager receives 7 of 8 (p2 not named: all 5).
    expect((await h.api('POST', `/api/stock/transfers/${id}/receive`, { token: m1, body: { lines: [{ productId: p1!.id, received: 7 }] } })).status).toBe(403);
    tick();
    const rec = await h.api('POST', `/api/stock/transfers/${id}/receive`, { token: ruiz, body: { lines: [{ productId: p1!.id, received: 7 }] } });
    expect(rec.status).toBe(200);
    expect(rec.body.status).toBe('received');
    expect(rec.body.lines.map((l: { quantity: number; received: number }) => [l.quantity, l.received])).toEqual([[8, 7], [5, 5]]);
    expect([await level(transit, p1!.id), await level(F.storeM2.id, p1!.id), await level(F.storeM2.id, p2!.id), await level(transit, p2!.id)]).toEqual([1, 7, 5, 0]);
    expect((await h.api('POST', `/api/stock/transfers/${id}/receive`, { token: ruiz, body: { lines: [{ productId: p1!.id, received: 1 }] } })).status).toBe(409);

    // Closing writes the one left in transit off (delivery_short needs inventory.admin: not a store manager).
    expect((await h.api('POST', `/api/stock/transfers/${id}/close`, { token: m1 })).status).toBe(403);
    tick();
    const closed = await h.api('POST', `/api/stock/transfers/${id}/close`, { token: ruiz });
    expect(closed.body.status).toBe('closed');
    expect(await level(transit, p1!.id)).toBe(0);
    const off = await all<{ delta: unknown; cause: string; unit_cost_micros: unknown }>(h.ds.manager, `SELECT delta, cause, unit_cost_micros FROM stock_movement WHERE document_id = ? AND reason = 'adjustment'`, [id]);
    expect(off.map((r) => [Number(r.delta), r.cause, Number(r.unit_cost_micros)])).toEqual([[-1, 'delivery_short', 2_000_000]]);
    // Shipping, receiving and closing each show the transfer's number on p1's movements.
    expect(await shown(p1!.id, id)).toEqual(['adjustment -1 TR-2026-000001', 'receipt 7 TR-2026-000001', 'shipment -8 TR-2026-000001', 'transit_in 8 TR-2026-000001', 'transit_out -7 TR-2026-000001']);
  });

  it('refuses shipping more than on hand, another company, and keeps other managers out, writing nothing', async () => {
    const made = await h.api('POST', '/api/stock/transfers', { token: ruiz, body: { fromLocationId: WAREHOUSE, toLocationId: F.storeM1.id, lines: [{ productId: p1!.id, quantity: 31 }] } });
    expect(made.status).toBe(201);
    const before = await movements();
    const r = await h.api('POST', `/api/stock/transfers/${made.body.id}/ship`, { token: ruiz });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('INSUFFICIENT_STOCK');
    expect(r.body.errors).toEqual([{ path: 'lines.0.quantity', message: 'on hand 30, wanted 31' }]);
    expect(await movements()).toBe(before);
    expect((await h.api('GET', `/api/stock/transfers/${made.body.id}`, { token: ruiz })).body.status).toBe('draft');
    expect(await level(WAREHOUSE, p1!.id)).toBe(30);
    // A store manager never acts on a warehouse; Levante neither reads nor ships Ruiz's transfer.
    expect((await h.api('POST', '/api/stock/transfers', { token: m1, body: { fromLocationId: WAREHOUSE, toLocationId: F.storeM1.id, lines: [{ productId: p1!.id, quantity: 1 }] } })).status).toBe(403);
    expect((await h.api('GET', `/api/stock/transfers/${made.body.id}`, { token: levante })).status).toBe(403);
    expect((await h.api('POST', `/api/stock/transfers/${made.body.id}/ship`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', '/api/stock/transfers', { token: levante })).body).toEqual([]);
    const other = await h.api('POST', '/api/stock/transfers', { token: hq, body: { fromLocationId: F.storeM1.id, toLocationId: F.storeV1.id, lines: [{ productId: p1!.id, quantity: 1 }] } });
    expect(other.status).toBe(422);
    expect(other.body.errors[0].path).toBe('toLocationId');
    const dup = await h.api('POST', '/api/stock/transfers', { token: hq, body: { fromLocationId: F.storeM1.id, toLocationId: F.storeM2.id, lines: [{ productId: p1!.id, quantity: 1 }, { productId: p1!.id, quantity: 2 }] } });
    expect(dup.status).toBe(422);
    expect(dup.body.errors[0].path).toBe('lines.1.productId');
  });

  it('counts a store in full, blind, by scanning and typing, recounts, takes a sale during the count into account and posts once with its valuation difference', async () => {
    // M001 now: p1 12, p2 5 (10 − 5 transferred), every other product 0.
    tick();
    const made = await h.api('POST', '/api/stock/counts', { token: ruiz, body: { locationId: F.storeM1.id, scope: 'full', recountThreshold: 2 } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ number: 'RC-2026-000001', status: 'counting', valueDifferenceCents: null });
    expect(made.body.lines).toHaveLength(12);
    const id = made.body.id as string;
    // Blind: no line says what is expected.
    for (const l of made.body.lines) expect(Object.keys(l)).not.toContain('expected');

    // p1: a scan ×10 and one more (11); p3 found one; p2 typed 2.
    tick();
    expect((await h.api('POST', `/api/stock/counts/${id}/scan`, { token: m1, body: { code: 'SKU1', times: 10 } })).body).toMatchObject({ productId: p1!.id, counted: 10 });
    const scan = await h.api('POST', `/api/stock/counts/${id}/scan`, { token: m1, body: { code: 'SKU1' } });
    expect(scan.body).toEqual({ lineNo: 1, productId: p1!.id, sku: 'SKU1', name: p1!.name, weighed: false, counted: 11, recount: false });
    expect((await h.api('POST', `/api/stock/counts/${id}/scan`, { token: m1, body: { code: '0000000' } })).status).toBe(422);
    // SKU4 is weighed (grams): typed, never scanned.
    expect((await h.api('POST', `/api/stock/counts/${id}/scan`, { token: m1, body: { code: 'SKU4' } })).body.code).toBe('WEIGHED_PRODUCT');
    await h.api('PUT', `/api/stock/counts/${id}/counted`, { token: m1, body: { lines: [{ productId: p2!.id, counted: 2 }, { productId: p3!.id, counted: 1 }] } });

    // A till sells 2 of p1 while the count is open (after it started): not a loss.
    await move(F.storeM1.id, p1!.id, -2, 'sale');
    expect(await level(F.storeM1.id, p1!.id)).toBe(10);

    // p2 is off by 5 − 2 = 3 > 2: recounted (blind again); p1 (11 vs 12) and p3 (1 vs 0) within 2.
    tick();
    const sub = await h.api('POST', `/api/stock/counts/${id}/submit`, { token: m1 });
    expect(sub.body.status).toBe('recount');
    expect(sub.body.lines.filter((l: { recount: boolean }) => l.recount).map((l: { productId: string; counted: number | null }) => [l.productId, l.counted])).toEqual([[p2!.id, null]]);
    expect((await h.api('PUT', `/api/stock/counts/${id}/counted`, { token: m1, body: { lines: [{ productId: p1!.id, counted: 12 }] } })).status).toBe(422);
    await h.api('PUT', `/api/stock/counts/${id}/counted`, { token: m1, body: { lines: [{ productId: p2!.id, counted: 4 }] } });
    const done = await h.api('POST', `/api/stock/counts/${id}/submit`, { token: m1 });
    expect(done.body.status).toBe('submitted');

    // Approval and posting need inventory.admin.
    expect((await h.api('POST', `/api/stock/counts/${id}/approve`, { token: m1 })).status).toBe(403);
    expect((await h.api('POST', `/api/stock/counts/${id}/post`, { token: ruiz })).status).toBe(409);
    expect((await h.api('POST', `/api/stock/counts/${id}/approve`, { token: ruiz })).body.status).toBe('approved');
    tick();
    const posted = await h.api('POST', `/api/stock/counts/${id}/post`, { token: ruiz });
    expect(posted.status).toBe(200);
    expect(posted.body.status).toBe('posted');
    // Expected at posting = on hand − moved since the start: p1 10 − (−2) = 12, p2 5, p3 0.
    // Differences: p1 11 − 12 = −1 × 2,000000 € = −200 c; p2 4 − 5 = −1 × 0,555555 € = −55,5555 → −56 c (half-up);
    // p3 1 − 0 = +1 with no cost known (0). Total −256 c.
    const byProduct = new Map((posted.body.lines as Array<{ productId: string; expected: number; counted: number; firstCounted: number | null; difference: number; differenceCents: number }>).map((l) => [l.productId, l]));
    expect(byProduct.get(p1!.id)).toMatchObject({ expected: 12, counted: 11, difference: -1, differenceCents: -200 });
    expect(byProduct.get(p2!.id)).toMatchObject({ expected: 5, counted: 4, firstCounted: 2, difference: -1, differenceCents: -56 });
    expect(byProduct.get(p3!.id)).toMatchObject({ expected: 0, counted: 1, difference: 1, differenceCents: 0 });
    expect(posted.body.valueDifferenceCents).toBe(-256);
    // On hand = counted + what moved since the count started: p1 11 − 2 = 9, p2 4, p3 1.
    expect([await level(F.storeM1.id, p1!.id), await level(F.storeM1.id, p2!.id), await level(F.storeM1.id, p3!.id)]).toEqual([9, 4, 1]);
    expect([await shown(p1!.id, id), await shown(p3!.id, id)]).toEqual([[`count -1 ${posted.body.number}`], [`count 1 ${posted.body.number}`]]);
    expect(posted.body.number).toMatch(/^RC-2026-\d{6}$/);

    const before = await movements();
    const twice = await h.api('POST', `/api/stock/counts/${id}/post`, { token: ruiz });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_POSTED');
    expect(await movements()).toBe(before);
    expect((await h.api('PUT', `/api/stock/counts/${id}/counted`, { token: ruiz, body: { lines: [{ productId: p1!.id, counted: 1 }] } })).status).toBe(409);
    expect((await h.api('GET', `/api/stock/counts/${id}`, { token: hq })).body.valueDifferenceCents).toBe(-256);
    expect((await h.api('GET', `/api/stock/counts/${id}`, { token: levante })).status).toBe(403);
  });

  it('posts adjustments with causes by role, at the average, once per id', async () => {
    const id = randomUUID();
    const body = { id, locationId: F.storeM1.id, cause: 'breakage', lines: [{ productId: p1!.id, delta: -2 }] };
    tick();
    const r = await h.api('POST', '/api/stock/adjustments', { token: m1, body });
    expect(r.status).toBe(201);
    // −2 × 2,000000 € = −400 c.
    expect(r.body).toMatchObject({ number: 'RG-2026-000001', cause: 'breakage', valueCents: -400 });
    expect(await level(F.storeM1.id, p1!.id)).toBe(7);
    const before = await movements();
    const again = await h.api('POST', '/api/stock/adjustments', { token: m1, body });
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_POSTED']);
    // Shrinkage needs inventory.admin; more out than on hand is refused; Levante is outside M001.
    expect((await h.api('POST', '/api/stock/adjustments', { token: m1, body: { ...body, id: randomUUID(), cause: 'shrinkage' } })).status).toBe(403);
    const short = await h.api('POST', '/api/stock/adjustments', { token: ruiz, body: { id: randomUUID(), locationId: F.storeM1.id, cause: 'shrinkage', lines: [{ productId: p2!.id, delta: -10 }] } });
    expect([short.status, short.body.errors?.[0]?.path]).toEqual([409, 'lines.0.delta']);
    expect((await h.api('POST', '/api/stock/adjustments', { token: levante, body: { ...body, id: randomUUID() } })).status).toBe(403);
    expect(await movements()).toBe(before);
    expect(await level(F.storeM1.id, p1!.id)).toBe(7);
    const found = await h.api('POST', '/api/stock/adjustments', { token: ruiz, body: { id: randomUUID(), locationId: F.storeM1.id, cause: 'found', lines: [{ productId: p2!.id, delta: 3 }] } });
    // +3 × 0,555555 € = 1,666665 € → 167 c.
    expect([found.status, found.body.number, found.body.valueCents]).toEqual([201, 'RG-2026-000002', 167]);
    expect([await shown(p1!.id, id), await shown(p2!.id, found.body.id)]).toEqual([['adjustment -2 RG-2026-000001'], ['adjustment 3 RG-2026-000002']]);
    const list = await h.api('GET', `/api/stock/adjustments?locationId=${F.storeM1.id}`, { token: m1 });
    expect(list.body.map((a: { number: string }) => a.number)).toEqual(['RG-2026-000002', 'RG-2026-000001']);
    expect((await h.api('GET', '/api/stock/adjustments', { token: levante })).body).toEqual([]);
  });

  it('lands a till count in a new count, or in the open count it names (its own store only)', async () => {
    const till = { kind: 'till' as const, till: { terminalId: F.t1.id, storeId: F.storeM1.id, companyId: F.ruiz.id } };
    tick();
    const made = await writeTransaction(h.ds, (m) => submitTillCount(m, clock, till, F.storeM1.id, { lines: [{ productId: p1!.id, counted: 6 }, { productId: p2!.id, counted: 7 }] }));
    expect(made.number).toBe('RC-2026-000002');
    const c = await h.api('GET', `/api/stock/counts/${made.id}`, { token: m1 });
    expect(c.body).toMatchObject({ scope: 'products', status: 'counting' });
    expect(c.body.lines.map((l: { productId: string; counted: number }) => [l.productId, l.counted])).toEqual([[p1!.id, 6], [p2!.id, 7]]);
    await writeTransaction(h.ds, (m) => submitTillCount(m, clock, till, F.storeM1.id, { countId: made.id, lines: [{ productId: p1!.id, counted: 5 }] }));
    expect((await h.api('GET', `/api/stock/counts/${made.id}`, { token: m1 })).body.lines[0].counted).toBe(5);
    // A count of another store is refused (the till's upward handler answers it rejected).
    const v1 = await h.api('POST', '/api/stock/counts', { token: levante, body: { locationId: F.storeV1.id, scope: 'products', productIds: [p1!.id] } });
    await expect(writeTransaction(h.ds, (m) => submitTillCount(m, clock, till, F.storeM1.id, { countId: v1.body.id, lines: [{ productId: p1!.id, counted: 1 }] }))).rejects.toThrow();
    expect((await h.api('GET', `/api/stock/counts/${v1.body.id}`, { token: levante })).body.lines[0].counted).toBeNull();
  });
});
