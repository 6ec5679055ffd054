import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Saved and scheduled report views (issue 18; the live dashboard reads the reports' rollups, no table of its own).
 * - `report_view`: a user's named filters of one report; `company_id` set = shared with that company's users (HQ only).
 * - `report_schedule`: a view delivered daily or weekly at a local time into the inbox as PDF or XLSX;
 *   `next_run_at` is moved forward with a compare-and-set by the run that claims it (once per due time,
 *   whatever the restarts or nodes).
 * - `report_inbox`: one row per delivered file and recipient; unique per schedule run and user.
 */
export class Dashboard1795471000001 implements MigrationInterface {
  name = 'Dashboard1795471000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "report_view" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "user_id" varchar(36) NOT NULL REFERENCES "app_user" ("id"),
      "company_id" varchar(36) REFERENCES "company" ("id"),
      "name" varchar(120) NOT NULL,
      "report_key" varchar(60) NOT NULL,
      "filters" text NOT NULL,
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "UQ_report_view_name" UNIQUE ("user_id", "name"))`);
    await qr.query(`CREATE INDEX "IDX_report_view_company" ON "report_view" ("company_id")`);
    await qr.query(`CREATE TABLE "report_schedule" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "view_id" varchar(36) NOT NULL REFERENCES "report_view" ("id") ON DELETE CASCADE,
      "user_id" varchar(36) NOT NULL REFERENCES "app_user" ("id"),
      "frequency" varchar(8) NOT NULL,
      "weekday" integer,
      "time_of_day" varchar(5) NOT NULL,
      "time_zone" varchar(64) NOT NULL,
      "format" varchar(8) NOT NULL,
      "next_run_at" varchar(32) NOT NULL,
      "last_run_at" varchar(32),
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_report_schedule_frequency" CHECK ("frequency" IN ('daily', 'weekly')),
      CONSTRAINT "CHK_report_schedule_format" CHECK ("format" IN ('pdf', 'xlsx')))`);
    await qr.query(`CREATE INDEX "IDX_report_schedule_due" ON "report_schedule" ("next_run_at")`);
    await qr.query(`CREATE TABLE "report_inbox" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "user_id" varchar(36) NOT NULL REFERENCES "app_user" ("id"),
      "schedule_id" varchar(36),
      "run_for" varchar(32) NOT NULL,
      "title" varchar(200) NOT NULL,
      "file_id" varchar(36) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "read_at" varchar(32),
      CONSTRAINT "UQ_report_inbox_run" UNIQUE ("schedule_id", "run_for", "user_id"))`);
    await qr.query(`CREATE INDEX "IDX_report_inbox_user" ON "report_inbox" ("user_id", "created_at")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "report_inbox"`);
    await qr.query(`DROP TABLE "report_schedule"`);
    await qr.query(`DROP TABLE "report_view"`);
  }
}
