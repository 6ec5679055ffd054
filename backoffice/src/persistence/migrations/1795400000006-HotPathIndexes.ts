import { TableIndex } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes that cost on the hot paths and that no query needs. Dropped on both engines; `down` recreates them.
 *
 * Ticket ingest: every ticket wrote ~36 index entries on SQLite; these were maintained on every ticket / line
 * and read by no query (reports and stock read tickets by (store, business_date), movements by (store,
 * product, at), stock levels by their primary key, fiscal records by (terminal, chain_position)):
 * - IDX_sale_line_product: one entry per line (≈3.4 per ticket);
 * - IDX_fiscal_record_ticket: one per ticket;
 * - IDX_stock_level_product: one per new (store, product).
 *
 * Change feed: `catalog:pull` reads `version > ? AND version <= ? AND (store_id IS NULL OR store_id = ?)
 * ORDER BY version LIMIT n`. With IDX_change_log_store_version present (and no ANALYZE statistics) SQLite
 * plans a MULTI-INDEX OR over it and sorts *every* remaining change in a temp b-tree for each page: 126 ms a
 * page at the start of a 400,000-change feed, a 200,000-product first load took 34 s against the real back
 * office. Without it the page is a primary-key range scan that stops after n rows (~3 ms).
 * - IDX_change_log_store_version.
 */
const DROPPED: Array<{ table: string; index: TableIndex }> = [
  { table: 'sale_line', index: new TableIndex({ name: 'IDX_sale_line_product', columnNames: ['product_id'] }) },
  { table: 'fiscal_record', index: new TableIndex({ name: 'IDX_fiscal_record_ticket', columnNames: ['ticket_id'] }) },
  { table: 'stock_level', index: new TableIndex({ name: 'IDX_stock_level_product', columnNames: ['product_id'] }) },
  { table: 'change_log', index: new TableIndex({ name: 'IDX_change_log_store_version', columnNames: ['store_id', 'version'] }) },
];

export class HotPathIndexes1795400000006 implements MigrationInterface {
  name = 'HotPathIndexes1795400000006';

  async up(qr: QueryRunner): Promise<void> {
    for (const d of DROPPED) await qr.dropIndex(d.table, d.index.name!);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const d of DROPPED) await qr.createIndex(d.table, d.index);
  }
}
