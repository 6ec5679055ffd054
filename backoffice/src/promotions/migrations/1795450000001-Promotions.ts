import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Promotions (issue 15).
 * - `promotion`: HQ's definitions, kept whole as JSON (shared/src/promotions/definition.ts) with the columns the
 *   lists and the ingest check filter on (validity); `ended_at` once HQ ended it early.
 * - `promotion_total`: what each promotion took off, per store and local day, written by the ingest step
 *   `promotions.check` in the ingest transaction (tickets counted, cents given).
 */
export class Promotions1795450000001 implements MigrationInterface {
  name = 'Promotions1795450000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "promotion" (
      "id" varchar(64) PRIMARY KEY NOT NULL,
      "name" varchar(120) NOT NULL,
      "definition" text NOT NULL,
      "valid_from" varchar(40) NOT NULL,
      "valid_to" varchar(40),
      "ended_at" varchar(40),
      "created_at" varchar(40) NOT NULL,
      "updated_at" varchar(40) NOT NULL)`);
    await qr.query(`CREATE INDEX "IDX_promotion_validity" ON "promotion" ("valid_from", "valid_to")`);
    await qr.query(`CREATE TABLE "promotion_total" (
      "promotion_id" varchar(64) NOT NULL,
      "store_id" varchar(36) NOT NULL,
      "day" varchar(10) NOT NULL,
      "tickets" integer NOT NULL,
      "cents" bigint NOT NULL,
      PRIMARY KEY ("promotion_id", "store_id", "day"))`);
    await qr.query(`CREATE INDEX "IDX_promotion_total_day" ON "promotion_total" ("day", "store_id")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "promotion_total"`);
    await qr.query(`DROP TABLE "promotion"`);
  }
}
