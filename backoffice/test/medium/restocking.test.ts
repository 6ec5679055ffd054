/**
 * Restocking on both engines: the weekly sales rollup the ingest keeps (hand-worked) and its rebuild (equal to
 * it), rules with their refusals, a store's proposal worked by hand (formulas.ts; the unit table has more),
 * editing and confirming it into orders through the order modules' entry points (test doubles here: the
 * real ones are stubs until replenishment and purchasing land), alerts, scope, and the proposals job.
 *
 * The back office's clock: Monday 2026-11-30, so the proposal's recent weeks are 2026-10-05 … 2026-11-23.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';
import { confirmProposal, type OrderEntryPoints } from '../../src/restocking/service';
import { rebuildRollup } from '../../src/restocking/service';
import { authenticate } from '../../src/auth/service';
import { addWeeks } from '../../src/restocking/weeks';

const NOW = Date.UTC(2026, 10, 30, 10, 0, 0);
const clock = { now: () => NOW };
const SUPPLIER = '00000000-0000-7000-8040-000000000001';
const [p0, p1, p2, , p4, p5] = F.products;

type WeekRow = { location_id: string; week: string; product_id: string; quantity: number };

describe.each(engines)('restocking on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let term: TerminalClient;
  let hq: string;
  let ruiz: string;
  let levante: string;
  let m1: string;

  const weeks = async (storeId: string) =>
    (await all<WeekRow>(h.ds.manager, 'SELECT location_id, week, product_id, quantity FROM sales_week WHERE location_id = ? ORDER BY week, product_id', [storeId])).map((r) => ({
      ...r,
      quantity: Number(r.quantity),
    }));
  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    const token = await h.pair(F.t1.id);
    term = await connectTerminal(h.url, F.t1.id, token);
    [hq, ruiz, levante, m1] = [await h.login(F.hq), await h.login(F.managerRuiz), await h.login(F.managerLevante), await h.login(F.managerM1)];
    await exec(h.ds.manager, 'INSERT INTO supplier (id, name, payment_terms_days, active, created_at) VALUES (?, ?, 30, ?, ?)', [SUPPLIER, 'Distribuciones Norte', true, new Date(NOW).toISOString()]);
  });
  afterAll(async () => {
    term?.close();
    await h?.teardown();
  });

  it('keeps sales per store, week and product as tickets are applied, and the rebuild gives the same rows', async () => {
    let at = Date.UTC(2026, 10, 17, 11, 0, 0);
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 5, { now: () => at });
    const t1 = f.sale({ lines: [{ product: p0!, units: 3 }, { product: p1!, units: 2 }] }); // Tue 17 Nov → week 2026-11-16
    at = Date.UTC(2026, 10, 18, 11, 0, 0);
    const t2 = f.sale({ lines: [{ product: p0!, units: 2 }] }); // Wed 18 Nov → week 2026-11-16
    at = Date.UTC(2026, 10, 24, 11, 0, 0);
    const t3 = f.sale({ lines: [{ product: p0!, units: 4 }, { product: F.products[3]!, grams: 500 }] }); // week 2026-11-23, 500 g of a weighed product
    at = Date.UTC(2026, 10, 25, 11, 0, 0);
    const t4 = f.returnOf(t1, 0, 1); // 1 unit of p0 back, in week 2026-11-23
    expect(await term.send([t1, t2])).toEqual({ terminalId: F.t1.id, ackedSeq: 2 });
    expect(await term.send([t3, t4])).toEqual({ terminalId: F.t1.id, ackedSeq: 4 });
    // 11-16: p0 3 + 2 = 5, p1 2; 11-23: p0 4 − 1 = 3, the weighed one 500 g.
    const expected = [
      { location_id: F.storeM1.id, week: '2026-11-16', product_id: p0!.id, quantity: 5 },
      { location_id: F.storeM1.id, week: '2026-11-16', product_id: p1!.id, quantity: 2 },
      { location_id: F.storeM1.id, week: '2026-11-23', product_id: p0!.id, quantity: 3 },
      { location_id: F.storeM1.id, week: '2026-11-23', product_id: F.products[3]!.id, quantity: 500 },
    ].sort((a, b) => (a.week + a.product_id < b.week + b.product_id ? -1 : 1));
    expect(await weeks(F.storeM1.id)).toEqual(expected);

    // Random baskets across a few days (several batches, returns among them): then rebuilt = incremental.
    for (let day = 0; day < 4; day++) {
      at = Date.UTC(2026, 10, 26 + day, 9, 0, 0);
      const batch = Array.from({ length: 6 }, () => ((at += 600_000), f.next()));
      const line = batch[0]!.lines.findIndex((l) => l.quantity.kind === 'units');
      if (line >= 0) batch.push(f.returnOf(batch[0]!, line, 1));
      await term.send(batch);
    }
    const incremental = await weeks(F.storeM1.id);
    expect(incremental.length).toBeGreaterThan(expected.length);
    await rebuildRollup(h.ds, null);
    expect(await weeks(F.storeM1.id)).toEqual(incremental);
    // Emptied and rebuilt through the API's job (HQ only): the same rows again.
    await exec(h.ds.manager, 'DELETE FROM sales_week');
    expect((await h.api('POST', '/api/restocking/rollup/rebuild', { token: ruiz, body: {} })).status).toBe(403);
    const job = await h.api('POST', '/api/restocking/rollup/rebuild', { token: hq, body: {} });
    expect(job.status).toBe(202);
    await vi.waitFor(async () => expect((await h.api('GET', `/api/jobs/${job.body.jobId}`, { token: hq })).body.status).toBe('succeeded'), { timeout: 20_000, interval: 50 });
    expect(await weeks(F.storeM1.id)).toEqual(incremental);
  });

  it('refuses rules that do not hold together, with the field, and writes nothing', async () => {
    const put = (token: string, storeId: string, productId: string, body: unknown) => h.api('PUT', `/api/stores/${storeId}/restock-rules/${productId}`, { token, body });
    const noMax = await put(ruiz, F.storeM2.id, p1!.id, { method: 'minmax', minQty: 10 });
    expect(noMax.status).toBe(422);
    expect(noMax.body.errors).toEqual([{ path: 'maxQty', message: expect.stringContaining('Máximo obligatorio') }]);
    expect((await put(ruiz, F.storeM2.id, p1!.id, { method: 'minmax', minQty: 10, maxQty: 5 })).body.errors[0].path).toBe('maxQty');
    expect((await put(ruiz, F.storeM2.id, p1!.id, { method: 'cover', coverDays: 7, source: 'supplier' })).body.errors[0].path).toBe('supplierId');
    expect((await put(ruiz, F.storeM2.id, p1!.id, { method: 'cover', coverDays: 0 })).status).toBe(400);
    // Another company's store: 403; a store manager of another store: 403.
    expect((await put(levante, F.storeM2.id, p1!.id, { method: 'cover', coverDays: 7 })).status).toBe(403);
    expect((await put(m1, F.storeM2.id, p1!.id, { method: 'cover', coverDays: 7 })).status).toBe(403);
    expect(await count('restock_rule')).toBe(0);
  });

  it("proposes a store's order with its reasons, edits it and confirms it into orders once", async () => {
    const s = F.storeM2.id;
    const w0 = '2026-11-30';
    // p0: 14 a week for the 8 recent weeks (2/day), 3 on hand, default rule (14 days of cover, warehouse, lead 2).
    for (let k = 1; k <= 8; k++) await exec(h.ds.manager, 'INSERT INTO sales_week (location_id, week, product_id, quantity) VALUES (?, ?, ?, ?)', [s, addWeeks(w0, -k), p0!.id, 14]);
    // A sale older than the 8 weeks is not read.
    await exec(h.ds.manager, 'INSERT INTO sales_week (location_id, week, product_id, quantity) VALUES (?, ?, ?, ?)', [s, addWeeks(w0, -9), p0!.id, 1000]);
    const stock = async (productId: string, q: number) =>
      exec(h.ds.manager, 'INSERT INTO stock_level (location_id, company_id, product_id, quantity, updated_at) VALUES (?, ?, ?, ?, ?)', [s, F.ruiz.id, productId, q, new Date(NOW).toISOString()]);
    await stock(p0!.id, 3);
    await stock(p1!.id, 9);
    await stock(p2!.id, 50);
    await stock(p4!.id, 2);
    const put = (productId: string, body: unknown) => h.api('PUT', `/api/stores/${s}/restock-rules/${productId}`, { token: ruiz, body });
    // p1: min/max 10/30 in packs of 12 from the supplier; p4: min/max 5/10 from the warehouse.
    const saved = await put(p1!.id, { method: 'minmax', minQty: 10, maxQty: 30, packMultiple: 12, source: 'supplier', supplierId: SUPPLIER });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await put(p4!.id, { method: 'minmax', minQty: 5, maxQty: 10 })).body).toMatchObject({ method: 'minmax', minQty: 5, maxQty: 10, coverDays: null, source: 'warehouse', supplierId: null });
    expect((await h.api('GET', `/api/stores/${s}/restock-rules`, { token: ruiz })).body.map((r: { productId: string }) => r.productId)).toEqual([p1!.id, p4!.id]);

    const made = await h.api('POST', '/api/restocking/proposals', { token: ruiz, body: { storeId: s } });
    expect(made.status).toBe(201);
    const byProduct = Object.fromEntries(made.body.lines.map((l: { productId: string }) => [l.productId, l]));
    // p0: ROP ⌈2 × 2⌉ = 4, T ⌈2 × 16⌉ = 32, P 3 → 29; cover 3 / 2 = 1.5 days.
    expect(byProduct[p0!.id]).toMatchObject({ quantity: 29, suggestedQty: 29, source: 'warehouse', onHand: 3, openOrders: 0, inTransit: 0, salesPerDay: 2, coverDays: 1.5, reorderPoint: 4, target: 32, leadTimeDays: 2, seasonality: 1, method: 'cover' });
    // p1: 9 < 10 → 30 − 9 = 21 → 2 packs of 12 = 24, from the supplier (lead 7 by default); nothing sells → no cover.
    expect(byProduct[p1!.id]).toMatchObject({ quantity: 24, source: 'supplier', supplierId: SUPPLIER, supplierName: 'Distribuciones Norte', onHand: 9, salesPerDay: 0, coverDays: null, leadTimeDays: 7, method: 'minmax' });
    // p4: 2 < 5 → 10 − 2 = 8.
    expect(byProduct[p4!.id]).toMatchObject({ quantity: 8, onHand: 2, reorderPoint: 5, target: 10 });
    // p2: 50 on hand, nothing sells → ROP 0: no line.
    expect(byProduct[p2!.id]).toBeUndefined();
    expect(made.body).toMatchObject({ storeId: s, status: 'draft', lineCount: 3, asOf: '2026-11-30', createdBy: F.managerRuiz.email });

    const id = made.body.id as string;
    // Scope: another company's manager sees nothing of it, cannot edit it.
    expect((await h.api('GET', `/api/restocking/proposals/${id}`, { token: levante })).status).toBe(403);
    expect((await h.api('PUT', `/api/restocking/proposals/${id}/lines/${p0!.id}`, { token: levante, body: { quantity: 1 } })).status).toBe(403);
    expect((await h.api('GET', '/api/restocking/proposals', { token: levante })).body).toEqual([]);
    expect((await h.api('POST', '/api/restocking/proposals', { token: ruiz, body: { storeId: F.storeV1.id } })).status).toBe(403);
    // The manager edits p0 to 30 and p4 to 0 (not ordered).
    expect((await h.api('PUT', `/api/restocking/proposals/${id}/lines/${p0!.id}`, { token: ruiz, body: { quantity: 30 } })).status).toBe(204);
    expect((await h.api('PUT', `/api/restocking/proposals/${id}/lines/${p4!.id}`, { token: ruiz, body: { quantity: 0 } })).status).toBe(204);
    expect((await h.api('PUT', `/api/restocking/proposals/${id}/lines/${p5!.id}`, { token: ruiz, body: { quantity: 3 } })).status).toBe(404);

    // Confirm through the order modules' entry points (doubles that record what they were asked).
    const calls: unknown[] = [];
    const doubles: OrderEntryPoints = {
      registerReplenishmentOrder: async (_m, _c, by, input) => (calls.push({ kind: 'replenishment', by: by.kind, ...input }), { id: 'PR-ID', number: 'PR-2026-000001' }),
      createPurchaseOrderDraft: async (_m, _c, by, input) => (calls.push({ kind: 'purchase', by: by.kind, ...input }), { id: 'PC-ID' }),
    };
    const user = (await authenticate(h.ds, clock, ruiz))!;
    const confirmed = await confirmProposal(h.ds, clock, user, id, undefined, doubles);
    expect(calls).toEqual([
      { kind: 'replenishment', by: 'user', storeId: s, lines: [{ productId: p0!.id, quantity: 30 }], source: 'proposal', proposalId: id },
      { kind: 'purchase', by: 'user', companyId: F.ruiz.id, supplierId: SUPPLIER, deliverToLocationId: s, lines: [{ productId: p1!.id, quantity: 24 }], proposalId: id },
    ]);
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      confirmedBy: F.managerRuiz.email,
      orders: [
        { kind: 'replenishment', id: 'PR-ID', number: 'PR-2026-000001', supplierId: null, lines: 1 },
        { kind: 'purchase', id: 'PC-ID', number: null, supplierId: SUPPLIER, lines: 1 },
      ],
    });
    // A retry (or a second click) is refused and orders nothing more; a confirmed proposal cannot be edited.
    await expect(confirmProposal(h.ds, clock, user, id, undefined, doubles)).rejects.toMatchObject({ problem: { status: 409 } });
    const again = await h.api('POST', `/api/restocking/proposals/${id}/confirm`, { token: ruiz });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('ya está confirmada');
    expect(calls).toHaveLength(2);
    expect((await h.api('PUT', `/api/restocking/proposals/${id}/lines/${p0!.id}`, { token: ruiz, body: { quantity: 1 } })).status).toBe(409);
    const audit = await all<{ action: string }>(h.ds.manager, "SELECT action FROM audit_log WHERE entity IN ('restock_proposal', 'restock_rule') ORDER BY at, action");
    expect(audit.map((a) => a.action).sort()).toEqual(['restock_proposal.confirm', 'restock_proposal.edit', 'restock_proposal.edit', 'restock_rule.create', 'restock_rule.create']);
  });

  it('alerts on products below their minimum and on stock that does not sell', async () => {
    const r = await h.api('GET', `/api/restocking/alerts?storeId=${F.storeM2.id}&weeks=8`, { token: ruiz });
    expect(r.status).toBe(200);
    // Rules with a minimum: p1 9 < 10, p4 2 < 5.
    expect(r.body.belowMinimum.map((x: { productId: string; onHand: number; minQty: number }) => [x.productId, x.onHand, x.minQty])).toEqual([
      [p1!.id, 9, 10],
      [p4!.id, 2, 5],
    ]);
    // On hand and no sale since 2026-10-05: p1, p2, p4 (p0 sold every week).
    expect(r.body.sinceWeek).toBe('2026-10-05');
    expect(r.body.withoutSales.map((x: { productId: string }) => x.productId)).toEqual([p1!.id, p2!.id, p4!.id]);
    expect((await h.api('GET', `/api/restocking/alerts?storeId=${F.storeM2.id}`, { token: levante })).status).toBe(403);
    // Levante sees only its store's alerts (none).
    expect((await h.api('GET', '/api/restocking/alerts', { token: levante })).body).toMatchObject({ belowMinimum: [], withoutSales: [] });
  });

  it('computes every store in scope as a job, replacing drafts and keeping confirmed proposals', async () => {
    const before = (await h.api('GET', '/api/restocking/proposals', { token: hq })).body as Array<{ status: string }>;
    expect(before.map((p) => p.status)).toEqual(['confirmed']);
    const run = async () => {
      const job = await h.api('POST', '/api/restocking/proposals/run', { token: ruiz, body: {} });
      expect(job.status).toBe(202);
      await vi.waitFor(async () => expect((await h.api('GET', `/api/jobs/${job.body.jobId}`, { token: ruiz })).body.status).toBe('succeeded'), { timeout: 20_000, interval: 50 });
    };
    await run();
    await run();
    const after = (await h.api('GET', '/api/restocking/proposals', { token: hq })).body as Array<{ storeId: string; status: string }>;
    // Ruiz's two stores, twice: the first run's drafts discarded by the second; V001 (Levante) untouched.
    const tally = after.map((p) => `${p.storeId === F.storeM1.id ? 'M1' : p.storeId === F.storeM2.id ? 'M2' : 'V1'}:${p.status}`).sort();
    expect(tally).toEqual(['M1:discarded', 'M1:draft', 'M2:confirmed', 'M2:discarded', 'M2:draft']);
    expect((await h.api('POST', '/api/restocking/proposals/run', { token: ruiz, body: { storeIds: [F.storeV1.id] } })).status).toBe(403);
  });
});
