import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Veri*Factu submission (issue 12): one row per record to send to the AEAT (from a till's chain or a
 * company's back-office chain) with its state and the AEAT's answer, the batches sent, a cursor per chain
 * (how far records have been queued) and the time each issuer may send again (TiempoEsperaEnvio). The state
 * lives here, not in memory: a restarted node resumes where the last one stopped.
 */
const STATUSES = ['pending', 'sending', 'accepted', 'accepted_with_errors', 'rejected'];
const BATCH_STATUSES = ['sent', 'answered', 'timeout', 'fault'];

export class Verifactu1795424000001 implements MigrationInterface {
  name = 'Verifactu1795424000001';

  async up(qr: QueryRunner): Promise<void> {
    const list = (v: string[]) => v.map((s) => `'${s}'`).join(', ');
    const falsy = qr.connection.options.type === 'postgres' ? 'false' : '0';
    await qr.query(`CREATE TABLE "verifactu_record" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "issuer_nif" varchar(9) NOT NULL,
      "source" varchar(8) NOT NULL,
      "chain_id" varchar(36) NOT NULL,
      "chain_position" bigint NOT NULL,
      "installation" varchar(100) NOT NULL,
      "record_kind" varchar(16) NOT NULL,
      "invoice_type" varchar(2),
      "invoice_number" varchar(60) NOT NULL,
      "issue_date" varchar(10) NOT NULL,
      "month" varchar(7) NOT NULL,
      "status" varchar(24) NOT NULL DEFAULT 'pending',
      "batch_id" varchar(36),
      "attempts" integer NOT NULL DEFAULT 0,
      "after_rejection" boolean NOT NULL DEFAULT ${falsy},
      "error_code" varchar(16),
      "error_description" text,
      "csv" varchar(64),
      "created_at" varchar(32) NOT NULL,
      "updated_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_verifactu_record_status" CHECK ("status" IN (${list(STATUSES)})),
      CONSTRAINT "CHK_verifactu_record_source" CHECK ("source" IN ('till', 'hq')),
      CONSTRAINT "UQ_verifactu_record_chain" UNIQUE ("source", "chain_id", "chain_position"))`);
    await qr.query(`CREATE INDEX "IDX_verifactu_record_issuer_status" ON "verifactu_record" ("issuer_nif", "status", "source", "chain_id", "chain_position")`);
    await qr.query(`CREATE INDEX "IDX_verifactu_record_company_month" ON "verifactu_record" ("company_id", "month", "status")`);
    await qr.query(`CREATE INDEX "IDX_verifactu_record_batch" ON "verifactu_record" ("batch_id")`);

    await qr.query(`CREATE TABLE "verifactu_cursor" (
      "source" varchar(8) NOT NULL,
      "chain_id" varchar(36) NOT NULL,
      "last_position" bigint NOT NULL,
      PRIMARY KEY ("source", "chain_id"))`);

    await qr.query(`CREATE TABLE "verifactu_batch" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "issuer_nif" varchar(9) NOT NULL,
      "status" varchar(16) NOT NULL,
      "record_count" integer NOT NULL,
      "sent_at" varchar(32) NOT NULL,
      "answered_at" varchar(32),
      "wait_seconds" integer,
      "envio_status" varchar(24),
      "csv" varchar(64),
      "error" text,
      CONSTRAINT "CHK_verifactu_batch_status" CHECK ("status" IN (${list(BATCH_STATUSES)})))`);
    await qr.query(`CREATE INDEX "IDX_verifactu_batch_status" ON "verifactu_batch" ("status", "sent_at")`);

    await qr.query(`CREATE TABLE "verifactu_issuer" (
      "issuer_nif" varchar(9) PRIMARY KEY NOT NULL,
      "next_send_at" varchar(32) NOT NULL,
      "updated_at" varchar(32) NOT NULL)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['verifactu_issuer', 'verifactu_batch', 'verifactu_cursor', 'verifactu_record']) await qr.query(`DROP TABLE "${t}"`);
  }
}
