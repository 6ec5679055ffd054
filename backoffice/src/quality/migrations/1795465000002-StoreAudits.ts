import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Store audits (issue 17): checklist templates of weighted questions grouped by section, each on a scale
 * (yes/no, 0–5); an audit done at a store, numbered `AU-<year>-<n>` per company, with its answers (a value,
 * or N/A), photos per answer and its score in hundredths (0–10000 = 0–100,00); a failing answer opens a
 * corrective action (owner, due date, open → closed with a note).
 */
export class StoreAudits1795465000002 implements MigrationInterface {
  name = 'StoreAudits1795465000002';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "store_audit_template" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "name" varchar(200) NOT NULL,
      "active" boolean NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36))`);
    await qr.query(`CREATE TABLE "store_audit_question" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "template_id" varchar(36) NOT NULL REFERENCES "store_audit_template" ("id"),
      "position" integer NOT NULL,
      "section" varchar(20) NOT NULL,
      "text" varchar(500) NOT NULL,
      "weight" integer NOT NULL,
      "scale" varchar(12) NOT NULL,
      CONSTRAINT "CHK_store_audit_question_section" CHECK ("section" IN ('pricing', 'cleanliness', 'food_safety', 'brand_standards')),
      CONSTRAINT "CHK_store_audit_question_scale" CHECK ("scale" IN ('yes_no', 'zero_five')),
      CONSTRAINT "CHK_store_audit_question_weight" CHECK ("weight" >= 1 AND "weight" <= 100))`);
    await qr.query(`CREATE INDEX "IDX_store_audit_question_template" ON "store_audit_question" ("template_id", "position")`);
    await qr.query(`CREATE TABLE "store_audit" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(24) NOT NULL,
      "template_id" varchar(36) NOT NULL REFERENCES "store_audit_template" ("id"),
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "company_id" varchar(36) NOT NULL,
      "audited_at" varchar(32) NOT NULL,
      "score_cp" integer,
      "note" varchar(2000),
      "auditor_id" varchar(36),
      "auditor_email" varchar(200),
      CONSTRAINT "UQ_store_audit_number" UNIQUE ("company_id", "number"),
      CONSTRAINT "CHK_store_audit_score" CHECK ("score_cp" IS NULL OR ("score_cp" >= 0 AND "score_cp" <= 10000)))`);
    await qr.query(`CREATE INDEX "IDX_store_audit_store" ON "store_audit" ("store_id", "audited_at")`);
    await qr.query(`CREATE TABLE "store_audit_answer" (
      "audit_id" varchar(36) NOT NULL REFERENCES "store_audit" ("id"),
      "question_id" varchar(36) NOT NULL REFERENCES "store_audit_question" ("id"),
      "value" integer,
      "na" boolean NOT NULL,
      "failed" boolean NOT NULL,
      "note" varchar(1000),
      PRIMARY KEY ("audit_id", "question_id"))`);
    await qr.query(`CREATE INDEX "IDX_store_audit_answer_question" ON "store_audit_answer" ("question_id")`);
    await qr.query(`CREATE TABLE "store_audit_photo" (
      "audit_id" varchar(36) NOT NULL REFERENCES "store_audit" ("id"),
      "question_id" varchar(36) NOT NULL,
      "file_id" varchar(36) NOT NULL,
      PRIMARY KEY ("audit_id", "question_id", "file_id"))`);
    await qr.query(`CREATE TABLE "corrective_action" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "audit_id" varchar(36) NOT NULL REFERENCES "store_audit" ("id"),
      "question_id" varchar(36) NOT NULL,
      "store_id" varchar(36) NOT NULL,
      "company_id" varchar(36) NOT NULL,
      "description" varchar(1000) NOT NULL,
      "owner" varchar(200) NOT NULL,
      "due_date" varchar(10) NOT NULL,
      "state" varchar(8) NOT NULL,
      "close_note" varchar(1000),
      "closed_at" varchar(32),
      "closed_by_email" varchar(200),
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_corrective_action_state" CHECK ("state" IN ('open', 'closed')))`);
    await qr.query(`CREATE INDEX "IDX_corrective_action_store" ON "corrective_action" ("store_id", "state", "due_date")`);
    await qr.query(`CREATE INDEX "IDX_corrective_action_audit" ON "corrective_action" ("audit_id")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['corrective_action', 'store_audit_photo', 'store_audit_answer', 'store_audit', 'store_audit_question', 'store_audit_template']) await qr.query(`DROP TABLE "${t}"`);
  }
}
