import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the tills' daily sales entries are made of (issue 14), kept by the ingest in each ticket's transaction
 * like `sales_day`, so the books never read raw tickets:
 *
 * - `sales_tax_session`: per till session and business date, per IVA rate and recargo rate, the tickets' tax
 *   breakdown summed (base, IVA, recargo; returns negative).
 * - `sales_pay_session`: per till session and business date, what paid for them per method (cash net of change,
 *   card, voucher, on account per customer; returns negative). Σ payments = Σ (base + IVA + recargo).
 *
 * `posted_*` is what the journal already holds of a row and `pending` says the row moved since (a late ticket
 * after its day was posted): the next posting writes the difference only. Rebuildable from `sale_ticket`.
 */
export class SalesSessionRollups1795440000002 implements MigrationInterface {
  name = 'SalesSessionRollups1795440000002';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const truthy = pg ? 'true' : '1';
    await qr.query(`CREATE TABLE "sales_tax_session" (
      "terminal_id" varchar(36) NOT NULL,
      "session_id" varchar(64) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      "iva_rate_bp" integer NOT NULL,
      "re_rate_bp" integer NOT NULL,
      "store_id" varchar(36) NOT NULL,
      "base_cents" bigint NOT NULL DEFAULT 0,
      "iva_cents" bigint NOT NULL DEFAULT 0,
      "re_cents" bigint NOT NULL DEFAULT 0,
      "posted_base_cents" bigint NOT NULL DEFAULT 0,
      "posted_iva_cents" bigint NOT NULL DEFAULT 0,
      "posted_re_cents" bigint NOT NULL DEFAULT 0,
      "pending" boolean NOT NULL DEFAULT ${truthy},
      PRIMARY KEY ("terminal_id", "session_id", "business_date", "iva_rate_bp", "re_rate_bp"))`);
    await qr.query(`CREATE TABLE "sales_pay_session" (
      "terminal_id" varchar(36) NOT NULL,
      "session_id" varchar(64) NOT NULL,
      "business_date" varchar(10) NOT NULL,
      "method" varchar(16) NOT NULL,
      "customer_id" varchar(36) NOT NULL DEFAULT '',
      "store_id" varchar(36) NOT NULL,
      "amount_cents" bigint NOT NULL DEFAULT 0,
      "posted_cents" bigint NOT NULL DEFAULT 0,
      "pending" boolean NOT NULL DEFAULT ${truthy},
      PRIMARY KEY ("terminal_id", "session_id", "business_date", "method", "customer_id"))`);
    // What is left to post, by day: a small partial index (posted rows leave it).
    await qr.query(`CREATE INDEX "IDX_sales_tax_session_pending" ON "sales_tax_session" ("business_date", "store_id") WHERE "pending"`);
    await qr.query(`CREATE INDEX "IDX_sales_pay_session_pending" ON "sales_pay_session" ("business_date", "store_id") WHERE "pending"`);
    // The VAT book and the reconciliations read a store's days.
    await qr.query(`CREATE INDEX "IDX_sales_tax_session_store_date" ON "sales_tax_session" ("store_id", "business_date")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "sales_pay_session"`);
    await qr.query(`DROP TABLE "sales_tax_session"`);
  }
}
