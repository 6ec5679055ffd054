/** Stock module's repository: stock per store and product (stock_level = Σ stock_movement) and a product's movements. */
import type { DataSource } from 'typeorm';
import type { MovementView, Movements, StockRow } from '@tpv/shared/wire/http/stock';
import { engineOfDs } from '../persistence/raw';

export async function stockOfStore(ds: DataSource, storeId: string, opts: { q?: string | undefined; limit: number }): Promise<StockRow[]> {
  const pg = engineOfDs(ds) === 'postgres';
  const params: unknown[] = [storeId];
  let filter = '';
  if (opts.q) {
    params.push(`%${opts.q.toLowerCase()}%`);
    filter = ` AND (LOWER(p.name) LIKE ${pg ? '$2' : '?'} OR LOWER(p.sku) LIKE ${pg ? '$2' : '?'})`;
    if (!pg) params.push(params[1]);
  }
  params.push(opts.limit);
  const rows = (await ds.query(
    `SELECT l.product_id, p.sku, p.name, p.weighed, l.quantity, l.updated_at
       FROM stock_level l JOIN product p ON p.id = l.product_id
      WHERE l.location_id = ${pg ? '$1' : '?'}${filter}
      ORDER BY p.sku LIMIT ${pg ? `$${params.length}` : '?'}`,
    params,
  )) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    productId: String(r.product_id),
    sku: String(r.sku),
    name: String(r.name),
    weighed: r.weighed === true || r.weighed === 1,
    quantity: Number(r.quantity),
    updatedAt: String(r.updated_at),
  }));
}

export async function movementsOf(ds: DataSource, storeId: string, productId: string, limit: number): Promise<Movements> {
  const pg = engineOfDs(ds) === 'postgres';
  const p = (i: number) => (pg ? `$${i}` : '?');
  const level = (await ds.query(`SELECT quantity FROM stock_level WHERE location_id = ${p(1)} AND product_id = ${p(2)}`, [storeId, productId])) as Array<{ quantity: number }>;
  const rows = (await ds.query(
    `SELECT m.id, m.delta, m.reason, m.ticket_id, m.line_no, t.fiscal_number, m.at
       FROM stock_movement m LEFT JOIN sale_ticket t ON t.id = m.ticket_id
      WHERE m.location_id = ${p(1)} AND m.product_id = ${p(2)}
      ORDER BY m.at DESC, m.id DESC LIMIT ${p(3)}`,
    [storeId, productId, limit],
  )) as Array<Record<string, unknown>>;
  return {
    quantity: Number(level[0]?.quantity ?? 0),
    movements: rows.map((r): MovementView => ({
      id: String(r.id),
      delta: Number(r.delta),
      reason: String(r.reason),
      ticketId: (r.ticket_id as string | null) ?? null,
      lineNo: r.line_no === null ? null : Number(r.line_no),
      fiscalNumber: (r.fiscal_number as string | null) ?? null,
      at: String(r.at),
    })),
  };
}
