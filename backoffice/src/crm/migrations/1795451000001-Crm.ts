import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One customer base (issue 15). The customer gains the contact data tills search by (phone and email kept
 * normalised, the loyalty card's number), where it was registered, and `merged_into_id`: a customer merged
 * into another stays as a tombstone (its row keeps the foreign keys of late documents valid; the ingest and
 * the upward handler move them onto the survivor). `customer_merge` records each merge; `customer_note`
 * the notes of the 360 page; `customer_segment` the segments' rules and `customer_segment_member` their
 * membership as last computed (sent to the tills as the customer's `segmentIds`).
 */
export class Crm1795451000001 implements MigrationInterface {
  name = 'Crm1795451000001';

  async up(qr: QueryRunner): Promise<void> {
    for (const col of ['"phone" varchar(30)', '"loyalty_card" varchar(40)', '"merged_into_id" varchar(36)', '"created_at" varchar(32)', '"origin_store_id" varchar(36)']) {
      await qr.query(`ALTER TABLE "customer" ADD COLUMN ${col}`);
    }
    await qr.query(`CREATE INDEX "IDX_customer_phone" ON "customer" ("phone")`);
    await qr.query(`CREATE INDEX "IDX_customer_email" ON "customer" ("email")`);
    await qr.query(`CREATE UNIQUE INDEX "UQ_customer_loyalty_card" ON "customer" ("loyalty_card") WHERE "loyalty_card" IS NOT NULL AND "merged_into_id" IS NULL`);
    await qr.query(`CREATE INDEX "IDX_customer_merged_into" ON "customer" ("merged_into_id")`);
    await qr.query(`CREATE TABLE "customer_merge" (
      "merged_id" varchar(36) PRIMARY KEY NOT NULL,
      "into_id" varchar(36) NOT NULL REFERENCES "customer" ("id"),
      "merged_at" varchar(32) NOT NULL,
      "merged_by" varchar(36),
      "moved" text NOT NULL,
      CONSTRAINT "CHK_customer_merge_self" CHECK ("merged_id" <> "into_id"))`);
    await qr.query(`CREATE INDEX "IDX_customer_merge_into" ON "customer_merge" ("into_id")`);
    await qr.query(`CREATE TABLE "customer_note" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "customer_id" varchar(36) NOT NULL REFERENCES "customer" ("id"),
      "body" text NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      "author" varchar(254))`);
    await qr.query(`CREATE INDEX "IDX_customer_note_customer" ON "customer_note" ("customer_id", "created_at")`);
    await qr.query(`CREATE TABLE "customer_segment" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "name" varchar(120) NOT NULL,
      "rules" text NOT NULL,
      "member_count" integer NOT NULL DEFAULT 0,
      "computed_at" varchar(32),
      "created_at" varchar(32) NOT NULL,
      "updated_at" varchar(32) NOT NULL)`);
    await qr.query(`CREATE TABLE "customer_segment_member" (
      "segment_id" varchar(36) NOT NULL REFERENCES "customer_segment" ("id"),
      "customer_id" varchar(36) NOT NULL REFERENCES "customer" ("id"),
      PRIMARY KEY ("segment_id", "customer_id"))`);
    await qr.query(`CREATE INDEX "IDX_customer_segment_member_customer" ON "customer_segment_member" ("customer_id")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['customer_segment_member', 'customer_segment', 'customer_note', 'customer_merge']) await qr.query(`DROP TABLE "${t}"`);
    for (const i of ['IDX_customer_merged_into', 'UQ_customer_loyalty_card', 'IDX_customer_email', 'IDX_customer_phone']) await qr.query(`DROP INDEX "${i}"`);
    for (const c of ['origin_store_id', 'created_at', 'merged_into_id', 'loyalty_card', 'phone']) await qr.query(`ALTER TABLE "customer" DROP COLUMN "${c}"`);
  }
}
