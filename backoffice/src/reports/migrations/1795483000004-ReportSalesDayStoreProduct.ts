import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A store's product per day, folded (issue 18): `report_sales_day_store_product` (store / month / product / business
 * date: lines, units, sales with and without IVA, discounts), written by the fold job with a store's whole months
 * (reports/fold.ts `foldStoresMonth`). Sales by day or week with a store or company filter AND a product or category
 * filter read a product's days from it; they read the hour rows of every product of the stores over the period
 * (a company and a product by week over a year: ~2.6 million hour rows at 10 million tickets, 361 ms SQLite, 783 ms
 * PostgreSQL). Keyed with the month before the product: the fold replaces a store's month as one range, a read
 * seeks one range per store, month and product. An index of the hour rows by product was the other way: it would
 * cost the ingest a leaf page per product of each batch.
 *
 * The store-months already folded are marked dirty, so the next fold fills it (reports read them from the hours
 * until then).
 */
export class ReportSalesDayStoreProduct1795483000004 implements MigrationInterface {
  name = 'ReportSalesDayStoreProduct1795483000004';

  async up(qr: QueryRunner): Promise<void> {
    const noRowId = qr.connection.options.type === 'postgres' ? '' : ' WITHOUT ROWID';
    const sums = ['lines', 'units', 'gross_cents', 'net_cents', 'discount_cents'];
    await qr.query(`CREATE TABLE "report_sales_day_store_product" (
      "store_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      ${sums.map((n) => `"${n}" bigint NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY ("store_id", "month", "product_id", "business_date"))${noRowId}`);
    await qr.query(
      `INSERT INTO "report_fold_dirty" ("store_id", "month")
       SELECT "store_id", "month" FROM "report_sales_month_store" WHERE 1 = 1
       ON CONFLICT ("store_id", "month") DO NOTHING`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "report_sales_day_store_product"`);
  }
}
