/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Product blocks at the till (issue 17), over the till's own HTTP API: a block arrives on the feed and the
 * cart refuses the product by scan, by quick key / search (POST /api/cart/lines) and at payment of a ticket
 * rung up before it, with the cashier's message (Spanish · English); a lot block refuses the scanned lot
 * and any sale that carries no lot, and sells another lot scanned from its GS1 label; a best-before block
 * refuses dates inside its range; lifted, the product sells again.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductBlockData } from '@tpv/shared/blocks/rules';
import { createCatalogStore } from '../../src/sync/catalog';
import { EAN, pid, STAFF, tempDir, type TestDb } from './support/fixture';
import { startOpenTill, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-blocks-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const WINE = pid(4);
const gtin = `0${EAN.wine}`;
const block = (x: Partial<ProductBlockData>): ProductBlockData => ({
  id: 'blk-1', productId: WINE, productName: 'Vino tinto crianza', scope: 'product', lot: null, bestBeforeFrom: null, bestBeforeTo: null,
  reason: 'Corcho defectuoso', referenceDate: '2026-11-01', number: 'BQ-2026-000007', ...x,
});

describe('a product block at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  const feed = (op: 'upsert' | 'delete', data?: ProductBlockData) => {
    const store = createCatalogStore(t.db);
    const v = store.version();
    store.applyPage({ fromVersion: v, toVersion: v + 1, hasMore: false, changes: [op === 'upsert' ? { version: v + 1, entity: 'product_block', id: data!.id, op, data } : { version: v + 1, entity: 'product_block', id: 'blk-1', op }] }, new Date().toISOString());
  };
  const scan = (code: string) => s.call('POST', '/api/cart/scan', { code });
  const pay = async () => s.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: (await s.call('GET', '/api/cart')).body.totals.total }] });

  beforeAll(async () => {
    ({ t, s } = await startOpenTill(dir)); // the cashier in, a 50 € float
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('a ticket rung up before the block is refused at payment, naming the line; scan and quick key are refused with the cashier’s message', async () => {
    expect((await scan(EAN.water)).status).toBe(200);
    expect((await scan(EAN.wine)).status).toBe(200);
    feed('upsert', block({}));
    const refused = await pay();
    expect(refused.status).toBe(409);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'PRODUCT_BLOCKED', productId: WINE, blockNumber: 'BQ-2026-000007', lineId: '2' });
    expect(refused.body.detail).toBe('Venta bloqueada por la central · Sale blocked by HQ: Vino tinto crianza — Corcho defectuoso [BQ-2026-000007]. Retire la unidad de la venta · Set the unit aside.');
    const cart = (await s.call('GET', '/api/cart')).body;
    expect(cart.lines).toHaveLength(2);

    expect((await scan(EAN.wine)).body.code).toBe('PRODUCT_BLOCKED');
    expect((await s.call('POST', '/api/cart/lines', { productId: WINE })).body.code).toBe('PRODUCT_BLOCKED');
    expect((await s.call('GET', '/api/cart')).body.lines).toHaveLength(2);
    // The cashier voids the blocked line (supervisor) and the rest sells.
    const wineLine = cart.lines.find((l: any) => l.productId === WINE);
    expect((await s.call('DELETE', `/api/cart/lines/${wineLine.id}`, { supervisorPin: STAFF.supervisor.pin })).status).toBe(200);
    expect((await pay()).status).toBe(200);
  });

  it('a lot block: the lot scanned from its GS1 label is refused, another lot sells, a code without lot is refused', async () => {
    feed('upsert', block({ scope: 'lot', lot: 'L42' }));
    const noLot = await scan(EAN.wine);
    expect(noLot.status).toBe(409);
    expect(noLot.body.detail).toContain('(lote · lot L42)');
    expect(noLot.body.detail).toContain('Sin lote/fecha en el código: retire la unidad o escanee su etiqueta GS1 · No lot/date in the code');
    expect((await s.call('POST', '/api/cart/lines', { productId: WINE })).status).toBe(409);
    expect((await scan(`(01)${gtin}(17)271231(10)L42`)).body.code).toBe('PRODUCT_BLOCKED');
    expect((await scan(`]C101${gtin}17271231\x1d10l42`)).body.code).toBe('PRODUCT_BLOCKED'); // lots compare without case
    const other = await scan(`]C101${gtin}10L43\x1d17271231`);
    expect(other.status).toBe(200);
    expect(other.body.lines.map((l: any) => [l.productId, l.barcode])).toEqual([[WINE, `(01)${gtin}(15)271231(10)L43`]]);
    // At payment the line's lot is read again: L43 is not blocked, it sells.
    expect((await pay()).status).toBe(200);
  });

  it('a best-before block refuses dates inside its range (and a code without a date); lifted, the product sells again', async () => {
    feed('upsert', block({ scope: 'best_before', bestBeforeFrom: '2026-12-01', bestBeforeTo: '2026-12-31' }));
    expect((await scan(`(01)${gtin}(15)261200`)).body.code).toBe('PRODUCT_BLOCKED'); // day 00: 31 December
    expect((await scan(`(01)${gtin}(15)261201(10)X1`)).body.code).toBe('PRODUCT_BLOCKED');
    expect((await scan(EAN.wine)).body.code).toBe('PRODUCT_BLOCKED');
    expect((await scan(`(01)${gtin}(15)261130`)).status).toBe(200);
    expect((await scan(`(01)${gtin}(17)270101`)).status).toBe(200);
    feed('delete');
    expect((await scan(EAN.wine)).status).toBe(200);
    expect((await pay()).status).toBe(200);
  });
});
