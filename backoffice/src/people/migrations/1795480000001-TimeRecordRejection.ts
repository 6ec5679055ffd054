import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worker may reject a correction the company proposed (at the till, issue 16): a `rejection` record of the
 * chain (party worker) referencing the correction, which then never takes effect. `time_record.kind`'s CHECK
 * widens. SQLite cannot alter a CHECK: the table is rebuilt in plain SQL copying every row as it is (hashes
 * untouched, so every chain still verifies); PostgreSQL alters in place.
 */
const KINDS = ['clock_in', 'break_start', 'break_end', 'clock_out', 'correction', 'approval', 'rejection'];
const OLD_KINDS = KINDS.slice(0, -1);
const list = (v: string[]) => v.map((s) => `'${s}'`).join(', ');
const COLUMNS = ['id', 'chain_key', 'seq', 'company_id', 'store_id', 'employee_id', 'kind', 'event', 'at', 'corrects_id', 'party', 'reason', 'source', 'terminal_id', 'recorded_by', 'recorded_at', 'prev_hash', 'hash']
  .map((c) => `"${c}"`).join(', ');

async function withKinds(qr: QueryRunner, kinds: string[]): Promise<void> {
  if (qr.connection.options.type === 'postgres') {
    await qr.query(`ALTER TABLE "time_record" DROP CONSTRAINT "CHK_time_record_kind"`);
    await qr.query(`ALTER TABLE "time_record" ADD CONSTRAINT "CHK_time_record_kind" CHECK ("kind" IN (${list(kinds)}))`);
    return;
  }
  await qr.query(`CREATE TABLE "time_record_rebuilt" (
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
    CONSTRAINT "CHK_time_record_kind" CHECK ("kind" IN (${list(kinds)})),
    CONSTRAINT "CHK_time_record_party" CHECK ("party" IS NULL OR "party" IN ('company', 'worker')))`);
  await qr.query(`INSERT INTO "time_record_rebuilt" (${COLUMNS}) SELECT ${COLUMNS} FROM "time_record"`);
  await qr.query(`DROP TABLE "time_record"`);
  await qr.query(`ALTER TABLE "time_record_rebuilt" RENAME TO "time_record"`);
  await qr.query(`CREATE INDEX "IDX_time_record_employee" ON "time_record" ("employee_id", "at")`);
  await qr.query(`CREATE INDEX "IDX_time_record_corrects" ON "time_record" ("corrects_id")`);
  await qr.query(`CREATE INDEX "IDX_time_record_company" ON "time_record" ("company_id", "at")`);
}

export class TimeRecordRejection1795480000001 implements MigrationInterface {
  name = 'TimeRecordRejection1795480000001';

  async up(qr: QueryRunner): Promise<void> {
    await withKinds(qr, KINDS);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DELETE FROM "time_record" WHERE "kind" = 'rejection'`);
    await withKinds(qr, OLD_KINDS);
  }
}
