/**
 * What is already on its way to a store (open orders not shipped yet, goods in transit), per product: the
 * proposal adds it to the on-hand so it never orders twice. Two sources read the order modules' tables:
 * - replenishment: orders registered / approved / picking count as open orders (picked quantity once typed,
 *   else the approved one); delivery notes shipped and not yet received count as in transit (shipped − received);
 * - purchasing: purchase orders to the store that are draft (a confirmed proposal makes drafts: the next
 *   proposal must not order again), sent or partially received count as open orders (ordered − received).
 * Other modules may plug more in with `addIncomingSource`.
 */
import type { EntityManager } from 'typeorm';
import { all, inList } from '../persistence/sql';

export interface Incoming {
  openOrders: number;
  inTransit: number;
}

/** Incoming quantities per `storeId|productId` for these stores. */
export type IncomingSource = (m: EntityManager, storeIds: readonly string[]) => Promise<Map<string, Incoming>>;

type Row = { store_id: string; product_id: string; q: unknown };
const keyed = (rows: Row[], into: Map<string, Incoming>, field: keyof Incoming) => {
  for (const r of rows) {
    const key = `${r.store_id}|${r.product_id}`;
    const acc = into.get(key) ?? { openOrders: 0, inTransit: 0 };
    acc[field] += Number(r.q);
    into.set(key, acc);
  }
  return into;
};

export const replenishmentIncoming: IncomingSource = async (m, storeIds) => {
  const out = new Map<string, Incoming>();
  if (storeIds.length === 0) return out;
  const ids = inList(storeIds.length);
  keyed(
    await all<Row>(
      m,
      `SELECT o.store_id, l.product_id, SUM(COALESCE(l.picked, l.approved)) AS q
         FROM replenishment_order o JOIN replenishment_order_line l ON l.order_id = o.id
        WHERE o.store_id IN (${ids}) AND o.status IN ('registered', 'approved', 'picking')
        GROUP BY o.store_id, l.product_id`,
      storeIds,
    ),
    out,
    'openOrders',
  );
  return keyed(
    await all<Row>(
      m,
      `SELECT n.store_id, l.product_id, SUM(l.shipped - COALESCE(l.received, 0)) AS q
         FROM delivery_note n JOIN delivery_note_line l ON l.note_id = n.id
        WHERE n.store_id IN (${ids}) AND n.status = 'shipped'
        GROUP BY n.store_id, l.product_id`,
      storeIds,
    ),
    out,
    'inTransit',
  );
};

export const purchasingIncoming: IncomingSource = async (m, storeIds) => {
  if (storeIds.length === 0) return new Map();
  const rows = await all<Row>(
    m,
    `SELECT o.location_id AS store_id, l.product_id, SUM(l.quantity - l.received_quantity) AS q
       FROM purchase_order o JOIN purchase_order_line l ON l.order_id = o.id
      WHERE o.location_id IN (${inList(storeIds.length)}) AND o.status IN ('draft', 'sent', 'partially_received')
      GROUP BY o.location_id, l.product_id`,
    storeIds,
  );
  return keyed(rows.filter((r) => Number(r.q) > 0), new Map(), 'openOrders');
};

const sources: IncomingSource[] = [replenishmentIncoming, purchasingIncoming];

export function addIncomingSource(source: IncomingSource): () => void {
  sources.push(source);
  return () => void sources.splice(sources.indexOf(source), 1);
}

export async function incomingOf(m: EntityManager, storeIds: readonly string[]): Promise<Map<string, Incoming>> {
  const out = new Map<string, Incoming>();
  for (const source of sources) {
    for (const [key, v] of await source(m, storeIds)) {
      const acc = out.get(key);
      if (acc) {
        acc.openOrders += v.openOrders;
        acc.inTransit += v.inTransit;
      } else out.set(key, { ...v });
    }
  }
  return out;
}
