import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Month rollups of the product dimension (issue 18, reports at 10 million tickets), folded from
 * `report_sales_hour` by the `reports.rollups.fold` job (reports/fold.ts) for months complete in the store's time
 * zone — never by the ingest, whose only part is a dirty mark for a ticket of an earlier month (rare: offline tills).
 * Reports read a period's whole folded months from these and the rest from the hour table (queries.ts `planPeriod`).
 *
 * - `report_sales_month`: store / month (yyyy-mm) / product, the same sums as `report_sales_hour`.
 * - `report_sales_month_store`: store / month, the same sums over every product (per-store reports).
 * - `report_sales_month_network`: month / product over every store (reports without a store/company filter).
 * - `report_sales_day_network`: business date / product over every store, for the days of a period outside its
 *   whole months (the last 30 days, a month's first days…) when no store/company filter applies.
 * - `report_ticket_month_store` (store / month) and `report_ticket_day_network` (date / hour over every store): the
 *   same for `report_ticket_hour` (ticket counts, totals): per-store reports and the heatmap / sales by day.
 * - `report_fold_state`: per store, `folded_to` — the last complete local day folded (the store's whole months up
 *   to it are in the month tables); store_id '' is the network's (its day and month rows reach that day).
 * - `report_fold_dirty`: (store, month) whose hour rows may have changed after they were folded (a ticket of an
 *   earlier day, a rebuild); store_id '' marks the network rows of the month stale. Dirty months are read from the
 *   hour table until the job refolds them.
 */
export class ReportMonthRollups1795475000001 implements MigrationInterface {
  name = 'ReportMonthRollups1795475000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const noRowId = pg ? '' : ' WITHOUT ROWID';
    const sums = ['lines', 'units', 'grams', 'gross_cents', 'net_cents', 'discount_cents', 'returns_units', 'returns_cents', 'cost_cents'].map((n) => `"${n}" bigint NOT NULL DEFAULT 0`).join(',\n      ');
    await qr.query(`CREATE TABLE "report_sales_month" (
      "store_id" varchar(36) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      ${sums},
      PRIMARY KEY ("store_id", "month", "product_id"))${noRowId}`);
    // Products with stock and no sales: does a store sell a product in some months (one seek per stocked pair).
    await qr.query(`CREATE INDEX "IDX_report_sales_month_product" ON "report_sales_month" ("store_id", "product_id", "month")`);
    await qr.query(`CREATE TABLE "report_sales_month_store" (
      "store_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      ${sums},
      PRIMARY KEY ("store_id", "month"))${noRowId}`);
    await qr.query(`CREATE TABLE "report_sales_month_network" (
      "month" varchar(7) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      ${sums},
      PRIMARY KEY ("month", "product_id"))${noRowId}`);
    await qr.query(`CREATE TABLE "report_sales_day_network" (
      "business_date" varchar(10) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      ${sums},
      PRIMARY KEY ("business_date", "product_id"))${noRowId}`);
    await qr.query(`CREATE INDEX "IDX_report_sales_day_network_product" ON "report_sales_day_network" ("product_id", "business_date")`);
    const tickets = ['tickets', 'returns_tickets', 'units', 'gross_cents', 'net_cents', 'discount_cents', 'returns_cents'].map((n) => `"${n}" bigint NOT NULL DEFAULT 0`).join(',\n      ');
    await qr.query(`CREATE TABLE "report_ticket_month_store" (
      "store_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      ${tickets},
      PRIMARY KEY ("store_id", "month"))${noRowId}`);
    await qr.query(`CREATE TABLE "report_ticket_day_network" (
      "business_date" varchar(10) NOT NULL,
      "hour" smallint NOT NULL,
      ${tickets},
      PRIMARY KEY ("business_date", "hour"))${noRowId}`);
    await qr.query(`CREATE TABLE "report_fold_state" (
      "store_id" varchar(36) NOT NULL PRIMARY KEY,
      "folded_to" varchar(10) NOT NULL,
      "updated_at" varchar(32) NOT NULL)${noRowId}`);
    await qr.query(`CREATE TABLE "report_fold_dirty" (
      "store_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      PRIMARY KEY ("store_id", "month"))${noRowId}`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['report_fold_dirty', 'report_fold_state', 'report_ticket_day_network', 'report_ticket_month_store', 'report_sales_day_network', 'report_sales_month_network', 'report_sales_month_store', 'report_sales_month']) await qr.query(`DROP TABLE "${t}"`);
  }
}
