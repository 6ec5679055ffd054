import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoicing (issue 12): invoices a company issues from the back office (full invoices F1, F3 replacing
 * tickets, credit notes R1–R4), their lines, tax breakdown and due dates, and the back office's own
 * Veri*Factu chain per issuing company (one installation per issuer NIF, like each till).
 *
 * `invoice.source_key` makes a source invoice once: `fee:<contract>:<yyyy-mm>`, `wholesale:<company>:<yyyy-mm>`,
 * `ticket:<ticket id>`; a second invoice for the same key is refused by the unique index, not by a check that
 * two transactions could both pass.
 */
const STATUSES = ['draft', 'posted', 'cancelled'];
const TYPES = ['F1', 'F3', 'R1', 'R2', 'R3', 'R4'];
const SOURCES = ['manual', 'fee', 'wholesale', 'ticket', 'credit'];

export class Invoicing1795420000001 implements MigrationInterface {
  name = 'Invoicing1795420000001';

  async up(qr: QueryRunner): Promise<void> {
    const list = (v: string[]) => v.map((s) => `'${s}'`).join(', ');
    await qr.query(`CREATE TABLE "invoice" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36),
      "invoice_type" varchar(2) NOT NULL,
      "source" varchar(16) NOT NULL,
      "source_key" varchar(120),
      "status" varchar(16) NOT NULL DEFAULT 'draft',
      "series" varchar(8),
      "year" integer,
      "seq" bigint,
      "number" varchar(60),
      "issue_date" varchar(10),
      "operation_date" varchar(10),
      "period_from" varchar(10),
      "period_to" varchar(10),
      "language" varchar(2) NOT NULL DEFAULT 'es',
      "recipient_company_id" varchar(36),
      "recipient_customer_id" varchar(36),
      "recipient_supplier_id" varchar(36),
      "recipient_nif" varchar(20),
      "recipient_name" varchar(200),
      "recipient_address" text,
      "recipient_country" varchar(2) NOT NULL DEFAULT 'ES',
      "re_regime" boolean NOT NULL DEFAULT ${qr.connection.options.type === 'postgres' ? 'false' : '0'},
      "irpf_bp" integer NOT NULL DEFAULT 0,
      "payment_days" text,
      "payment_method" varchar(16),
      "rectifies_invoice_id" varchar(36) REFERENCES "invoice" ("id"),
      "rectification_method" varchar(1),
      "rectification_reason" text,
      "description" varchar(500),
      "notes" text,
      "base_cents" bigint NOT NULL DEFAULT 0,
      "iva_cents" bigint NOT NULL DEFAULT 0,
      "re_cents" bigint NOT NULL DEFAULT 0,
      "irpf_cents" bigint NOT NULL DEFAULT 0,
      "total_cents" bigint NOT NULL DEFAULT 0,
      "run_id" varchar(36),
      "pdf_file_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      "updated_at" varchar(32) NOT NULL,
      "posted_at" varchar(32),
      "posted_by" varchar(36),
      "cancelled_at" varchar(32),
      "cancelled_by" varchar(36),
      "cancel_reason" text,
      CONSTRAINT "CHK_invoice_status" CHECK ("status" IN (${list(STATUSES)})),
      CONSTRAINT "CHK_invoice_type" CHECK ("invoice_type" IN (${list(TYPES)})),
      CONSTRAINT "CHK_invoice_source" CHECK ("source" IN (${list(SOURCES)})),
      CONSTRAINT "UQ_invoice_number" UNIQUE ("company_id", "series", "year", "seq"))`);
    await qr.query(`CREATE UNIQUE INDEX "UQ_invoice_source_key" ON "invoice" ("company_id", "source_key") WHERE "source_key" IS NOT NULL`);
    await qr.query(`CREATE INDEX "IDX_invoice_company_issue" ON "invoice" ("company_id", "issue_date")`);
    await qr.query(`CREATE INDEX "IDX_invoice_status_created" ON "invoice" ("status", "created_at")`);
    await qr.query(`CREATE INDEX "IDX_invoice_recipient_company" ON "invoice" ("recipient_company_id", "issue_date")`);
    await qr.query(`CREATE INDEX "IDX_invoice_recipient_customer" ON "invoice" ("recipient_customer_id", "issue_date")`);
    await qr.query(`CREATE INDEX "IDX_invoice_rectifies" ON "invoice" ("rectifies_invoice_id")`);
    await qr.query(`CREATE INDEX "IDX_invoice_run" ON "invoice" ("run_id")`);

    await qr.query(`CREATE TABLE "invoice_line" (
      "invoice_id" varchar(36) NOT NULL REFERENCES "invoice" ("id"),
      "line_no" integer NOT NULL,
      "description" varchar(500) NOT NULL,
      "product_id" varchar(36),
      "store_id" varchar(36),
      "source_ref" varchar(120),
      "quantity_milli" bigint NOT NULL,
      "unit_price_cents" bigint NOT NULL,
      "discount_bp" integer NOT NULL DEFAULT 0,
      "iva_rate_bp" integer NOT NULL,
      "re_rate_bp" integer NOT NULL DEFAULT 0,
      "exemption" varchar(2),
      "base_cents" bigint NOT NULL,
      PRIMARY KEY ("invoice_id", "line_no"))`);

    await qr.query(`CREATE TABLE "invoice_tax" (
      "invoice_id" varchar(36) NOT NULL REFERENCES "invoice" ("id"),
      "idx" integer NOT NULL,
      "iva_rate_bp" integer NOT NULL,
      "re_rate_bp" integer NOT NULL,
      "exemption" varchar(2),
      "base_cents" bigint NOT NULL,
      "iva_cents" bigint NOT NULL,
      "re_cents" bigint NOT NULL,
      PRIMARY KEY ("invoice_id", "idx"))`);

    await qr.query(`CREATE TABLE "invoice_due" (
      "invoice_id" varchar(36) NOT NULL REFERENCES "invoice" ("id"),
      "idx" integer NOT NULL,
      "due_date" varchar(10) NOT NULL,
      "amount_cents" bigint NOT NULL,
      PRIMARY KEY ("invoice_id", "idx"))`);
    await qr.query(`CREATE INDEX "IDX_invoice_due_date" ON "invoice_due" ("due_date")`);

    // F3: the simplified invoices (till tickets) a full invoice replaces; a ticket is replaced once.
    await qr.query(`CREATE TABLE "invoice_substitution" (
      "invoice_id" varchar(36) NOT NULL REFERENCES "invoice" ("id"),
      "idx" integer NOT NULL,
      "ticket_id" varchar(36) NOT NULL,
      "invoice_number" varchar(60) NOT NULL,
      "issue_date" varchar(10) NOT NULL,
      PRIMARY KEY ("invoice_id", "idx"))`);
    await qr.query(`CREATE UNIQUE INDEX "UQ_invoice_substitution_ticket" ON "invoice_substitution" ("ticket_id")`);

    // The back office's Veri*Factu chains: one per issuing company (installation `HQ-<nif>`).
    await qr.query(`CREATE TABLE "hq_fiscal_record" (
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "chain_position" bigint NOT NULL,
      "record_kind" varchar(16) NOT NULL,
      "invoice_id" varchar(36) NOT NULL REFERENCES "invoice" ("id"),
      "invoice_number" varchar(60) NOT NULL,
      "hash" varchar(64) NOT NULL,
      "previous_hash" varchar(64) NOT NULL,
      "record" text NOT NULL,
      "created_at" varchar(32) NOT NULL,
      PRIMARY KEY ("company_id", "chain_position"))`);
    await qr.query(`CREATE INDEX "IDX_hq_fiscal_record_invoice" ON "hq_fiscal_record" ("invoice_id")`);
    await qr.query(`CREATE INDEX "IDX_hq_fiscal_record_created" ON "hq_fiscal_record" ("created_at")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['hq_fiscal_record', 'invoice_substitution', 'invoice_due', 'invoice_tax', 'invoice_line', 'invoice']) await qr.query(`DROP TABLE "${t}"`);
  }
}
