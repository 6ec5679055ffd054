/**
 * Catalog products (issue 10) on SQLite and PostgreSQL through the HTTP API: the list's filters (text on
 * SKU/name/barcode, category subtree, tax, active, supplier), sorting, paging and CSV export; a product with
 * English name, cost, packs and suppliers; bulk edit all-or-nothing with one audit entry and the tills'
 * feed; category deletion refused with the reason; suppliers with a unique NIF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminal, engines, F, pullChanges, startHarness, type Harness, type TerminalClient } from '../support/harness';

const id = (n: number) => `00000000-0000-7000-8015-${n.toString(16).padStart(12, '0')}`;
const CAT_FRUTA = id(0x100);
const CAT_CITRICOS = id(0x101);
const CAT_BEBIDAS = id(0x102);

describe.each(engines)('catalog products on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let madrid: TerminalClient;
  let supplier = '';

  const list = async (qs: string, token = hq) => {
    const r = await h.api('GET', `/api/products?${qs}`, { token });
    expect(r.status).toBe(200);
    return r.body as { items: Array<{ id: string; sku: string; priceCents: number; active: boolean; categoryName: string | null }>; total: number; hasMore: boolean };
  };
  const auditCount = async (action: string) => Number((await h.ds.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = ${engine.name === 'postgres' ? '$1' : '?'}`, [action]))[0].n);

  beforeAll(async () => {
    h = await startHarness(engine);
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
    madrid = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    for (const [cid, name, parentId] of [[CAT_FRUTA, 'Fruta', null], [CAT_CITRICOS, 'Cítricos', CAT_FRUTA], [CAT_BEBIDAS, 'Bebidas', null]] as const) {
      expect((await h.api('PUT', `/api/categories/${cid}`, { token: hq, body: { name, parentId } })).status).toBe(200);
    }
    const s = await h.api('POST', '/api/suppliers', { token: hq, body: { name: 'Cítricos Valencianos S.A.', nif: 'A46123456', contactName: 'Marta', email: 'pedidos@citricos.test', paymentTermsDays: 60 } });
    expect(s.status).toBe(201);
    supplier = s.body.id;
    const put = (n: number, body: Record<string, unknown>) => h.api('PUT', `/api/products/${id(n)}`, { token: hq, body: { taxRateBp: 400, priceCents: 100 + n, ...body } });
    expect((await put(1, { sku: 'NAR-1', name: 'Naranja de mesa', nameEn: 'Table orange', categoryId: CAT_CITRICOS, weighed: true, costCents: 60, barcodes: ['2100001000000'], suppliers: [{ supplierId: supplier, reference: 'N-01', costCents: 55 }] })).status).toBe(200);
    expect((await put(2, { sku: 'LIM-1', name: 'Limón', categoryId: CAT_CITRICOS, barcodes: ['8410000000023'], packs: [{ name: 'Malla 12', units: 12, barcode: '8410000000030' }] })).status).toBe(200);
    expect((await put(3, { sku: 'MAN-1', name: 'Manzana', categoryId: CAT_FRUTA })).status).toBe(200);
    expect((await put(4, { sku: 'AGU-1', name: 'Agua 1,5 l', categoryId: CAT_BEBIDAS, taxRateBp: 1000 })).status).toBe(200);
  });
  afterAll(async () => {
    madrid?.close();
    await h?.teardown();
  });

  it('filters, sorts, pages and exports the list; shows a product with packs and suppliers', async () => {
    expect((await list(`categoryId=${CAT_FRUTA}&sort=sku`)).items.map((p) => p.sku)).toEqual(['LIM-1', 'MAN-1', 'NAR-1']); // subtree
    expect((await list(`categoryId=${CAT_CITRICOS}&sort=sku&dir=desc`)).items.map((p) => p.sku)).toEqual(['NAR-1', 'LIM-1']);
    expect((await list('q=naranja')).items.map((p) => p.sku)).toEqual(['NAR-1']);
    expect((await list('q=orange')).items.map((p) => p.sku)).toEqual(['NAR-1']); // English name
    expect((await list('q=LIM')).items.map((p) => p.sku)).toEqual(['LIM-1']); // SKU prefix
    expect((await list('q=8410000000023')).items.map((p) => p.sku)).toEqual(['LIM-1']); // barcode
    expect((await list(`supplierId=${supplier}`)).items.map((p) => p.sku)).toEqual(['NAR-1']);
    expect((await list(`taxRateBp=1000&q=agua`)).items.map((p) => p.sku)).toEqual(['AGU-1']);
    const page = await list('sort=sku&pageSize=2&page=1');
    expect(page.items).toHaveLength(2);
    expect(page.hasMore).toBe(true);
    expect(page.total).toBe(F.products.length + 4);
    expect((await h.api('GET', '/api/products?sort=nope', { token: hq })).status).toBe(400);

    const csv = await fetch(`${h.url}/api/products?format=csv&categoryId=${CAT_CITRICOS}&sort=sku`, { headers: { authorization: `Bearer ${hq}` } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('sku;name;name_en;category;tax_rate;exemption;weighed;price;cost;active');
    expect(lines.slice(1)).toEqual(['LIM-1;Limón;;Cítricos;4;;0;1.02;;1', 'NAR-1;Naranja de mesa;Table orange;Cítricos;4;;1;1.01;0.60;1']);

    const xlsx = await fetch(`${h.url}/api/products?format=xlsx&categoryId=${CAT_CITRICOS}`, { headers: { authorization: `Bearer ${ruiz}` } });
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK'); // a zip, as XLSX files are

    const d = await h.api('GET', `/api/products/${id(2)}`, { token: ruiz });
    expect(d.body).toMatchObject({ sku: 'LIM-1', barcodes: ['8410000000023'], packs: [{ name: 'Malla 12', units: 12, barcode: '8410000000030' }] });
    expect((await h.api('GET', `/api/products/${id(1)}`, { token: hq })).body).toMatchObject({ nameEn: 'Table orange', costCents: 60, suppliers: [{ supplierId: supplier, reference: 'N-01', costCents: 55 }] });
    // The pack's barcode reaches the tills with its units.
    const packFeed = (await pullChanges(madrid, 0)).changes.filter((c) => c.entity === 'barcode' && c.id === '8410000000030');
    expect(packFeed.at(-1)?.data).toEqual({ barcode: '8410000000030', productId: id(2), units: 12 });
    // A pack barcode is a barcode: another product cannot take it.
    const clash = await h.api('PUT', `/api/products/${id(3)}`, { token: hq, body: { sku: 'MAN-1', name: 'Manzana', categoryId: CAT_FRUTA, taxRateBp: 400, priceCents: 103, barcodes: ['8410000000030'] } });
    expect(clash.status).toBe(409);
    expect(clash.body.errors[0].path).toBe('barcodes.0');
  });

  it('bulk edit: all or nothing, one audit entry, the tills get every product', async () => {
    const v0 = (await pullChanges(madrid, 0)).toVersion;
    const audits = await auditCount('product.bulk_edit');
    // 1,02 € − 1,03 € would be negative for LIM-1: nothing changes.
    const refused = await h.api('POST', '/api/products/bulk-edit', { token: hq, body: { filter: { categoryId: CAT_FRUTA }, set: { price: { mode: 'delta', cents: -103 }, active: false } } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].path).toBe('set.price');
    expect((await list(`categoryId=${CAT_FRUTA}&sort=sku`)).items.map((p) => [p.sku, p.priceCents, p.active])).toEqual([['LIM-1', 102, true], ['MAN-1', 103, true], ['NAR-1', 101, true]]);
    expect((await pullChanges(madrid, v0)).changes).toEqual([]);
    expect(await auditCount('product.bulk_edit')).toBe(audits);
    expect((await h.api('POST', '/api/products/bulk-edit', { token: ruiz, body: { ids: [id(1)], set: { active: false } } })).status).toBe(403);
    expect((await h.api('POST', '/api/products/bulk-edit', { token: hq, body: { set: { active: false } } })).status).toBe(400);

    const ok = await h.api('POST', '/api/products/bulk-edit', { token: hq, body: { filter: { categoryId: CAT_FRUTA }, set: { price: { mode: 'percent', value: 10 }, categoryId: CAT_BEBIDAS } } });
    expect(ok.status).toBe(200);
    expect(ok.body.updated).toBe(3);
    expect((await list(`categoryId=${CAT_BEBIDAS}&sort=sku`)).items.map((p) => [p.sku, p.priceCents])).toEqual([['AGU-1', 104], ['LIM-1', 112], ['MAN-1', 113], ['NAR-1', 111]]);
    expect(await auditCount('product.bulk_edit')).toBe(audits + 1);
    const feed = (await pullChanges(madrid, v0)).changes.filter((c) => c.entity === 'product');
    expect(feed.map((c) => [c.id, (c.data as { priceCents: number } | null)?.priceCents])).toEqual(expect.arrayContaining([[id(1), 111], [id(2), 112], [id(3), 113]]));
  });

  it('refuses to delete a category with products or sub-categories, saying why; deletes an empty one', async () => {
    const withProducts = await h.api('DELETE', `/api/categories/${CAT_BEBIDAS}`, { token: hq });
    expect(withProducts.status).toBe(409);
    expect(withProducts.body.detail).toMatch(/4 product/);
    const withChildren = await h.api('DELETE', `/api/categories/${CAT_FRUTA}`, { token: hq });
    expect(withChildren.status).toBe(409);
    expect(withChildren.body.detail).toMatch(/1 sub-category/);
    expect((await h.api('DELETE', `/api/categories/${CAT_CITRICOS}`, { token: ruiz })).status).toBe(403);
    expect((await h.api('DELETE', `/api/categories/${CAT_CITRICOS}`, { token: hq })).status).toBe(200);
    expect((await h.api('GET', '/api/categories', { token: ruiz })).body.items.map((c: { id: string }) => c.id)).not.toContain(CAT_CITRICOS);
    // Moving a category under its own child is refused.
    await h.api('PUT', `/api/categories/${CAT_CITRICOS}`, { token: hq, body: { name: 'Cítricos', parentId: CAT_FRUTA } });
    expect((await h.api('PUT', `/api/categories/${CAT_FRUTA}`, { token: hq, body: { name: 'Fruta', parentId: CAT_CITRICOS } })).status).toBe(422);
  });

  it('suppliers: list, edit, NIF unique, bad input names the field', async () => {
    const dup = await h.api('POST', '/api/suppliers', { token: hq, body: { name: 'Otro', nif: 'A46123456' } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].path).toBe('nif');
    const bad = await h.api('POST', '/api/suppliers', { token: hq, body: { name: '', email: 'no' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'name']);
    expect((await h.api('PUT', `/api/suppliers/${supplier}`, { token: hq, body: { name: 'Cítricos Valencianos S.A.', nif: 'A46123456', paymentTermsDays: 90 } })).body.paymentTermsDays).toBe(90);
    const l = await h.api('GET', '/api/suppliers?q=valencianos', { token: ruiz });
    expect(l.body.items).toEqual([expect.objectContaining({ id: supplier, paymentTermsDays: 90, products: 1 })]);
  });
});
