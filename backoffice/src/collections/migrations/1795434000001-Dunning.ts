import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dunning and credit control (issue 13). `dunning_level`: a company's levels (days past due, texts es/en,
 * whether the level blocks sales on account and whether its letter claims Ley 3/2004 interest — the company
 * chooses by ticking it); a company without rows uses DEFAULT_DUNNING_LEVELS. `dunning_letter`: one letter
 * per counterparty and level of a run, its PDF in the files area; `dunning_letter_item`: the items it claims
 * with the interest worked out for each. `credit_control`: per company and counterparty, the credit limit
 * (null: the customer's own), whether it is blocked and why, and a manager's release.
 */
export class Dunning1795434000001 implements MigrationInterface {
  name = 'Dunning1795434000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const falsy = pg ? 'false' : '0';
    await qr.query(`CREATE TABLE "dunning_level" (
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "level" integer NOT NULL,
      "name_es" varchar(80) NOT NULL,
      "name_en" varchar(80) NOT NULL,
      "min_days_past_due" integer NOT NULL,
      "text_es" text NOT NULL,
      "text_en" text NOT NULL,
      "blocks" boolean NOT NULL DEFAULT ${falsy},
      "claims_interest" boolean NOT NULL DEFAULT ${falsy},
      "updated_at" varchar(32) NOT NULL,
      PRIMARY KEY ("company_id", "level"),
      CONSTRAINT "CHK_dunning_level_days" CHECK ("min_days_past_due" >= 1 AND "level" >= 1))`);
    await qr.query(`CREATE TABLE "dunning_letter" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "counterparty_kind" varchar(10) NOT NULL,
      "counterparty_id" varchar(64) NOT NULL,
      "counterparty_name" varchar(200),
      "level" integer NOT NULL,
      "letter_date" varchar(10) NOT NULL,
      "principal_cents" bigint NOT NULL,
      "interest_cents" bigint NOT NULL DEFAULT 0,
      "compensation_cents" bigint NOT NULL DEFAULT 0,
      "file_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36))`);
    await qr.query(`CREATE INDEX "IDX_dunning_letter_company" ON "dunning_letter" ("company_id", "letter_date")`);
    await qr.query(`CREATE TABLE "dunning_letter_item" (
      "letter_id" varchar(36) NOT NULL REFERENCES "dunning_letter" ("id"),
      "item_id" varchar(36) NOT NULL REFERENCES "open_item" ("id"),
      "balance_cents" bigint NOT NULL,
      "days_past_due" integer NOT NULL,
      "interest_cents" bigint NOT NULL DEFAULT 0,
      "compensation_cents" bigint NOT NULL DEFAULT 0,
      PRIMARY KEY ("letter_id", "item_id"))`);
    await qr.query(`CREATE INDEX "IDX_dunning_letter_item_item" ON "dunning_letter_item" ("item_id")`);
    await qr.query(`CREATE TABLE "credit_control" (
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "counterparty_kind" varchar(10) NOT NULL,
      "counterparty_id" varchar(64) NOT NULL,
      "counterparty_name" varchar(200),
      "credit_limit_cents" bigint,
      "exposure_cents" bigint NOT NULL DEFAULT 0,
      "blocked" boolean NOT NULL DEFAULT ${falsy},
      "reason" text,
      "released_on" varchar(10),
      "released_until" varchar(10),
      "released_by" varchar(36),
      "release_note" text,
      "updated_at" varchar(32) NOT NULL,
      PRIMARY KEY ("company_id", "counterparty_kind", "counterparty_id"))`);
    await qr.query(`CREATE INDEX "IDX_credit_control_counterparty" ON "credit_control" ("counterparty_kind", "counterparty_id")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['credit_control', 'dunning_letter_item', 'dunning_letter', 'dunning_level']) await qr.query(`DROP TABLE "${t}"`);
  }
}
