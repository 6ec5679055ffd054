import type { MigrationInterface, QueryRunner } from 'typeorm';
import { oneOf } from '../../persistence/migration-columns';

const ITEM_KINDS = ['invoice_due', 'on_account_ticket', 'supplier_invoice_due'];

/**
 * SEPA direct debits and supplier transfers (issue 13, part sepadd): the mandates a company (the creditor)
 * holds from its customers and franchisees, with their usage (collections so far, last one, spent) that gives
 * the next sequence type; remittances (remesas) of due receivable items as pain.008 files, one line per item;
 * supplier transfer batches as pain.001 files, one line per payable item.
 *
 * An item is in at most one remittance line that is not returned (partial unique index): remitting it twice
 * is refused by the database too. A returned line frees its item for a later remittance.
 */
export class SepaRemittances1795432000001 implements MigrationInterface {
  name = 'SepaRemittances1795432000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const falsy = pg ? 'false' : '0';
    await qr.dropCheckConstraint('open_item', 'CHK_open_item_kind');
    await qr.createCheckConstraint('open_item', oneOf('open_item', 'kind', [...ITEM_KINDS, 'return_fee']));
    await qr.query(`CREATE TABLE "sepa_mandate" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "counterparty_kind" varchar(10) NOT NULL,
      "counterparty_id" varchar(64) NOT NULL,
      "reference" varchar(35) NOT NULL,
      "signed_on" varchar(10) NOT NULL,
      "scheme" varchar(4) NOT NULL,
      "recurrence" varchar(10) NOT NULL,
      "debtor_name" varchar(70) NOT NULL,
      "debtor_iban" varchar(34) NOT NULL,
      "debtor_bic" varchar(11),
      "status" varchar(8) NOT NULL DEFAULT 'active',
      "recharge_return_fee" boolean NOT NULL DEFAULT ${falsy},
      "collections" integer NOT NULL DEFAULT 0,
      "last_collection_on" varchar(10),
      "closed" boolean NOT NULL DEFAULT ${falsy},
      "revoked_on" varchar(10),
      "created_at" varchar(32) NOT NULL,
      "updated_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_sepa_mandate_counterparty" CHECK ("counterparty_kind" IN ('company', 'customer')),
      CONSTRAINT "CHK_sepa_mandate_scheme" CHECK ("scheme" IN ('CORE', 'B2B')),
      CONSTRAINT "CHK_sepa_mandate_recurrence" CHECK ("recurrence" IN ('recurrent', 'one-off')),
      CONSTRAINT "CHK_sepa_mandate_status" CHECK ("status" IN ('active', 'revoked')),
      CONSTRAINT "UQ_sepa_mandate_reference" UNIQUE ("company_id", "reference"))`);
    await qr.query(`CREATE INDEX "IDX_sepa_mandate_counterparty" ON "sepa_mandate" ("company_id", "counterparty_kind", "counterparty_id", "status")`);

    await qr.query(`CREATE TABLE "remittance" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "number" varchar(24) NOT NULL,
      "message_id" varchar(35) NOT NULL,
      "collection_date" varchar(10) NOT NULL,
      "due_by" varchar(10),
      "status" varchar(10) NOT NULL DEFAULT 'sent',
      "item_count" integer NOT NULL,
      "total_cents" bigint NOT NULL,
      "file_id" varchar(36),
      "settled_on" varchar(10),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      CONSTRAINT "CHK_remittance_status" CHECK ("status" IN ('sent', 'settled')),
      CONSTRAINT "UQ_remittance_number" UNIQUE ("company_id", "number"))`);
    await qr.query(`CREATE INDEX "IDX_remittance_company_date" ON "remittance" ("company_id", "collection_date")`);

    await qr.query(`CREATE TABLE "remittance_item" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "remittance_id" varchar(36) NOT NULL REFERENCES "remittance" ("id"),
      "item_id" varchar(36) NOT NULL REFERENCES "open_item" ("id"),
      "mandate_id" varchar(36) NOT NULL REFERENCES "sepa_mandate" ("id"),
      "end_to_end_id" varchar(35) NOT NULL,
      "amount_cents" bigint NOT NULL,
      "sequence_type" varchar(4) NOT NULL,
      "status" varchar(10) NOT NULL DEFAULT 'pending',
      "payment_id" varchar(36),
      "return_reason" varchar(4),
      "return_fee_cents" bigint,
      "returned_on" varchar(10),
      "fee_item_id" varchar(36),
      CONSTRAINT "CHK_remittance_item_status" CHECK ("status" IN ('pending', 'settled', 'returned')),
      CONSTRAINT "CHK_remittance_item_amount" CHECK ("amount_cents" > 0),
      CONSTRAINT "UQ_remittance_item_e2e" UNIQUE ("remittance_id", "end_to_end_id"))`);
    await qr.query(`CREATE INDEX "IDX_remittance_item_remittance" ON "remittance_item" ("remittance_id")`);
    // An item is in one live remittance line at most: remitting it again is refused until that line is returned.
    await qr.query(`CREATE UNIQUE INDEX "UQ_remittance_item_live" ON "remittance_item" ("item_id") WHERE "status" <> 'returned'`);

    await qr.query(`CREATE TABLE "transfer_batch" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "number" varchar(24) NOT NULL,
      "message_id" varchar(35) NOT NULL,
      "execution_date" varchar(10) NOT NULL,
      "item_count" integer NOT NULL,
      "total_cents" bigint NOT NULL,
      "file_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      CONSTRAINT "UQ_transfer_batch_number" UNIQUE ("company_id", "number"))`);
    await qr.query(`CREATE TABLE "transfer_item" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "batch_id" varchar(36) NOT NULL REFERENCES "transfer_batch" ("id"),
      "item_id" varchar(36) NOT NULL REFERENCES "open_item" ("id"),
      "payment_id" varchar(36) NOT NULL REFERENCES "payment" ("id"),
      "end_to_end_id" varchar(35) NOT NULL,
      "amount_cents" bigint NOT NULL,
      CONSTRAINT "CHK_transfer_item_amount" CHECK ("amount_cents" > 0))`);
    await qr.query(`CREATE INDEX "IDX_transfer_item_batch" ON "transfer_item" ("batch_id")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['transfer_item', 'transfer_batch', 'remittance_item', 'remittance', 'sepa_mandate']) await qr.query(`DROP TABLE "${t}"`);
    await qr.query(`DELETE FROM open_item_posting WHERE item_id IN (SELECT id FROM open_item WHERE kind = 'return_fee')`);
    await qr.query(`DELETE FROM open_item WHERE kind = 'return_fee'`);
    await qr.dropCheckConstraint('open_item', 'CHK_open_item_kind');
    await qr.createCheckConstraint('open_item', oneOf('open_item', 'kind', ITEM_KINDS));
  }
}
