import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The network's heatmap by product or category (issue 18) gets a folded table of its own,
 * `report_sales_heat_month_network` (month / product / weekday 0 = Monday … 6 / hour: lines, units, sales with and
 * without IVA), written by the fold job with the network's whole months (reports/fold.ts `foldNetworkMonth`).
 * Summing every store's `report_sales_heat_month` rows instead read ~280,000 rows for one category over a year at
 * 10 million tickets (PostgreSQL chose a scan of the whole table: 1.5 s); the network's rows of a product are
 * ~6 times fewer and lie together under the primary key (product first: a category is one range per product).
 *
 * The network months already folded are marked dirty, so the next fold fills this table (reports read those months
 * from the store rows and the hours until then).
 */
export class ReportNetworkHeatmap1795483000002 implements MigrationInterface {
  name = 'ReportNetworkHeatmap1795483000002';

  async up(qr: QueryRunner): Promise<void> {
    const noRowId = qr.connection.options.type === 'postgres' ? '' : ' WITHOUT ROWID';
    const big = (names: string[]) => names.map((n) => `"${n}" bigint NOT NULL DEFAULT 0`).join(',\n      ');
    await qr.query(`CREATE TABLE "report_sales_heat_month_network" (
      "product_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      "weekday" smallint NOT NULL,
      "hour" smallint NOT NULL,
      ${big(['lines', 'units', 'gross_cents', 'net_cents'])},
      PRIMARY KEY ("product_id", "month", "weekday", "hour"))${noRowId}`);
    await qr.query(
      `INSERT INTO "report_fold_dirty" ("store_id", "month")
       SELECT DISTINCT '', "month" FROM "report_sales_month_network" WHERE 1 = 1
       ON CONFLICT ("store_id", "month") DO NOTHING`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "report_sales_heat_month_network"`);
  }
}
