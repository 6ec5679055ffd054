import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduled prices (catalog, issue 10): per product, the price from each instant on, as HQ resolved it for
 * this store (store > company > base) and sent ahead through the change feed (`price_schedule`). The till's
 * price lookups take the entry with the latest `at` not after the till's own clock, else
 * `product.price_cents`, so a price change happens on time with the back office unreachable. No foreign
 * key: a schedule may arrive before its product. Also: pack barcodes (`product_barcode.units`).
 */
const up = [
  `CREATE TABLE "price_schedule" (
    "product_id" text NOT NULL,
    "at" text NOT NULL,
    "price_cents" integer NOT NULL CHECK ("price_cents" >= 0),
    "version" integer NOT NULL,
    PRIMARY KEY ("product_id", "at")
  ) WITHOUT ROWID`,
  // A pack's own barcode (box of 12) rings up that many units; NULL: one.
  `ALTER TABLE "product_barcode" ADD COLUMN "units" integer CHECK ("units" IS NULL OR "units" >= 2)`,
];

/** Tables created by this migration. */
export const PRICE_SCHEDULE_TABLES = ['price_schedule'] as const;

export class PriceSchedule1732300200001 implements MigrationInterface {
  name = 'PriceSchedule1732300200001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of up) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "product_barcode" DROP COLUMN "units"');
    await queryRunner.query('DROP TABLE IF EXISTS "price_schedule"');
  }
}
