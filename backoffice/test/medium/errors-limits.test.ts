/**
 * Errors and limits at the back office's edge, on SQLite and PostgreSQL: a write that would break a
 * database constraint answers 409/422 problem+json naming the field (never 500) and changes nothing; ids,
 * lengths and amounts are bounded at the edge exactly as the columns are; a category is never its own
 * ancestor; deleting a price that does not exist is a 404 that nudges nobody; deep JSON and unsupported
 * encodings are refused with their own codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestChangeVersion } from '../../src/persistence/change-log';
import { constraintViolation } from '../../src/persistence/constraints';
import { LIMITS, MAX_PRICE_CENTS } from '@tpv/shared/wire/limits';
import { CategoryEntity, CustomerEntity, NoticeEntity, ProductBarcodeEntity, ProductEntity, StaffEntity } from '../../src/persistence/entities';
import { engines, F, startHarness, type Harness } from '../support/harness';

const uid = (n: number) => `00000000-0000-7000-8aaa-${n.toString(16).padStart(12, '0')}`;
const UNKNOWN = uid(0xfff);
const product = (over: Record<string, unknown> = {}) => ({ sku: `S-${Math.random().toString(36).slice(2, 8)}`, name: 'Aceite', categoryId: null, taxRateBp: 400, exemption: null, weighed: false, priceCents: 699, active: true, ...over });

describe.each(engines)('errors and limits on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  const version = () => latestChangeVersion(h.ds.manager);
  /** The answer is a problem+json with that status and code, naming `field`, and the feed did not move. */
  const refused = async (method: string, path: string, body: unknown, status: number, code: string, field?: string) => {
    const before = await version();
    const r = await h.api(method, path, { token: hq, body });
    expect({ status: r.status, code: r.body?.code }).toEqual({ status, code });
    if (field) expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await version()).toBe(before);
    return r;
  };

  beforeAll(async () => {
    h = await startHarness(engine);
    hq = await h.login(F.hq);
  });
  afterAll(async () => h?.teardown());

  it('an unknown categoryId, parentId, storeId or company is a 422 naming the field', async () => {
    await refused('PUT', `/api/products/${uid(1)}`, product({ categoryId: UNKNOWN }), 422, 'REFERENCE_UNKNOWN', 'categoryId');
    await refused('PUT', `/api/categories/${uid(2)}`, { name: 'Bebidas', parentId: UNKNOWN }, 422, 'REFERENCE_UNKNOWN', 'parentId');
    await refused('PUT', `/api/notices/${uid(3)}`, { storeId: UNKNOWN, title: 'Aviso', body: 'Hoy cerramos a las 14:00' }, 422, 'REFERENCE_UNKNOWN', 'storeId');
    await refused('PUT', `/api/staff/${uid(4)}`, { companyId: UNKNOWN, storeId: null, code: 'X1', name: 'Ana', role: 'cashier', pin: '4321' }, 422, 'REFERENCE_UNKNOWN', 'companyId');
    await refused('PUT', `/api/staff/${uid(4)}`, { companyId: F.ruiz.id, storeId: UNKNOWN, code: 'X1', name: 'Ana', role: 'cashier', pin: '4321' }, 422, 'REFERENCE_UNKNOWN', 'storeId');
    // A store of another company is not "this company's store" either.
    await refused('PUT', `/api/staff/${uid(4)}`, { companyId: F.ruiz.id, storeId: F.storeV1.id, code: 'X1', name: 'Ana', role: 'cashier', pin: '4321' }, 422, 'REFERENCE_UNKNOWN', 'storeId');
  });

  it('a duplicate staff code, a NIF clash, or the same barcode twice in one body is refused naming the field', async () => {
    const staff = { companyId: F.ruiz.id, storeId: F.storeM1.id, code: 'DUP', name: 'Ana', role: 'cashier', pin: '4321' };
    expect((await h.api('PUT', `/api/staff/${uid(10)}`, { token: hq, body: staff })).status).toBe(200);
    await refused('PUT', `/api/staff/${uid(11)}`, { ...staff, name: 'Otra Ana', pin: '9876' }, 409, 'CONFLICT', 'code');

    const customer = { nif: 'B11223344', name: 'Cliente', email: null, reRegime: false, creditLimitCents: 0, active: true };
    expect((await h.api('PUT', `/api/customers/${uid(12)}`, { token: hq, body: customer })).status).toBe(200);
    await refused('PUT', `/api/customers/${uid(13)}`, { ...customer, name: 'Otro' }, 409, 'CONFLICT', 'nif');

    await refused('PUT', `/api/products/${uid(14)}`, product({ barcodes: ['8412345678905', '8412345678905'] }), 400, 'VALIDATION_FAILED', 'barcodes.1');
    expect(await h.ds.getRepository(ProductEntity).existsBy({ id: uid(14) })).toBe(false);
  });

  it('ids longer than the id column are refused at the edge, in the path and in the body', async () => {
    const long = 'a'.repeat(LIMITS.id + 1);
    await refused('PUT', `/api/products/${long}`, product(), 400, 'VALIDATION_FAILED');
    await refused('PUT', `/api/categories/${'c'.repeat(64)}`, { name: 'Larga' }, 400, 'VALIDATION_FAILED');
    await refused('PUT', `/api/products/${uid(20)}`, product({ categoryId: long }), 400, 'VALIDATION_FAILED', 'categoryId');
    await refused('PUT', `/api/stores/${F.storeM1.id}/prices/${'p'.repeat(50)}`, { priceCents: 100 }, 400, 'VALIDATION_FAILED');
    expect(await h.ds.getRepository(ProductEntity).existsBy({ id: long })).toBe(false);
  });

  it('an instant longer than its column is refused at the edge', async () => {
    await refused('PUT', `/api/notices/${uid(22)}`, { storeId: null, title: 'Aviso', body: 'Texto', validUntil: '2026-12-01T00:00:00.1234567890123Z' }, 400, 'VALIDATION_FAILED', 'validUntil');
  });

  it('store prices and base prices are bounded', async () => {
    await refused('PUT', `/api/stores/${F.storeM1.id}/prices/${F.products[0]!.id}`, { priceCents: 2 ** 53 - 1 }, 400, 'VALIDATION_FAILED', 'priceCents');
    await refused('PUT', `/api/stores/${F.storeM1.id}/prices/${F.products[0]!.id}`, { priceCents: MAX_PRICE_CENTS + 1 }, 400, 'VALIDATION_FAILED', 'priceCents');
    await refused('PUT', `/api/products/${uid(21)}`, product({ priceCents: MAX_PRICE_CENTS + 1 }), 400, 'VALIDATION_FAILED', 'priceCents');
    expect((await h.api('PUT', `/api/stores/${F.storeM1.id}/prices/${F.products[0]!.id}`, { token: hq, body: { priceCents: MAX_PRICE_CENTS } })).status).toBe(200);
  });

  it('a category is never its own parent nor its own ancestor', async () => {
    await refused('PUT', `/api/categories/${uid(30)}`, { name: 'Yo', parentId: uid(30) }, 422, 'CATEGORY_CYCLE', 'parentId');
    expect((await h.api('PUT', `/api/categories/${uid(31)}`, { token: hq, body: { name: 'A' } })).status).toBe(200);
    expect((await h.api('PUT', `/api/categories/${uid(32)}`, { token: hq, body: { name: 'B', parentId: uid(31) } })).status).toBe(200);
    expect((await h.api('PUT', `/api/categories/${uid(33)}`, { token: hq, body: { name: 'C', parentId: uid(32) } })).status).toBe(200);
    await refused('PUT', `/api/categories/${uid(31)}`, { name: 'A', parentId: uid(33) }, 422, 'CATEGORY_CYCLE', 'parentId');
    expect((await h.ds.getRepository(CategoryEntity).findOneByOrFail({ id: uid(31) })).parentId).toBeNull();
  });

  it('deleting a store price that does not exist is a 404 and nudges nobody', async () => {
    await refused('DELETE', `/api/stores/${F.storeM1.id}/prices/${F.products[5]!.id}`, undefined, 404, 'NOT_FOUND');
    expect((await h.api('PUT', `/api/stores/${F.storeM1.id}/prices/${F.products[5]!.id}`, { token: hq, body: { priceCents: 120 } })).status).toBe(200);
    expect((await h.api('DELETE', `/api/stores/${F.storeM1.id}/prices/${F.products[5]!.id}`, { token: hq })).status).toBe(200);
    await refused('DELETE', `/api/stores/${F.storeM1.id}/prices/${F.products[5]!.id}`, undefined, 404, 'NOT_FOUND');
  });

  it('JSON nested deeper than the edge allows is a 400 JSON_TOO_DEEP; an unsupported encoding a 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const deep = await fetch(`${h.url}/api/products/${uid(40)}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${hq}` }, body: '['.repeat(50_000) + ']'.repeat(50_000) });
    expect(deep.status).toBe(400);
    expect(deep.headers.get('content-type')).toContain('application/problem+json');
    expect(((await deep.json()) as { code: string }).code).toBe('JSON_TOO_DEEP');
    for (const headers of [{ 'content-type': 'application/json; charset=latin9' }, { 'content-type': 'application/json', 'content-encoding': 'x-unknown' }] as Array<Record<string, string>>) {
      const r = await fetch(`${h.url}/api/products/${uid(40)}`, { method: 'PUT', headers: { ...headers, authorization: `Bearer ${hq}` }, body: JSON.stringify(product()) });
      expect(r.status).toBe(415);
      expect(((await r.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('the edge limits are the column limits (one source of truth)', () => {
    const len = (entity: Parameters<typeof h.ds.getMetadata>[0], prop: string) => Number(h.ds.getMetadata(entity).findColumnWithPropertyName(prop)?.length);
    expect(len(ProductEntity, 'id')).toBe(LIMITS.id);
    expect(len(ProductEntity, 'sku')).toBe(LIMITS.sku);
    expect(len(ProductEntity, 'name')).toBe(LIMITS.productName);
    expect(len(CategoryEntity, 'name')).toBe(LIMITS.categoryName);
    expect(len(ProductBarcodeEntity, 'barcode')).toBeGreaterThanOrEqual(LIMITS.barcode);
    expect(len(CustomerEntity, 'name')).toBe(LIMITS.customerName);
    expect(len(CustomerEntity, 'email')).toBe(LIMITS.email);
    expect(len(CustomerEntity, 'nif')).toBeGreaterThanOrEqual(LIMITS.nif);
    expect(len(NoticeEntity, 'title')).toBe(LIMITS.noticeTitle);
    expect(len(StaffEntity, 'code')).toBe(LIMITS.staffCode);
    expect(len(StaffEntity, 'name')).toBe(LIMITS.staffName);
    expect(len(NoticeEntity, 'endsAt')).toBe(LIMITS.instant);
  });

  it('maps the engine’s own constraint errors to typed violations naming the columns', async () => {
    const e = engine.name === 'postgres' ? (n: number) => `$${n}` : () => '?';
    const catch_ = (p: Promise<unknown>) => p.then(() => null, (x: unknown) => x);
    const dup = await catch_(h.ds.query(`INSERT INTO product (id, sku, name, tax_rate_bp, base_price_cents) VALUES (${e(1)}, ${e(2)}, 'x', 0, 1)`, [uid(50), 'SKU1']));
    expect(constraintViolation(dup)).toMatchObject({ kind: 'unique', fields: ['sku'] });
    const fk = await catch_(h.ds.query(`INSERT INTO product (id, sku, name, tax_rate_bp, base_price_cents, category_id) VALUES (${e(1)}, 'FKX', 'x', 0, 1, ${e(2)})`, [uid(51), UNKNOWN]));
    expect(constraintViolation(fk)).toMatchObject({ kind: 'foreign_key' });
    if (engine.name === 'postgres') expect(constraintViolation(fk)?.fields).toEqual(['categoryId']);
    expect(constraintViolation(new Error('disk I/O error'))).toBeNull();
  });
});
