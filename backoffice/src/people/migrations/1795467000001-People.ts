import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People and the working-time record (issue 16).
 * - `employee`: who works for a company, where (a store, or null: every store of the company / HQ) and with
 *   which till role (null: no till). An employee with a till role IS a `staff` row: same id, `staff_id` set,
 *   the PIN and rights live there (one record, no double entry). `user_id` links an HQ worker who clocks in
 *   the back office. Leaving sets `left_on` and deactivates the staff row.
 * - `employee_personal`: personal data kept apart (HR only), one row per employee.
 * - `employee_contract`: contracts (type, weekly hours in minutes, first/last day).
 * - `time_record`: the registro de jornada, append-only and hash-chained per `chain_key` (a store's id, or
 *   `hq:<company>` for HQ staff recorded in the back office): clock events, corrections (a new record that
 *   references the original, `event` and `at` being what it says happened) and approvals of corrections
 *   (party company / worker). A correction takes effect once both parties approved it.
 * - `time_record_chain`: each chain's head (last seq and hash; the anchor after a retention purge).
 * - `employee_session`: a worker's self-service session (their own record and monthly PDF).
 */
const KINDS = ['clock_in', 'break_start', 'break_end', 'clock_out', 'correction', 'approval'];
const list = (v: string[]) => v.map((s) => `'${s}'`).join(', ');

export class People1795467000001 implements MigrationInterface {
  name = 'People1795467000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "employee" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36) REFERENCES "store" ("id"),
      "code" varchar(16) NOT NULL,
      "name" varchar(200) NOT NULL,
      "job_title" varchar(80),
      "till_role" varchar(24),
      "staff_id" varchar(36),
      "user_id" varchar(36),
      "hired_on" varchar(10) NOT NULL,
      "left_on" varchar(10),
      "leave_reason" varchar(300),
      "self_service_hash" text,
      "created_at" varchar(32) NOT NULL,
      "version" bigint NOT NULL DEFAULT 0,
      CONSTRAINT "UQ_employee_code" UNIQUE ("company_id", "code"),
      CONSTRAINT "CHK_employee_till_role" CHECK ("till_role" IS NULL OR "till_role" IN ('cashier', 'supervisor', 'manager')))`);
    await qr.query(`CREATE INDEX "IDX_employee_store" ON "employee" ("store_id")`);
    await qr.query(`CREATE UNIQUE INDEX "UQ_employee_user" ON "employee" ("user_id")`);
    await qr.query(`CREATE TABLE "employee_personal" (
      "employee_id" varchar(36) PRIMARY KEY NOT NULL REFERENCES "employee" ("id"),
      "nif" varchar(16),
      "social_security_number" varchar(20),
      "birth_date" varchar(10),
      "address" varchar(300),
      "phone" varchar(30),
      "email" varchar(254),
      "iban" varchar(34),
      "updated_at" varchar(32) NOT NULL)`);
    await qr.query(`CREATE TABLE "employee_contract" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "employee_id" varchar(36) NOT NULL REFERENCES "employee" ("id"),
      "type" varchar(20) NOT NULL,
      "weekly_minutes" integer NOT NULL,
      "starts_on" varchar(10) NOT NULL,
      "ends_on" varchar(10),
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_employee_contract_minutes" CHECK ("weekly_minutes" > 0 AND "weekly_minutes" <= 2400))`);
    await qr.query(`CREATE INDEX "IDX_employee_contract_employee" ON "employee_contract" ("employee_id", "starts_on")`);
    await qr.query(`CREATE TABLE "time_record_chain" (
      "chain_key" varchar(48) PRIMARY KEY NOT NULL,
      "last_seq" bigint NOT NULL,
      "last_hash" varchar(64) NOT NULL,
      "anchor_seq" bigint NOT NULL DEFAULT 0,
      "anchor_hash" varchar(64) NOT NULL DEFAULT '')`);
    await qr.query(`CREATE TABLE "time_record" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "chain_key" varchar(48) NOT NULL,
      "seq" bigint NOT NULL,
      "company_id" varchar(36) NOT NULL,
      "store_id" varchar(36),
      "employee_id" varchar(36) NOT NULL REFERENCES "employee" ("id"),
      "kind" varchar(12) NOT NULL,
      "event" varchar(12),
      "at" varchar(32) NOT NULL,
      "corrects_id" varchar(36),
      "party" varchar(8),
      "reason" varchar(500),
      "source" varchar(12) NOT NULL,
      "terminal_id" varchar(36),
      "recorded_by" varchar(80),
      "recorded_at" varchar(32) NOT NULL,
      "prev_hash" varchar(64) NOT NULL,
      "hash" varchar(64) NOT NULL,
      CONSTRAINT "UQ_time_record_seq" UNIQUE ("chain_key", "seq"),
      CONSTRAINT "CHK_time_record_kind" CHECK ("kind" IN (${list(KINDS)})),
      CONSTRAINT "CHK_time_record_party" CHECK ("party" IS NULL OR "party" IN ('company', 'worker')))`);
    await qr.query(`CREATE INDEX "IDX_time_record_employee" ON "time_record" ("employee_id", "at")`);
    await qr.query(`CREATE INDEX "IDX_time_record_corrects" ON "time_record" ("corrects_id")`);
    await qr.query(`CREATE INDEX "IDX_time_record_company" ON "time_record" ("company_id", "at")`);
    await qr.query(`CREATE TABLE "employee_session" (
      "token_hash" varchar(64) PRIMARY KEY NOT NULL,
      "employee_id" varchar(36) NOT NULL REFERENCES "employee" ("id"),
      "created_at" varchar(32) NOT NULL,
      "expires_at" varchar(32) NOT NULL)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['employee_session', 'time_record', 'time_record_chain', 'employee_contract', 'employee_personal', 'employee']) await qr.query(`DROP TABLE "${t}"`);
  }
}
