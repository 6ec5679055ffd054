import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last two reports that read hour rows over folded months (issue 18) get folded tables of their own, written by
 * the fold job with a store's whole months like `report_ticket_month_store` (reports/fold.ts `foldStoresMonth`):
 *
 * - `report_ticket_day_store`: store / business date, the ticket-level sums of `report_ticket_hour` — sales by day or
 *   week with a store/company filter (the network has `report_ticket_day_network`).
 * - `report_ticket_heat_month`: store / month / weekday (0 = Monday … 6 = Sunday) / hour, the same sums — the
 *   heatmap of a store scope.
 * - `report_sales_heat_month`: store / month / product / weekday / hour, lines, units, sales with and without IVA from
 *   `report_sales_hour` — the heatmap filtered by product or category (joined through `product` at read time).
 *
 * The months already folded are marked dirty, so the next fold fills these (reports read them from the hours until).
 */
export class ReportStoreDaysHeatmaps1795483000001 implements MigrationInterface {
  name = 'ReportStoreDaysHeatmaps1795483000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const noRowId = pg ? '' : ' WITHOUT ROWID';
    const big = (names: string[]) => names.map((n) => `"${n}" bigint NOT NULL DEFAULT 0`).join(',\n      ');
    const tickets = big(['tickets', 'returns_tickets', 'units', 'gross_cents', 'net_cents', 'discount_cents', 'returns_cents']);
    await qr.query(`CREATE TABLE "report_ticket_day_store" (
      "store_id" varchar(36) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      ${tickets},
      PRIMARY KEY ("store_id", "business_date"))${noRowId}`);
    await qr.query(`CREATE TABLE "report_ticket_heat_month" (
      "store_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      "weekday" smallint NOT NULL,
      "hour" smallint NOT NULL,
      ${tickets},
      PRIMARY KEY ("store_id", "month", "weekday", "hour"))${noRowId}`);
    await qr.query(`CREATE TABLE "report_sales_heat_month" (
      "store_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      "weekday" smallint NOT NULL,
      "hour" smallint NOT NULL,
      ${big(['lines', 'units', 'gross_cents', 'net_cents'])},
      PRIMARY KEY ("store_id", "month", "product_id", "weekday", "hour"))${noRowId}`);
    // A product's heatmap over the network: its rows of every store, not the whole month's.
    await qr.query(`CREATE INDEX "IDX_report_sales_heat_month_product" ON "report_sales_heat_month" ("product_id", "month")`);
    await qr.query(
      `INSERT INTO "report_fold_dirty" ("store_id", "month")
       SELECT "store_id", "month" FROM "report_ticket_month_store" WHERE 1 = 1
       ON CONFLICT ("store_id", "month") DO NOTHING`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['report_sales_heat_month', 'report_ticket_heat_month', 'report_ticket_day_store']) await qr.query(`DROP TABLE "${t}"`);
  }
}
