/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Data protection at the till: a consent given at the counter is a `privacy.consent` document in the outbox
 * (bad input: 4xx, nothing written); an erased customer — the feed's `customer` delete — is dropped with its
 * local copies, and the till's customer search no longer finds them.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogStore } from '../../src/sync/catalog';
import { CUSTOMERS, freshTerminalDb, rowCounts, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-privacy-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ID = CUSTOMERS.fruteria.id;

describe('data protection at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    s = await startTerminal(t.ds, t.file);
    await s.login(STAFF.cashier.pin);
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('records consents given at the counter as one outbox document; bad input writes nothing', async () => {
    const docs = () => t.db.prepare(`SELECT COUNT(*) AS n FROM document_outbox`).get();
    const before = [rowCounts(t.db), docs()];
    for (const [body, status] of [
      [{ customerId: ID, consents: [{ purpose: 'spam', granted: true }] }, 400],
      [{ customerId: ID, consents: [] }, 400],
      [{ customerId: '00000000-0000-7000-8008-0000000000ff', consents: [{ purpose: 'marketing', granted: true }] }, 404],
    ] as const) expect((await s.call('POST', '/api/privacy/consents', body)).status).toBe(status);
    expect([rowCounts(t.db), docs()]).toEqual(before);
    const r = await s.call('POST', '/api/privacy/consents', { customerId: ID, consents: [{ purpose: 'marketing', granted: true }, { purpose: 'e_receipt', granted: false }] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'privacy.consent', status: 'pending', payload: { customerId: ID, consents: [{ purpose: 'marketing', granted: true }, { purpose: 'e_receipt', granted: false }] } });
    expect(r.body.payload.staffId).toBeTruthy();
  });

  it('drops an erased customer from the feed with its local copies: the search no longer finds them', async () => {
    // A local copy another module keeps (e.g. a search index of customers): any customer* table keyed by customer_id.
    t.db.exec(`CREATE TABLE customer_search_extra (customer_id text NOT NULL, term text NOT NULL)`);
    t.db.prepare(`INSERT INTO customer_search_extra VALUES (?, 'pepa')`).run(ID);
    expect((await s.call('GET', '/api/customers/search?q=Fruter')).body.map((c: any) => c.id)).toContain(ID);
    const store = createCatalogStore(t.db);
    const v = store.version();
    expect(store.applyPage({ fromVersion: v, toVersion: v + 1, hasMore: false, changes: [{ version: v + 1, entity: 'customer', id: ID, op: 'delete', data: null }] }, new Date().toISOString()))
      .toMatchObject({ applied: 1 });
    for (const q of ['Fruter', CUSTOMERS.fruteria.nif]) expect((await s.call('GET', `/api/customers/search?q=${q}`)).body).toEqual([]);
    expect(t.db.prepare(`SELECT COUNT(*) AS n FROM customer_search_extra`).get()).toEqual({ n: 0 });
    expect(t.db.prepare(`SELECT COUNT(*) AS n FROM customer WHERE id = ?`).get(ID)).toEqual({ n: 0 });
    // And no consent can be recorded for them any more.
    expect((await s.call('POST', '/api/privacy/consents', { customerId: ID, consents: [{ purpose: 'marketing', granted: true }] })).status).toBe(404);
  });
});
