import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stock documents a store or warehouse makes itself (stockops): transfers (TR) between two locations of
 * one company through a transit location of their own, counts (RC) with their lines (expected on hand when
 * counting started, counted, first count of a recounted line, the movement and cost posted), adjustments (RG)
 * with a cause. Numbers are allocated when the document is made (never deleted: a dropped draft is cancelled,
 * keeping its number), so each series stays gapless.
 */
const TABLES = ['stock_adjustment_line', 'stock_adjustment', 'stock_count_line', 'stock_count', 'stock_transfer_line', 'stock_transfer'];

export class StockOperations1795413000001 implements MigrationInterface {
  name = 'StockOperations1795413000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "stock_transfer" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(24) NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "from_location_id" varchar(36) NOT NULL,
      "to_location_id" varchar(36) NOT NULL,
      "transit_location_id" varchar(36),
      "status" varchar(12) NOT NULL,
      "note" varchar(500),
      "created_by" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "shipped_at" varchar(32),
      "received_at" varchar(32),
      "closed_at" varchar(32),
      CONSTRAINT "UQ_stock_transfer_number" UNIQUE ("company_id", "number"),
      CONSTRAINT "CHK_stock_transfer_status" CHECK ("status" IN ('draft', 'shipped', 'received', 'closed', 'cancelled')))`);
    await qr.query(`CREATE INDEX "IDX_stock_transfer_from" ON "stock_transfer" ("from_location_id", "created_at")`);
    await qr.query(`CREATE INDEX "IDX_stock_transfer_to" ON "stock_transfer" ("to_location_id", "created_at")`);
    await qr.query(`CREATE TABLE "stock_transfer_line" (
      "transfer_id" varchar(36) NOT NULL REFERENCES "stock_transfer" ("id"),
      "line_no" integer NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "quantity" bigint NOT NULL,
      "received" bigint,
      PRIMARY KEY ("transfer_id", "line_no"),
      CONSTRAINT "UQ_stock_transfer_line_product" UNIQUE ("transfer_id", "product_id"))`);

    await qr.query(`CREATE TABLE "stock_count" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(24) NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "location_id" varchar(36) NOT NULL,
      "scope" varchar(12) NOT NULL,
      "category_id" varchar(36),
      "status" varchar(12) NOT NULL,
      "recount_threshold" bigint NOT NULL,
      "note" varchar(500),
      "created_by" varchar(36),
      "started_at" varchar(32) NOT NULL,
      "submitted_at" varchar(32),
      "approved_at" varchar(32),
      "approved_by" varchar(36),
      "posted_at" varchar(32),
      "value_difference_cents" bigint,
      CONSTRAINT "UQ_stock_count_number" UNIQUE ("company_id", "number"),
      CONSTRAINT "CHK_stock_count_scope" CHECK ("scope" IN ('full', 'category', 'products')),
      CONSTRAINT "CHK_stock_count_status" CHECK ("status" IN ('counting', 'recount', 'submitted', 'approved', 'posted', 'cancelled')))`);
    await qr.query(`CREATE INDEX "IDX_stock_count_location" ON "stock_count" ("location_id", "started_at")`);
    await qr.query(`CREATE TABLE "stock_count_line" (
      "count_id" varchar(36) NOT NULL REFERENCES "stock_count" ("id"),
      "line_no" integer NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "expected" bigint NOT NULL,
      "counted" bigint,
      "first_counted" bigint,
      "recount" boolean NOT NULL DEFAULT (false),
      "posted_delta" bigint,
      "unit_cost_micros" bigint,
      PRIMARY KEY ("count_id", "line_no"),
      CONSTRAINT "UQ_stock_count_line_product" UNIQUE ("count_id", "product_id"))`);

    await qr.query(`CREATE TABLE "stock_adjustment" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(24) NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "location_id" varchar(36) NOT NULL,
      "cause" varchar(24) NOT NULL,
      "note" varchar(500),
      "created_by" varchar(36),
      "posted_at" varchar(32) NOT NULL,
      "value_cents" bigint NOT NULL,
      CONSTRAINT "UQ_stock_adjustment_number" UNIQUE ("company_id", "number"))`);
    await qr.query(`CREATE INDEX "IDX_stock_adjustment_location" ON "stock_adjustment" ("location_id", "posted_at")`);
    await qr.query(`CREATE TABLE "stock_adjustment_line" (
      "adjustment_id" varchar(36) NOT NULL REFERENCES "stock_adjustment" ("id"),
      "line_no" integer NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "delta" bigint NOT NULL,
      "unit_cost_micros" bigint,
      PRIMARY KEY ("adjustment_id", "line_no"))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of TABLES) await qr.query(`DROP TABLE "${t}"`);
  }
}
