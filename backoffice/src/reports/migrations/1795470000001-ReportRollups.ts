import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Management reports' rollups (issue 18), kept by the ingest in each batch's transaction (reports/rollups.ts)
 * and rebuildable from `sale_ticket` (the `reports.rollups.rebuild` job). Reports read these, never ticket lines.
 * Dates and hours are the store's local time (store.timezone). Returns count negative in the net figures.
 *
 * - `report_sales_hour`: store / business date / hour / product: units (weighed lines ±1), grams, sales with
 *   and without IVA, discounts, returns (positive units and cents), cost at the average cost. On PostgreSQL it
 *   is partitioned by month (range on business_date): partitions are created as the ingest meets a month
 *   (`report_sales_hour_yYYYYmMM`), and a default partition keeps anything else so nothing is ever lost.
 * - `report_ticket_hour`: store / date / hour, ticket-level (exact ticket counts, totals, discounts).
 * - `report_cashier_day`, `report_payment_day`, `report_promotion_day` (per promoted product).
 * No foreign keys: the ingest's hot path (as `sales_day`).
 */
export class ReportRollups1795470000001 implements MigrationInterface {
  name = 'ReportRollups1795470000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const noRowId = pg ? '' : ' WITHOUT ROWID';
    const money = (names: string[]) => names.map((n) => `"${n}" bigint NOT NULL DEFAULT 0`).join(',\n      ');
    await qr.query(`CREATE TABLE "report_sales_hour" (
      "business_date" varchar(10) NOT NULL,
      "store_id" varchar(36) NOT NULL,
      "hour" smallint NOT NULL,
      "product_id" varchar(36) NOT NULL,
      ${money(['lines', 'units', 'grams', 'gross_cents', 'net_cents', 'discount_cents', 'returns_units', 'returns_cents', 'cost_cents'])},
      PRIMARY KEY ("business_date", "store_id", "hour", "product_id"))${pg ? ' PARTITION BY RANGE ("business_date")' : noRowId}`);
    if (pg) await qr.query(`CREATE TABLE "report_sales_hour_default" PARTITION OF "report_sales_hour" DEFAULT`);
    await qr.query(`CREATE INDEX "IDX_report_sales_hour_store" ON "report_sales_hour" ("store_id", "business_date")`);
    await qr.query(`CREATE TABLE "report_ticket_hour" (
      "store_id" varchar(36) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      "hour" smallint NOT NULL,
      ${money(['tickets', 'returns_tickets', 'units', 'gross_cents', 'net_cents', 'discount_cents', 'returns_cents'])},
      PRIMARY KEY ("store_id", "business_date", "hour"))${noRowId}`);
    await qr.query(`CREATE INDEX "IDX_report_ticket_hour_date" ON "report_ticket_hour" ("business_date")`);
    await qr.query(`CREATE TABLE "report_cashier_day" (
      "store_id" varchar(36) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      "cashier_id" varchar(64) NOT NULL,
      "cashier_name" varchar(100) NOT NULL,
      ${money(['tickets', 'returns_tickets', 'units', 'gross_cents', 'net_cents', 'discount_cents', 'returns_cents'])},
      "first_at" varchar(32) NOT NULL,
      "last_at" varchar(32) NOT NULL,
      PRIMARY KEY ("store_id", "business_date", "cashier_id"))${noRowId}`);
    await qr.query(`CREATE TABLE "report_payment_day" (
      "store_id" varchar(36) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      "method" varchar(16) NOT NULL,
      ${money(['tickets', 'amount_cents'])},
      PRIMARY KEY ("store_id", "business_date", "method"))${noRowId}`);
    await qr.query(`CREATE TABLE "report_promotion_day" (
      "store_id" varchar(36) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      "promotion_id" varchar(64) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      "name" varchar(120) NOT NULL,
      ${money(['lines', 'units', 'savings_cents', 'gross_cents'])},
      PRIMARY KEY ("store_id", "business_date", "promotion_id", "product_id"))${noRowId}`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['report_promotion_day', 'report_payment_day', 'report_cashier_day', 'report_ticket_hour', 'report_sales_hour']) await qr.query(`DROP TABLE "${t}"`);
  }
}
