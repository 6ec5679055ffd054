import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Purchasing (issue 11): the supplier master completed (addresses and contacts as JSON lists, IBAN, the
 * over-receipt tolerance its orders start with), supplier products (pack size, minimum order, lead time,
 * the preferred supplier of a product), products that track lots/best-before, purchase orders (PC) with
 * their lines, and goods receipts (EM) against them.
 *
 * Columns are added with plain `ALTER TABLE … ADD COLUMN` (SQLite must never rebuild `product` or `supplier`:
 * other tables reference them).
 */
const ORDER_STATUSES = ['draft', 'sent', 'partially_received', 'received', 'closed', 'cancelled'];

export class Purchasing1795411000001 implements MigrationInterface {
  name = 'Purchasing1795411000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const falseLit = pg ? 'false' : '0';
    for (const sql of [
      `ALTER TABLE "supplier" ADD COLUMN "addresses_json" text`,
      `ALTER TABLE "supplier" ADD COLUMN "contacts_json" text`,
      `ALTER TABLE "supplier" ADD COLUMN "iban" varchar(34)`,
      `ALTER TABLE "supplier" ADD COLUMN "over_receipt_tolerance_bp" integer NOT NULL DEFAULT 500`,
      `ALTER TABLE "product_supplier" ADD COLUMN "pack_size" integer NOT NULL DEFAULT 1`,
      `ALTER TABLE "product_supplier" ADD COLUMN "min_order_qty" integer NOT NULL DEFAULT 0`,
      `ALTER TABLE "product_supplier" ADD COLUMN "lead_time_days" integer`,
      `ALTER TABLE "product_supplier" ADD COLUMN "preferred" boolean NOT NULL DEFAULT ${falseLit}`,
      `ALTER TABLE "product" ADD COLUMN "tracks_lots" boolean NOT NULL DEFAULT ${falseLit}`,
    ]) {
      await qr.query(sql);
    }
    // One preferred supplier per product.
    await qr.query(`CREATE UNIQUE INDEX "UQ_product_supplier_preferred" ON "product_supplier" ("product_id") WHERE "preferred" = ${pg ? 'true' : '1'}`);

    await qr.query(`CREATE TABLE "purchase_order" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "supplier_id" varchar(36) NOT NULL REFERENCES "supplier" ("id"),
      "location_id" varchar(36) NOT NULL,
      "status" varchar(20) NOT NULL DEFAULT 'draft',
      "number" varchar(24),
      "expected_date" varchar(10),
      "tolerance_bp" integer NOT NULL,
      "note" text,
      "proposal_id" varchar(36),
      "base_cents" bigint NOT NULL DEFAULT 0,
      "tax_cents" bigint NOT NULL DEFAULT 0,
      "total_cents" bigint NOT NULL DEFAULT 0,
      "pdf_file_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      "updated_at" varchar(32) NOT NULL,
      "sent_at" varchar(32),
      "closed_at" varchar(32),
      CONSTRAINT "CHK_purchase_order_status" CHECK ("status" IN (${ORDER_STATUSES.map((s) => `'${s}'`).join(', ')})),
      CONSTRAINT "UQ_purchase_order_number" UNIQUE ("company_id", "number"))`);
    await qr.query(`CREATE INDEX "IDX_purchase_order_status_created" ON "purchase_order" ("status", "created_at")`);
    await qr.query(`CREATE INDEX "IDX_purchase_order_supplier" ON "purchase_order" ("supplier_id", "created_at")`);
    await qr.query(`CREATE INDEX "IDX_purchase_order_company" ON "purchase_order" ("company_id", "created_at")`);

    await qr.query(`CREATE TABLE "purchase_order_line" (
      "order_id" varchar(36) NOT NULL REFERENCES "purchase_order" ("id"),
      "line_no" integer NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "supplier_ref" varchar(64),
      "quantity" bigint NOT NULL,
      "unit_cost_cents" bigint NOT NULL,
      "discount_bp" integer NOT NULL DEFAULT 0,
      "tax_rate_bp" integer NOT NULL,
      "base_cents" bigint NOT NULL,
      "received_quantity" bigint NOT NULL DEFAULT 0,
      PRIMARY KEY ("order_id", "line_no"),
      CONSTRAINT "CHK_purchase_order_line_quantity" CHECK ("quantity" > 0))`);

    await qr.query(`CREATE TABLE "goods_receipt" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "order_id" varchar(36) NOT NULL REFERENCES "purchase_order" ("id"),
      "location_id" varchar(36) NOT NULL,
      "number" varchar(24) NOT NULL,
      "status" varchar(12) NOT NULL DEFAULT 'posted',
      "note" text,
      "posted_at" varchar(32) NOT NULL,
      "posted_by" varchar(36),
      CONSTRAINT "UQ_goods_receipt_number" UNIQUE ("company_id", "number"))`);
    await qr.query(`CREATE INDEX "IDX_goods_receipt_order" ON "goods_receipt" ("order_id", "posted_at")`);
    await qr.query(`CREATE TABLE "goods_receipt_line" (
      "receipt_id" varchar(36) NOT NULL REFERENCES "goods_receipt" ("id"),
      "line_no" integer NOT NULL,
      "order_line_no" integer NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "quantity" bigint NOT NULL,
      "unit_cost_micros" bigint NOT NULL,
      "lot" varchar(40),
      "best_before" varchar(10),
      "over_reason" varchar(200),
      PRIMARY KEY ("receipt_id", "line_no"),
      CONSTRAINT "CHK_goods_receipt_line_quantity" CHECK ("quantity" > 0))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['goods_receipt_line', 'goods_receipt', 'purchase_order_line', 'purchase_order']) await qr.query(`DROP TABLE "${t}"`);
    await qr.query(`DROP INDEX "UQ_product_supplier_preferred"`);
    for (const [t, c] of [
      ['product', 'tracks_lots'],
      ['product_supplier', 'preferred'],
      ['product_supplier', 'lead_time_days'],
      ['product_supplier', 'min_order_qty'],
      ['product_supplier', 'pack_size'],
      ['supplier', 'over_receipt_tolerance_bp'],
      ['supplier', 'iban'],
      ['supplier', 'contacts_json'],
      ['supplier', 'addresses_json'],
    ] as const) {
      await qr.query(`ALTER TABLE "${t}" DROP COLUMN "${c}"`);
    }
  }
}
