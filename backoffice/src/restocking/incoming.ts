/**
 * What is already on its way to a store (open orders not shipped yet, goods in transit), per product: the
 * proposal adds it to the on-hand so it never orders twice. The order modules own those tables; each plugs a
 * source in here (`addIncomingSource`) — replenishment (registered/approved/picking orders, shipped notes not
 * received) and purchasing (sent purchase orders to the store not received). With none, nothing is incoming.
 */
import type { EntityManager } from 'typeorm';

export interface Incoming {
  openOrders: number;
  inTransit: number;
}

/** Incoming quantities per `storeId|productId` for these stores. */
export type IncomingSource = (m: EntityManager, storeIds: readonly string[]) => Promise<Map<string, Incoming>>;

const sources: IncomingSource[] = [];

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
