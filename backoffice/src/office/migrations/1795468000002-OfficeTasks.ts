import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks and checklists (issue 16). `office_task`: what HQ (or a franchisee) asks of stores, with a due moment;
 * `office_task_item`: its numbered items; `office_task_store`: the stores it was assigned to and when each
 * finished (every item ticked); `office_task_check`: one row per store and item ticked — who (a back-office
 * user or a till person), when, and from where (back office, or a till's outbox document).
 */
const KINDS = ['price_change', 'promo_setup', 'checklist', 'other'];

export class OfficeTasks1795468000002 implements MigrationInterface {
  name = 'OfficeTasks1795468000002';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "office_task" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "title" varchar(200) NOT NULL,
      "kind" varchar(16) NOT NULL,
      "description" varchar(4000),
      "due_at" varchar(32) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      CONSTRAINT "CHK_office_task_kind" CHECK ("kind" IN (${KINDS.map((k) => `'${k}'`).join(', ')})))`);
    await qr.query(`CREATE TABLE "office_task_item" (
      "task_id" varchar(36) NOT NULL REFERENCES "office_task" ("id"),
      "item_no" integer NOT NULL,
      "text" varchar(300) NOT NULL,
      PRIMARY KEY ("task_id", "item_no"))`);
    await qr.query(`CREATE TABLE "office_task_store" (
      "task_id" varchar(36) NOT NULL REFERENCES "office_task" ("id"),
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "company_id" varchar(36) NOT NULL,
      "completed_at" varchar(40),
      PRIMARY KEY ("task_id", "store_id"))`);
    await qr.query(`CREATE INDEX "IDX_office_task_store_store" ON "office_task_store" ("store_id", "completed_at")`);
    await qr.query(`CREATE TABLE "office_task_check" (
      "task_id" varchar(36) NOT NULL,
      "store_id" varchar(36) NOT NULL,
      "item_no" integer NOT NULL,
      "done_at" varchar(40) NOT NULL,
      "done_by_kind" varchar(8) NOT NULL,
      "done_by_id" varchar(36) NOT NULL,
      "done_by_name" varchar(200) NOT NULL,
      "source" varchar(12) NOT NULL,
      "document_id" varchar(36),
      "note" varchar(300),
      PRIMARY KEY ("task_id", "store_id", "item_no"),
      FOREIGN KEY ("task_id", "store_id") REFERENCES "office_task_store" ("task_id", "store_id"),
      CONSTRAINT "CHK_office_task_check_source" CHECK ("source" IN ('backoffice', 'till')),
      CONSTRAINT "CHK_office_task_check_by" CHECK ("done_by_kind" IN ('user', 'staff')))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['office_task_check', 'office_task_store', 'office_task_item', 'office_task']) await qr.query(`DROP TABLE "${t}"`);
  }
}
