import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stock ledger becomes the inventory's: stock is held at *locations* — stores, warehouses, and goods in
 * transit on a shipped document — so `store_id` becomes `location_id` in `stock_movement` and
 * `stock_level` (their foreign key to `store` goes: a warehouse or a transit location is not a store; the
 * `stock_location` view names every location and its owning company).
 *
 * - `stock_level` gets `company_id` (the owner, copied from the location when the row is made): the
 *   company's on-hand of a product, which the weighted average needs at every receipt, is one index range.
 * - `stock_movement` gets the document that moved it (type, id, line), the unit cost it moved at (µ€ per
 *   unit or gram; NULL for till sales, valued at the average of their moment), the adjustment cause, and lot /
 *   best-before for products that track them. A document line moves a location once (partial unique index).
 * - `transit_location`: one per shipped document; `stock_cost` (the average per company and product) and
 *   `stock_cost_history` (each change, so stock can be valued at any date); `document_counter` (gapless
 *   numbers per company, document type and year, allocated in the posting transaction).
 *
 * SQLite cannot drop a foreign key in place: both ledger tables are rebuilt (nothing references them).
 */
const REASONS = ['sale', 'return', 'receipt', 'shipment', 'transit_in', 'transit_out', 'count', 'adjustment', 'supplier_return'];
const reasonCheck = `CONSTRAINT "CHK_stock_movement_reason" CHECK ("reason" IN (${REASONS.map((r) => `'${r}'`).join(', ')}))`;

export class InventoryLedger1795410000001 implements MigrationInterface {
  name = 'InventoryLedger1795410000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    if (pg) {
      for (const fk of (await qr.query(
        `SELECT conname FROM pg_constraint WHERE conrelid = 'stock_movement'::regclass AND contype IN ('f', 'c')`,
      )) as Array<{ conname: string }>) {
        await qr.query(`ALTER TABLE "stock_movement" DROP CONSTRAINT "${fk.conname}"`);
      }
      await qr.query(`ALTER TABLE "stock_movement" RENAME COLUMN "store_id" TO "location_id"`);
      await qr.query(`ALTER TABLE "stock_movement"
        ADD COLUMN "cause" varchar(24), ADD COLUMN "document_type" varchar(24), ADD COLUMN "document_id" varchar(36),
        ADD COLUMN "document_line" integer, ADD COLUMN "unit_cost_micros" bigint, ADD COLUMN "lot" varchar(40), ADD COLUMN "best_before" varchar(10)`);
      await qr.query(`ALTER TABLE "stock_movement" ADD ${reasonCheck}`);
      await qr.query(`ALTER TABLE "stock_movement" ADD CONSTRAINT "FK_stock_movement_product" FOREIGN KEY ("product_id") REFERENCES "product"("id")`);
      await qr.query(`ALTER INDEX "IDX_stock_movement_store_product_at" RENAME TO "IDX_stock_movement_location_product_at"`);
      for (const fk of (await qr.query(
        `SELECT conname FROM pg_constraint WHERE conrelid = 'stock_level'::regclass AND contype = 'f'`,
      )) as Array<{ conname: string }>) {
        await qr.query(`ALTER TABLE "stock_level" DROP CONSTRAINT "${fk.conname}"`);
      }
      await qr.query(`ALTER TABLE "stock_level" RENAME COLUMN "store_id" TO "location_id"`);
      await qr.query(`ALTER TABLE "stock_level" ADD COLUMN "company_id" varchar(36)`);
      await qr.query(`UPDATE "stock_level" l SET "company_id" = s."company_id" FROM "store" s WHERE s."id" = l."location_id"`);
      await qr.query(`ALTER TABLE "stock_level" ALTER COLUMN "company_id" SET NOT NULL`);
      await qr.query(`ALTER TABLE "stock_level" ADD CONSTRAINT "FK_stock_level_product" FOREIGN KEY ("product_id") REFERENCES "product"("id")`);
    } else {
      await qr.query(`CREATE TABLE "stock_movement_new" (
        "id" varchar(36) PRIMARY KEY NOT NULL,
        "location_id" varchar(36) NOT NULL,
        "product_id" varchar(36) NOT NULL,
        "delta" bigint NOT NULL,
        "reason" varchar(16) NOT NULL,
        "ticket_id" varchar(36),
        "line_no" integer,
        "at" varchar(32) NOT NULL,
        "cause" varchar(24),
        "document_type" varchar(24),
        "document_id" varchar(36),
        "document_line" integer,
        "unit_cost_micros" bigint,
        "lot" varchar(40),
        "best_before" varchar(10),
        ${reasonCheck},
        CONSTRAINT "FK_stock_movement_product" FOREIGN KEY ("product_id") REFERENCES "product" ("id"))`);
      await qr.query(`INSERT INTO "stock_movement_new" ("id", "location_id", "product_id", "delta", "reason", "ticket_id", "line_no", "at")
                      SELECT "id", "store_id", "product_id", "delta", "reason", "ticket_id", "line_no", "at" FROM "stock_movement"`);
      await qr.query(`DROP TABLE "stock_movement"`);
      await qr.query(`ALTER TABLE "stock_movement_new" RENAME TO "stock_movement"`);
      await qr.query(`CREATE INDEX "IDX_stock_movement_location_product_at" ON "stock_movement" ("location_id", "product_id", "at")`);
      await qr.query(`CREATE UNIQUE INDEX "UQ_stock_movement_ticket_line" ON "stock_movement" ("ticket_id", "line_no") WHERE "ticket_id" IS NOT NULL`);

      await qr.query(`CREATE TABLE "stock_level_new" (
        "location_id" varchar(36) NOT NULL,
        "product_id" varchar(36) NOT NULL,
        "quantity" bigint NOT NULL DEFAULT (0),
        "updated_at" varchar(32) NOT NULL,
        "company_id" varchar(36) NOT NULL,
        PRIMARY KEY ("location_id", "product_id"),
        CONSTRAINT "FK_stock_level_product" FOREIGN KEY ("product_id") REFERENCES "product" ("id"))`);
      await qr.query(`INSERT INTO "stock_level_new" ("location_id", "product_id", "quantity", "updated_at", "company_id")
                      SELECT l."store_id", l."product_id", l."quantity", l."updated_at", s."company_id" FROM "stock_level" l JOIN "store" s ON s."id" = l."store_id"`);
      await qr.query(`DROP TABLE "stock_level"`);
      await qr.query(`ALTER TABLE "stock_level_new" RENAME TO "stock_level"`);
    }
    await qr.query(`CREATE INDEX "IDX_stock_level_company_product" ON "stock_level" ("company_id", "product_id")`);
    await qr.query(`CREATE INDEX "IDX_stock_movement_document" ON "stock_movement" ("document_id", "document_line") WHERE "document_id" IS NOT NULL`);
    // A document line moves a location once, for one reason, however often its posting is retried.
    await qr.query(
      `CREATE UNIQUE INDEX "UQ_stock_movement_document_line" ON "stock_movement" ("document_id", "document_line", "location_id", "reason") WHERE "document_id" IS NOT NULL`,
    );

    await qr.query(`CREATE TABLE "transit_location" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "document_type" varchar(24) NOT NULL,
      "document_id" varchar(36) NOT NULL,
      "code" varchar(40) NOT NULL,
      "name" varchar(200) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "UQ_transit_location_document" UNIQUE ("document_id"))`);
    // Every place stock can be, with its owner: what scoping and valuation join on.
    await qr.query(`CREATE VIEW "stock_location" AS
      SELECT "id", 'store' AS "kind", "company_id", "code", "name" FROM "store"
      UNION ALL SELECT "id", 'warehouse' AS "kind", "company_id", "code", "name" FROM "warehouse"
      UNION ALL SELECT "id", 'transit' AS "kind", "company_id", "code", "name" FROM "transit_location"`);

    await qr.query(`CREATE TABLE "stock_cost" (
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "avg_cost_micros" bigint NOT NULL,
      "updated_at" varchar(32) NOT NULL,
      PRIMARY KEY ("company_id", "product_id"),
      CONSTRAINT "CHK_stock_cost_not_negative" CHECK ("avg_cost_micros" >= 0))`);
    await qr.query(`CREATE TABLE "stock_cost_history" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      "from_at" varchar(32) NOT NULL,
      "avg_cost_micros" bigint NOT NULL,
      "document_type" varchar(24),
      "document_id" varchar(36),
      CONSTRAINT "CHK_stock_cost_history_not_negative" CHECK ("avg_cost_micros" >= 0))`);
    await qr.query(`CREATE INDEX "IDX_stock_cost_history_company_product_at" ON "stock_cost_history" ("company_id", "product_id", "from_at")`);

    await qr.query(`CREATE TABLE "document_counter" (
      "company_id" varchar(36) NOT NULL,
      "document_type" varchar(24) NOT NULL,
      "year" integer NOT NULL,
      "last_number" bigint NOT NULL,
      PRIMARY KEY ("company_id", "document_type", "year"))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    for (const t of ['document_counter', 'stock_cost_history', 'stock_cost']) await qr.query(`DROP TABLE "${t}"`);
    await qr.query(`DROP VIEW "stock_location"`);
    await qr.query(`DROP TABLE "transit_location"`);
    await qr.query(`DROP INDEX "UQ_stock_movement_document_line"`);
    await qr.query(`DROP INDEX "IDX_stock_movement_document"`);
    await qr.query(`DROP INDEX "IDX_stock_level_company_product"`);
    // Movements of warehouses and transit have no store to go back to: the down migration keeps store rows only.
    await qr.query(`DELETE FROM "stock_movement" WHERE "location_id" NOT IN (SELECT "id" FROM "store")`);
    await qr.query(`DELETE FROM "stock_level" WHERE "location_id" NOT IN (SELECT "id" FROM "store")`);
    const oldReasons = `CHECK ("reason" IN ('sale', 'return', 'receipt', 'adjustment', 'transfer'))`;
    await qr.query(`DELETE FROM "stock_movement" WHERE "reason" NOT IN ('sale', 'return', 'receipt', 'adjustment')`);
    if (pg) {
      await qr.query(`ALTER TABLE "stock_movement" DROP CONSTRAINT "CHK_stock_movement_reason"`);
      await qr.query(`ALTER TABLE "stock_movement" DROP COLUMN "cause", DROP COLUMN "document_type", DROP COLUMN "document_id",
        DROP COLUMN "document_line", DROP COLUMN "unit_cost_micros", DROP COLUMN "lot", DROP COLUMN "best_before"`);
      await qr.query(`ALTER TABLE "stock_movement" RENAME COLUMN "location_id" TO "store_id"`);
      await qr.query(`ALTER TABLE "stock_movement" ADD CONSTRAINT "CHK_stock_movement_reason" ${oldReasons}`);
      await qr.query(`ALTER TABLE "stock_movement" ADD CONSTRAINT "FK_stock_movement_store_id" FOREIGN KEY ("store_id") REFERENCES "store"("id")`);
      await qr.query(`ALTER INDEX "IDX_stock_movement_location_product_at" RENAME TO "IDX_stock_movement_store_product_at"`);
      await qr.query(`ALTER TABLE "stock_level" DROP COLUMN "company_id"`);
      await qr.query(`ALTER TABLE "stock_level" RENAME COLUMN "location_id" TO "store_id"`);
      await qr.query(`ALTER TABLE "stock_level" ADD CONSTRAINT "FK_stock_level_store_id" FOREIGN KEY ("store_id") REFERENCES "store"("id")`);
    } else {
      await qr.query(`CREATE TABLE "stock_movement_old" (
        "id" varchar(36) PRIMARY KEY NOT NULL, "store_id" varchar(36) NOT NULL, "product_id" varchar(36) NOT NULL,
        "delta" bigint NOT NULL, "reason" varchar(16) NOT NULL, "ticket_id" varchar(36), "line_no" integer, "at" varchar(32) NOT NULL,
        CONSTRAINT "CHK_stock_movement_reason" ${oldReasons},
        CONSTRAINT "FK_stock_movement_store" FOREIGN KEY ("store_id") REFERENCES "store" ("id"),
        CONSTRAINT "FK_stock_movement_product" FOREIGN KEY ("product_id") REFERENCES "product" ("id"))`);
      await qr.query(`INSERT INTO "stock_movement_old" SELECT "id", "location_id", "product_id", "delta", "reason", "ticket_id", "line_no", "at" FROM "stock_movement"`);
      await qr.query(`DROP TABLE "stock_movement"`);
      await qr.query(`ALTER TABLE "stock_movement_old" RENAME TO "stock_movement"`);
      await qr.query(`CREATE INDEX "IDX_stock_movement_store_product_at" ON "stock_movement" ("store_id", "product_id", "at")`);
      await qr.query(`CREATE UNIQUE INDEX "UQ_stock_movement_ticket_line" ON "stock_movement" ("ticket_id", "line_no") WHERE "ticket_id" IS NOT NULL`);
      await qr.query(`CREATE TABLE "stock_level_old" (
        "store_id" varchar(36) NOT NULL, "product_id" varchar(36) NOT NULL, "quantity" bigint NOT NULL DEFAULT (0), "updated_at" varchar(32) NOT NULL,
        PRIMARY KEY ("store_id", "product_id"),
        CONSTRAINT "FK_stock_level_store" FOREIGN KEY ("store_id") REFERENCES "store" ("id"),
        CONSTRAINT "FK_stock_level_product" FOREIGN KEY ("product_id") REFERENCES "product" ("id"))`);
      await qr.query(`INSERT INTO "stock_level_old" SELECT "location_id", "product_id", "quantity", "updated_at" FROM "stock_level"`);
      await qr.query(`DROP TABLE "stock_level"`);
      await qr.query(`ALTER TABLE "stock_level_old" RENAME TO "stock_level"`);
    }
  }
}
