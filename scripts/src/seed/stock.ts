/**
 * The demo's opening stock with costs, so the stock pages and the valuation show real figures:
 * - the stores' opening receipts written by the sales-history seeding (no cost, no document) become one
 *   posted goods receipt per store (EM number of its company's series), each line at the product's cost;
 *   the owner's average starts at that cost (with its history row at the opening instant);
 * - the franchisor's central warehouse gets a posted opening receipt at the product's cost through
 *   `postStockMoves`, as a real receipt would.
 * Costs: `product.cost_cents` per unit, or per kg for weighed products (µ€ per gram = cents × 10).
 * Once: a marker row makes a second call a no-op.
 */
import type { DataSource } from 'typeorm';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { all, exec } from '@tpv/backoffice/persistence/sql';
import { allocateDocumentNumber } from '@tpv/backoffice/platform/numbering';
import { newRowId } from '@tpv/backoffice/persistence/row-id';
import { postStockMoves, type StockMove } from '@tpv/backoffice/stock/ledger';
import { hasMarker } from '@tpv/backoffice/tickets/seeding/write';
import type { DemoFranchise } from './demo-franchise';

export const DEMO_STOCK_MARKER = 'demo-stock-v1';

/** µ€ per stock unit (unit, or gram for weighed products) of a product costing `costCents` per unit or kg. */
export const unitCostMicros = (costCents: number, weighed: boolean) => (weighed ? costCents * 10 : costCents * 10_000);

export async function seedDemoStock(ds: DataSource, f: DemoFranchise, nowMs = Date.now()): Promise<{ seeded: boolean; storeLines: number; warehouseLines: number }> {
  if (await hasMarker(ds, DEMO_STOCK_MARKER)) return { seeded: false, storeLines: 0, warehouseLines: 0 };
  const clock = { now: () => nowMs };
  const cost = new Map(f.products.filter((p) => (p.costCents ?? 0) > 0).map((p) => [p.id, unitCostMicros(p.costCents!, p.weighed)]));
  let storeLines = 0;
  let warehouseLines = 0;
  await writeTransaction(ds, async (m) => {
    const openings = await all<{ id: string; location_id: string; product_id: string; at: string; company_id: string }>(
      m,
      `SELECT mv.id, mv.location_id, mv.product_id, mv.at, s.company_id FROM stock_movement mv JOIN store s ON s.id = mv.location_id
        WHERE mv.reason = 'receipt' AND mv.ticket_id IS NULL AND mv.document_id IS NULL ORDER BY mv.location_id, mv.product_id`,
    );
    const byStore = new Map<string, typeof openings>();
    for (const o of openings) (byStore.get(o.location_id) ?? byStore.set(o.location_id, []).get(o.location_id)!).push(o);
    const averages = new Map<string, { companyId: string; productId: string; micros: number; at: string }>();
    for (const [, rows] of byStore) {
      const first = rows[0]!;
      const docId = newRowId(clock);
      const number = await allocateDocumentNumber(m, first.company_id, 'goods_receipt', Number(first.at.slice(0, 4)));
      let line = 0;
      for (const r of rows) {
        const micros = cost.get(r.product_id) ?? null;
        await exec(m, `UPDATE stock_movement SET document_type = 'goods_receipt', document_id = ?, document_line = ?, document_number = ?, unit_cost_micros = ? WHERE id = ?`, [
          docId, ++line, number.code, micros, r.id,
        ]);
        if (micros !== null) averages.set(`${r.company_id}|${r.product_id}`, { companyId: r.company_id, productId: r.product_id, micros, at: r.at });
        storeLines++;
      }
    }
    // Every opening line of a company and product is at the same cost: that cost is the average.
    for (const a of averages.values()) {
      await exec(m, 'INSERT INTO stock_cost (company_id, product_id, avg_cost_micros, updated_at) VALUES (?, ?, ?, ?)', [a.companyId, a.productId, a.micros, a.at]);
      await exec(m, `INSERT INTO stock_cost_history (id, company_id, product_id, from_at, avg_cost_micros, document_type, document_id) VALUES (?, ?, ?, ?, ?, 'goods_receipt', NULL)`, [
        newRowId(clock), a.companyId, a.productId, a.at, a.micros,
      ]);
    }
    // The central warehouse: an opening receipt dated with the stores' (or now), at the product's cost.
    const at = openings[0]?.at ?? new Date(nowMs).toISOString();
    const franchisor = f.companies.find((c) => c.kind === 'franchisor')!;
    for (const w of f.warehouses.filter((x) => x.companyId === franchisor.id)) {
      const docId = newRowId(clock);
      const number = await allocateDocumentNumber(m, w.companyId, 'goods_receipt', Number(at.slice(0, 4)));
      const moves: StockMove[] = f.products
        .filter((p) => cost.has(p.id))
        .map((p, i) => ({
          locationId: w.id,
          productId: p.id,
          delta: p.weighed ? 20_000 + ((i * 7_919) % 40_000) : 60 + ((i * 37) % 240),
          reason: 'receipt',
          documentType: 'goods_receipt',
          documentId: docId,
          documentLine: i + 1,
          documentNumber: number.code,
          purchaseCostMicros: cost.get(p.id)!,
        }));
      const r = await postStockMoves(m, clock, moves, { at });
      if (!r.ok) throw new Error('demo warehouse opening refused');
      warehouseLines += moves.length;
    }
    // In the same transaction: the opening is there exactly when its marker is.
    await exec(m, 'INSERT INTO seed_marker (key, detail, created_at) VALUES (?, ?, ?)', [DEMO_STOCK_MARKER, `${storeLines} store opening lines, ${warehouseLines} warehouse lines`, new Date(nowMs).toISOString()]);
  });
  return { seeded: true, storeLines, warehouseLines };
}
