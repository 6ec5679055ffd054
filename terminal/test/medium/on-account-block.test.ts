/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Collections (issue 13): a customer blocked by the back office's dunning / credit control arrives through
 * the change feed (`customer` upsert with `onAccountBlocked: true`, the page the back office sends — see
 * backoffice/test/medium/collections-dunning.test.ts) and the till refuses an on-account tender for it with
 * a clear message, writing nothing; cash is still taken. The release arrives the same way and the till
 * accepts on account again.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogStore } from '../../src/sync/catalog';
import { CUSTOMERS, EAN, rowCounts, tempDir, type TestDb } from './support/fixture';
import { startOpenTill, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-onaccount-block-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const customerPage = (fromVersion: number, blocked: boolean) => ({
  fromVersion,
  toVersion: fromVersion + 1,
  hasMore: false,
  changes: [
    {
      version: fromVersion + 1, entity: 'customer', id: CUSTOMERS.fruteria.id, op: 'upsert',
      data: { id: CUSTOMERS.fruteria.id, nif: CUSTOMERS.fruteria.nif, name: CUSTOMERS.fruteria.name, reRegime: true, creditLimitCents: CUSTOMERS.fruteria.limit, active: true, onAccountBlocked: blocked },
    },
  ],
});

describe('a customer blocked by dunning is refused on account at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  beforeAll(async () => {
    ({ t, s } = await startOpenTill(dir)); // the cashier in, a 50 € float
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('blocked through the feed: on account refused, nothing written; released: accepted', async () => {
    const store = createCatalogStore(t.db);
    const v0 = store.version();
    expect(store.applyPage(customerPage(v0, true), new Date().toISOString())).toMatchObject({ applied: 1, stale: false });

    await s.call('POST', '/api/cart/scan', { code: EAN.water });
    expect((await s.call('PUT', '/api/cart/customer', { customerId: CUSTOMERS.fruteria.id })).status).toBe(200);
    const total = (await s.call('GET', '/api/cart')).body.totals.total as number;
    const before = rowCounts(t.db);
    const r = await s.call('POST', '/api/cart/checkout', { payments: [{ method: 'on_account', amountCents: total }] });
    expect([r.status, r.body.code]).toEqual([409, 'CUSTOMER_ON_ACCOUNT_BLOCKED']);
    expect(r.type).toContain('application/problem+json');
    expect(r.body.detail).toContain('bloqueadas por impagados');
    expect(r.body.customerId).toBe(CUSTOMERS.fruteria.id);
    expect(rowCounts(t.db)).toEqual(before);

    // Released by a manager in the back office: the next page lifts the block and the same sale goes through.
    expect(store.applyPage(customerPage(v0 + 1, false), new Date().toISOString())).toMatchObject({ applied: 1, stale: false });
    const ok = await s.call('POST', '/api/cart/checkout', { payments: [{ method: 'on_account', amountCents: total }] });
    expect(ok.status).toBe(200);
    const paid = t.db.prepare<[], { method: string; amount_cents: number }>(`SELECT method, amount_cents FROM payment`).all();
    expect(paid).toEqual([{ method: 'on_account', amount_cents: total }]);
  });

  it('an older feed without the flag leaves the customer unblocked', async () => {
    const store = createCatalogStore(t.db);
    const v = store.version();
    const page = customerPage(v, false);
    delete (page.changes[0]!.data as any).onAccountBlocked;
    store.applyPage(page, new Date().toISOString());
    expect(t.db.prepare<[string], { on_account_blocked: number }>('SELECT on_account_blocked FROM customer WHERE id = ?').get(CUSTOMERS.fruteria.id)).toEqual({ on_account_blocked: 0 });
  });
});
