import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Office notices (issue 16). `office_notice`: what HQ (or a franchisee, for its own stores) wrote — Spanish
 * text with English beside it or none, priority, shown from/until, aimed at the network, companies or stores
 * (`target`, the ids in `office_notice_target`), narrowed to till roles (`roles`: comma list, empty = all).
 * `office_notice_store`: the stores it reached when posted (the "who has read it" page counts their people).
 * `office_notice_read`: one row per person and notice, the first confirmation a till sent up (later ones
 * from another till change nothing); `notice_id` is not a foreign key: a read of a catalog notice
 * (`PUT /api/notices/:id`, shown at the same tills) is kept too.
 */
const PRIORITIES = ['normal', 'high', 'urgent'];
const TARGETS = ['all', 'company', 'store'];

export class OfficeNotices1795468000001 implements MigrationInterface {
  name = 'OfficeNotices1795468000001';

  async up(qr: QueryRunner): Promise<void> {
    const list = (v: string[]) => v.map((s) => `'${s}'`).join(', ');
    await qr.query(`CREATE TABLE "office_notice" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "title" varchar(200) NOT NULL,
      "body" varchar(4000) NOT NULL,
      "title_en" varchar(200),
      "body_en" varchar(4000),
      "priority" varchar(8) NOT NULL,
      "starts_at" varchar(32) NOT NULL,
      "ends_at" varchar(32),
      "target" varchar(8) NOT NULL,
      "roles" varchar(40) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      "withdrawn_at" varchar(32),
      "withdrawn_by" varchar(36),
      CONSTRAINT "CHK_office_notice_priority" CHECK ("priority" IN (${list(PRIORITIES)})),
      CONSTRAINT "CHK_office_notice_target" CHECK ("target" IN (${list(TARGETS)})))`);
    await qr.query(`CREATE INDEX "IDX_office_notice_created" ON "office_notice" ("created_at")`);
    await qr.query(`CREATE TABLE "office_notice_target" (
      "notice_id" varchar(36) NOT NULL REFERENCES "office_notice" ("id"),
      "ref_id" varchar(36) NOT NULL,
      PRIMARY KEY ("notice_id", "ref_id"))`);
    await qr.query(`CREATE TABLE "office_notice_store" (
      "notice_id" varchar(36) NOT NULL REFERENCES "office_notice" ("id"),
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "company_id" varchar(36) NOT NULL,
      PRIMARY KEY ("notice_id", "store_id"))`);
    await qr.query(`CREATE INDEX "IDX_office_notice_store_store" ON "office_notice_store" ("store_id")`);
    await qr.query(`CREATE TABLE "office_notice_read" (
      "notice_id" varchar(64) NOT NULL,
      "staff_id" varchar(36) NOT NULL,
      "company_id" varchar(36) NOT NULL,
      "store_id" varchar(36) NOT NULL,
      "terminal_id" varchar(36) NOT NULL,
      "read_at" varchar(40) NOT NULL,
      "received_at" varchar(32) NOT NULL,
      "document_id" varchar(36) NOT NULL,
      PRIMARY KEY ("notice_id", "staff_id"))`);
    await qr.query(`CREATE INDEX "IDX_office_notice_read_staff" ON "office_notice_read" ("staff_id")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['office_notice_read', 'office_notice_store', 'office_notice_target', 'office_notice']) await qr.query(`DROP TABLE "${t}"`);
  }
}
