import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hour rows of a product in some stores (issue 18): sales by day or week filtered by a store or company AND a
 * product or category have no folded table (a store/product/day one would hold ~70 % of the hour rows), so they read
 * `report_sales_hour`. By its store index that is every hour row of the stores over the period (a company over a
 * year: ~2.6 million at 10 million tickets, 361 ms on SQLite, 783 ms on PostgreSQL) to keep one product's; by
 * (product, store, date) it is one range per store and product. On PostgreSQL the index is made on each month
 * partition.
 */
export class ReportSalesHourProductIndex1795483000004 implements MigrationInterface {
  name = 'ReportSalesHourProductIndex1795483000004';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE INDEX "IDX_report_sales_hour_product" ON "report_sales_hour" ("product_id", "store_id", "business_date")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX "IDX_report_sales_hour_product"`);
  }
}
