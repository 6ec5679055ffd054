/** Loyalty test helpers: the ledger invariant checked on the database. */
import { expect } from 'vitest';
import { all } from '../../src/persistence/sql';
import type { Harness } from './harness';

/** Every member's balance row equals the sum of its postings, and its postings are numbered 1..n. */
export async function expectBalancesAreSums(h: Harness): Promise<void> {
  const rows = await all<{ customer_id: string; points: unknown; postings: unknown; sum: unknown; n: unknown; maxseq: unknown }>(
    h.ds.manager,
    `SELECT b.customer_id, b.points, b.postings, SUM(p.points) AS sum, COUNT(*) AS n, MAX(p.seq) AS maxseq FROM loyalty_balance b JOIN loyalty_posting p ON p.customer_id = b.customer_id GROUP BY b.customer_id, b.points, b.postings`,
  );
  for (const r of rows) {
    expect(Number(r.points), r.customer_id).toBe(Number(r.sum));
    expect(Number(r.postings)).toBe(Number(r.n));
    expect(Number(r.maxseq)).toBe(Number(r.n));
  }
  const orphans = await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM loyalty_posting p WHERE NOT EXISTS (SELECT 1 FROM loyalty_balance b WHERE b.customer_id = p.customer_id)`);
  expect(Number(orphans[0]!.n)).toBe(0);
}

