import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sync client state (terminal/src/sync): where each product's price comes from.
 *
 * The master-data feed carries a product's base price (`product`, global) and this store's own price
 * (`price`, store-scoped, id = productId) as separate changes, in any order. `product.price_cents` stays the
 * one price the till sells at — COALESCE(store price, base price) — and this table keeps both sources so
 * a later `product` upsert cannot clobber a store price already applied, and deleting a store price falls
 * back to the base. No foreign key: a store price may arrive before its product, and survives a product
 * being deleted and re-created.
 */
const up = [
  `CREATE TABLE "sync_product_price" (
    "product_id" text PRIMARY KEY NOT NULL,
    "base_price_cents" integer,
    "store_price_cents" integer,
    "version" integer NOT NULL,
    CONSTRAINT "chk_sync_product_price_base" CHECK ("base_price_cents" IS NULL OR "base_price_cents" >= 0),
    CONSTRAINT "chk_sync_product_price_store" CHECK ("store_price_cents" IS NULL OR "store_price_cents" >= 0)
  )`,
];

/** Tables created by this migration. */
export const SYNC_TABLES = ['sync_product_price'] as const;

export class SyncMasterPrices1732300005000 implements MigrationInterface {
  name = 'SyncMasterPrices1732300005000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of up) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...SYNC_TABLES].reverse()) await queryRunner.query(`DROP TABLE IF EXISTS "${table}"`);
  }
}
