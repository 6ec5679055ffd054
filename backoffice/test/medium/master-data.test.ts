/**
 * The master-data feed: HQ writes land in change_log in the same transaction, terminals of the affected
 * stores are nudged (`catalog:changed`), and `catalog:pull` answers a ChangePage filtered to the terminal's
 * store — on SQLite and PostgreSQL, over real socket.io.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangePageSchema, type ChangePage } from '@tpv/shared/wire/sync';
import { connectTerminal, engines, F, startHarness, type Harness, type TerminalClient } from '../support/harness';

const PRODUCT = '00000000-0000-7000-8005-0000000000ff';

function nextNudge(t: TerminalClient, ms = 1500): Promise<{ version: number } | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => (t.socket.off('catalog:changed', on), resolve(null)), ms);
    const on = (v: { version: number }) => (clearTimeout(timer), resolve(v));
    t.socket.once('catalog:changed', on);
  });
}

async function pull(t: TerminalClient, sinceVersion: number, limit?: number): Promise<ChangePage> {
  const page = (await t.socket.timeout(10_000).emitWithAck('catalog:pull', limit === undefined ? { sinceVersion } : { sinceVersion, limit })) as unknown;
  return ChangePageSchema.parse(page);
}

describe.each(engines)('master-data feed on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let madrid: TerminalClient;
  let valencia: TerminalClient;

  beforeAll(async () => {
    h = await startHarness(engine);
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
    madrid = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    valencia = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
  });
  afterAll(async () => {
    madrid?.close();
    valencia?.close();
    await h?.teardown();
  });

  it('records a product write in change_log and nudges every store', async () => {
    const nudges = [nextNudge(madrid), nextNudge(valencia)];
    const body = { sku: 'NEW-1', name: 'Aceite 1 L', categoryId: null, taxRateBp: 400, exemption: null, weighed: false, priceCents: 699, active: true, barcodes: ['8412345678905'] };
    expect((await h.api('PUT', `/api/products/${PRODUCT}`, { token: ruiz, body })).status).toBe(403);
    const r = await h.api('PUT', `/api/products/${PRODUCT}`, { token: hq, body });
    expect(r.status).toBe(200);
    const [m, v] = await Promise.all(nudges);
    expect(m).toEqual({ version: r.body.version });
    expect(v).toEqual({ version: r.body.version });
    const page = await pull(madrid, 0);
    expect(page.hasMore).toBe(false);
    expect(page.toVersion).toBe(r.body.version);
    expect(page.changes).toEqual([
      { version: r.body.version - 1, entity: 'product', id: PRODUCT, op: 'upsert', data: { id: PRODUCT, sku: 'NEW-1', name: 'Aceite 1 L', categoryId: null, taxRateBp: 400, exemption: null, weighed: false, priceCents: 699, active: true } },
      { version: r.body.version, entity: 'barcode', id: '8412345678905', op: 'upsert', data: { barcode: '8412345678905', productId: PRODUCT } },
    ]);
    // Bad input is a 400 that changes nothing.
    const bad = await h.api('PUT', `/api/products/${PRODUCT}`, { token: hq, body: { ...body, taxRateBp: 1500 } });
    expect(bad.status).toBe(400);
    expect((await pull(madrid, r.body.version)).changes).toEqual([]);
  });

  it('sends a store price only to that store; a manager may price only their own stores', async () => {
    const before = (await pull(madrid, 0)).toVersion;
    expect((await h.api('PUT', `/api/stores/${F.storeV1.id}/prices/${PRODUCT}`, { token: ruiz, body: { priceCents: 650 } })).status).toBe(403);
    const madridNudge = nextNudge(madrid);
    const valenciaNudge = nextNudge(valencia, 500);
    const r = await h.api('PUT', `/api/stores/${F.storeM1.id}/prices/${PRODUCT}`, { token: ruiz, body: { priceCents: 649 } });
    expect(r.status).toBe(200);
    expect(await madridNudge).toEqual({ version: r.body.version });
    expect(await valenciaNudge).toBeNull();
    expect((await pull(madrid, before)).changes).toEqual([
      { version: r.body.version, entity: 'price', id: PRODUCT, op: 'upsert', data: { productId: PRODUCT, priceCents: 649 } },
    ]);
    const vPage = await pull(valencia, before);
    expect(vPage.changes).toEqual([]);
    expect(vPage.toVersion).toBe(r.body.version); // nothing for Valencia, but it may skip past it
    const del = await h.api('DELETE', `/api/stores/${F.storeM1.id}/prices/${PRODUCT}`, { token: ruiz });
    expect((await pull(madrid, r.body.version)).changes).toEqual([{ version: del.body.version, entity: 'price', id: PRODUCT, op: 'delete', data: null }]);
  });

  it('pages the feed and deletes with data null', async () => {
    const from = (await pull(madrid, 0)).toVersion;
    for (let i = 0; i < 5; i++) {
      await h.api('PUT', `/api/categories/00000000-0000-7000-8004-00000000000${i}`, { token: hq, body: { name: `Cat ${i}`, sort: i } });
    }
    await h.api('PUT', `/api/notices/00000000-0000-7000-8009-000000000001`, { token: ruiz, body: { storeId: F.storeM1.id, title: 'Inventario', body: 'Cierre a las 20:00', validUntil: '2026-12-01T00:00:00Z' } });
    const del = await h.api('DELETE', `/api/products/${PRODUCT}`, { token: hq });
    expect(del.status).toBe(200);
    const p1 = await pull(madrid, from, 3);
    expect(p1.hasMore).toBe(true);
    expect(p1.changes.map((c) => c.entity)).toEqual(['category', 'category', 'category']);
    expect(p1.changes[0]!.data).toEqual({ id: '00000000-0000-7000-8004-000000000000', name: 'Cat 0', parentId: null, sort: 0 });
    const p2 = await pull(madrid, p1.toVersion, 100);
    expect(p2.hasMore).toBe(false);
    expect(p2.changes.map((c) => [c.entity, c.op])).toEqual([['category', 'upsert'], ['category', 'upsert'], ['notice', 'upsert'], ['product', 'delete'], ['barcode', 'delete']]);
    expect(p2.changes[2]!.data).toEqual({ id: '00000000-0000-7000-8009-000000000001', title: 'Inventario', body: 'Cierre a las 20:00', validUntil: '2026-12-01T00:00:00Z' });
    expect(p2.changes[3]).toMatchObject({ id: PRODUCT, data: null });
    // Valencia never sees Madrid's notice.
    expect((await pull(valencia, from, 100)).changes.map((c) => c.entity)).not.toContain('notice');
  });

  it('sends company-wide staff only to that company\u2019s stores', async () => {
    const from = (await pull(madrid, 0)).toVersion;
    const r = await h.api('PUT', '/api/staff/00000000-0000-7000-8006-000000000077', { token: ruiz, body: { companyId: F.ruiz.id, code: 'R-9', name: 'Eva', role: 'supervisor', pin: '4321' } });
    expect(r.status).toBe(200);
    const m = await pull(madrid, from);
    expect(m.changes).toHaveLength(1);
    expect(m.changes[0]).toMatchObject({ entity: 'staff', op: 'upsert', data: { code: 'R-9', name: 'Eva', role: 'supervisor', active: true } });
    expect(String((m.changes[0]!.data as { pinHash: string }).pinHash)).toMatch(/^\$argon2id\$/);
    expect((await pull(valencia, from)).changes).toEqual([]);
    expect((await h.api('PUT', '/api/staff/00000000-0000-7000-8006-000000000078', { token: ruiz, body: { companyId: F.levante.id, code: 'L-9', name: 'X', role: 'cashier', pin: '1234' } })).status).toBe(403);
  });
});
