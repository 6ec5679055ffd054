/**
 * Accounting's daily sales rollups, kept by the real ingest on both engines: per till session and business date,
 * the tickets' tax breakdown per rate and what paid for them per method (cash = total − other methods). A hand-
 * worked day first, then random baskets with returns: the rollups equal the sums of the documents, payments
 * equal base + IVA + recargo, and a rebuild from the tickets gives the same rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { connectTerminal, engines, F, factoryFor, startHarness, type TerminalClient } from '../support/harness';
import { all } from '../../src/persistence/sql';
import { rebuildSalesSessions } from '../../src/accounting/sales/rollup';

const [p0, p1] = F.products; // p0: 0,95 € IVA 21 %; p1: 1,32 € IVA 10 %
const NOW = Date.UTC(2026, 10, 20, 10, 0, 0);
const clock = { now: () => NOW };

describe.each(engines)('daily sales rollups on $name', (engine) => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let till: TerminalClient;
  const taxRows = async () =>
    (await all<Record<string, unknown>>(h.ds.manager, `SELECT store_id, session_id, business_date, iva_rate_bp, re_rate_bp, base_cents, iva_cents, re_cents FROM sales_tax_session ORDER BY store_id, session_id, business_date, iva_rate_bp DESC`)).map(
      (r) => [r.store_id, r.session_id, r.business_date, Number(r.iva_rate_bp), Number(r.re_rate_bp), Number(r.base_cents), Number(r.iva_cents), Number(r.re_cents)],
    );
  const payRows = async () =>
    (await all<Record<string, unknown>>(h.ds.manager, `SELECT store_id, session_id, business_date, method, customer_id, amount_cents FROM sales_pay_session ORDER BY store_id, session_id, business_date, method, customer_id`)).map(
      (r) => [r.store_id, r.session_id, r.business_date, r.method, r.customer_id, Number(r.amount_cents)],
    );

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    till = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
  });
  afterAll(async () => {
    till?.close();
    await h?.close();
  });

  it('sums one day by rate and method, worked out by hand', async () => {
    let at = Date.UTC(2026, 10, 20, 9, 0, 0);
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 7, { now: () => at });
    // Cash: 10 × 0,95 = 9,50 at 21 % → base 7,85 (9,50 / 1,21 = 7,851), IVA 1,65.
    const a = f.sale({ lines: [{ product: p0!, units: 10 }], payment: 'cash' });
    at += 60_000;
    // Card: 10 × 1,32 = 13,20 at 10 % → base 12,00, IVA 1,20.
    const b = f.sale({ lines: [{ product: p1!, units: 10 }], payment: 'card' });
    at += 60_000;
    // Return of 2 of the cash sale: −1,90 at 21 % → base −1,57 (1,90 / 1,21 = 1,570), IVA −0,33; refunded in cash.
    const r = f.returnOf(a, 0, 2);
    expect(await till.send([a, b, r])).toEqual({ terminalId: F.t1.id, ackedSeq: 3 });
    const s = a.sessionId;
    expect(await taxRows()).toEqual([
      [F.storeM1.id, s, '2026-11-20', 2100, 0, 785 - 157, 165 - 33, 0],
      [F.storeM1.id, s, '2026-11-20', 1000, 0, 1_200, 120, 0],
    ]);
    // Cash 9,50 − 1,90 = 7,60; card 13,20. Σ = 20,80 = 6,28 + 1,32 + 12,00 + 1,20.
    expect(await payRows()).toEqual([
      [F.storeM1.id, s, '2026-11-20', 'card', '', 1_320],
      [F.storeM1.id, s, '2026-11-20', 'cash', '', 760],
    ]);
  });

  it('equals the documents for random baskets, and a rebuild from the tickets gives the same rows', async () => {
    const sent: TicketDocument[] = [];
    const lev = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
    try {
      let t = Date.UTC(2026, 10, 3, 9, 0, 0);
      const g = factoryFor(F.t3, F.storeV1, F.levante.nif, 11, { now: () => t });
      for (let d = 0; d < 4; d++) {
        t = Date.UTC(2026, 10, 3 + d * 5, 9, 0, 0);
        const batch = Array.from({ length: 10 }, () => ((t += 900_000), g.next()));
        const s = batch.find((x) => x.kind === 'sale' && x.lines.some((l) => l.quantity.kind === 'units'))!;
        batch.push(g.returnOf(s, s.lines.findIndex((l) => l.quantity.kind === 'units'), 1));
        await lev.send(batch);
        sent.push(...batch);
      }
    } finally {
      lev.close();
    }
    const mine = (rows: unknown[][]) => rows.filter((r) => r[0] === F.storeV1.id);
    const tax = mine(await taxRows());
    const pay = mine(await payRows());
    const sum = (rows: unknown[][], i: number) => rows.reduce((a, r) => a + (r[i] as number), 0);
    const docs = (k: 'base' | 'ivaCuota' | 'reCuota') => sent.reduce((a, d) => a + d.taxBreakdown.reduce((x, b) => x + b[k], 0), 0);
    expect([sum(tax, 5), sum(tax, 6), sum(tax, 7)]).toEqual([docs('base'), docs('ivaCuota'), docs('reCuota')]);
    expect(sum(pay, 5)).toBe(sent.reduce((a, d) => a + d.totals.total, 0));
    expect(sum(pay, 5)).toBe(sum(tax, 5) + sum(tax, 6) + sum(tax, 7));
    const before = [await taxRows(), await payRows()];
    await rebuildSalesSessions(h.ds, null);
    expect([await taxRows(), await payRows()]).toEqual(before);
  });
});
