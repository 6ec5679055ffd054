import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounting (issue 14): each company's double-entry books, kept from its documents.
 *
 * - `acc_account`: the company's chart — PGC accounts and the postable sub-accounts under them (8 digits);
 *   a customer's or supplier's sub-account names its counterparty (one per counterparty and group).
 * - `acc_rule`: a company's overrides of the default posting rules (`sales_goods:2100` → `70002100`).
 * - `acc_fiscal_year`, `acc_period_lock`: years and locked months; nothing posts into a locked month — a late
 *   document posts into the first open one (its own date kept), a manual entry is refused.
 * - `acc_entry` / `acc_line`: journal entries, numbered gapless per company and year, never changed once
 *   written (a reversal is a new entry that points back); `source_key` makes a document post once.
 * - `acc_balance`: per company, account, month and store (analytic; '' none) the sums of debits and credits,
 *   kept equal to the lines in the posting transaction — the trial balance and the statements read it.
 * - `acc_recurring`: recurring manual entries (rent, payroll provisions) posted by a job when due.
 */
export class Accounting1795440000001 implements MigrationInterface {
  name = 'Accounting1795440000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const falsy = pg ? 'false' : '0';
    const truthy = pg ? 'true' : '1';
    await qr.query(`CREATE TABLE "acc_account" (
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "code" varchar(12) NOT NULL,
      "name" varchar(200) NOT NULL,
      "name_en" varchar(200),
      "nature" varchar(10) NOT NULL,
      "postable" boolean NOT NULL,
      "counterparty_kind" varchar(10),
      "counterparty_id" varchar(64),
      "counterparty_group" varchar(4),
      "nif" varchar(20),
      "blocked" boolean NOT NULL DEFAULT ${falsy},
      "created_at" varchar(32) NOT NULL,
      PRIMARY KEY ("company_id", "code"),
      CONSTRAINT "CHK_acc_account_nature" CHECK ("nature" IN ('asset', 'liability', 'equity', 'expense', 'income')))`);
    // One sub-account per counterparty and group (a customer under 430; a franchisee company may also be a 400 supplier).
    await qr.query(`CREATE UNIQUE INDEX "UQ_acc_account_counterparty" ON "acc_account" ("company_id", "counterparty_kind", "counterparty_id", "counterparty_group")`);
    await qr.query(`CREATE TABLE "acc_rule" (
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "rule_key" varchar(40) NOT NULL,
      "account" varchar(12) NOT NULL,
      "updated_at" varchar(32) NOT NULL,
      "updated_by" varchar(200),
      PRIMARY KEY ("company_id", "rule_key"))`);
    await qr.query(`CREATE TABLE "acc_fiscal_year" (
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "year" integer NOT NULL,
      "status" varchar(8) NOT NULL DEFAULT 'open',
      "created_at" varchar(32) NOT NULL,
      PRIMARY KEY ("company_id", "year"),
      CONSTRAINT "CHK_acc_fiscal_year_status" CHECK ("status" IN ('open', 'closed')))`);
    await qr.query(`CREATE TABLE "acc_period_lock" (
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "period" varchar(7) NOT NULL,
      "locked_at" varchar(32) NOT NULL,
      "locked_by" varchar(200),
      PRIMARY KEY ("company_id", "period"))`);
    await qr.query(`CREATE TABLE "acc_entry" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "year" integer NOT NULL,
      "number" integer NOT NULL,
      "entry_date" varchar(10) NOT NULL,
      "period" varchar(7) NOT NULL,
      "document_date" varchar(10) NOT NULL,
      "kind" varchar(24) NOT NULL,
      "source_type" varchar(32),
      "source_id" varchar(64),
      "source_key" varchar(160),
      "source_ref" varchar(80),
      "description" varchar(300) NOT NULL,
      "total_cents" bigint NOT NULL,
      "reverses_id" varchar(36),
      "reversed_by_id" varchar(36),
      "attachments" text,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(200),
      CONSTRAINT "UQ_acc_entry_number" UNIQUE ("company_id", "year", "number"),
      CONSTRAINT "UQ_acc_entry_source" UNIQUE ("company_id", "source_key"))`);
    await qr.query(`CREATE INDEX "IDX_acc_entry_company_date" ON "acc_entry" ("company_id", "entry_date", "number")`);
    await qr.query(`CREATE INDEX "IDX_acc_entry_source" ON "acc_entry" ("source_type", "source_id")`);
    await qr.query(`CREATE TABLE "acc_line" (
      "entry_id" varchar(36) NOT NULL REFERENCES "acc_entry" ("id"),
      "line_no" integer NOT NULL,
      "company_id" varchar(36) NOT NULL,
      "account" varchar(12) NOT NULL,
      "entry_date" varchar(10) NOT NULL,
      "debit_cents" bigint NOT NULL DEFAULT 0,
      "credit_cents" bigint NOT NULL DEFAULT 0,
      "store_id" varchar(36),
      "description" varchar(300),
      PRIMARY KEY ("entry_id", "line_no"),
      CONSTRAINT "CHK_acc_line_side" CHECK (("debit_cents" > 0 AND "credit_cents" = 0) OR ("credit_cents" > 0 AND "debit_cents" = 0)))`);
    // The general ledger of one account: its lines in date order.
    await qr.query(`CREATE INDEX "IDX_acc_line_account" ON "acc_line" ("company_id", "account", "entry_date")`);
    await qr.query(`CREATE TABLE "acc_balance" (
      "company_id" varchar(36) NOT NULL,
      "account" varchar(12) NOT NULL,
      "period" varchar(7) NOT NULL,
      "store_id" varchar(36) NOT NULL DEFAULT '',
      "debit_cents" bigint NOT NULL DEFAULT 0,
      "credit_cents" bigint NOT NULL DEFAULT 0,
      "line_count" integer NOT NULL DEFAULT 0,
      PRIMARY KEY ("company_id", "period", "account", "store_id"))${pg ? '' : ' WITHOUT ROWID'}`);
    await qr.query(`CREATE TABLE "acc_recurring" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "description" varchar(300) NOT NULL,
      "lines" text NOT NULL,
      "day_of_month" integer NOT NULL,
      "next_date" varchar(10) NOT NULL,
      "end_date" varchar(10),
      "active" boolean NOT NULL DEFAULT ${truthy},
      "last_entry_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(200),
      CONSTRAINT "CHK_acc_recurring_day" CHECK ("day_of_month" BETWEEN 1 AND 28))`);
    await qr.query(`CREATE INDEX "IDX_acc_recurring_due" ON "acc_recurring" ("active", "next_date")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['acc_recurring', 'acc_balance', 'acc_line', 'acc_entry', 'acc_period_lock', 'acc_fiscal_year', 'acc_rule', 'acc_account']) await qr.query(`DROP TABLE "${t}"`);
  }
}
