import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `report_sales_pair_year`: per store / product / calendar year, a 12-bit mask of the months that have a row in
 * `report_sales_month` (bit 0 = January), kept by the fold job next to the month rows (reports/fold.ts). The
 * "products with stock and no sales" report checks each stocked pair against one small row per year instead of
 * seeking the month table's 13 rows per pair (2.4 million rows at 10M tickets). Filled here from the month rows
 * already folded.
 */
export class ReportSalesPairYear1795479000001 implements MigrationInterface {
  name = 'ReportSalesPairYear1795479000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    await qr.query(`CREATE TABLE "report_sales_pair_year" (
      "store_id" varchar(36) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      "year" varchar(4) NOT NULL,
      "months" integer NOT NULL DEFAULT 0,
      PRIMARY KEY ("store_id", "product_id", "year"))${pg ? '' : ' WITHOUT ROWID'}`);
    // One row per (store, product, month): the sum of the month bits is their OR.
    await qr.query(
      `INSERT INTO "report_sales_pair_year" ("store_id", "product_id", "year", "months")
       SELECT "store_id", "product_id", substr("month", 1, 4), SUM(1 << (CAST(substr("month", 6, 2) AS integer) - 1))
         FROM "report_sales_month" GROUP BY "store_id", "product_id", substr("month", 1, 4)`,
    );
    if (pg) await qr.query(`ANALYZE "report_sales_pair_year"`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "report_sales_pair_year"`);
  }
}
