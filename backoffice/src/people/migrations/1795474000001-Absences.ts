import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ABSENCE_KINDS, ABSENCE_STATUSES } from '@tpv/shared/people/absences';

/**
 * Absences and holidays (issue 16): `absence` is one request or record — a worker's vacation or leave asked for
 * on the self-service page (status requested until a manager decides), or one a manager records (a sick leave:
 * approved as it is written). Who asked, who decided and why are kept; a cancelled or refused one stays listed.
 */
const list = (v: readonly string[]) => v.map((s) => `'${s}'`).join(', ');

export class Absences1795474000001 implements MigrationInterface {
  name = 'Absences1795474000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "absence" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "employee_id" varchar(36) NOT NULL REFERENCES "employee" ("id"),
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "store_id" varchar(36) REFERENCES "store" ("id"),
      "kind" varchar(16) NOT NULL CHECK ("kind" IN (${list(ABSENCE_KINDS)})),
      "from_date" varchar(10) NOT NULL,
      "to_date" varchar(10) NOT NULL,
      "days" integer NOT NULL,
      "note" varchar(500),
      "status" varchar(12) NOT NULL CHECK ("status" IN (${list(ABSENCE_STATUSES)})),
      "requested_by_kind" varchar(8) NOT NULL CHECK ("requested_by_kind" IN ('user', 'worker')),
      "requested_by" varchar(36) NOT NULL,
      "requested_at" varchar(32) NOT NULL,
      "decided_by" varchar(36),
      "decided_by_name" varchar(200),
      "decided_at" varchar(32),
      "decision_note" varchar(500),
      CHECK ("to_date" >= "from_date"))`);
    await qr.query(`CREATE INDEX "idx_absence_employee" ON "absence" ("employee_id", "from_date")`);
    await qr.query(`CREATE INDEX "idx_absence_company_status" ON "absence" ("company_id", "status", "from_date")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "absence"`);
  }
}
