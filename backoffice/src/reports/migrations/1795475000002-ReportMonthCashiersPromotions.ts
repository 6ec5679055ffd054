import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The cashier and promotion rollups folded by month too (reports/fold.ts): `report_cashier_month` (store / month /
 * cashier: the day sums and `worked_ms`, Σ per day of max(15 min, last − first ticket)) and `report_promotion_month`
 * (store / month / promotion / product). Months already folded before these tables existed are marked dirty, so
 * the fold job fills them (reports read those months from the day tables until then).
 */
export class ReportMonthCashiersPromotions1795475000002 implements MigrationInterface {
  name = 'ReportMonthCashiersPromotions1795475000002';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const noRowId = pg ? '' : ' WITHOUT ROWID';
    const big = (names: string[]) => names.map((n) => `"${n}" bigint NOT NULL DEFAULT 0`).join(',\n      ');
    await qr.query(`CREATE TABLE "report_cashier_month" (
      "store_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      "cashier_id" varchar(64) NOT NULL,
      "cashier_name" varchar(100) NOT NULL,
      ${big(['tickets', 'returns_tickets', 'units', 'gross_cents', 'net_cents', 'discount_cents', 'returns_cents', 'worked_ms'])},
      PRIMARY KEY ("store_id", "month", "cashier_id"))${noRowId}`);
    await qr.query(`CREATE TABLE "report_promotion_month" (
      "store_id" varchar(36) NOT NULL,
      "month" varchar(7) NOT NULL,
      "promotion_id" varchar(64) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      "name" varchar(120) NOT NULL,
      ${big(['lines', 'units', 'savings_cents', 'gross_cents'])},
      PRIMARY KEY ("store_id", "month", "promotion_id", "product_id"))${noRowId}`);
    await qr.query(
      `INSERT INTO "report_fold_dirty" ("store_id", "month")
       SELECT DISTINCT c."store_id", substr(c."business_date", 1, 7) FROM "report_cashier_day" c JOIN "report_fold_state" f ON f."store_id" = c."store_id"
        WHERE c."business_date" <= f."folded_to"
       ON CONFLICT ("store_id", "month") DO NOTHING`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['report_promotion_month', 'report_cashier_month']) await qr.query(`DROP TABLE "${t}"`);
  }
}
