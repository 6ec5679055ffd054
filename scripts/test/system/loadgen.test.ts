/**
 * The load generator against a real back-office process (its main.ts) on SQLite and PostgreSQL: simulated
 * terminals over socket.io sell valid chained tickets; everything is acked exactly once, stock levels equal
 * the sum of their movements, every fiscal record verifies. (Throughput is measured by `npm run bench -- sync`.)
 */
import { describe, expect, it } from 'vitest';
import { runSyncLoad } from '../../src/loadgen/harness';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe.each([
  { name: 'sqlite', databaseUrl: undefined },
  { name: 'postgres', databaseUrl: PG_URL },
])('load generator → back office on $name', ({ databaseUrl }) => {
  it('ingests every ticket of 6 terminals once, with consistent stock and chain', async () => {
    const r = await runSyncLoad({ terminals: 6, stores: 3, ticketsPerTerminal: 60, batchSize: 25, trickleSeconds: 2, trickleIntervalMs: 500, databaseUrl, products: 50 });
    expect(r.flood.errors).toEqual([]);
    expect(r.flood.rejected).toBe(0);
    expect(r.lagMs.length).toBeGreaterThan(0);
    expect(r.ledger.tickets).toBe(6 * 60 + r.lagMs.length);
    expect(r.ledger.ackedSeqSum).toBe(r.ledger.tickets);
    expect(r.ledger).toMatchObject({ stockMismatches: 0, unverifiedFiscal: 0, held: 0 });
  });
});
