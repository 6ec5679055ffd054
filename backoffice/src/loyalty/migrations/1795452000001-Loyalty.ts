import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Loyalty (issue 15). `loyalty_programme`: the franchise's one programme (id `franchise`, its rules as JSON,
 * shared/src/loyalty). `loyalty_posting`: the points ledger, append-only — earn, redeem, reverse (returns),
 * expire, adjust, merge — each with the company and store where it happened, numbered per customer
 * (`seq`, unique); `loyalty_balance`: Σ postings per customer and the count of postings, kept in the same
 * transaction as each posting. `loyalty_hold`: points an online till holds for a redemption until its ticket
 * arrives (or the hold lapses). A loyalty member is a customer with a `loyalty_card` (added here when the
 * customers module has not added it already).
 */
export class Loyalty1795452000001 implements MigrationInterface {
  name = 'Loyalty1795452000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const falsy = pg ? 'false' : '0';
    if (!(await qr.hasColumn('customer', 'loyalty_card'))) {
      await qr.query(`ALTER TABLE "customer" ADD COLUMN "loyalty_card" varchar(40)`);
      await qr.query(`CREATE UNIQUE INDEX "UQ_customer_loyalty_card" ON "customer" ("loyalty_card")`);
    }
    await qr.query(`CREATE TABLE "loyalty_programme" (
      "id" varchar(20) PRIMARY KEY NOT NULL,
      "rules" text NOT NULL,
      "updated_at" varchar(32) NOT NULL,
      "updated_by" varchar(36))`);
    await qr.query(`CREATE TABLE "loyalty_balance" (
      "customer_id" varchar(36) PRIMARY KEY NOT NULL,
      "points" bigint NOT NULL,
      "postings" integer NOT NULL,
      "updated_at" varchar(32) NOT NULL)`);
    await qr.query(`CREATE TABLE "loyalty_posting" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "customer_id" varchar(36) NOT NULL,
      "seq" integer NOT NULL,
      "kind" varchar(10) NOT NULL,
      "points" bigint NOT NULL,
      "amount_cents" bigint NOT NULL DEFAULT 0,
      "company_id" varchar(36) NOT NULL,
      "store_id" varchar(36),
      "terminal_id" varchar(36),
      "ticket_id" varchar(64),
      "ref_id" varchar(64),
      "day" varchar(10) NOT NULL,
      "flagged" boolean NOT NULL DEFAULT ${falsy},
      "note" varchar(500),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      CONSTRAINT "CHK_loyalty_posting_kind" CHECK ("kind" IN ('earn', 'redeem', 'reverse', 'expire', 'adjust', 'merge')),
      CONSTRAINT "UQ_loyalty_posting_seq" UNIQUE ("customer_id", "seq"))`);
    await qr.query(`CREATE INDEX "IDX_loyalty_posting_ticket" ON "loyalty_posting" ("ticket_id", "kind")`);
    await qr.query(`CREATE INDEX "IDX_loyalty_posting_ref" ON "loyalty_posting" ("ref_id", "kind")`);
    await qr.query(`CREATE INDEX "IDX_loyalty_posting_day" ON "loyalty_posting" ("day")`);
    await qr.query(`CREATE TABLE "loyalty_hold" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "customer_id" varchar(36) NOT NULL,
      "points" bigint NOT NULL,
      "cents" bigint NOT NULL,
      "status" varchar(10) NOT NULL,
      "terminal_id" varchar(36) NOT NULL,
      "store_id" varchar(36) NOT NULL,
      "company_id" varchar(36) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "expires_at" varchar(32) NOT NULL,
      "ticket_id" varchar(64),
      "closed_at" varchar(32),
      CONSTRAINT "CHK_loyalty_hold_status" CHECK ("status" IN ('active', 'used', 'released', 'expired')))`);
    await qr.query(`CREATE INDEX "IDX_loyalty_hold_customer" ON "loyalty_hold" ("customer_id", "status")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['loyalty_hold', 'loyalty_posting', 'loyalty_balance', 'loyalty_programme']) await qr.query(`DROP TABLE "${t}"`);
  }
}
