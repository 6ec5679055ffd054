/**
 * For terminals whose catalogue was written directly (demo seed, a lab copy) rather than through the change
 * feed: records where each price came from, so later feed changes keep the store price (see catalog.ts).
 * Idempotent; leaves rows the feed already wrote alone.
 */
import type { SqliteHandle } from '../persistence/data-source';

export function recordSeededPrices(
  db: SqliteHandle,
  prices: ReadonlyArray<{ productId: string; basePriceCents: number; storePriceCents: number | null }>,
): number {
  const ins = db.prepare<[string, number, number | null]>(
    `INSERT INTO sync_product_price (product_id, base_price_cents, store_price_cents, version) VALUES (?, ?, ?, 0)
     ON CONFLICT (product_id) DO NOTHING`,
  );
  let n = 0;
  db.transaction(() => {
    for (const p of prices) n += ins.run(p.productId, p.basePriceCents, p.storePriceCents).changes;
  })();
  return n;
}
