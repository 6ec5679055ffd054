import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product blocks and recalls (issue 17). `product_block`: HQ's block of a product, or of one lot / best-before
 * range of it, numbered `BQ-<year>-<n>` in HQ's series, with its reason and reference date; `status` open
 * (stores withdrawing), closed (every store withdrew: still blocked for sale), lifted (sale allowed again).
 * `product_block_store`: the stores it concerns (every store at the time for a network-wide block) and when
 * each finished withdrawing. `product_block_withdrawal`: what a store withdrew and by which document (a
 * stock adjustment with cause `recall`, or a store return towards the supplier).
 */
const STATUSES = ['open', 'closed', 'lifted'];
const SCOPES = ['product', 'lot', 'best_before'];
const METHODS = ['adjustment', 'store_return', 'none'];

export class ProductBlocks1795464000001 implements MigrationInterface {
  name = 'ProductBlocks1795464000001';

  async up(qr: QueryRunner): Promise<void> {
    const list = (v: string[]) => v.map((s) => `'${s}'`).join(', ');
    await qr.query(`CREATE TABLE "product_block" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(24) NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "scope" varchar(12) NOT NULL,
      "lot" varchar(20),
      "best_before_from" varchar(10),
      "best_before_to" varchar(10),
      "reason" varchar(500) NOT NULL,
      "reference_date" varchar(10) NOT NULL,
      "network" integer NOT NULL,
      "status" varchar(8) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      "closed_at" varchar(32),
      "lifted_at" varchar(32),
      "lifted_by" varchar(36),
      "lift_note" varchar(500),
      CONSTRAINT "UQ_product_block_number" UNIQUE ("number"),
      CONSTRAINT "CHK_product_block_status" CHECK ("status" IN (${list(STATUSES)})),
      CONSTRAINT "CHK_product_block_scope" CHECK ("scope" IN (${list(SCOPES)})))`);
    await qr.query(`CREATE INDEX "IDX_product_block_product" ON "product_block" ("product_id", "status")`);
    await qr.query(`CREATE INDEX "IDX_product_block_status" ON "product_block" ("status", "created_at")`);
    await qr.query(`CREATE TABLE "product_block_store" (
      "block_id" varchar(36) NOT NULL REFERENCES "product_block" ("id"),
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "company_id" varchar(36) NOT NULL,
      "withdrawn_at" varchar(32),
      PRIMARY KEY ("block_id", "store_id"))`);
    await qr.query(`CREATE INDEX "IDX_product_block_store_store" ON "product_block_store" ("store_id")`);
    await qr.query(`CREATE TABLE "product_block_withdrawal" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "block_id" varchar(36) NOT NULL REFERENCES "product_block" ("id"),
      "store_id" varchar(36) NOT NULL,
      "method" varchar(12) NOT NULL,
      "units" bigint NOT NULL,
      "document_id" varchar(36),
      "document_number" varchar(24),
      "note" varchar(500),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      CONSTRAINT "CHK_product_block_withdrawal_method" CHECK ("method" IN (${list(METHODS)})),
      CONSTRAINT "CHK_product_block_withdrawal_units" CHECK ("units" >= 0))`);
    await qr.query(`CREATE INDEX "IDX_product_block_withdrawal_block" ON "product_block_withdrawal" ("block_id", "store_id")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['product_block_withdrawal', 'product_block_store', 'product_block']) await qr.query(`DROP TABLE "${t}"`);
  }
}
