import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Receipt design (issue 19). `receipt_design`: a company's design (`scope_key` = 'company', `store_id` NULL)
 * or one store's override of it (`scope_key` = the store id). `draft` is what HQ edits and previews,
 * `published` what the tills were last sent (JSON of the design's fields; the logo dithered to 384 and 576
 * dots inside it); `revision` counts saves, `published_revision` the save that was published.
 */
export class ReceiptDesigns1795466000001 implements MigrationInterface {
  name = 'ReceiptDesigns1795466000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "receipt_design" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36) REFERENCES "store" ("id"),
      "scope_key" varchar(36) NOT NULL,
      "draft" text NOT NULL,
      "published" text,
      "revision" integer NOT NULL,
      "published_revision" integer NOT NULL DEFAULT 0,
      "updated_at" varchar(32) NOT NULL,
      "updated_by" varchar(36),
      "published_at" varchar(32),
      "published_by" varchar(36),
      CONSTRAINT "UQ_receipt_design_scope" UNIQUE ("company_id", "scope_key"))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE "receipt_design"');
  }
}
