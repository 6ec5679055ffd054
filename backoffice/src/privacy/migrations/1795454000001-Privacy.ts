import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data protection (GDPR / LOPDGDD, issue 15).
 *
 * - `customer_consent`: append-only, one row per consent given or withdrawn (purpose, source, who recorded it,
 *   the till document it came from); `customer_consent_state` is the current state per customer and purpose,
 *   written in the same transaction as the row it derives from.
 * - `privacy_request`: the requests we served (export, erasure) with their state and the files made.
 * - `privacy_access_log`: who read a customer's personal data, when, through what.
 * - `privacy_policy`: the retention policy (one row), set by privacy.admin.
 * - `customer.erased_at`: the customer was anonymised (erasure or retention); the row stays for the invoices
 *   and ledgers that name it.
 */
export class Privacy1795454000001 implements MigrationInterface {
  name = 'Privacy1795454000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const falsy = pg ? 'false' : '0';
    await qr.query(`ALTER TABLE "customer" ADD COLUMN "erased_at" varchar(32)`);
    await qr.query(`CREATE TABLE "customer_consent" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "customer_id" varchar(36) NOT NULL REFERENCES "customer" ("id"),
      "purpose" varchar(16) NOT NULL,
      "granted" boolean NOT NULL,
      "source" varchar(16) NOT NULL,
      "recorded_by" varchar(254),
      "store_id" varchar(36),
      "terminal_id" varchar(36),
      "document_id" varchar(36),
      "note" varchar(300),
      "given_at" varchar(40) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_customer_consent_purpose" CHECK ("purpose" IN ('marketing', 'loyalty', 'e_receipt')),
      CONSTRAINT "CHK_customer_consent_source" CHECK ("source" IN ('till', 'backoffice', 'import', 'web')))`);
    await qr.query(`CREATE INDEX "IDX_customer_consent_customer" ON "customer_consent" ("customer_id", "created_at")`);
    await qr.query(`CREATE TABLE "customer_consent_state" (
      "customer_id" varchar(36) NOT NULL REFERENCES "customer" ("id"),
      "purpose" varchar(16) NOT NULL,
      "granted" boolean NOT NULL DEFAULT ${falsy},
      "consent_id" varchar(36) NOT NULL REFERENCES "customer_consent" ("id"),
      "source" varchar(16) NOT NULL,
      "given_at" varchar(40) NOT NULL,
      PRIMARY KEY ("customer_id", "purpose"))`);
    await qr.query(`CREATE TABLE "privacy_request" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "customer_id" varchar(36) NOT NULL,
      "kind" varchar(12) NOT NULL,
      "status" varchar(12) NOT NULL,
      "json_file_id" varchar(36),
      "pdf_file_id" varchar(36),
      "summary" text,
      "requested_by" varchar(36),
      "requested_by_email" varchar(254),
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_privacy_request_kind" CHECK ("kind" IN ('export', 'erasure', 'retention')),
      CONSTRAINT "CHK_privacy_request_status" CHECK ("status" IN ('done', 'refused')))`);
    await qr.query(`CREATE INDEX "IDX_privacy_request_created" ON "privacy_request" ("created_at")`);
    await qr.query(`CREATE INDEX "IDX_privacy_request_customer" ON "privacy_request" ("customer_id")`);
    await qr.query(`CREATE TABLE "privacy_access_log" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "customer_id" varchar(36) NOT NULL,
      "user_id" varchar(36),
      "user_email" varchar(254),
      "what" varchar(60) NOT NULL,
      "request_id" varchar(64),
      "at" varchar(32) NOT NULL)`);
    await qr.query(`CREATE INDEX "IDX_privacy_access_customer" ON "privacy_access_log" ("customer_id", "at")`);
    await qr.query(`CREATE INDEX "IDX_privacy_access_at" ON "privacy_access_log" ("at")`);
    await qr.query(`CREATE TABLE "privacy_policy" (
      "id" varchar(16) PRIMARY KEY NOT NULL,
      "retention_years" integer,
      "updated_by" varchar(254),
      "updated_at" varchar(32),
      CONSTRAINT "CHK_privacy_policy_years" CHECK ("retention_years" IS NULL OR ("retention_years" >= 1 AND "retention_years" <= 50)))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['privacy_policy', 'privacy_access_log', 'privacy_request', 'customer_consent_state', 'customer_consent']) await qr.query(`DROP TABLE "${t}"`);
    await qr.query(`ALTER TABLE "customer" DROP COLUMN "erased_at"`);
  }
}
