import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Store replenishment (issue 11, part 2): the franchisor's wholesale price list, replenishment orders (PR)
 * with their lines and every quantity change HQ made, delivery notes (AL) with what the invoicing issue
 * needs (both companies, wholesale unit price and IVA rate per line, shipped and received quantities), and
 * the minimal incidents table the quality issue will extend. Plain tables, no rebuilds: nothing here alters
 * a table another module owns.
 */
export class Replenishment1795412000001 implements MigrationInterface {
  name = 'Replenishment1795412000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "wholesale_price" (
      "product_id" varchar(36) PRIMARY KEY NOT NULL REFERENCES "product" ("id"),
      "price_cents" integer NOT NULL,
      "updated_at" varchar(32) NOT NULL,
      "updated_by" varchar(200),
      CONSTRAINT "CHK_wholesale_price_not_negative" CHECK ("price_cents" >= 0))`);

    await qr.query(`CREATE TABLE "replenishment_order" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(40) NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "warehouse_id" varchar(36) NOT NULL REFERENCES "warehouse" ("id"),
      "status" varchar(16) NOT NULL,
      "source" varchar(16) NOT NULL,
      "note" varchar(500),
      "proposal_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(200),
      "approved_at" varchar(32),
      "approved_by" varchar(200),
      "picking_at" varchar(32),
      "shipped_at" varchar(32),
      "delivery_note_id" varchar(36),
      CONSTRAINT "CHK_replenishment_order_status" CHECK ("status" IN ('registered', 'approved', 'picking', 'shipped', 'received', 'closed', 'cancelled')),
      CONSTRAINT "CHK_replenishment_order_source" CHECK ("source" IN ('manual', 'proposal', 'till')))`);
    await qr.query(`CREATE INDEX "IDX_replenishment_order_store_status" ON "replenishment_order" ("store_id", "status")`);
    await qr.query(`CREATE INDEX "IDX_replenishment_order_status_created" ON "replenishment_order" ("status", "created_at")`);
    await qr.query(`CREATE TABLE "replenishment_order_line" (
      "order_id" varchar(36) NOT NULL REFERENCES "replenishment_order" ("id"),
      "line_no" integer NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "requested" bigint NOT NULL,
      "approved" bigint NOT NULL,
      "picked" bigint,
      PRIMARY KEY ("order_id", "line_no"),
      CONSTRAINT "UQ_replenishment_order_line_product" UNIQUE ("order_id", "product_id"),
      CONSTRAINT "CHK_replenishment_order_line_qty" CHECK ("requested" >= 0 AND "approved" >= 0 AND ("picked" IS NULL OR "picked" >= 0)))`);
    // Each quantity HQ changed (approving or picking), kept: who, when, from → to.
    await qr.query(`CREATE TABLE "replenishment_order_change" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "order_id" varchar(36) NOT NULL REFERENCES "replenishment_order" ("id"),
      "product_id" varchar(36) NOT NULL,
      "field" varchar(16) NOT NULL,
      "from_qty" bigint,
      "to_qty" bigint NOT NULL,
      "at" varchar(32) NOT NULL,
      "by_email" varchar(200))`);
    await qr.query(`CREATE INDEX "IDX_replenishment_order_change_order" ON "replenishment_order_change" ("order_id", "at")`);

    await qr.query(`CREATE TABLE "delivery_note" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(40) NOT NULL,
      "order_id" varchar(36) NOT NULL REFERENCES "replenishment_order" ("id"),
      "from_company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "to_company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "warehouse_id" varchar(36) NOT NULL REFERENCES "warehouse" ("id"),
      "transit_location_id" varchar(36) NOT NULL,
      "status" varchar(16) NOT NULL,
      "shipped_at" varchar(32) NOT NULL,
      "shipped_by" varchar(200),
      "received_at" varchar(32),
      "received_by" varchar(200),
      "closed_at" varchar(32),
      CONSTRAINT "UQ_delivery_note_number" UNIQUE ("from_company_id", "number"),
      CONSTRAINT "UQ_delivery_note_order" UNIQUE ("order_id"),
      CONSTRAINT "CHK_delivery_note_status" CHECK ("status" IN ('shipped', 'received', 'closed')))`);
    await qr.query(`CREATE INDEX "IDX_delivery_note_store_status" ON "delivery_note" ("store_id", "status")`);
    await qr.query(`CREATE TABLE "delivery_note_line" (
      "note_id" varchar(36) NOT NULL REFERENCES "delivery_note" ("id"),
      "line_no" integer NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "shipped" bigint NOT NULL,
      "received" bigint,
      "damaged" bigint,
      "unit_price_cents" integer NOT NULL,
      "tax_rate_bp" integer NOT NULL,
      "unit_cost_micros" bigint,
      "note" varchar(300),
      PRIMARY KEY ("note_id", "line_no"))`);

    await qr.query(`CREATE TABLE "incident" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(40) NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36) REFERENCES "store" ("id"),
      "kind" varchar(32) NOT NULL,
      "severity" varchar(16) NOT NULL,
      "state" varchar(16) NOT NULL,
      "title" varchar(300) NOT NULL,
      "description" varchar(2000),
      "product_id" varchar(36),
      "document_type" varchar(32),
      "document_id" varchar(36),
      "document_number" varchar(40),
      "quantity" bigint,
      "supplier_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by_id" varchar(36),
      "created_by_email" varchar(200),
      CONSTRAINT "UQ_incident_number" UNIQUE ("company_id", "number"),
      CONSTRAINT "CHK_incident_state" CHECK ("state" IN ('open', 'in_progress', 'closed')))`);
    await qr.query(`CREATE INDEX "IDX_incident_store_created" ON "incident" ("store_id", "created_at")`);
    await qr.query(`CREATE INDEX "IDX_incident_document" ON "incident" ("document_id")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['incident', 'delivery_note_line', 'delivery_note', 'replenishment_order_change', 'replenishment_order_line', 'replenishment_order', 'wholesale_price']) {
      await qr.query(`DROP TABLE "${t}"`);
    }
  }
}
