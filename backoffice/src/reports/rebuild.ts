/**
 * Recomputes the reports' rollups of some stores and business dates from the stored ticket documents (the
 * same `addTicket` the ingest step uses), in one transaction per store: its rows in the range are deleted and
 * written again (the voids and cash differences too, from `till_cashier_event`: cashier-events.ts). Costs
 * are the company's current average costs (as the step values a ticket when it arrives).
 * The months touched are marked dirty: the fold job (reports/fold.ts, run after the rebuild job) sums them again.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { all, exec, isPostgres } from '../persistence/sql';
import { addTicket, currentCosts, Rollups, storeTimeZone, writeRollups } from './rollups';
import { rebuildCashierEvents } from './cashier-events';
import { markDirty, monthOf, monthsBetween } from './fold';

const TABLES = ['report_sales_hour', 'report_ticket_hour', 'report_cashier_day', 'report_payment_day', 'report_promotion_day'];
const PAGE = 1_000;

function shiftDay(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface RebuildOutcome {
  stores: number;
  tickets: number;
}

/** `storeIds` null: every store. Dates inclusive. */
export async function rebuildRollups(ds: DataSource, q: { storeIds: readonly string[] | null; from: string; to: string }, progress?: (done: number, total: number) => Promise<void>): Promise<RebuildOutcome> {
  const stores = q.storeIds ?? (await all<{ id: string }>(ds.manager, `SELECT id FROM store ORDER BY id`)).map((s) => s.id);
  let tickets = 0;
  let done = 0;
  for (const storeId of stores) {
    tickets += await ds.transaction((m) => rebuildStore(m, storeId, q.from, q.to));
    await progress?.(++done, stores.length);
  }
  return { stores: stores.length, tickets };
}

async function rebuildStore(m: EntityManager, storeId: string, from: string, to: string): Promise<number> {
  const sql = <R = Record<string, unknown>>(text: string, params?: readonly unknown[]) => all<R>(m, text, params ?? []);
  const store = (await all<{ company_id: string }>(m, `SELECT company_id FROM store WHERE id = ?`, [storeId]))[0];
  if (!store) return 0;
  for (const t of TABLES) await exec(m, `DELETE FROM ${t} WHERE store_id = ? AND business_date >= ? AND business_date <= ?`, [storeId, from, to]);
  // The month rollups of these months are folded again by the fold job (read from the hour table until then).
  await markDirty(sql, storeId, monthsBetween(monthOf(from), monthOf(to)));
  const tz = await storeTimeZone(sql, storeId);
  // sale_ticket.business_date is the till's local date: a day either side covers any time zone difference.
  let after = { date: shiftDay(from, -1), id: '' };
  const last = shiftDay(to, 1);
  let count = 0;
  for (;;) {
    const page = await all<{ id: string; business_date: string; document: string }>(
      m,
      `SELECT id, business_date, document FROM sale_ticket
        WHERE store_id = ? AND kind <> 'invoice' AND (business_date > ? OR (business_date = ? AND id > ?)) AND business_date <= ?
        ORDER BY business_date, id LIMIT ${PAGE}`,
      [storeId, after.date, after.date, after.id, last],
    );
    if (page.length === 0) break;
    after = { date: page[page.length - 1]!.business_date, id: page[page.length - 1]!.id };
    const docs = page.map((p) => JSON.parse(p.document) as TicketDocument);
    const costs = await currentCosts(sql, store.company_id, docs.flatMap((d) => d.lines.map((l) => l.productId)));
    const r = new Rollups();
    for (const d of docs) addTicket(r, storeId, tz, d, (p) => costs.get(p));
    // Only the asked range: the pages overlap a day either side.
    for (const map of [r.sales, r.tickets, r.cashiers, r.payments, r.promotions] as Array<Map<string, { business_date: string }>>) {
      for (const [k, v] of map) if (v.business_date < from || v.business_date > to) map.delete(k);
    }
    count += [...r.tickets.values()].reduce((a, t) => a + t.tickets + t.returns_tickets, 0);
    await writeRollups(sql, isPostgres(m) ? 'postgres' : 'sqlite', r, m.connection);
    if (page.length < PAGE) break;
  }
  // Voids and cash differences (issue 18): from the events the tills sent up, not from tickets.
  await rebuildCashierEvents(m, storeId, from, to, tz);
  return count;
}
