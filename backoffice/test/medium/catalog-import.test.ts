/**
 * Catalog import through the API on both engines: a file with bad rows lists every one (row, column,
 * message) and writes nothing; a good file upserts by SKU, creates categories by path, moves barcodes and
 * appends the tills' change feed, with one audit entry; XLSX reads as CSV does; progress reaches the total.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { csvOf, ean13, settled, upload, XLSX_TYPE, xlsxOf } from '../support/imports';
import { applyImport, previewImport } from '../../src/catalog-import/service';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const q = (ds: DataSource, sql: string) => ds.query(sql) as Promise<Array<Record<string, unknown>>>;
async function catalogState(ds: DataSource) {
  const out: Record<string, unknown> = {};
  for (const t of ['product', 'product_barcode', 'category', 'change_log', 'audit_log']) out[t] = await q(ds, `SELECT * FROM ${t} ORDER BY 1`);
  return JSON.stringify(out);
}

const P1 = F.products[0]!; // SKU1 in the seed
const EAN_A = ean13('841234500001');
const EAN_B = ean13('841234500002');
const EAN_C = ean13('841234500003');

describe.each(engines)('catalog import on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let token: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-import-'));

  beforeAll(async () => {
    h = await startHarness(engine, undefined, { dataDir: dir });
    token = await h.login(F.hq);
    // SKU3 owns EAN_C: a row giving it to another product is refused unless the file takes it from SKU3.
    const p = h.ds.options.type === 'postgres' ? '$1, $2' : '?, ?';
    await h.ds.query(`INSERT INTO product_barcode (barcode, product_id) VALUES (${p})`, [EAN_C, F.products[2]!.id]);
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it('a file with bad rows lists every one of them and writes nothing, not even on apply', async () => {
    const before = await catalogState(h.ds);
    const csv = csvOf([
      ['NEW-1', 'Naranja', 'Orange', 'Frutas > Cítricos', 10, '', 1, '1,25', '0,80', EAN_A, 1], // row 2: good
      ['BAD SKU!', 'Mala', '', '', 21, '', 0, '1,00', '', '', 1], // 3: bad SKU
      ['NEW-1', 'Otra', '', '', 21, '', 0, '1,00', '', '', 1], // 4: SKU twice
      ['NEW-2', 'Pan', '', '', 7, '', 0, '1,00', '', '', 1], // 5: unknown tax rate
      ['NEW-3', 'Leche', '', '', 4, '', 0, '1.234,5', '', '', 1], // 6: price format
      ['NEW-4', 'Queso', '', '', 4, '', 0, '3,10', '', '8412345000019', 1], // 7: check digit (…9 should be …4)
      ['NEW-5', 'Yogur', '', '', 4, '', 0, '0,90', '', EAN_A, 1], // 8: barcode already on row 2
      ['NEW-6', 'Agua', '', '', 10, '', 0, '0,50', '', EAN_C, 1], // 9: barcode owned by SKU3
      ['NEW-7', 'Sal', '', '', 10, 'E1', 'quizá', '0,50', '', '', 1], // 10: exemption with 10 %, weighed bad
    ]);
    const up = await upload(h, token, csv);
    expect(up.status).toBe(202);
    const job = await settled(h.server, up.body.id);
    expect(job.status).toBe('succeeded');
    const view = await h.api('GET', `/api/catalog/imports/${up.body.id}`, { token });
    expect(view.status).toBe(200);
    const errors = view.body.preview.errors.map((e: { row: number; column: string; message: string }) => `${e.row} ${e.column}: ${e.message}`);
    expect(errors).toEqual([
      '3 sku: SKU: letters, digits and . _ - / only, at most 64 characters',
      '4 sku: SKU NEW-1 is also on row 2',
      '5 tax_rate: unknown tax rate "7" (21, 10, 4 or 0)',
      '6 price: price: euros with up to 2 decimals, e.g. 1,25 (at most 999999,99)',
      '7 barcodes: barcode 8412345000019: wrong check digit',
      '8 barcodes: barcode ' + EAN_A + ' is also on row 2',
      '9 barcodes: barcode ' + EAN_C + ' belongs to product SKU3',
      '10 exemption: an exemption goes only with tax rate 0',
      '10 weighed: weighed: 1/0 or si/no',
    ]);
    expect(view.body.preview.badRows).toBe(8);
    expect(view.body.preview.counts).toMatchObject({ rows: 9, new: 1 });
    const apply = await h.api('POST', `/api/catalog/imports/${up.body.id}/apply`, { token });
    expect(apply.status).toBe(422);
    expect(apply.body.code).toBe('IMPORT_HAS_ERRORS');
    expect(apply.body.errors).toContainEqual({ path: 'rows.9.barcodes', message: `barcode ${EAN_C} belongs to product SKU3` });
    expect(await catalogState(h.ds)).toBe(before);
  });

  it('a good file upserts by SKU, creates categories, moves barcodes, feeds the tills and is audited once', async () => {
    const feedBefore = Number((await q(h.ds, 'SELECT COALESCE(MAX(version), 0) AS v FROM change_log'))[0]!.v);
    const p2 = F.products[1]!;
    const csv = csvOf([
      // SKU1: price and category change.
      ['SKU1', P1.name, 'Product one', 'Frutas > Cítricos', P1.taxRateBp / 100, '', P1.weighed ? 1 : 0, '9,99', '', '', 1],
      // SKU2: as it is (no barcodes column value: keeps none).
      ['SKU2', p2.name, '', '', p2.taxRateBp / 100, '', p2.weighed ? 1 : 0, (p2.priceCents / 100).toFixed(2).replace('.', ','), '', '', 1],
      // SKU3 gives EAN_C up; NEW-A takes it and EAN_A.
      ['SKU3', F.products[2]!.name, '', '', F.products[2]!.taxRateBp / 100, '', F.products[2]!.weighed ? 1 : 0, (F.products[2]!.priceCents / 100).toFixed(2), '', EAN_B, 1],
      ['NEW-A', 'Limón', 'Lemon', 'frutas > cítricos', '0', 'E2', 'si', '2.5', '1,1', `${EAN_A}|${EAN_C}`, 1],
    ]);
    const up = await upload(h, token, csv);
    expect(up.status).toBe(202);
    expect((await settled(h.server, up.body.id)).status).toBe('succeeded');
    const view = await h.api('GET', `/api/catalog/imports/${up.body.id}`, { token });
    expect(view.body.preview).toMatchObject({ errorCount: 0, counts: { rows: 4, new: 1, changed: 2, unchanged: 1, categoriesNew: 2 } });

    const apply = await h.api('POST', `/api/catalog/imports/${up.body.id}/apply`, { token });
    expect(apply.status).toBe(202);
    const done = await settled(h.server, apply.body.job.id);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect({ done: done.progressDone, total: done.progressTotal }).toEqual({ done: 4, total: 4 });

    const products = await q(h.ds, `SELECT sku, name_en, base_price_cents, cost_cents, exemption, weighed, tax_rate_bp, category_id, version FROM product WHERE sku IN ('SKU1', 'SKU2', 'NEW-A') ORDER BY sku`);
    const cats = await q(h.ds, 'SELECT id, name, parent_id FROM category ORDER BY name');
    const frutas = cats.find((c) => c.name === 'Frutas')!;
    const citricos = cats.find((c) => c.name === 'Cítricos')!;
    expect(cats).toHaveLength(2);
    expect(citricos.parent_id).toBe(frutas.id);
    expect(products.map((p) => ({ ...p, weighed: Boolean(p.weighed), base_price_cents: Number(p.base_price_cents), cost_cents: p.cost_cents === null ? null : Number(p.cost_cents), version: Number(p.version) }))).toEqual([
      { sku: 'NEW-A', name_en: 'Lemon', base_price_cents: 250, cost_cents: 110, exemption: 'E2', weighed: true, tax_rate_bp: 0, category_id: citricos.id, version: 1 },
      { sku: 'SKU1', name_en: 'Product one', base_price_cents: 999, cost_cents: null, exemption: null, weighed: P1.weighed, tax_rate_bp: P1.taxRateBp, category_id: citricos.id, version: 2 },
      { sku: 'SKU2', name_en: null, base_price_cents: p2.priceCents, cost_cents: null, exemption: null, weighed: p2.weighed, tax_rate_bp: p2.taxRateBp, category_id: null, version: 1 },
    ]);
    const newA = (await q(h.ds, `SELECT id FROM product WHERE sku = 'NEW-A'`))[0]!.id;
    const barcodes = await q(h.ds, 'SELECT barcode, product_id FROM product_barcode ORDER BY barcode');
    expect(barcodes).toEqual(
      [
        { barcode: EAN_A, product_id: newA },
        { barcode: EAN_B, product_id: F.products[2]!.id },
        { barcode: EAN_C, product_id: newA },
      ].sort((a, b) => a.barcode.localeCompare(b.barcode)),
    );
    const p = h.ds.options.type === 'postgres' ? '$1' : '?';
    const feed = (await h.ds.query(`SELECT entity, entity_id, op FROM change_log WHERE version > ${p} ORDER BY version`, [feedBefore])) as Array<{ entity: string; entity_id: string; op: string }>;
    expect(feed.map((f) => `${f.entity} ${f.op}`)).toEqual([
      'category upsert', 'category upsert', 'barcode delete', 'product upsert', 'product upsert', 'product upsert', 'barcode upsert', 'barcode upsert', 'barcode upsert',
    ]);
    expect(feed.filter((f) => f.entity === 'product').map((f) => f.entity_id).sort()).toEqual([P1.id, F.products[2]!.id, newA].sort());
    const audit = await q(h.ds, `SELECT action, entity, entity_id, actor_email, after_json FROM audit_log WHERE action = 'catalog.import'`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: 'catalog_import', entity_id: up.body.id, actor_email: F.hq.email });
    expect(JSON.parse(String(audit[0]!.after_json))).toMatchObject({ file: 'productos.csv', via: 'api', new: 1, changed: 2, unchanged: 1 });
  });

  it('re-checks at apply time: a barcode taken since the preview makes the apply fail and write nothing', async () => {
    const ean = ean13('841234500077');
    const up = await upload(h, token, csvOf([['LATE-1', 'Tarde', '', 'Nueva > Categoría', 21, '', 0, '1,00', '', ean, 1]]));
    await settled(h.server, up.body.id);
    expect((await h.api('GET', `/api/catalog/imports/${up.body.id}`, { token })).body.preview.errorCount).toBe(0);
    // Meanwhile someone gives that barcode to SKU5 through the catalog API.
    const p5 = F.products[4]!;
    const put = await h.api('PUT', `/api/products/${p5.id}`, {
      token,
      body: { sku: 'SKU5', name: p5.name, categoryId: null, taxRateBp: p5.taxRateBp, exemption: null, weighed: p5.weighed, priceCents: p5.priceCents, active: true, barcodes: [ean] },
    });
    expect(put.status).toBe(200);
    const before = await catalogState(h.ds);
    const apply = await h.api('POST', `/api/catalog/imports/${up.body.id}/apply`, { token });
    expect(apply.status).toBe(202);
    const job = await settled(h.server, apply.body.job.id);
    expect(job.status).toBe('failed');
    expect((job.result as { errors: Array<{ row: number; code: string }> }).errors).toEqual([
      expect.objectContaining({ row: 2, column: 'barcodes', code: 'barcode.taken', message: `barcode ${ean} belongs to product SKU5` }),
    ]);
    expect(await catalogState(h.ds)).toBe(before); // no product, no category, no feed row, no audit entry
  });

  it('an XLSX file reads as the CSV does (numbers, percentages, text cells)', async () => {
    const xlsx = await xlsxOf([
      ['XL-1', 'Manzana', 'Apple', 'Frutas', 10, '', 0, 1.2, 0.8, EAN_B.slice(0, 0) + ean13('841234500010'), 1],
      ['XL-2', 'Pera', '', 'Frutas', 0.21, '', 'no', '2,35', '', '', 'si'],
      ['XL-3', 'Uva', '', '', 7, '', 0, 1, '', '', 1],
    ]);
    const up = await upload(h, token, xlsx, 'productos.xlsx', XLSX_TYPE);
    expect(up.status).toBe(202);
    await settled(h.server, up.body.id);
    const view = await h.api('GET', `/api/catalog/imports/${up.body.id}`, { token });
    expect(view.body.preview.format).toBe('xlsx');
    expect(view.body.preview.errors).toEqual([{ row: 4, column: 'tax_rate', code: 'tax_rate.unknown', message: 'unknown tax rate "7" (21, 10, 4 or 0)', value: '7' }]);
    expect(view.body.preview.counts).toMatchObject({ rows: 3, new: 2 });
  });

  it('reports progress up to the total while checking and writing (use cases, as the CLI runs them)', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => [`PR-${i}`, `Producto ${i}`, '', 'Bebidas > Aguas', 10, '', 0, '0,65', '', '', 1]);
    const file = path.join(dir, 'progress.csv');
    writeFileSync(file, csvOf(rows, undefined, ','));
    const clock = { now: () => Date.now() };
    const seen: Array<[number, number | null]> = [];
    const preview = await previewImport(h.ds, clock, { path: file }, (d, t) => void seen.push([d, t]));
    expect(preview.counts).toMatchObject({ rows: 2500, new: 2500, categoriesNew: 2 });
    expect(seen.at(-1)).toEqual([2500, 2500]);
    const applied: Array<[number, number | null]> = [];
    const out = await applyImport(h.ds, clock, { path: file }, { actor: null, importId: 'progress-test', fileName: 'progress.csv', via: 'cli' }, (d, t) => void applied.push([d, t]));
    expect(out.counts.new).toBe(2500);
    const writing = applied.filter(([, t]) => t === 2500).map(([d]) => d);
    expect(writing.length).toBeGreaterThan(3); // per 1,000-product batch
    expect(writing).toEqual([...writing].sort((a, b) => a - b));
    expect(writing.at(-1)).toBe(2500);
    expect(Number((await q(h.ds, `SELECT COUNT(*) AS n FROM product WHERE sku LIKE 'PR-%'`))[0]!.n)).toBe(2500);
  });
});
