import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cashier figures (issue 18): voids and cash differences, which tickets do not carry.
 *
 * - `till_cashier_event`: what the tills sent up through their document outbox (`sales.void`, `cash.close`;
 *   shared/src/wire/upward.ts), one row per document id (HQ applies each once: upward_document). The source
 *   the rollup is rebuilt from. `business_date` is the store-local date the ingest gave it (the rebuild reads
 *   a day either side and dates it again); `supervisor_id` who authorised the void or confirmed the difference.
 * - `report_cashier_event_day`: the rollup per store / business date / cashier, kept in the document's
 *   transaction: voided lines and their cents, carts emptied by voids, cash closes and their difference (net,
 *   and short and over apart so a short and an over on two days do not hide each other).
 */
export class CashierEvents1795478000001 implements MigrationInterface {
  name = 'CashierEvents1795478000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const noRowId = pg ? '' : ' WITHOUT ROWID';
    const money = (names: string[]) => names.map((n) => `"${n}" bigint NOT NULL DEFAULT 0`).join(',\n      ');
    await qr.query(`CREATE TABLE "till_cashier_event" (
      "id" varchar(64) NOT NULL PRIMARY KEY,
      "kind" varchar(16) NOT NULL,
      "terminal_id" varchar(36) NOT NULL,
      "store_id" varchar(36) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      "at" varchar(40) NOT NULL,
      "cashier_id" varchar(64) NOT NULL,
      "cashier_name" varchar(100) NOT NULL,
      "supervisor_id" varchar(64),
      "cents" bigint NOT NULL DEFAULT 0,
      "cart_emptied" smallint NOT NULL DEFAULT 0,
      "detail" text NOT NULL,
      CONSTRAINT "CHK_till_cashier_event_kind" CHECK ("kind" IN ('void', 'cash_close')))`);
    await qr.query(`CREATE INDEX "IDX_till_cashier_event_store_date" ON "till_cashier_event" ("store_id", "business_date")`);
    await qr.query(`CREATE TABLE "report_cashier_event_day" (
      "store_id" varchar(36) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      "cashier_id" varchar(64) NOT NULL,
      "cashier_name" varchar(100) NOT NULL,
      ${money(['voids', 'void_cents', 'carts_voided', 'cash_closes', 'cash_difference_cents', 'cash_short_cents', 'cash_over_cents'])},
      PRIMARY KEY ("store_id", "business_date", "cashier_id"))${noRowId}`);
    await qr.query(`CREATE INDEX "IDX_report_cashier_event_day_date" ON "report_cashier_event_day" ("business_date")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['report_cashier_event_day', 'till_cashier_event']) await qr.query(`DROP TABLE "${t}"`);
  }
}
