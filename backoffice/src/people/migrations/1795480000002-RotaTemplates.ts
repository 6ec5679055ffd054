import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Named rota templates (issue 16): a store's week kept under a name ("Semana estándar", "Rebajas") —
 * `rota_template` (unique name per store) and its `rota_template_shift`s by weekday (0 = Monday … 6 = Sunday)
 * and employee, no dates. Applying one to a week writes ordinary `rota_shift`s, checked by the rules.
 */
export class RotaTemplates1795480000002 implements MigrationInterface {
  name = 'RotaTemplates1795480000002';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "rota_template" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "name" varchar(80) NOT NULL,
      "created_by" varchar(254) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "updated_at" varchar(32) NOT NULL,
      CONSTRAINT "UQ_rota_template_name" UNIQUE ("store_id", "name"))`);
    await qr.query(`CREATE TABLE "rota_template_shift" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "template_id" varchar(36) NOT NULL REFERENCES "rota_template" ("id") ON DELETE CASCADE,
      "employee_id" varchar(36) NOT NULL REFERENCES "employee" ("id"),
      "weekday" integer NOT NULL,
      "start_min" integer NOT NULL,
      "end_min" integer NOT NULL,
      "break_min" integer NOT NULL DEFAULT 0,
      CONSTRAINT "CHK_rota_template_shift" CHECK ("weekday" >= 0 AND "weekday" <= 6 AND "start_min" >= 0 AND "end_min" <= 1440 AND "start_min" < "end_min" AND "break_min" >= 0))`);
    await qr.query(`CREATE INDEX "IDX_rota_template_shift_template" ON "rota_template_shift" ("template_id")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "rota_template_shift"`);
    await qr.query(`DROP TABLE "rota_template"`);
  }
}
