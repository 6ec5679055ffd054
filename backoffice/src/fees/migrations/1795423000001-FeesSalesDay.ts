import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Franchise fees and wholesale invoicing (issue 12).
 *
 * - `sales_day`: per store and business date (the ticket's local date), the net base without IVA of the sales
 *   and of the returns (returns negative, as their tickets), their IVA and ticket counts — written by the
 *   ingest in the ticket's transaction (a posting step beside `sales_week`), rebuildable from `sale_ticket`.
 *   Net sales of a store for any range of days = Σ (sales_base_cents + returns_base_cents). The fee run reads
 *   this, never raw tickets; the reports can read it too. No foreign keys: the ingest's hot path.
 * - `fee_run`: one row per kind (`fee`, `wholesale`) and period (yyyy-mm) once posting started: the unique
 *   key refuses a second run of the same period; `result` keeps what was posted and what was skipped, and why.
 * - `delivery_note.invoice_id`: the wholesale invoice a received delivery note went into (a note is invoiced once).
 */
export class FeesSalesDay1795423000001 implements MigrationInterface {
  name = 'FeesSalesDay1795423000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    await qr.query(`CREATE TABLE "sales_day" (
      "store_id" varchar(36) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      "sales_count" integer NOT NULL DEFAULT 0,
      "sales_base_cents" bigint NOT NULL DEFAULT 0,
      "sales_tax_cents" bigint NOT NULL DEFAULT 0,
      "returns_count" integer NOT NULL DEFAULT 0,
      "returns_base_cents" bigint NOT NULL DEFAULT 0,
      "returns_tax_cents" bigint NOT NULL DEFAULT 0,
      PRIMARY KEY ("store_id", "business_date"))${pg ? '' : ' WITHOUT ROWID'}`);
    await qr.query(`CREATE TABLE "fee_run" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "kind" varchar(16) NOT NULL,
      "period" varchar(7) NOT NULL,
      "status" varchar(16) NOT NULL,
      "issue_date" varchar(10) NOT NULL,
      "job_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(200),
      "finished_at" varchar(32),
      "result" text,
      CONSTRAINT "UQ_fee_run_period" UNIQUE ("kind", "period"),
      CONSTRAINT "CHK_fee_run_kind" CHECK ("kind" IN ('fee', 'wholesale')),
      CONSTRAINT "CHK_fee_run_status" CHECK ("status" IN ('posting', 'posted')))`);
    await qr.query(`ALTER TABLE "delivery_note" ADD COLUMN "invoice_id" varchar(36)`);
    await qr.query(`CREATE INDEX "IDX_delivery_note_invoice" ON "delivery_note" ("to_company_id", "invoice_id", "received_at")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX "IDX_delivery_note_invoice"`);
    await qr.query(`ALTER TABLE "delivery_note" DROP COLUMN "invoice_id"`);
    await qr.query(`DROP TABLE "fee_run"`);
    await qr.query(`DROP TABLE "sales_day"`);
  }
}
