/**
 * The sales-history generator as the demo and the benches use it (written straight into the database): every
 * till's chain verifies from its first record, the terminal rows continue from the seeded chain head and seq,
 * each store's stock level equals the sum of its movements and the opening stock covers every sale, cash
 * totals add up to the tickets, and a second run is a no-op — on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import { VerifiedTicketDocumentSchema, type TicketDocument } from '@tpv/shared/wire/ticket';
import { seedSalesHistory } from '../../src/tickets/seeding/history';
import { engines, F } from '../support/harness';
import { smallPlan } from '../support/ticket-history';
import { seedFranchise } from '../support/harness';
import type { DataSource } from 'typeorm';

describe.each(engines)('sales history seeding ($name)', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  let first: { seeded: boolean; tickets: number };

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
    first = await seedSalesHistory(ds, smallPlan(), { marker: 'history-test', stock: true });
  }, 120_000);
  afterAll(async () => teardown?.());

  it('writes every ticket once, and a second run is a no-op', async () => {
    expect(first.seeded).toBe(true);
    const again = await seedSalesHistory(ds, smallPlan(), { marker: 'history-test', stock: true });
    expect(again).toMatchObject({ seeded: false, tickets: 0 });
    const [row] = (await ds.query('SELECT COUNT(*) AS n FROM sale_ticket')) as Array<{ n: unknown }>;
    expect(Number(row!.n)).toBe(first.tickets);
  });

  it('every document is one ingest would accept, and every till chain verifies from its first record', async () => {
    for (const t of [F.t1, F.t2, F.t3]) {
      const rows = (await ds.query(`SELECT t.document, t.seq, f.hash, f.previous_hash FROM sale_ticket t JOIN fiscal_record f ON f.terminal_id = t.terminal_id AND f.chain_position = t.seq WHERE t.terminal_id = ${engine.name === 'postgres' ? '$1' : '?'} ORDER BY t.seq`, [t.id])) as Array<{ document: string; seq: unknown; hash: string; previous_hash: string | null }>;
      expect(rows.length).toBeGreaterThan(5);
      const docs = rows.map((r) => JSON.parse(r.document) as TicketDocument);
      for (const d of docs) expect(VerifiedTicketDocumentSchema.safeParse(d).success, d.fiscalNumber).toBe(true);
      expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
      const chain = verifyChain(docs.map((d) => d.fiscal as FiscalRecord));
      expect(chain.ok).toBe(true);
      rows.forEach((r, i) => {
        expect(r.hash).toBe(docs[i]!.fiscal.hash);
        expect(r.previous_hash).toBe(i === 0 ? null : docs[i - 1]!.fiscal.hash);
        expect(docs[i]!.fiscal.installation).toBe(t.installation);
      });
      // Numbers are gapless per series.
      const bySeries = new Map<string, number[]>();
      for (const d of docs) bySeries.set(d.series, [...(bySeries.get(d.series) ?? []), d.number]);
      for (const nums of bySeries.values()) expect(nums).toEqual(nums.map((_, i) => i + 1));
      const [term] = (await ds.query(`SELECT last_acked_seq, last_fiscal_hash FROM terminal WHERE id = ${engine.name === 'postgres' ? '$1' : '?'}`, [t.id])) as Array<{ last_acked_seq: unknown; last_fiscal_hash: string }>;
      expect(Number(term!.last_acked_seq)).toBe(rows.length);
      expect(term!.last_fiscal_hash).toBe(docs.at(-1)!.fiscal.hash);
    }
  });

  it('stock levels equal the sum of movements, and opening stock covers every sale', async () => {
    const levels = (await ds.query('SELECT location_id AS store_id, product_id, quantity FROM stock_level')) as Array<{ store_id: string; product_id: string; quantity: unknown }>;
    const sums = (await ds.query('SELECT location_id AS store_id, product_id, SUM(delta) AS s, MIN(at) AS first_at FROM stock_movement GROUP BY location_id, product_id')) as Array<{ store_id: string; product_id: string; s: unknown }>;
    expect(levels.length).toBe(2 * F.products.length);
    const sum = new Map(sums.map((r) => [`${r.store_id}|${r.product_id}`, Number(r.s)]));
    for (const l of levels) {
      expect(Number(l.quantity)).toBe(sum.get(`${l.store_id}|${l.product_id}`));
      expect(Number(l.quantity)).toBeGreaterThan(0);
    }
    const [lines] = (await ds.query(`SELECT COUNT(*) AS n FROM sale_line`)) as Array<{ n: unknown }>;
    const [moves] = (await ds.query(`SELECT COUNT(*) AS n FROM stock_movement WHERE reason <> 'receipt'`)) as Array<{ n: unknown }>;
    expect(Number(moves!.n)).toBe(Number(lines!.n));
  });

  it('cash-session totals add up to the tickets of each till and day', async () => {
    const sessions = (await ds.query('SELECT terminal_id, session_id, totals FROM cash_session_summary')) as Array<{ terminal_id: string; session_id: string; totals: string }>;
    const tickets = (await ds.query('SELECT terminal_id, session_id, COUNT(*) AS n, SUM(total_cents) AS s FROM sale_ticket GROUP BY terminal_id, session_id')) as Array<{ terminal_id: string; session_id: string; n: unknown; s: unknown }>;
    expect(sessions.length).toBe(tickets.length);
    for (const t of tickets) {
      const s = sessions.find((x) => x.terminal_id === t.terminal_id && x.session_id === t.session_id)!;
      const totals = JSON.parse(s.totals) as { tickets: number; salesCents: number; returnsCents: number };
      expect(totals.tickets).toBe(Number(t.n));
      expect(totals.salesCents + totals.returnsCents).toBe(Number(t.s));
    }
  });
});
