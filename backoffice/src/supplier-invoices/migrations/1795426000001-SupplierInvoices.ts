import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supplier invoices received (issue 12): the header (receiving company, supplier, the supplier's number and
 * date, date received, booking period), lines matched against goods-receipt lines and their order lines
 * (three-way match: what was expected and what came, per line, as JSON), the tax rows and due dates written
 * when it posts (the VAT book of invoices received and the payables of the collections issue read them).
 *
 * The supplier + number is unique (`number_key`: the number upper-cased without spaces), so recording the same
 * invoice twice is refused by the index, not by a check two transactions could both pass. The supplier gets a
 * price tolerance for the match (basis points of the order's net price).
 */
const STATUSES = ['recorded', 'pending_approval', 'posted', 'rejected'];

export class SupplierInvoices1795426000001 implements MigrationInterface {
  name = 'SupplierInvoices1795426000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "supplier" ADD COLUMN "price_tolerance_bp" integer NOT NULL DEFAULT 100`);
    await qr.query(`CREATE TABLE "supplier_invoice" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "supplier_id" varchar(36) NOT NULL REFERENCES "supplier" ("id"),
      "supplier_number" varchar(60) NOT NULL,
      "number_key" varchar(60) NOT NULL,
      "invoice_date" varchar(10) NOT NULL,
      "operation_date" varchar(10),
      "received_date" varchar(10) NOT NULL,
      "period" varchar(7) NOT NULL,
      "status" varchar(20) NOT NULL,
      "register_number" varchar(24),
      "irpf_bp" integer NOT NULL DEFAULT 0,
      "base_cents" bigint NOT NULL,
      "iva_cents" bigint NOT NULL,
      "re_cents" bigint NOT NULL,
      "irpf_cents" bigint NOT NULL,
      "total_cents" bigint NOT NULL,
      "difference_count" integer NOT NULL,
      "note" text,
      "decision_note" text,
      "decided_at" varchar(32),
      "decided_by" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      "posted_at" varchar(32),
      "posted_by" varchar(36),
      CONSTRAINT "CHK_supplier_invoice_status" CHECK ("status" IN (${STATUSES.map((s) => `'${s}'`).join(', ')})),
      CONSTRAINT "UQ_supplier_invoice_number" UNIQUE ("supplier_id", "number_key"))`);
    await qr.query(`CREATE INDEX "IDX_supplier_invoice_company_period" ON "supplier_invoice" ("company_id", "period")`);
    await qr.query(`CREATE INDEX "IDX_supplier_invoice_status_created" ON "supplier_invoice" ("status", "created_at")`);

    await qr.query(`CREATE TABLE "supplier_invoice_line" (
      "invoice_id" varchar(36) NOT NULL REFERENCES "supplier_invoice" ("id"),
      "line_no" integer NOT NULL,
      "receipt_id" varchar(36) REFERENCES "goods_receipt" ("id"),
      "receipt_line_no" integer,
      "order_id" varchar(36),
      "order_line_no" integer,
      "product_id" varchar(36),
      "description" varchar(500) NOT NULL,
      "quantity_milli" bigint NOT NULL,
      "unit_price_cents" bigint NOT NULL,
      "discount_bp" integer NOT NULL DEFAULT 0,
      "iva_rate_bp" integer NOT NULL,
      "re_rate_bp" integer NOT NULL DEFAULT 0,
      "base_cents" bigint NOT NULL,
      "differences_json" text NOT NULL,
      PRIMARY KEY ("invoice_id", "line_no"))`);
    await qr.query(`CREATE INDEX "IDX_supplier_invoice_line_receipt" ON "supplier_invoice_line" ("receipt_id", "receipt_line_no")`);

    await qr.query(`CREATE TABLE "supplier_invoice_tax" (
      "invoice_id" varchar(36) NOT NULL REFERENCES "supplier_invoice" ("id"),
      "idx" integer NOT NULL,
      "iva_rate_bp" integer NOT NULL,
      "re_rate_bp" integer NOT NULL,
      "base_cents" bigint NOT NULL,
      "iva_cents" bigint NOT NULL,
      "re_cents" bigint NOT NULL,
      PRIMARY KEY ("invoice_id", "idx"))`);

    // Payables: what the company owes the supplier and when (the collections issue pays them).
    await qr.query(`CREATE TABLE "supplier_invoice_due" (
      "invoice_id" varchar(36) NOT NULL REFERENCES "supplier_invoice" ("id"),
      "idx" integer NOT NULL,
      "company_id" varchar(36) NOT NULL,
      "supplier_id" varchar(36) NOT NULL,
      "due_date" varchar(10) NOT NULL,
      "amount_cents" bigint NOT NULL,
      "paid_cents" bigint NOT NULL DEFAULT 0,
      PRIMARY KEY ("invoice_id", "idx"))`);
    await qr.query(`CREATE INDEX "IDX_supplier_invoice_due_date" ON "supplier_invoice_due" ("company_id", "due_date")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['supplier_invoice_due', 'supplier_invoice_tax', 'supplier_invoice_line', 'supplier_invoice']) await qr.query(`DROP TABLE "${t}"`);
    await qr.query(`ALTER TABLE "supplier" DROP COLUMN "price_tolerance_bp"`);
  }
}
