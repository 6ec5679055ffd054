import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supplier returns (issue 17), two documents:
 * - `store_return` (DT, devolución de tienda): goods a store sends back to a central warehouse for return to
 *   a supplier. Posted when shipped (store −, transit +, numbered in the store company's series), then
 *   `received` at the warehouse (transit −, warehouse +).
 * - `supplier_return` (DV, devolución a proveedor): goods leaving a warehouse for the supplier (warehouse −,
 *   reason `supplier_return`), numbered in the warehouse company's series, with the credit note expected
 *   (each line at its purchase cost: the supplier's last goods-receipt price, else the average). When the
 *   supplier's credit note arrives it is recorded against the return: matched, or with the difference shown.
 * Lines keep the store return they carry on (`store_return_id`), so a recall's units can be followed.
 */
export class SupplierReturns1795464100001 implements MigrationInterface {
  name = 'SupplierReturns1795464100001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "store_return" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(24) NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "warehouse_id" varchar(36) NOT NULL REFERENCES "warehouse" ("id"),
      "supplier_id" varchar(36) NOT NULL REFERENCES "supplier" ("id"),
      "transit_id" varchar(36) NOT NULL,
      "block_id" varchar(36),
      "status" varchar(10) NOT NULL,
      "reason" varchar(500) NOT NULL,
      "value_cents" bigint NOT NULL,
      "shipped_at" varchar(32) NOT NULL,
      "shipped_by" varchar(36),
      "received_at" varchar(32),
      "received_by" varchar(36),
      CONSTRAINT "UQ_store_return_number" UNIQUE ("company_id", "number"),
      CONSTRAINT "CHK_store_return_status" CHECK ("status" IN ('shipped', 'received')))`);
    await qr.query(`CREATE INDEX "IDX_store_return_store" ON "store_return" ("store_id", "shipped_at")`);
    await qr.query(`CREATE INDEX "IDX_store_return_warehouse" ON "store_return" ("warehouse_id", "status")`);
    await qr.query(`CREATE TABLE "store_return_line" (
      "return_id" varchar(36) NOT NULL REFERENCES "store_return" ("id"),
      "line_no" integer NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "units" bigint NOT NULL,
      "unit_cost_micros" bigint,
      "returned_units" bigint NOT NULL DEFAULT 0,
      PRIMARY KEY ("return_id", "line_no"),
      CONSTRAINT "CHK_store_return_line_units" CHECK ("units" > 0))`);
    await qr.query(`CREATE TABLE "supplier_return" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(24) NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "warehouse_id" varchar(36) NOT NULL REFERENCES "warehouse" ("id"),
      "supplier_id" varchar(36) NOT NULL REFERENCES "supplier" ("id"),
      "status" varchar(10) NOT NULL,
      "reason" varchar(500) NOT NULL,
      "expected_credit_cents" bigint NOT NULL,
      "posted_at" varchar(32) NOT NULL,
      "posted_by" varchar(36),
      "credit_number" varchar(60),
      "credit_date" varchar(10),
      "credit_cents" bigint,
      "difference_cents" bigint,
      "credit_note" varchar(500),
      "credited_at" varchar(32),
      "credited_by" varchar(36),
      CONSTRAINT "UQ_supplier_return_number" UNIQUE ("company_id", "number"),
      CONSTRAINT "UQ_supplier_return_credit" UNIQUE ("supplier_id", "credit_number"),
      CONSTRAINT "CHK_supplier_return_status" CHECK ("status" IN ('posted', 'credited')))`);
    await qr.query(`CREATE INDEX "IDX_supplier_return_supplier" ON "supplier_return" ("supplier_id", "posted_at")`);
    await qr.query(`CREATE TABLE "supplier_return_line" (
      "return_id" varchar(36) NOT NULL REFERENCES "supplier_return" ("id"),
      "line_no" integer NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "units" bigint NOT NULL,
      "unit_cost_micros" bigint NOT NULL,
      "expected_cents" bigint NOT NULL,
      "store_return_id" varchar(36),
      PRIMARY KEY ("return_id", "line_no"),
      CONSTRAINT "CHK_supplier_return_line_units" CHECK ("units" > 0))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['supplier_return_line', 'supplier_return', 'store_return_line', 'store_return']) await qr.query(`DROP TABLE "${t}"`);
  }
}
