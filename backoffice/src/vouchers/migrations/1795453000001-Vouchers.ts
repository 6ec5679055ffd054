import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gift vouchers (issue 15). `voucher` is one card/code; its balance is the sum of its postings in
 * `voucher_posting` (append-only: issue, load, redeem, refund, expire, adjust), kept equal in the transaction
 * that appends one. A posting belongs to the company of the store where it happened (a voucher sold by one
 * franchisee and spent at another's store: each company's Σ is its position). `voucher_hold` reserves part
 * of a balance for a payment a till is taking online; the ticket's ingest consumes it.
 */
const STATUSES = ['active', 'blocked', 'void', 'expired'];
const KINDS = ['issue', 'load', 'redeem', 'refund', 'expire', 'adjust'];
const HOLDS = ['active', 'consumed', 'released'];

export class Vouchers1795453000001 implements MigrationInterface {
  name = 'Vouchers1795453000001';

  async up(qr: QueryRunner): Promise<void> {
    const list = (v: string[]) => v.map((s) => `'${s}'`).join(', ');
    await qr.query(`CREATE TABLE "voucher" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "code" varchar(32) NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36),
      "terminal_id" varchar(36),
      "status" varchar(10) NOT NULL,
      "balance_cents" bigint NOT NULL,
      "overdrawn" integer NOT NULL DEFAULT 0,
      "expires_at" varchar(32) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "updated_at" varchar(32) NOT NULL,
      CONSTRAINT "UQ_voucher_code" UNIQUE ("code"),
      CONSTRAINT "CHK_voucher_status" CHECK ("status" IN (${list(STATUSES)})))`);
    await qr.query(`CREATE INDEX "IDX_voucher_company" ON "voucher" ("company_id", "status")`);
    await qr.query(`CREATE INDEX "IDX_voucher_expiry" ON "voucher" ("status", "expires_at")`);
    await qr.query(`CREATE TABLE "voucher_posting" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "voucher_id" varchar(36) NOT NULL REFERENCES "voucher" ("id"),
      "seq" integer NOT NULL,
      "kind" varchar(8) NOT NULL,
      "amount_cents" bigint NOT NULL,
      "balance_after_cents" bigint NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36),
      "terminal_id" varchar(36),
      "source_kind" varchar(12) NOT NULL,
      "source_id" varchar(64) NOT NULL,
      "source_idx" integer NOT NULL DEFAULT 0,
      "reference" varchar(60),
      "note" varchar(500),
      "actor" varchar(200),
      "at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_voucher_posting_kind" CHECK ("kind" IN (${list(KINDS)})),
      CONSTRAINT "UQ_voucher_posting_seq" UNIQUE ("voucher_id", "seq"),
      CONSTRAINT "UQ_voucher_posting_source" UNIQUE ("source_kind", "source_id", "source_idx"))`);
    await qr.query(`CREATE INDEX "IDX_voucher_posting_company" ON "voucher_posting" ("company_id", "kind")`);
    await qr.query(`CREATE TABLE "voucher_hold" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "voucher_id" varchar(36) NOT NULL REFERENCES "voucher" ("id"),
      "terminal_id" varchar(36) NOT NULL,
      "amount_cents" bigint NOT NULL,
      "status" varchar(10) NOT NULL,
      "expires_at" varchar(32) NOT NULL,
      "ticket_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_voucher_hold_status" CHECK ("status" IN (${list(HOLDS)})))`);
    await qr.query(`CREATE INDEX "IDX_voucher_hold_voucher" ON "voucher_hold" ("voucher_id", "status")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "voucher_hold"`);
    await qr.query(`DROP TABLE "voucher_posting"`);
    await qr.query(`DROP TABLE "voucher"`);
  }
}
