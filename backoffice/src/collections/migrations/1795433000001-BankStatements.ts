import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bank statements and their reconciliation (issue 13, part bankrec). A company's bank account (by IBAN); a
 * statement imported from a Norma 43 or camt.053 file (its key — account, period, balances — is unique: the
 * same file twice is refused); its movements (each movement's key is unique too: a movement already imported
 * with an overlapping statement is skipped). A movement is unmatched, matched (to a payment it created, to a
 * remittance it settled, or to a store's cash sessions of a business day for a cash deposit) or ignored.
 */
const MOVEMENT_STATUSES = ['unmatched', 'matched', 'ignored'];
const MATCH_KINDS = ['reference', 'amount', 'remittance', 'cash_deposit', 'manual'];

export class BankStatements1795433000001 implements MigrationInterface {
  name = 'BankStatements1795433000001';

  async up(qr: QueryRunner): Promise<void> {
    const list = (v: string[]) => v.map((s) => `'${s}'`).join(', ');
    await qr.query(`CREATE TABLE "bank_account" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "iban" varchar(34) NOT NULL,
      "name" varchar(120) NOT NULL,
      "currency" varchar(3) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "UQ_bank_account_iban" UNIQUE ("iban"))`);
    await qr.query(`CREATE INDEX "IDX_bank_account_company" ON "bank_account" ("company_id")`);

    await qr.query(`CREATE TABLE "bank_statement" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "account_id" varchar(36) NOT NULL REFERENCES "bank_account" ("id"),
      "statement_key" varchar(64) NOT NULL,
      "format" varchar(8) NOT NULL,
      "from_date" varchar(10) NOT NULL,
      "to_date" varchar(10) NOT NULL,
      "opening_balance_cents" bigint NOT NULL,
      "closing_balance_cents" bigint NOT NULL,
      "debit_count" integer NOT NULL,
      "debit_cents" bigint NOT NULL,
      "credit_count" integer NOT NULL,
      "credit_cents" bigint NOT NULL,
      "movement_count" integer NOT NULL,
      "skipped_count" integer NOT NULL DEFAULT 0,
      "imported_at" varchar(32) NOT NULL,
      "imported_by" varchar(36),
      CONSTRAINT "CHK_bank_statement_format" CHECK ("format" IN ('norma43', 'camt053')),
      CONSTRAINT "UQ_bank_statement_key" UNIQUE ("statement_key"))`);
    await qr.query(`CREATE INDEX "IDX_bank_statement_company" ON "bank_statement" ("company_id", "to_date")`);

    await qr.query(`CREATE TABLE "bank_movement" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "statement_id" varchar(36) NOT NULL REFERENCES "bank_statement" ("id"),
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "movement_key" varchar(64) NOT NULL,
      "idx" integer NOT NULL,
      "operation_date" varchar(10) NOT NULL,
      "value_date" varchar(10) NOT NULL,
      "common_concept" varchar(2) NOT NULL,
      "own_concept" varchar(3) NOT NULL,
      "amount_cents" bigint NOT NULL,
      "document" varchar(40) NOT NULL,
      "reference1" varchar(40) NOT NULL,
      "reference2" varchar(40) NOT NULL,
      "concepts" text NOT NULL,
      "status" varchar(10) NOT NULL DEFAULT 'unmatched',
      "match_kind" varchar(14),
      "payment_id" varchar(36) REFERENCES "payment" ("id"),
      "remittance_id" varchar(36),
      "store_id" varchar(36) REFERENCES "store" ("id"),
      "business_date" varchar(10),
      "expected_cents" bigint,
      "note" text,
      "matched_at" varchar(32),
      "matched_by" varchar(36),
      CONSTRAINT "CHK_bank_movement_status" CHECK ("status" IN (${list(MOVEMENT_STATUSES)})),
      CONSTRAINT "CHK_bank_movement_match_kind" CHECK ("match_kind" IS NULL OR "match_kind" IN (${list(MATCH_KINDS)})),
      CONSTRAINT "UQ_bank_movement_key" UNIQUE ("movement_key"))`);
    await qr.query(`CREATE INDEX "IDX_bank_movement_statement" ON "bank_movement" ("statement_id", "idx")`);
    await qr.query(`CREATE INDEX "IDX_bank_movement_company_status" ON "bank_movement" ("company_id", "status", "operation_date")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['bank_movement', 'bank_statement', 'bank_account']) await qr.query(`DROP TABLE "${t}"`);
  }
}
