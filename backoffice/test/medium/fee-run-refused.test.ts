/**
 * A fee run whose franchisee's invoice is refused (found by the HQ invoicing walk: the seeded Levante NIF fails
 * its check digit): the job fails naming the franchisee and the refused field, and nothing is written — no
 * invoice, not even the other franchisee's of the same transaction.
 *
 * The back office's clock stands on 2026-12-02; November is invoiced. Ruiz 4,5 % + 1,5 % and Levante 5 % + 2 %
 * from 1 Nov, 100,00 € net each (sales_day rows written straight: fees.test.ts proves the ingest writes them).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { contractBody } from '../support/organisation-bodies';
import { all, exec } from '../../src/persistence/sql';

const clock = { now: () => Date.UTC(2026, 11, 2, 9, 0, 0) };

describe.each(engines)('a refused invoice in a fee run on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    for (const company of [F.ruiz.id, F.levante.id]) {
      expect((await h.api('POST', `/api/companies/${company}/contracts`, { token: hq, body: contractBody('2026-11-01', null) })).status).toBe(201);
    }
    for (const store of [F.storeM1.id, F.storeV1.id]) {
      await exec(h.ds.manager, `INSERT INTO sales_day (store_id, business_date, sales_count, sales_base_cents, sales_tax_cents, returns_count, returns_base_cents, returns_tax_cents) VALUES (?, '2026-11-10', 1, 10000, 0, 0, 0, 0)`, [store]);
    }
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it('fails the job naming the franchisee and its invalid NIF; nothing written', async () => {
    const started = await h.api('POST', '/api/invoicing/fee-runs', { token: hq, body: { period: '2026-11' } });
    expect(started.status).toBe(202);
    await vi.waitFor(async () => expect(['succeeded', 'failed']).toContain((await h.api('GET', `/api/jobs/${started.body.jobId}`, { token: hq })).body.status), { timeout: 30_000, interval: 50 });
    const job = (await h.api('GET', `/api/jobs/${started.body.jobId}`, { token: hq })).body;
    expect(job.status).toBe('failed');
    expect(job.error).toContain(`Levante S.L. (${F.levante.nif}): la factura tiene datos no válidos`);
    expect(job.error).toContain('recipient.nif: NIF no válido');
    expect(Number((await all<{ n: unknown }>(h.ds.manager, 'SELECT COUNT(*) AS n FROM invoice'))[0]!.n)).toBe(0);
  });
});
