/**
 * Seeds a sales history once: generates day by day (./generate.ts) and writes straight into the ingest
 * tables (./write.ts), then the per-till state (acked seq, chain head), cash-session totals and — when asked —
 * opening stock so that every store's stock level equals the sum of its movements and never goes below the
 * buffer it started with. A marker row makes a second call a no-op (demo restarts, later benches).
 */
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { CashTotals } from '../../sales-ingest/apply';
import { daysOf, historyGenerator, type HistoryPlan, type HistoryTicket } from './generate';
import { addCashTotals, hasMarker, insertRows, rowsOf, setMarker, setTerminalState, withBulkLoad, type Rows } from './write';

export interface SeedHistoryOptions {
  /** Marker key: seeding is skipped when it is present. */
  marker: string;
  /** Stock movements for every line, opening stock and stock levels. */
  stock: boolean;
  /** Stop after this many tickets (the bench's exact N). */
  maxTickets?: number;
  /** Tickets per insert batch. */
  batch?: number;
  /** When ingest received the tickets (default: a few seconds after issue). */
  receivedAt?: (t: HistoryTicket) => string;
  onProgress?: (tickets: number, day: string) => void;
}

export interface SeedHistoryResult {
  seeded: boolean;
  tickets: number;
  ms: number;
}

export async function seedSalesHistory(ds: DataSource, plan: HistoryPlan, o: SeedHistoryOptions): Promise<SeedHistoryResult> {
  const t0 = Date.now();
  if (await hasMarker(ds, o.marker)) return { seeded: false, tickets: 0, ms: Date.now() - t0 };
  const gen = historyGenerator(plan);
  const cash = new Map<string, { terminalId: string; sessionId: string; totals: CashTotals }>();
  const sold = new Map<string, number>(); // store|product → units or grams sold net
  const lastAt = new Map<string, number>();
  const receivedAt = o.receivedAt ?? ((t: HistoryTicket) => new Date(t.at + 2_000).toISOString());
  const batchSize = o.batch ?? 20_000;
  let pending: HistoryTicket[] = [];
  let count = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const rows = rowsOf(pending, { stock: o.stock, receivedAt, newId: randomUUID });
    await insertRows(ds, rows);
    pending = [];
  };
  await withBulkLoad(ds, async () => {
    for (const day of daysOf(plan.fromDay, plan.toDay)) {
      let tickets = gen.day(day);
      if (o.maxTickets !== undefined && count + tickets.length > o.maxTickets) tickets = tickets.slice(0, o.maxTickets - count);
      count += tickets.length;
      addCashTotals(cash, tickets);
      for (const h of tickets) {
        lastAt.set(h.terminalId, h.at);
        if (o.stock) {
          for (const l of h.doc.lines) {
            const key = `${h.storeId}|${l.productId}`;
            sold.set(key, (sold.get(key) ?? 0) + (l.quantity.kind === 'units' ? l.quantity.units : l.quantity.grams));
          }
        }
      }
      pending.push(...tickets);
      if (pending.length >= batchSize) await flush();
      o.onProgress?.(count, day);
      if (o.maxTickets !== undefined && count >= o.maxTickets) break;
    }
    await flush();

    const extra: Rows = {
      cash_session_summary: [...cash.values()].map((c) => [c.terminalId, c.sessionId, JSON.stringify(c.totals), new Date(Date.parse(`${c.sessionId.slice(-10)}T22:00:00Z`)).toISOString()]),
    };
    if (o.stock) {
      // Opening stock the day before the history starts: what was sold plus a shelf buffer, per store and article.
      const openingAt = new Date(Date.parse(`${plan.fromDay}T07:00:00Z`) - 86_400_000).toISOString();
      const now = new Date().toISOString();
      const movements: unknown[][] = [];
      const levels: unknown[][] = [];
      const ownerOf = new Map(((await ds.query('SELECT id, company_id FROM store')) as Array<{ id: string; company_id: string }>).map((r) => [r.id, r.company_id]));
      let k = 0;
      for (const s of plan.stores) {
        for (const p of plan.products) {
          const net = sold.get(`${s.id}|${p.id}`) ?? 0;
          const buffer = p.weighed ? 2_000 + ((k * 7919) % 8_000) : 6 + ((k * 31) % 30);
          k++;
          const opening = Math.max(0, net) + buffer;
          movements.push([randomUUID(), s.id, p.id, opening, 'receipt', null, null, openingAt]);
          levels.push([s.id, ownerOf.get(s.id), p.id, opening - net, now]);
        }
      }
      extra.stock_movement = movements;
      extra.stock_level = levels;
    }
    await insertRows(ds, extra);
    for (const [id, st] of gen.tills) {
      if (st.seq > 0) await setTerminalState(ds, id, st.seq, st.lastHash || null, new Date(lastAt.get(id)!).toISOString());
    }
    await setMarker(ds, o.marker, `${count} tickets ${plan.fromDay}..${plan.toDay} seeded in ${Math.round((Date.now() - t0) / 1000)} s on ${new Date().toISOString().slice(0, 10)}`);
  });
  return { seeded: true, tickets: count, ms: Date.now() - t0 };
}
