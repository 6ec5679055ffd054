import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock lists, valuation and movements (issue 11, valuation part):
 * - `stock_movement.document_number`: the number the posting document got (`AL-2026-000042`), written with the
 *   movement so a product's movements show where each came from without knowing every module's tables.
 *   A plain nullable column (SQLite: `ADD COLUMN`, no rebuild of the 10-million-row table).
 * - `IDX_stock_movement_product_at`: a product's movements across locations, newest first, are one index range.
 */
export class StockValuation1795414000001 implements MigrationInterface {
  name = 'StockValuation1795414000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "stock_movement" ADD COLUMN "document_number" varchar(32)`);
    await qr.query(`CREATE INDEX "IDX_stock_movement_product_at" ON "stock_movement" ("product_id", "at")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX "IDX_stock_movement_product_at"`);
    await qr.query(`ALTER TABLE "stock_movement" DROP COLUMN "document_number"`);
  }
}
