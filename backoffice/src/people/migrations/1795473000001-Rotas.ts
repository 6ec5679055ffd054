import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rotas (issue 16): `rota_shift`, one planned shift of an employee at a store on a day (store time), start and
 * end in minutes from the day's midnight (end ≤ 24:00: a shift never crosses midnight), the unpaid break in
 * minutes. Rows are only added and deleted; the rules (rotas/rules.ts) are checked before a row is written.
 */
export class Rotas1795473000001 implements MigrationInterface {
  name = 'Rotas1795473000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "rota_shift" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "employee_id" varchar(36) NOT NULL REFERENCES "employee" ("id"),
      "date" varchar(10) NOT NULL,
      "start_min" integer NOT NULL,
      "end_min" integer NOT NULL,
      "break_min" integer NOT NULL DEFAULT 0,
      "created_by" varchar(254) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_rota_shift_times" CHECK ("start_min" >= 0 AND "end_min" <= 1440 AND "start_min" < "end_min" AND "break_min" >= 0))`);
    await qr.query(`CREATE INDEX "IDX_rota_shift_store_date" ON "rota_shift" ("store_id", "date")`);
    await qr.query(`CREATE INDEX "IDX_rota_shift_employee_date" ON "rota_shift" ("employee_id", "date")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "rota_shift"`);
  }
}
